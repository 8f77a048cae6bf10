// transcript.cpp: parsing transcript files and playing them against the DUT line by line
// (QftpCase::play_transcript), with PIXIT substitution and the directives' set-up and checks.
#include "harness/transcript.h"

#include <algorithm>
#include <fstream>
#include <sstream>

#include "harness/qftp_case.h"

namespace qftp::harness {
namespace {

std::vector<std::string> words(const std::string& text) {
  std::istringstream in(text);
  std::vector<std::string> out;
  for (std::string w; in >> w;) out.push_back(w);
  return out;
}

bool to_size(const std::string& s, std::size_t& out) {
  if (s.empty() || s.find_first_not_of("0123456789") != std::string::npos) return false;
  out = std::stoull(s);
  return true;
}

// "SEED TOTAL [FROM COUNT]" to the bytes it names.
Result<std::string> slice(const std::vector<std::string>& w, std::size_t first) {
  std::size_t total = 0;
  std::size_t from = 0;
  std::size_t count = 0;
  if (w.size() != first + 2 && w.size() != first + 4)
    return make_error("expected SEED TOTAL [FROM COUNT]");
  if (!to_size(w[first + 1], total)) return make_error("bad TOTAL");
  count = total;
  if (w.size() == first + 4 && (!to_size(w[first + 2], from) || !to_size(w[first + 3], count))) {
    return make_error("bad FROM COUNT");
  }
  if (from + count > total) return make_error("slice past the end");
  return test_content(w[first], total).substr(from, count);
}

}  // namespace

Result<Transcript> parse_transcript(const std::string& text, const std::filesystem::path& path) {
  Transcript t;
  t.path = path;
  std::istringstream in(text);
  int number = 0;
  for (std::string line; std::getline(in, line);) {
    ++number;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty() || line[0] == '#') continue;
    const auto where = path.filename().string() + ":" + std::to_string(number) + ": ";
    TranscriptLine l;
    l.number = number;
    const auto space = line.find(' ');
    const std::string head = line.substr(0, space);
    l.text = space == std::string::npos ? std::string() : line.substr(space + 1);
    if (head == ">") {
      l.kind = "send";
    } else if (head == "<") {
      l.kind = "expect";
    } else if (head == ">data" || head == "<data") {
      l.kind = head == ">data" ? "send_data" : "expect_data";
      if (auto s = slice(words(l.text), 0); !s) return make_error(where + s.error());
    } else if (head == "@title") {
      t.title = l.text;
      continue;
    } else if (head == "@requirements") {
      t.requirements = words(l.text);
      continue;
    } else if (head == "@session" || head == "@pics" || head == "@fault" ||
               head == "@server-file" || head == "@local-file" || head == "@expect-server-file" ||
               head == "@verify-local" || head == "@expect-ftp") {
      l.kind = head.substr(1);
    } else {
      return make_error(where + "unknown line kind \"" + head + "\"");
    }
    t.lines.push_back(std::move(l));
  }
  if (t.requirements.empty())
    return make_error(path.filename().string() + ": no @requirements line");
  return t;
}

Result<Transcript> load_transcript(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return make_error("cannot read transcript " + path.string());
  std::stringstream text;
  text << in.rdbuf();
  return parse_transcript(text.str(), path);
}

std::string QftpCase::substitute(std::string text) {
  const std::pair<std::string, std::string> vars[] = {{"${host}", ftp_host()},
                                                      {"${port}", std::to_string(ftp_port())},
                                                      {"${user}", pixit().user},
                                                      {"${password}", pixit().password},
                                                      {"${apn}", pixit().apn}};
  for (const auto& [name, value] : vars) {
    for (auto pos = text.find(name); pos != std::string::npos;
         pos = text.find(name, pos + value.size())) {
      text.replace(pos, name.size(), value);
    }
  }
  return text;
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
      const auto colon = expected.find(':');
      if (!expected.empty() && expected[0] == '+' && colon != std::string::npos) {
        const std::string name = expected.substr(0, colon);
        std::string value = expected.substr(colon + 1);
        if (!value.empty() && value[0] == ' ') value.erase(0, 1);
        const auto f = parse_field(got.value(), name);
        if (!f || f->value != value) {
          return fail(where + "expected \"" + expected + "\", the DUT sent \"" +
                      printable(got->text) + "\"");
        }
        check_style(*f);
      } else if (got->text != expected) {
        return fail(where + "expected \"" + expected + "\", the DUT sent \"" +
                    printable(got->text) + "\"");
      }
    } else if (l.kind == "send_data") {
      auto bytes = slice(w, 0);
      if (auto st = te().send(bytes.value()); !st) return fail(where + st.error());
    } else if (l.kind == "expect_data") {
      const auto bytes = slice(w, 0);
      auto got = te().read_exactly(bytes->size(), transfer_timeout());
      if (!got) return fail(where + "download data: " + got.error());
      if (got.value() != bytes.value()) {
        return fail(where + "the downloaded bytes differ from the server's file (" +
                    std::to_string(got->size()) + " bytes, starting \"" +
                    printable(got->substr(0, 40)) + "\")");
      }
    } else if (l.kind == "session") {
      if (auto st = open_session(); !st.ok()) return failed(as_precondition(st.outcome()));
    } else if (l.kind == "pics") {
      const std::string& name = l.text;
      const bool has = name == "has_ufs"            ? pics().has_ufs
                       : name == "has_sd"           ? pics().has_sd
                       : name == "has_ram"          ? pics().has_ram
                       : name == "resume"           ? pics().resume
                       : name == "context_commands" ? pics().context_commands
                                                    : false;
      if (!has) return Outcome{Verdict::not_applicable, "PICS " + name + " is false for this DUT"};
    } else if (l.kind == "fault") {
      if (auto id = fault(l.text); !id.ok()) return failed(id.outcome());
    } else if (l.kind == "server-file") {
      if (w.empty()) return harness_error(where + "@server-file needs PATH SEED TOTAL");
      auto bytes = slice(w, 1);
      if (!bytes) return harness_error(where + bytes.error());
      if (auto st = server_file(w[0], bytes.value()); !st.ok()) return failed(st.outcome());
    } else if (l.kind == "local-file") {
      if (w.size() < 2) return harness_error(where + "@local-file needs ROOT NAME SEED TOTAL");
      auto bytes = slice(w, 2);
      if (!bytes) return harness_error(where + bytes.error());
      if (auto st = make_local_file(w[0], w[1], bytes.value()); !st.ok())
        return failed(as_precondition(st.outcome()));
    } else if (l.kind == "expect-server-file") {
      if (w.empty()) return harness_error(where + "@expect-server-file needs PATH SEED TOTAL");
      auto bytes = slice(w, 1);
      if (!bytes) return harness_error(where + bytes.error());
      auto got = read_server_file(w[0]);
      if (!got.ok()) return failed(got.outcome());
      if (got.value() != bytes.value()) {
        return fail(where + "the server's " + w[0] + " has " + std::to_string(got.value().size()) +
                    " bytes that differ from the " + std::to_string(bytes->size()) + " expected");
      }
    } else if (l.kind == "verify-local") {
      if (w.size() < 2) return harness_error(where + "@verify-local needs ROOT NAME SEED TOTAL");
      auto bytes = slice(w, 2);
      if (!bytes) return harness_error(where + bytes.error());
      if (auto st = verify_local_file(w[0], w[1], bytes.value()); !st.ok())
        return failed(st.outcome());
    } else if (l.kind == "expect-ftp") {
      auto cmds = ftp_commands();
      if (!cmds.ok()) return failed(cmds.outcome());
      if (std::find(cmds.value().begin(), cmds.value().end(), l.text) == cmds.value().end()) {
        return fail(where + "the DUT never sent the FTP command \"" + l.text + "\"");
      }
    }
  }
  return {};
}

}  // namespace qftp::harness
