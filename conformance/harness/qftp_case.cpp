// qftp_case.cpp: the steps of QftpCase: AT commands and URCs with the PIXIT's deadlines, the FTP
// service operations, data mode through the UART, fixture files and faults, and the case log.
#include "harness/qftp_case.h"

#include <fstream>

#include "te/elide.h"
#include "harness/te_vocabulary.h"
#include <sstream>

namespace qftp::harness {
namespace {

std::string quote(std::string_view s) {
  return "\"" + std::string(s) + "\"";
}

}  // namespace

void QftpCase::SetUp() {
  Suite& s = suite();
  CaseContext& ctx = s.context();
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  ctx.tag = CaseRegistry::instance().find(info->test_suite_name(), info->name());
  if (ctx.tag == nullptr)
    return stop(harness_error("case not declared with QFTP_CASE: no requirement IDs"));
  std::string ids;
  for (const auto& id : ctx.tag->requirements) ids += (ids.empty() ? "" : " ") + id;
  RecordProperty("requirements", ids);
  if (!ctx.tag->selected_by(s.options().selected)) {
    ctx.deselected = true;
    GTEST_SKIP() << "not selected by --requirement";
  }
  if (s.run_stop() != RunStop::none) {
    ctx.deselected = true;  // not run: the report is partial and says why
    GTEST_SKIP() << "not run: " << s.run_stop_reason();
  }
  ctx.started = Clock::now();
  const Status ready = s.prepare_case();
  if (s.session() != nullptr) ctx.wire_mark = s.session()->wire_mark();
  // A DUT that stopped answering fails the case it stopped in, and the run ends there; a run the
  // harness ended (a lost link, a signal, the deadline) leaves this case not run.
  if (!ready && s.run_stop() == RunStop::dut_not_answering) return stop(fail(ready.error()));
  if (!ready && s.run_stop() != RunStop::none) {
    ctx.deselected = true;
    GTEST_SKIP() << "not run: " << s.run_stop_reason();
  }
  if (!ready) return stop(harness_error(ready.error()));
  s.arm_watchdog();
}

void QftpCase::TearDown() {
  Suite& s = suite();
  CaseContext& ctx = s.context();
  if (ctx.deselected) return;
  // A case the harness ended (a link that broke under it, the watchdog, a signal) is an error,
  // whatever its last check made of the missing answer; a DUT that answered wrongly stays a fail.
  if (HasFailure() || IsSkipped()) {
    auto cause = s.harness_cause();
    if (cause && !(ctx.mark && ctx.mark->verdict == Verdict::error)) {
      ctx.mark = cause;
      note("harness: " + cause->reason);
      if (IsSkipped()) ADD_FAILURE() << "harness error: " << cause->reason;
    }
  }
  s.disarm_watchdog();
  if (TeSession* session = s.session()) {
    auto left = session->take_queued();
    if (!left.empty()) {
      std::string text;
      for (const auto& l : left) text += (text.empty() ? "" : " | ") + printable(l.text);
      note("lines the case did not consume: " + text);
    }
    ctx.wire =
        session->wire_text(std::min(ctx.wire_mark, session->wire_mark()), ctx.started, 16 * 1024);
  }
  if (FixtureControl* control = s.control()) {
    if (auto log = control->log()) {
      std::string text;
      for (const auto& e : log.value()) {
        if (e.kind == "SET" || e.kind == "CLEAR") continue;
        text += std::to_string(e.session) + " " + e.kind + " " + e.text + "\n";
        if (text.size() > 16 * 1024) {
          text += "...\n";
          break;
        }
      }
      ctx.ftp_log = text;
    }
  }
}

void QftpCase::stop(const Outcome& outcome, const char* file, int line) {
  CaseContext& ctx = suite().context();
  const char* where = file != nullptr ? file : __FILE__;
  const int at_line = file != nullptr ? line : __LINE__;
  switch (outcome.verdict) {
    case Verdict::pass:
      return;
    case Verdict::fail:
      // Fatal, so that a failure in SetUp keeps the body from running.
      GTEST_MESSAGE_AT_(where, at_line, outcome.reason.c_str(),
                        ::testing::TestPartResult::kFatalFailure);
      return;
    case Verdict::error:
      ctx.mark = outcome;
      GTEST_MESSAGE_AT_(where, at_line, ("harness error: " + outcome.reason).c_str(),
                        ::testing::TestPartResult::kFatalFailure);
      return;
    case Verdict::inconclusive:
    case Verdict::not_applicable:
      if (!ctx.mark) ctx.mark = outcome;
      GTEST_MESSAGE_AT_(
          where, at_line,
          (std::string(verdict_name(outcome.verdict)) + ": " + outcome.reason).c_str(),
          ::testing::TestPartResult::kSkip);
      return;
  }
}

Outcome QftpCase::as_precondition(Outcome outcome) {
  if (outcome.verdict == Verdict::fail)
    return inconclusive("precondition not established: " + outcome.reason);
  return outcome;
}

void QftpCase::note(const std::string& text) {
  suite().context().notes.push_back(elide_text(text));
}

Step<Response> QftpCase::at(std::string_view line, std::optional<Ms> timeout) {
  auto r = te().command(line, timeout);
  if (!r) return fail(r.error());
  return std::move(r).value();
}

Step<Response> QftpCase::at_expect(std::string_view line, FinalKind expected,
                                   std::optional<Ms> timeout) {
  auto r = at(line, timeout);
  if (!r.ok()) return r;
  if (!r.value().is(expected)) {
    return fail("\"" + std::string(line) + "\" answered \"" + r.value().describe() +
                "\", expected " + std::string(final_kind_name(expected)));
  }
  return r;
}

void QftpCase::check_style(const Field& field) {
  const bool declared = pixit().spaced_urcs.count(field.name) != 0;
  if (field.spaced == declared) return;
  const std::string text = "ruling 2: the DUT wrote \"" + printable(field.line.text) + "\" " +
                           (field.spaced ? "with" : "without") +
                           " a space after the colon; the profile declares " +
                           (declared ? "one" : "none") + " for " + field.name;
  if (suite().options().strict_format) {
    ADD_FAILURE() << text << " (--strict-format)";
  } else {
    note(text);
  }
}

Step<Field> QftpCase::urc(std::string_view name, std::optional<Ms> timeout) {
  auto f = te().wait_urc(name, timeout.value_or(urc_timeout()));
  if (!f) return fail(f.error());
  check_style(f.value());
  return std::move(f).value();
}

Step<Field> QftpCase::urc_of(std::string_view line, std::string_view name,
                             std::optional<Ms> timeout) {
  if (auto st = send_raw(std::string(line) + "\r"); !st.ok()) return st.outcome();
  auto f = urc(name, timeout);
  if (!f.ok()) return f;
  // Its echo and OK, if any, arrived before the URC and are of no interest here.
  const std::string echo(line);
  te().discard_queued([&](const Line& l) { return l.text == echo || l.text == "OK"; });
  return f;
}

Step<Field> QftpCase::urc_any(const std::vector<std::string>& names, std::optional<Ms> timeout) {
  const auto field_of = [&](const Line& l) -> std::optional<Field> {
    for (const auto& n : names) {
      if (auto f = parse_field(l, n)) return f;
    }
    return std::nullopt;
  };
  auto line = te().await_line([&](const Line& l) { return field_of(l).has_value(); },
                              timeout.value_or(urc_timeout()));
  if (!line) return fail("no URC of the expected kinds: " + line.error());
  auto f = *field_of(line.value());
  check_style(f);
  return f;
}

Done QftpCase::expect_urc(std::string_view name, std::string_view value,
                          std::optional<Ms> timeout) {
  auto f = urc(name, timeout);
  if (!f.ok()) return f.outcome();
  if (f.value().value != value) {
    return fail("expected " + std::string(name) + ":" + std::string(value) +
                ", the DUT answered \"" + printable(f.value().line.text) + "\"");
  }
  return {};
}

Step<Field> QftpCase::info_field(const Response& r, std::string_view name) {
  for (const auto& l : r.info) {
    if (auto f = parse_field(l, name)) {
      // Ruling 2 covers URCs and, by name, the information text of AT+QFTPSTAT and AT+QFTPLEN;
      // test and read forms are written as the spec shows them.
      if (name == "+QFTPSTAT" || name == "+QFTPLEN") check_style(*f);
      return *f;
    }
  }
  return fail("\"" + r.command + "\" gave no " + std::string(name) + " line: \"" + r.describe() +
              "\"");
}

Done QftpCase::send_raw(std::string_view bytes) {
  if (auto st = te().send(bytes); !st) return fail(st.error());
  return {};
}

Done QftpCase::send_escape() {
  if (auto st = te().send_escape(); !st) return fail("cannot send the escape: " + st.error());
  return {};
}

Done QftpCase::send_after_guard(std::string_view bytes) {
  if (auto st = te().send_after_guard(bytes); !st)
    return fail("cannot send after the guard time: " + st.error());
  return {};
}

Done QftpCase::hang_up_host_link() {
  if (auto st = suite().hang_up_host_link(); !st) return harness_error("hang-up: " + st.error());
  return {};
}

Step<Response> QftpCase::response_to(std::string_view command, std::optional<Ms> timeout) {
  auto r = te().read_response(command, timeout.value_or(command_timeout()));
  if (!r) return fail(r.error());
  return std::move(r).value();
}

Step<Line> QftpCase::next_line(std::optional<Ms> timeout) {
  auto line =
      te().await_line([](const Line&) { return true; }, timeout.value_or(command_timeout()));
  if (!line) return fail("the DUT sent nothing more: " + line.error());
  return std::move(line).value();
}

Step<Line> QftpCase::await_text(std::string_view text, std::optional<Ms> timeout) {
  const std::string wanted(text);
  auto line = te().await_line([&](const Line& l) { return l.text == wanted; },
                              timeout.value_or(urc_timeout()));
  if (!line) return fail("no \"" + wanted + "\": " + line.error());
  return std::move(line).value();
}

Step<const DutIdentity*> QftpCase::power_on(std::string_view what) {
  const DutIdentity& id = suite().identity();
  if (id.initial_state != "IDLE") {
    return inconclusive("the DUT had a host before the suite (AT+QFTPSTAT: " + id.initial_state +
                        "): " + std::string(what) + " cannot be seen");
  }
  return &id;
}

Step<std::string> QftpCase::stat() {
  auto r = at_expect("AT+QFTPSTAT", FinalKind::ok);
  if (!r.ok()) return r.outcome();
  auto f = info_field(r.value(), "+QFTPSTAT");
  if (!f.ok()) return f.outcome();
  return f.value().value;
}

Step<Field> QftpCase::query_cfg(int type) {
  const std::string line = "AT+QFTPCFG=" + std::to_string(type);
  if (auto r = at_expect(line, FinalKind::ok); !r.ok()) return r.outcome();
  return urc("+QFTPCFG");
}

Done QftpCase::expect_error(std::string_view line) {
  if (auto r = at_expect(line, FinalKind::error); !r.ok()) return r.outcome();
  return expect_quiet(line);
}

Done QftpCase::expect_quiet(std::string_view after_what) {
  auto r = at("AT");
  if (!r.ok()) return r.outcome();
  std::string extra;
  for (const auto& l : r.value().info) extra += (extra.empty() ? "" : " | ") + printable(l.text);
  for (const auto& l : te().take_queued())
    extra += (extra.empty() ? "" : " | ") + printable(l.text);
  if (!r.value().is(FinalKind::ok)) extra += " | AT answered " + r.value().final.text;
  if (!extra.empty())
    return fail("unexpected output after " + std::string(after_what) + ": \"" + extra + "\"");
  return {};
}

std::string QftpCase::open_command() {
  return "AT+QFTPOPEN=" + quote(ftp_host()) + "," + std::to_string(ftp_port());
}

Done QftpCase::set_account() {
  if (auto r = at_expect("AT+QFTPUSER=" + quote(pixit().user), FinalKind::ok); !r.ok())
    return r.outcome();
  if (auto r = at_expect("AT+QFTPPASS=" + quote(pixit().password), FinalKind::ok); !r.ok())
    return r.outcome();
  return {};
}

Done QftpCase::open_session() {
  if (auto st = set_account(); !st.ok()) return st;
  if (auto r = at_expect(open_command(), FinalKind::ok); !r.ok()) return r.outcome();
  return expect_urc("+QFTPOPEN", "0");
}

Done QftpCase::close_session() {
  if (auto r = at_expect("AT+QFTPCLOSE", FinalKind::ok); !r.ok()) return r.outcome();
  return expect_urc("+QFTPCLOSE", "0");
}

Done QftpCase::set_cfg(int type, std::string_view value) {
  const std::string line = "AT+QFTPCFG=" + std::to_string(type) + "," + std::string(value);
  if (auto r = at_expect(line, FinalKind::ok); !r.ok()) return r.outcome();
  return expect_urc("+QFTPCFG", "0");
}

Done QftpCase::set_path(std::string_view path) {
  if (auto r = at_expect("AT+QFTPPATH=" + quote(path), FinalKind::ok); !r.ok()) return r.outcome();
  return expect_urc("+QFTPPATH", "0");
}

Done QftpCase::expect_connect(std::string_view urc_name) {
  const std::string name(urc_name);
  auto connect = te().await_line(
      [&](const Line& l) { return l.text == "CONNECT" || parse_field(l, name).has_value(); },
      transfer_timeout());
  if (!connect) return fail("no CONNECT: " + connect.error());
  if (connect->text != "CONNECT") {
    return fail("the transfer ended without CONNECT: \"" + printable(connect->text) + "\"");
  }
  return {};
}

Step<QftpCase::Download> QftpCase::get_com(std::string_view name,
                                           std::optional<std::size_t> size) {
  if (auto r = at_expect("AT+QFTPGET=" + quote(name), FinalKind::ok); !r.ok()) return r.outcome();
  if (auto st = expect_connect("+QFTPGET"); !st.ok()) return st.outcome();
  auto data = size ? te().read_exactly(*size, transfer_timeout())
                   : te().read_until("+QFTPGET:", transfer_timeout());
  if (!data) return fail("download through the UART: " + data.error());
  Download d;
  d.data = std::move(data).value();
  // The URC is framed like any line: its <CR><LF> is not part of the file.
  if (!size && d.data.size() >= 2 && d.data.compare(d.data.size() - 2, 2, "\r\n") == 0)
    d.data.resize(d.data.size() - 2);
  auto f = urc("+QFTPGET", transfer_timeout());
  if (!f.ok()) return f.outcome();
  d.result = std::move(f.value());
  return d;
}

Step<Field> QftpCase::get_result(std::string_view name) {
  if (auto r = at_expect("AT+QFTPGET=" + quote(name), FinalKind::ok); !r.ok()) return r.outcome();
  // The URC is framed, so it starts a line; the file bytes before it are of no interest here.
  auto before = te().read_until("+QFTPGET:", transfer_timeout());
  if (!before) return fail("AT+QFTPGET gave no +QFTPGET: " + before.error());
  return urc("+QFTPGET", transfer_timeout());
}

Step<Field> QftpCase::put_com(std::string_view name, std::string_view data,
                              std::optional<int> time_s) {
  std::string line = "AT+QFTPPUT=" + quote(name) + "," + std::to_string(data.size());
  if (time_s) line += "," + std::to_string(*time_s);
  if (auto r = at_expect(line, FinalKind::ok); !r.ok()) return r.outcome();
  if (auto st = expect_connect("+QFTPPUT"); !st.ok()) return st.outcome();
  if (auto st = te().send(data); !st) return fail("upload data: " + st.error());
  return urc("+QFTPPUT", transfer_timeout());
}

Step<QftpCase::AfterEscape> QftpCase::settle_after_escape(std::string_view urc_name,
                                                          std::string_view rest_of_upload) {
  auto r = at("ATO", transfer_timeout());
  if (!r.ok()) return r.outcome();
  AfterEscape after;
  if (r.value().is(FinalKind::no_carrier)) {
    note("ruling 6: after the escape ATO answered NO CARRIER (the transfer ended)");
  } else if (r.value().is(FinalKind::connect)) {
    note(
        "ruling 6: after the escape ATO answered CONNECT (the transfer was suspended and resumes)");
    after.resumed = true;
    if (!rest_of_upload.empty()) {
      if (auto st = te().send(rest_of_upload); !st) return fail("resumed upload: " + st.error());
    } else {
      auto rest = te().read_until(std::string(urc_name) + ":", transfer_timeout());
      if (!rest) return fail("resumed download: " + rest.error());
      after.data_after = std::move(rest).value();
      if (after.data_after.size() >= 2 &&
          after.data_after.compare(after.data_after.size() - 2, 2, "\r\n") == 0) {
        after.data_after.resize(after.data_after.size() - 2);
      }
    }
  } else {
    return fail("ATO after the escape answered \"" + r.value().describe() +
                "\", expected NO CARRIER or CONNECT");
  }
  auto f = urc(urc_name, transfer_timeout());
  if (!f.ok()) return f.outcome();
  after.result = std::move(f.value());
  return after;
}

int QftpCase::hold_ms() {
  const Pixit& x = pixit();
  std::uint32_t limit = 0;
  for (const auto& t : {x.dut_connect_timeout_ms, x.dut_reply_timeout_ms}) {
    if (t && (limit == 0 || *t < limit)) limit = *t;
  }
  return limit == 0 ? 1000 : static_cast<int>(limit / 2);
}

Done QftpCase::make_local_file(std::string_view root, std::string_view name,
                               const std::string& content) {
  const std::string staging = "staging/" + std::string(name);
  if (auto st = server_file(staging, content); !st.ok()) return st;
  if (auto st = set_path("/staging"); !st.ok()) return st;
  if (auto st = set_cfg(4, quote(std::string(root) + std::string(name))); !st.ok()) return st;
  if (auto r = at_expect("AT+QFTPGET=" + quote(name), FinalKind::ok); !r.ok()) return r.outcome();
  auto f = urc("+QFTPGET", transfer_timeout());
  if (!f.ok()) return f.outcome();
  if (f.value().value != std::to_string(content.size())) {
    return fail("downloading " + std::string(name) + " into " + std::string(root) +
                " gave +QFTPGET:" + f.value().value);
  }
  if (auto st = set_cfg(4, "\"/COM/\""); !st.ok()) return st;
  return set_path("/");
}

Done QftpCase::verify_local_file(std::string_view root, std::string_view name,
                                 const std::string& content) {
  if (root == "/UFS/" && spawned_emulator()) {
    std::ifstream in(suite().emulator_ufs_dir() / std::string(name), std::ios::binary);
    if (!in) return fail("the emulator's UFS has no file " + std::string(name));
    std::stringstream text;
    text << in.rdbuf();
    if (text.str() != content) {
      return fail("UFS file " + std::string(name) + " has " + std::to_string(text.str().size()) +
                  " bytes that differ from the " + std::to_string(content.size()) + " expected");
    }
    return {};
  }
  std::error_code ec;
  std::filesystem::create_directories(suite().fixture()->root() / "verify", ec);
  if (auto st = set_path("/verify"); !st.ok()) return st;
  if (auto st = set_cfg(4, quote(std::string(root) + std::string(name))); !st.ok()) return st;
  if (auto r = at_expect("AT+QFTPPUT=" + quote(name) + ",0", FinalKind::ok); !r.ok())
    return r.outcome();
  auto f = urc("+QFTPPUT", transfer_timeout());
  if (!f.ok()) return f.outcome();
  if (auto st = set_cfg(4, "\"/COM/\""); !st.ok()) return st;
  if (auto st = set_path("/"); !st.ok()) return st;
  auto back = read_server_file("verify/" + std::string(name));
  if (!back.ok()) return back.outcome();
  if (back.value() != content) {
    return fail("local file " + std::string(root) + std::string(name) + " uploaded back as " +
                std::to_string(back.value().size()) + " bytes that differ from the " +
                std::to_string(content.size()) + " expected (+QFTPPUT:" + f.value().value + ")");
  }
  return {};
}

Done QftpCase::server_file(std::string_view path, const std::string& content) {
  const auto full =
      suite().fixture()->root() / std::filesystem::path(std::string(path)).relative_path();
  std::error_code ec;
  std::filesystem::create_directories(full.parent_path(), ec);
  std::ofstream out(full, std::ios::binary | std::ios::trunc);
  out << content;
  if (!out) return harness_error("cannot write " + full.string());
  return {};
}

Step<std::string> QftpCase::read_server_file(std::string_view path) {
  const auto full =
      suite().fixture()->root() / std::filesystem::path(std::string(path)).relative_path();
  std::ifstream in(full, std::ios::binary);
  if (!in) return fail("the server has no file " + std::string(path));
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

bool QftpCase::server_has(std::string_view path) {
  return std::filesystem::exists(suite().fixture()->root() /
                                 std::filesystem::path(std::string(path)).relative_path());
}

Step<int> QftpCase::fault(std::string_view directive) {
  auto id = suite().control()->set(directive);
  if (!id) return harness_error("fixture SET " + std::string(directive) + ": " + id.error());
  return id.value();
}

Step<std::vector<std::string>> QftpCase::ftp_commands() {
  auto log = suite().control()->log();
  if (!log) return harness_error("fixture LOG: " + log.error());
  std::vector<std::string> out;
  for (const auto& e : log.value()) {
    if (e.kind == "CMD") out.push_back(e.text);
  }
  return out;
}

Step<bool> QftpCase::server_saw_login() {
  auto log = suite().control()->log();
  if (!log) return harness_error("fixture LOG: " + log.error());
  for (const auto& e : log.value()) {
    if (e.kind == "REPLY" && e.text.rfind("230", 0) == 0) return true;
  }
  return false;
}

Step<std::size_t> QftpCase::server_sessions_within(Ms within) {
  auto open = suite().control()->await_sessions(0, within);
  if (!open) return harness_error("fixture AWAIT: " + open.error());
  return open.value();
}

Done QftpCase::network(std::string_view line) {
  if (!suite().has_network_control()) {
    return Outcome{Verdict::not_applicable,
                   "needs the emulator's network control (" + std::string(line) +
                       "); a real network offers no way to cause this on demand"};
  }
  auto r = suite().network_control(line);
  if (!r) return harness_error(r.error());
  return {};
}

}  // namespace qftp::harness
