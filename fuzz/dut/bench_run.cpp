// bench_run.cpp: a case on the bench, step by step on the DUT and its twin, then the oracles.
#include "bench_run.h"

#include <algorithm>
#include <array>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <map>
#include <thread>
#include <utility>

#include "core/common/printable.h"
#include "core/modem/service_state.h"
#include "te/bench.h"
#include "testing/transcript.h"

namespace qftp::dutfuzz {

using Clock = std::chrono::steady_clock;
using Ms = std::chrono::milliseconds;
using te::make_error;

namespace {

bool mentions(std::string_view bytes, std::string_view what) {
  std::string upper(bytes);
  std::transform(upper.begin(), upper.end(), upper.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return upper.find(what) != std::string::npos;
}

// A transfer's final URC with its count (+QFTPPUT:<n>, +QFTPGET:<n>): the transfer is over.
// Refusals (-3 while another runs) are negative and say nothing about the running one.
bool transfer_ended(const Token& t) {
  if (t.kind != Token::Kind::urc) return false;
  if (t.text.rfind("+QFTPPUT:", 0) != 0 && t.text.rfind("+QFTPGET:", 0) != 0) return false;
  const std::string value = t.text.substr(9);
  return !value.empty() && value.find_first_not_of("0123456789") == std::string::npos;
}

// A step that cannot start a transfer or a path change: its command lines are queries of
// +QFTPSTAT, +QFTPLEN or AT alone, or it is the escape.
bool starts_nothing(const Step& st) {
  if (st.kind != Step::Kind::send) return false;
  std::string upper(st.bytes);
  std::transform(upper.begin(), upper.end(), upper.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  for (const char* query : {"QFTPSTAT", "QFTPLEN"}) {
    for (auto at = upper.find(query); at != std::string::npos; at = upper.find(query)) {
      upper.erase(at, std::string_view(query).size());
    }
  }
  return upper.find("QFTP") == std::string::npos && upper.find("A/") == std::string::npos;
}

std::optional<modem::ServiceState> state_named(std::string_view name) {
  using S = modem::ServiceState;
  for (const S s : {S::idle, S::opening, S::opened, S::working, S::transfer, S::closing, S::closed}) {
    if (modem::state_name(s) == name) return s;
  }
  return std::nullopt;
}

// `to` can follow `from` through changes of the given causes (several at most).
bool reachable(modem::ServiceState from, modem::ServiceState to,
               std::initializer_list<modem::Cause> causes) {
  constexpr unsigned kN = modem::kServiceStates;
  std::array<bool, kN> seen{};
  std::vector<unsigned> todo{static_cast<unsigned>(from)};
  seen[static_cast<unsigned>(from)] = true;
  while (!todo.empty()) {
    const unsigned s = todo.back();
    todo.pop_back();
    for (unsigned t = 0; t < kN; ++t) {
      if (seen[t]) continue;
      for (const auto cause : causes) {
        if (modem::legal_change(cause, static_cast<modem::ServiceState>(s),
                                static_cast<modem::ServiceState>(t))) {
          seen[t] = true;
          todo.push_back(t);
          break;
        }
      }
    }
  }
  return seen[static_cast<unsigned>(to)];
}

bool framed_before(const Token& t) {
  return t.before.size() >= 2 && t.before.compare(t.before.size() - 2, 2, "\r\n") == 0;
}

std::string token_text(const Token& t) {
  // +QFTPSTAT's value depends on when it is asked; the state oracle judges it.
  if (t.text.rfind("+QFTPSTAT:", 0) == 0) return "+QFTPSTAT:*";
  return t.text;
}

// The same lines (ruling 2's spacing aside) with the same framing.
bool same_answer(std::string_view dut, std::string_view twin) {
  std::vector<Token> a;
  std::vector<Token> b;
  tokenize(dut, 0, a);
  tokenize(twin, 0, b);
  const auto strip = [](std::vector<Token>& v) {
    v.erase(std::remove_if(v.begin(), v.end(), [](const Token& t) { return t.text.empty(); }), v.end());
  };
  strip(a);
  strip(b);
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (a[i].text != b[i].text || framed_before(a[i]) != framed_before(b[i])) return false;
  }
  return true;
}

// An AT+QFTPOPEN in `bytes` naming another server than the fixture: the bench's network answers
// it (DNS, a refused or unreachable host), the reference's server model does not, so what follows
// cannot be compared.
bool foreign_open(std::string_view bytes, std::string_view host, std::string_view port) {
  std::string upper(bytes);
  std::transform(upper.begin(), upper.end(), upper.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  for (std::size_t at = upper.find("QFTPOPEN="); at != std::string::npos;
       at = upper.find("QFTPOPEN=", at + 1)) {
    std::string_view rest = bytes.substr(at + 9);
    rest = rest.substr(0, rest.find_first_of(";\r\n"));
    if (rest.empty() || rest.front() == '?') continue;
    std::string h;
    std::string p;
    std::size_t i = 0;
    while (i < rest.size() && rest[i] == ' ') ++i;
    if (i < rest.size() && rest[i] == '"') {
      const auto close = rest.find('"', i + 1);
      if (close == std::string_view::npos) continue;  // a format error: ERROR on both sides
      h = std::string(rest.substr(i + 1, close - i - 1));
      i = close + 1;
    } else {
      continue;
    }
    const auto comma = rest.find(',', i);
    if (comma == std::string_view::npos) continue;
    for (const char c : rest.substr(comma + 1)) {
      if (c >= '0' && c <= '9') p += c;
      if (c == ',') break;
    }
    while (p.size() > 1 && p.front() == '0') p.erase(0, 1);
    if (h != host || p != port) return true;
  }
  return false;
}

}  // namespace

std::string command_name(std::string_view line) {
  std::size_t at = 0;
  while (at + 1 < line.size() && !((line[at] == 'A' || line[at] == 'a') &&
                                   (line[at + 1] == 'T' || line[at + 1] == 't'))) {
    ++at;
  }
  if (at + 1 >= line.size()) return std::string(line.substr(0, 20));
  std::string name;
  std::size_t i = at + 2;
  if (i < line.size() && (line[i] == '+' || line[i] == '&')) {
    name += line[i++];
    while (i < line.size() && std::isalpha(static_cast<unsigned char>(line[i]))) {
      name += static_cast<char>(std::toupper(static_cast<unsigned char>(line[i++])));
    }
  } else if (i < line.size()) {
    name += static_cast<char>(std::toupper(static_cast<unsigned char>(line[i])));
  }
  return name.empty() ? "AT" : "AT" + name;
}

Bench::Bench(BenchOptions options) : options_(std::move(options)) {}

Bench::~Bench() {
  link_.reset();
  if (emulator_) (void)emulator_->stop();
  if (fixture_) (void)fixture_->stop();
}

te::Result<std::unique_ptr<Bench>> Bench::start(BenchOptions options) {
  std::unique_ptr<Bench> b(new Bench(std::move(options)));
  if (b->options_.dut.kind != te::DutSpec::Kind::emulator) {
    auto lock = te::DutLock::acquire(b->options_.dut);
    if (!lock) return make_error(lock.error());
    b->lock_.emplace(std::move(lock).value());
  }
  if (auto st = b->start_fixture(); !st) return make_error(st.error());
  if (auto st = b->start_dut(); !st) return make_error(st.error());
  const std::string text =
      b->options_.emulator_profile.empty()
          ? te::emulator_profile_text(b->options_.profile)
          : [&] {
              std::ifstream in(b->options_.emulator_profile);
              return std::string(std::istreambuf_iterator<char>(in), {});
            }();
  auto twin = Twin::create(text, b->options_.profile.pixit);
  if (!twin) return make_error(twin.error());
  b->twin_.emplace(std::move(twin).value());
  if (auto alive = b->probe_alive()) return make_error("the DUT does not answer AT: " + *alive);
  for (const char* line : {"ATI\r", "AT+GMR\r", "AT+GSN\r"}) {
    StepOut out;
    Step s;
    s.bytes = line;
    (void)b->link_->send(s.bytes);
    (void)b->collect(out, Ms(b->options_.profile.pixit.command_timeout_ms));
    std::vector<Token> tokens;
    tokenize(out.dut, 0, tokens);
    for (const auto& t : tokens) {
      if (t.kind == Token::Kind::text && !t.text.empty() && t.text + "\r" != line) {
        if (!b->identity_.empty()) b->identity_ += " ";
        b->identity_ += t.text;
      }
    }
  }
  b->twin_->restart();
  b->twin_synced_ = Clock::now();
  return b;
}

std::uint16_t Bench::fixture_port() const {
  return options_.profile.pixit.fixture_port != 0 ? options_.profile.pixit.fixture_port
                                                  : fixture_->ftp_port();
}

te::Status Bench::start_fixture() {
  return te::start_fixture(te::fixture_options(options_.profile.pixit), fixture_, control_);
}

te::Status Bench::start_dut() {
  if (options_.dut.kind == te::DutSpec::Kind::emulator) {
    te::EmulatorOptions eo = te::emulator_options(options_.profile, options_.emulator_exe,
                                                  options_.emulator_profile, options_.emulator_defects);
    if (options_.emulator_tcp) eo.transport = te::EmulatorOptions::Transport::tcp;
    eo.baud = options_.emulator_baud;
    auto emu = te::EmulatorProcess::start(eo);
    if (!emu) return make_error("the emulator did not start: " + emu.error());
    emulator_.emplace(std::move(emu).value());
  }
  return connect();
}

te::Status Bench::connect() {
  link_.reset();
  auto link = te::open_link(options_.dut, emulator_ ? &*emulator_ : nullptr, lock_ ? &*lock_ : nullptr);
  if (!link) return make_error(link.error());
  link_.emplace(std::move(link).value());
  return {};
}

// AT answered OK within the PIXIT's deadline, or why not.
std::optional<std::string> Bench::probe_alive() {
  if (!link_) return "no link";
  const Ms deadline(options_.profile.pixit.command_timeout_ms);
  if (auto st = link_->send("AT\r"); !st) return st.error();
  std::string got;
  const auto until = Clock::now() + deadline;
  while (Clock::now() < until) {
    auto some = link_->read_some(std::chrono::duration_cast<Ms>(until - Clock::now()));
    if (!some) return some.error();
    got += some.value();
    std::vector<Token> tokens;
    tokenize(got, 0, tokens);
    for (const auto& t : tokens) {
      if (t.kind == Token::Kind::final_result && (t.text == "OK" || t.text == "0")) return std::nullopt;
    }
  }
  return "no OK within " + std::to_string(deadline.count()) + " ms; received \"" +
         printable(got.substr(0, 200)) + "\"";
}

// Back to a known state after the DUT stopped answering or the twin lost track: the emulator is
// started again; a real DUT gets the escape and AT&F, then the --reset-cmd hook.
te::Status Bench::resync(const std::string& why) {
  dirty_ = true;
  twin_valid_ = true;
  if (control_) (void)control_->reset();
  if (options_.dut.kind == te::DutSpec::Kind::emulator) {
    // A fresh emulator: its local store and settings are the reference's again.
    link_.reset();
    if (emulator_) (void)emulator_->stop();
    emulator_.reset();
    if (auto st = start_dut(); !st) return make_error(why + "; restarting the emulator: " + st.error());
  } else {
    if (!link_ && !connect()) return make_error(why + "; the link cannot be opened again");
    if (probe_alive()) {
      std::this_thread::sleep_for(Ms(options_.profile.pixit.guard_ms + 100));
      (void)link_->send("+++");
      std::this_thread::sleep_for(Ms(options_.profile.pixit.guard_ms + 100));
      // S3 back to <CR> with each line end a case set, then the factory settings.
      for (const char end : line_ends_) (void)link_->send(std::string("ATS3=13") + end);
      (void)link_->send("\rAT&F\r");
      (void)link_->read_for(Ms(options_.profile.pixit.command_timeout_ms));
      if (probe_alive() && !options_.reset_cmd.empty()) {
        link_.reset();
        if (std::system(options_.reset_cmd.c_str()) != 0) {
          return make_error(why + "; --reset-cmd failed");
        }
        const auto until = Clock::now() + std::chrono::seconds(60);
        while (!connect() && Clock::now() < until) std::this_thread::sleep_for(Ms(500));
      }
    }
  }
  if (auto dead = probe_alive()) return make_error(why + "; the DUT does not answer AT again: " + *dead);
  (void)link_->read_for(Ms(options_.settle_ms));
  twin_->restart();
  twin_synced_ = Clock::now();
  return {};
}

std::string Bench::on_bench(std::string_view bytes) const {
  const te::Pixit& x = options_.profile.pixit;
  return transcript::substitute(std::string(bytes), {x.fixture_host, std::to_string(fixture_port()),
                                                     x.user, x.password, x.apn});
}

void Bench::sync_twin() {
  const auto now = Clock::now();
  const auto ms = std::chrono::duration_cast<Ms>(now - twin_synced_).count();
  if (ms > 0) {
    twin_->advance(static_cast<std::uint64_t>(ms));
    twin_synced_ += Ms(ms);
  }
}

te::Status Bench::send_both(const Step& step, StepOut& out) {
  if (step.pause_ms != 0) std::this_thread::sleep_for(Ms(step.pause_ms));  // the silence is input
  // Every S3 a line sets (ATS3=n), for the recovery of a DUT left with another line end.
  std::string upper(step.bytes);
  std::transform(upper.begin(), upper.end(), upper.begin(),
                 [](unsigned char ch) { return static_cast<char>(std::toupper(ch)); });
  for (auto at = upper.find("S3="); at != std::string::npos; at = upper.find("S3=", at + 1)) {
    int v = 0;
    std::size_t i = at + 3;
    while (i < upper.size() && upper[i] >= '0' && upper[i] <= '9' && v < 1000) v = v * 10 + (upper[i++] - '0');
    if (i > at + 3 && v > 0 && v < 256 && v != 13) {
      const char end = static_cast<char>(v);
      if (std::find(line_ends_.begin(), line_ends_.end(), end) == line_ends_.end()) line_ends_.push_back(end);
    }
  }
  const auto one = [&](std::string_view bytes) -> te::Status {
    sync_twin();
    twin_->send(bytes);
    out.twin += twin_->take_output();
    bytes_sent_ += bytes.size();
    return link_->send(bytes);
  };
  if (step.gap_ms == 0) return one(step.bytes);
  for (std::size_t i = 0; i < step.bytes.size(); ++i) {
    if (i != 0) std::this_thread::sleep_for(Ms(step.gap_ms));
    if (auto st = one(std::string_view(step.bytes).substr(i, 1)); !st) return st;
  }
  return {};
}

// Reads the DUT's answer: as many lines as the twin wrote (up to `wait`), then until it is quiet
// for the settle time; the twin is kept at the same time throughout.
te::Status Bench::collect(StepOut& out, Ms wait) {
  const Ms settle(options_.settle_ms);
  for (int round = 0; round < 4; ++round) {
    sync_twin();
    out.twin += twin_->take_output();
    const std::size_t want = count_line_ends(out.twin);
    const auto until = Clock::now() + wait;
    while (count_line_ends(out.dut) < want && Clock::now() < until) {
      auto some = link_->read_some(std::chrono::duration_cast<Ms>(until - Clock::now()));
      if (!some) return make_error(some.error());
      out.dut += some.value();
    }
    for (;;) {
      auto some = link_->read_some(settle);
      if (!some) return make_error(some.error());
      if (some->empty()) break;
      out.dut += some.value();
      if (out.dut.size() > (std::size_t{4} << 20)) return make_error("the DUT floods the link");
    }
    sync_twin();
    std::string more = twin_->take_output();
    if (more.empty()) break;
    out.twin += more;
  }
  return {};
}

te::Status Bench::exec(const Step& step, StepOut& out, std::string& transcript) {
  const te::Pixit& x = options_.profile.pixit;
  transcript += "> " + describe(step) + "\n";
  switch (step.kind) {
    case Step::Kind::fault: {
      auto id = control_->set(step.text);
      if (!id) {
        transcript += "  (the fixture refused it: " + id.error() + ")\n";
        break;
      }
      // The fixture's clock and the reference's virtual one do not agree to the millisecond about
      // when an idle session or a delayed command is due: cases with such faults are judged by the
      // robustness oracles alone.
      const std::string keyword = step.text.substr(0, step.text.find(' '));
      if (!twin_->fault(step.text) || mentions(keyword, "IDLE") || mentions(keyword, "DELAY") ||
          mentions(keyword, "SLOW") || mentions(keyword, "STALL")) {
        twin_valid_ = false;
      }
      break;
    }
    case Step::Kind::reopen:
      if (auto st = connect(); !st) return st;
      break;
    case Step::Kind::server_file: {
      const std::string path = step.text.front() == '/' ? step.text : "/" + step.text;
      std::ofstream f(fixture_->root() / path.substr(1), std::ios::binary | std::ios::trunc);
      f << step.bytes;
      if (!f) return make_error("cannot write " + path + " under the fixture's root");
      twin_->put_server_file(path, step.bytes);
      break;
    }
    case Step::Kind::send: {
      Step sent = step;
      sent.bytes = on_bench(step.bytes);
      if (auto st = send_both(sent, out); !st) return st;
      break;
    }
  }
  if (auto st = collect(out, Ms(std::max(x.urc_timeout_ms, x.command_timeout_ms))); !st) return st;
  if (!out.dut.empty()) transcript += "< " + printable(out.dut) + "\n";
  if (out.twin != out.dut) transcript += "  reference: " + printable(out.twin) + "\n";
  return {};
}

// The state every case starts from: defaults, no session, a clean fixture. False: the DUT and the
// twin disagree already (the previous case left them apart).
te::Result<std::optional<Finding>> Bench::prologue(std::string& transcript) {
  std::vector<std::string> lines{"AT&F\r"};
  if (twin_->has_session() || dirty_) lines.push_back("AT+QFTPCLOSE\r");
  std::optional<Finding> differs;
  const auto check = [&](const Step& s, const StepOut& out) {
    if (differs || same_answer(out.dut, out.twin)) return;
    differs = Finding{"deviation", "deviation", 0, first_command(s),
                      "in the set-up before the case the DUT wrote \"" + printable(out.dut) +
                          "\" where the reference wrote \"" + printable(out.twin) + "\"", ""};
  };
  for (const auto& line : lines) {
    StepOut out;
    Step s;
    s.bytes = line;
    if (auto st = exec(s, out, transcript); !st) return make_error(st.error());
    check(s, out);
  }
  // Nothing may be under way when the case starts: no session left (an open the close met half
  // way), nothing more from the DUT than from the reference.
  {
    StepOut quiet;
    quiet.dut = link_->read_for(Ms(options_.settle_ms * 2));
    sync_twin();
    quiet.twin = twin_->take_output();
    if (!differs && (!same_answer(quiet.dut, quiet.twin) || twin_->has_session())) {
      differs = Finding{"deviation", "deviation", 0, "AT+QFTPCLOSE",
                        "in the set-up before the case, after AT+QFTPCLOSE, the DUT wrote \"" +
                            printable(quiet.dut) + "\" and the reference \"" + printable(quiet.twin) +
                            "\" (its service " + std::string(modem::state_name(twin_->state())) + ")",
                        ""};
    }
  }
  if (auto st = control_->reset(); !st) return make_error("the fixture's RESET: " + st.error());
  twin_->reset_server();
  if (dirty_) {
    const te::Pixit& x = options_.profile.pixit;
    for (const std::string& line :
         {std::string("AT+QFTPCFG=1,1\r"), std::string("AT+QFTPCFG=2,0\r"),
          std::string("AT+QFTPCFG=3,0\r"), std::string("AT+QFTPCFG=4,\"/COM/\"\r"),
          "AT+QFTPUSER=\"" + x.user + "\"\r", "AT+QFTPPASS=\"" + x.password + "\"\r"}) {
      StepOut out;
      Step s;
      s.bytes = line;
      if (auto st = exec(s, out, transcript); !st) return make_error(st.error());
      check(s, out);
    }
  }
  dirty_ = false;
  return differs;
}

te::Result<CaseRun> Bench::run(const Case& c) {
  CaseRun run;
  const std::size_t sent0 = bytes_sent_;
  std::string& tr = run.transcript;
  auto differs = prologue(tr);
  if (!differs || differs.value()) {
    // The case before left them apart, or the set-up itself shows a deviation: from a fresh
    // start, a disagreement again is a finding of the set-up's line.
    if (auto st = resync(differs ? "the reference and the DUT disagreed before the case"
                                 : differs.error());
        !st) {
      return make_error(st.error());
    }
    tr.clear();
    differs = prologue(tr);
    if (!differs) return make_error(differs.error());
    if (differs.value()) {
      run.findings.push_back(*differs.value());
      run.findings.back().signature = "set-up " + command_name(run.findings.back().first_command);
      run.bytes_sent = bytes_sent_ - sent0;
      if (auto st = resync("a deviation in the set-up"); !st) return make_error(st.error());
      return run;
    }
  }
  tr += "# the case\n";
  twin_valid_ = options_.differential;
  for (const auto& s : c.steps) {
    const std::string u = s.kind == Step::Kind::send ? s.bytes : "";
    if (mentions(u, "CFG") || mentions(u, "USER") || mentions(u, "PASS") || mentions(u, "ATS")) {
      dirty_ = true;
    }
  }

  std::vector<StepOut> outs;
  std::optional<Finding> link_finding;
  for (std::size_t i = 0; i < c.steps.size(); ++i) {
    outs.emplace_back();
    if (auto st = exec(c.steps[i], outs.back(), tr); !st) {
      link_finding = Finding{"link", "robustness", i, first_command(c.steps[i]), st.error(), ""};
      break;
    }
  }
  const std::size_t epilogue_from = outs.size();
  // Epilogue: out of data mode, results shown, then AT must answer OK (liveness).
  std::vector<Step> epilogue;
  if (!link_finding) {
    if (twin_->in_data_mode()) {
      Step esc;
      esc.bytes = "+++";
      esc.pause_ms = options_.profile.pixit.guard_ms + 100;
      epilogue.push_back(esc);
      Step after;  // the second guard time, then the line end that ends a half-typed line
      after.bytes = "\r";
      after.pause_ms = options_.profile.pixit.guard_ms + 100;
      epilogue.push_back(after);
    } else {
      Step cr;
      cr.bytes = "\r";
      epilogue.push_back(cr);
    }
    Step shown;
    shown.bytes = "ATQ0V1\r";
    epilogue.push_back(shown);
    Step at;
    at.bytes = "AT\r";
    epilogue.push_back(at);
    for (const auto& s : epilogue) {
      outs.emplace_back();
      if (auto st = exec(s, outs.back(), tr); !st) {
        link_finding = Finding{"link", "robustness", c.steps.size(), "epilogue", st.error(), ""};
        break;
      }
    }
  }
  run.bytes_sent = bytes_sent_ - sent0;
  if (link_finding) {
    run.findings.push_back(*link_finding);
  } else {
    judge(c, outs, epilogue_from, run);
  }

  if (emulator_ && !emulator_->running()) {
    run.findings.push_back({"reboot", "robustness", c.steps.size(), "epilogue",
                            "the emulator exited: " + emulator_->stderr_tail(400), ""});
  }
  // Liveness: the last epilogue step is AT; the DUT must have said OK to it.
  bool alive = false;
  if (!link_finding && !outs.empty()) {
    std::vector<Token> last;
    tokenize(outs.back().dut, 0, last);
    alive = std::any_of(last.begin(), last.end(), [](const Token& t) {
      return t.kind == Token::Kind::final_result && t.text == "OK";
    });
    std::vector<Token> twin_last;
    tokenize(outs.back().twin, 0, twin_last);
    const bool twin_alive = std::any_of(twin_last.begin(), twin_last.end(), [](const Token& t) {
      return t.kind == Token::Kind::final_result && t.text == "OK";
    });
    if (!alive && twin_alive) {
      // Where the DUT stopped answering: the last step after which it still said anything.
      std::size_t quiet_from = 0;
      for (std::size_t i = 0; i < std::min(outs.size(), c.steps.size()); ++i) {
        if (!outs[i].dut.empty()) quiet_from = i + 1;
      }
      const std::size_t at = std::min(quiet_from, c.steps.empty() ? 0 : c.steps.size() - 1);
      run.findings.push_back({"liveness", "robustness", at,
                              c.steps.empty() ? "epilogue" : first_command(c.steps[at]),
                              "AT got no OK within " +
                                  std::to_string(options_.profile.pixit.command_timeout_ms) +
                                  " ms after the case",
                              ""});
    }
  }
  for (auto& f : run.findings) {
    if (f.signature.empty()) f.signature = command_name(f.first_command);
  }
  if (!run.findings.empty() || !alive) {
    if (auto st = resync(run.findings.empty() ? "the case left the DUT without an answer"
                                              : run.findings.front().oracle);
        !st) {
      const std::string& t = run.transcript;
      return make_error(st.error() + "; the case:\n" + t.substr(t.size() > 3000 ? t.size() - 3000 : 0));
    }
  }
  return run;
}

void Bench::judge(const Case& c, const std::vector<StepOut>& outs, std::size_t epilogue_from,
                  CaseRun& run) {
  std::vector<std::string> dut_outs;
  std::vector<std::string> twin_outs;
  for (const auto& o : outs) {
    dut_outs.push_back(o.dut);
    twin_outs.push_back(o.twin);
  }
  const std::vector<Token> dut = tokenize_steps(dut_outs);
  const std::vector<Token> twin = tokenize_steps(twin_outs);
  const auto command_of = [&](std::size_t step) {
    if (step < c.steps.size()) return first_command(c.steps[step]);
    return std::string("epilogue");
  };
  const auto add = [&](std::string oracle, std::string kind, std::size_t step, std::string detail,
                       const Token* differs = nullptr) {
    Finding f{std::move(oracle), std::move(kind), std::min(step, c.steps.size()), command_of(step),
              std::move(detail), ""};
    // A final result, a URC or information text by its shape; other text (data, an echo) as such.
    std::string what;
    if (differs) {
      const bool shaped = differs->kind != Token::Kind::text ||
                          (!differs->text.empty() && differs->text.front() == '+');
      what = shaped ? " " + printable(shape(*differs)) : " text";
    }
    f.signature = command_name(f.first_command) + what;
    run.findings.push_back(std::move(f));
  };

  // Coverage proxy: response shapes, each after the one before, and the twin's states.
  std::string prev = "^";
  for (const auto& t : dut) {
    if (t.text.empty()) continue;
    const std::string s = shape(t);
    run.features.insert(prev + " > " + s);
    prev = s;
  }
  run.features.insert(std::string("state ") + std::string(modem::state_name(twin_->state())));

  // Reboot: start-up lines the reference did not write.
  for (const auto& t : dut) {
    if (t.kind == Token::Kind::startup) {
      add("reboot", "robustness", t.step, "the DUT wrote \"" + t.text + "\" (a restart)");
      return;
    }
  }

  // +QFTPSTAT: each answer must follow the one before by legal changes (service_state.h).
  std::optional<std::pair<modem::ServiceState, std::size_t>> last_stat;
  for (const auto& t : dut) {
    if (t.text.rfind("+QFTPSTAT:", 0) != 0) continue;
    const auto s = state_named(t.text.substr(10));
    if (!s) {
      add("state", "robustness", t.step, "an unknown state \"" + t.text + "\"");
      return;
    }
    if (last_stat) {
      bool only_queries = true;
      for (std::size_t k = last_stat->second + 1; k < t.step && k < c.steps.size(); ++k) {
        const auto& st = c.steps[k];
        if (st.kind != Step::Kind::send || !mentions(st.bytes, "QFTPSTAT")) only_queries = false;
      }
      const bool ok = only_queries
                          ? reachable(last_stat->first, *s, {modem::Cause::timer, modem::Cause::server,
                                                             modem::Cause::network})
                          : reachable(last_stat->first, *s,
                                      {modem::Cause::host, modem::Cause::timer,
                                       modem::Cause::server, modem::Cause::network});
      if (!ok) {
        add("state", "robustness", t.step,
            std::string("+QFTPSTAT went from ") + std::string(modem::state_name(last_stat->first)) +
                " to " + std::string(modem::state_name(*s)) + ", which no change allows");
        return;
      }
    }
    last_stat = std::make_pair(*s, t.step);
  }
  // +QFTPSTAT after a transfer's final URC, with nothing between that starts another, is no
  // longer WORKING or TRANSFER (spec 2.2.9: the final URC ends the transfer).
  std::optional<std::size_t> ended;
  for (const auto& t : dut) {
    if (transfer_ended(t)) ended = t.step;
    if (!ended || t.text.rfind("+QFTPSTAT:", 0) != 0) continue;
    const auto s = state_named(t.text.substr(10));
    bool quiet = true;
    for (std::size_t k = *ended; k <= t.step && k < c.steps.size(); ++k) quiet = quiet && starts_nothing(c.steps[k]);
    if (quiet && (s == modem::ServiceState::working || s == modem::ServiceState::transfer)) {
      add("state", "robustness", t.step, "+QFTPSTAT answered " + t.text.substr(10) + " after the transfer's final URC");
      return;
    }
  }

  if (!twin_valid_) return;
  // Lines up to and including a step that opens another server are compared; URCs before it.
  std::size_t cut = outs.size();
  for (std::size_t i = 0; i < c.steps.size(); ++i) {
    if (c.steps[i].kind == Step::Kind::send &&
        foreign_open(on_bench(c.steps[i].bytes), options_.profile.pixit.fixture_host,
                     std::to_string(fixture_port()))) {
      cut = i;
      break;
    }
  }

  // Differential: the lines in order (echo, information text, final results), with their framing.
  std::vector<const Token*> dl;
  std::vector<const Token*> tl;
  std::map<std::string, std::vector<const Token*>> du;
  std::map<std::string, std::vector<const Token*>> tu;
  const auto sort = [&](const std::vector<Token>& tokens, std::vector<const Token*>& lines,
                        std::map<std::string, std::vector<const Token*>>& urcs) {
    for (const auto& t : tokens) {
      if (t.text.empty()) continue;
      if (t.kind == Token::Kind::urc) {
        if (t.step < cut) urcs[t.text.substr(0, t.text.find(':'))].push_back(&t);
      } else if (t.step <= cut) {
        lines.push_back(&t);
      }
    }
  };
  sort(dut, dl, du);
  sort(twin, tl, tu);
  if (cut < outs.size()) {
    // After the foreign open only its own step's lines count: cut the later ones off both.
    const auto upto = [&](std::vector<const Token*>& v) {
      v.erase(std::remove_if(v.begin(), v.end(), [&](const Token* t) { return t->step > cut; }), v.end());
    };
    upto(dl);
    upto(tl);
  }
  for (std::size_t i = 0; i < std::max(dl.size(), tl.size()); ++i) {
    const Token* d = i < dl.size() ? dl[i] : nullptr;
    const Token* r = i < tl.size() ? tl[i] : nullptr;
    // After a foreign open the DUT's lines may end early: the rest of that step's answer can come
    // late, in a step no longer compared (a long echo on a loaded host).
    if (!d && cut < outs.size()) break;
    if (d && r && token_text(*d) == token_text(*r) && framed_before(*d) == framed_before(*r)) continue;
    const std::size_t step = r ? r->step : d->step;
    const std::string want = r ? "\"" + printable(r->text) + "\"" : "nothing more";
    const std::string got = d ? "\"" + printable(d->text) + "\"" : "nothing";
    const bool final_involved = (d && d->kind == Token::Kind::final_result) ||
                                (r && r->kind == Token::Kind::final_result);
    const Token* which = r ? r : d;
    if (d && r && token_text(*d) == token_text(*r)) {
      add("framing", "robustness", step,
          got + " came " + (framed_before(*d) ? "with" : "without") + " the <CR><LF> before it", which);
    } else if (final_involved && step >= epilogue_from) {
      add("framing", "robustness", step, "the DUT wrote " + got + " where the reference wrote " + want, which);
    } else {
      add("deviation", "deviation", step, "the DUT wrote " + got + " where the reference wrote " + want, which);
    }
    return;
  }
  for (const auto& [name, ref] : tu) {
    const auto& got = du[name];
    for (std::size_t i = 0; i < std::max(ref.size(), got.size()); ++i) {
      const Token* d = i < got.size() ? got[i] : nullptr;
      const Token* r = i < ref.size() ? ref[i] : nullptr;
      if (d && r && d->text == r->text && framed_before(*d) == framed_before(*r)) continue;
      const std::size_t step = r ? r->step : d->step;
      if (d && r && d->text == r->text) {
        add("framing", "robustness", step, "\"" + d->text + "\" came without <CR><LF> before it", r);
      } else {
        add("deviation", "deviation", step,
            "the DUT wrote " + (d ? "\"" + printable(d->text) + "\"" : std::string("no ") + name) +
                " where the reference wrote " + (r ? "\"" + printable(r->text) + "\"" : "none"),
            r ? r : d);
      }
      return;
    }
  }
  for (const auto& [name, got] : du) {
    if (!tu.count(name) && !got.empty()) {
      add("deviation", "deviation", got.front()->step,
          "the DUT wrote \"" + printable(got.front()->text) + "\", the reference no " + name,
          got.front());
      return;
    }
  }

  // No byte lost or added on the way to the server (uploads through /COM/ and the local store):
  // what the fixture holds is what the reference's server holds.
  if (cut < outs.size()) return;  // after another server's open the reference's server is no peer
  auto files = control_->files();
  if (!files) return;
  std::map<std::string, std::uint64_t> held;
  for (const auto& f : files.value()) {
    if (!f.is_dir) held[f.path.rfind('/', 0) == 0 ? f.path : "/" + f.path] = f.size;
  }
  const auto expected = twin_->server_files();
  if (held == expected) return;
  std::size_t put_step = c.steps.size();
  for (std::size_t i = 0; i < c.steps.size(); ++i) {
    if (c.steps[i].kind == Step::Kind::send && mentions(c.steps[i].bytes, "QFTPPUT")) put_step = i;
  }
  std::string detail = "the server holds";
  for (const auto& [path, size] : held) detail += " " + path + " (" + std::to_string(size) + " bytes)";
  detail += "; the reference's holds";
  for (const auto& [path, size] : expected) detail += " " + path + " (" + std::to_string(size) + " bytes)";
  add("invariant", "robustness", put_step, detail);
}

}  // namespace qftp::dutfuzz
