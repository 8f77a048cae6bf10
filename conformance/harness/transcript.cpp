// transcript.cpp: parsing transcript files and playing them against the DUT line by line
// (QftpCase::play_transcript), with PIXIT substitution and the directives' set-up and checks.
#include "harness/transcript.h"

#include <algorithm>
#include <fstream>
#include <sstream>
#include <utility>

#include "harness/qftp_case.h"

namespace qftp::harness {
namespace {

using transcript::slice;
using transcript::words;

// The bytes "SEED TOTAL [FROM COUNT]" name, from words[first...].
Result<std::string> bytes_of(const std::vector<std::string>& w, std::size_t first) {
  auto s = slice(w, first);
  if (s.index() == 1) return make_error(std::get<1>(std::move(s)));
  return std::get<0>(std::move(s));
}

// The shared parser's result, with the suite's rule that a transcript names its requirements.
Result<Transcript> checked(std::variant<Transcript, std::string> parsed) {
  if (parsed.index() == 1) return make_error(std::get<1>(std::move(parsed)));
  Transcript t = std::get<0>(std::move(parsed));
  if (t.requirements.empty()) return make_error(t.path.filename().string() + ": no @requirements line");
  return t;
}

}  // namespace

Result<Transcript> parse_transcript(const std::string& text, const std::filesystem::path& path) {
  return checked(transcript::parse(text, path));
}

Result<Transcript> load_transcript(const std::filesystem::path& path) {
  return checked(transcript::load(path));
}

std::string QftpCase::substitute(std::string text) {
  return transcript::substitute(std::move(text), {ftp_host(), std::to_string(ftp_port()),
                                                  pixit().user, pixit().password, pixit().apn});
}

Done QftpCase::play_transcript_file(std::string_view file) {
  auto t = load_transcript(suite().options().data_dir / "transcripts" / std::string(file));
  if (!t) return harness_error(t.error());
  auto declared = t->requirements;
  auto tagged = suite().context().tag->requirements;
  std::sort(declared.begin(), declared.end());
  std::sort(tagged.begin(), tagged.end());
  if (declared != tagged) {
    return harness_error(std::string(file) + ": @requirements differ from the case's tags");
  }
  return play_transcript(t.value());
}

Done QftpCase::play_transcript(const Transcript& t) {
  std::string last_sent;
  bool echo_pending = false;
  for (const auto& l : t.lines) {
    const std::string where = t.path.filename().string() + ":" + std::to_string(l.number) + ": ";
    const auto w = words(l.text);
    const auto failed = [&](const Outcome& o) { return Outcome{o.verdict, where + o.reason}; };
    if (l.kind == "send") {
      last_sent = substitute(l.text);
      if (auto st = te().send(last_sent + "\r"); !st) return fail(where + st.error());
      echo_pending = true;
    } else if (l.kind == "expect") {
      const std::string expected = substitute(l.text);
      auto got = te().await_line([](const Line&) { return true; }, transfer_timeout());
      if (got && echo_pending && got->text == last_sent) {
        got = te().await_line([](const Line&) { return true; }, transfer_timeout());
      }
      echo_pending = false;
      if (!got) return fail(where + "expected \"" + expected + "\": " + got.error());
      if (!transcript::line_matches(expected, got->text)) {
        return fail(where + "expected \"" + expected + "\", the DUT sent \"" +
                    printable(got->text) + "\"");
      }
      const auto colon = expected.find(':');
      if (expected.front() == '+' && colon != std::string::npos) {
        if (const auto f = parse_field(got.value(), expected.substr(0, colon))) check_style(*f);
      }
    } else if (l.kind == "send_raw") {
      // A host driver's bytes as it sends them: LF endings, pipelined lines, a leading ESC. Its
      // echo, if any, is the first line.
      const std::string bytes = transcript::unescape(substitute(l.text));
      if (auto st = te().send(bytes); !st) return fail(where + st.error());
      last_sent = bytes.substr(0, bytes.find_first_of("\r\n"));
      echo_pending = true;
    } else if (l.kind == "send_data") {
      const auto bytes = slice(w, 0);  // checked by the parser
      if (auto st = te().send(std::get<0>(bytes)); !st) return fail(where + st.error());
    } else if (l.kind == "expect_data") {
      const std::string bytes = std::get<0>(slice(w, 0));  // checked by the parser
      auto got = te().read_exactly(bytes.size(), transfer_timeout());
      if (!got) return fail(where + "download data: " + got.error());
      if (got.value() != bytes) {
        return fail(where + "the downloaded bytes differ from the server's file (" +
                    std::to_string(got->size()) + " bytes, starting \"" +
                    printable(got->substr(0, 40)) + "\")");
      }
    } else if (l.kind == "session") {
      if (auto st = open_session(); !st.ok()) return failed(as_precondition(st.outcome()));
    } else if (l.kind == "pics") {
      const std::string& name = l.text;
      const auto has = pics_value(pics(), name);
      if (!has) return harness_error(where + "@pics names no PICS entry: " + name);
      if (!*has) return Outcome{Verdict::not_applicable, "PICS " + name + " is false for this DUT"};
    } else if (l.kind == "fault") {
      if (auto id = fault(l.text); !id.ok()) return failed(id.outcome());
    } else if (l.kind == "server-file") {
      if (w.empty()) return harness_error(where + "@server-file needs PATH SEED TOTAL");
      auto bytes = bytes_of(w, 1);
      if (!bytes) return harness_error(where + bytes.error());
      if (auto st = server_file(w[0], bytes.value()); !st.ok()) return failed(st.outcome());
    } else if (l.kind == "local-file") {
      if (w.size() < 2) return harness_error(where + "@local-file needs ROOT NAME SEED TOTAL");
      auto bytes = bytes_of(w, 2);
      if (!bytes) return harness_error(where + bytes.error());
      if (auto st = make_local_file(w[0], w[1], bytes.value()); !st.ok())
        return failed(as_precondition(st.outcome()));
    } else if (l.kind == "expect-server-file") {
      if (w.empty()) return harness_error(where + "@expect-server-file needs PATH SEED TOTAL");
      auto bytes = bytes_of(w, 1);
      if (!bytes) return harness_error(where + bytes.error());
      auto got = read_server_file(w[0]);
      if (!got.ok()) return failed(got.outcome());
      if (got.value() != bytes.value()) {
        return fail(where + "the server's " + w[0] + " has " + std::to_string(got.value().size()) +
                    " bytes that differ from the " + std::to_string(bytes->size()) + " expected");
      }
    } else if (l.kind == "verify-local") {
      if (w.size() < 2) return harness_error(where + "@verify-local needs ROOT NAME SEED TOTAL");
      auto bytes = bytes_of(w, 2);
      if (!bytes) return harness_error(where + bytes.error());
      if (auto st = verify_local_file(w[0], w[1], bytes.value()); !st.ok())
        return failed(st.outcome());
    } else if (l.kind == "expect-ftp") {
      auto cmds = ftp_commands();
      if (!cmds.ok()) return failed(cmds.outcome());
      if (std::find(cmds.value().begin(), cmds.value().end(), l.text) == cmds.value().end()) {
        return fail(where + "the DUT never sent the FTP command \"" + l.text + "\"");
      }
    } else {
      // <raw fixes the emulator's exact bytes; a DUT is judged by lines (V.250 framing).
      return harness_error(where + "a " + l.kind + " line cannot be played against a DUT");
    }
  }
  return {};
}

}  // namespace qftp::harness
