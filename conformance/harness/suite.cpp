// suite.cpp: starting the fixture and the DUT once, probing the DUT's identity, and the reset that
// puts DUT and fixture back to a known state before each case (restarting a spawned emulator a case
// broke; a real DUT that stops answering makes the following cases errors, not a hang).
#include "harness/suite.h"

#include "te/bench.h"
#include "te/dut_lock.h"

#include "te/interruption.h"
#include "harness/te_vocabulary.h"

#include <system_error>

namespace qftp::harness {
namespace {

Suite* g_current = nullptr;

// The run's hold on a serial or TCP DUT: taken before anything starts and kept until the process
// ends, so that every reconnect of the link happens inside it.
std::optional<DutLock> g_dut_lock;

Status lock_dut(const DutSpec& dut) {
  if (g_dut_lock || dut.kind == DutSpec::Kind::emulator) return {};
  auto lock = DutLock::acquire(dut);
  if (!lock) return make_error(lock.error());
  g_dut_lock.emplace(std::move(lock).value());
  return {};
}

// The emulator control protocol (one line each way) for an emulator this process did not start.
Result<std::string> control_request(std::uint16_t port, std::string_view line, Ms timeout) {
  auto conn = DutLink::connect_tcp("127.0.0.1", port, timeout);
  if (!conn) return make_error("emulator control: " + conn.error());
  if (auto st = conn->send(std::string(line) + "\n", timeout); !st)
    return make_error("emulator control: " + st.error());
  auto reply = conn->read_until("\n", timeout);
  if (!reply) return make_error("emulator control: " + reply.error());
  std::string text = std::move(reply).value();
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
  return text;
}

std::string join_info(const Response& r) {
  std::string out;
  for (const auto& l : r.info) out += (out.empty() ? "" : " / ") + l.text;
  return out;
}

}  // namespace

Suite::Suite(SuiteOptions options) : options_(std::move(options)) {
  g_current = this;
}

Suite::~Suite() {
  if (g_current == this) g_current = nullptr;
}

Suite* Suite::current() {
  return g_current;
}

Status Suite::start() {
  started_once_ = true;
  started_ = Clock::now();
  auto st = lock_dut(options_.dut);
  if (st) st = start_fixture();
  if (st) st = start_dut();
  if (st) st = check_answers_at();
  if (!st) {
    setup_error_ = st.error();
    return st;
  }
  probe_identity();
  return {};
}

void Suite::SetUp() {
  if (!started_once_) (void)start();
}

Status Suite::check_answers_at() {
  TeSession& s = *session_;
  const Ms cmd(options_.profile.pixit.command_timeout_ms);
  std::string last;
  // A line half typed, or data mode left by an earlier run, may stand before the first answer: an
  // empty line, then the escape, clear both.
  for (int attempt = 1; attempt <= 3; ++attempt) {
    if (attempt == 2) (void)s.send("\r");
    if (attempt == 3) (void)s.send_escape();
    auto r = s.command("AT", cmd);
    if (r && r->is(FinalKind::ok)) {
      (void)s.take_queued();
      return {};
    }
    last = r ? "it answered " + r->describe() : r.error();
    if (s.broken() || interrupt_signal() != 0) break;
  }
  return make_error("the DUT (" + options_.dut.describe() + ") does not answer AT with OK within " +
                    std::to_string(cmd.count()) + " ms (the PIXIT's command_timeout_ms): " + last);
}

void Suite::TearDown() {
  session_.reset();
  if (emulator_) (void)emulator_->stop();
  emulator_.reset();
  control_.reset();
  if (fixture_) (void)fixture_->stop();
  fixture_.reset();
}

Status Suite::start_fixture() {
  FixtureOptions fo = fixture_options(options_.profile.pixit);
  fo.keep_work_dir = options_.keep_work_dirs;
  return te::start_fixture(fo, fixture_, control_);
}

Status Suite::recover_fixture(const std::string& why) {
  control_.reset();
  if (fixture_ && fixture_->running()) {
    auto control = fixture_->control();
    if (control && control->ping()) {
      context_.notes.push_back("harness: reconnected to the fixture's control (" + why + ")");
      control_.emplace(std::move(control).value());
      return {};
    }
  }
  context_.notes.push_back("harness: restarting the fixture (" + why + ")");
  if (fixture_) (void)fixture_->stop();
  fixture_.reset();
  return start_fixture();
}

Status Suite::start_dut() {
  if (options_.dut.kind == DutSpec::Kind::emulator) {
    EmulatorOptions eo = emulator_options(options_.profile, options_.emulator_exe,
                                          options_.emulator_profile, options_.emulator_defects);
    eo.keep_work_dir = options_.keep_work_dirs;
    auto emu = EmulatorProcess::start(eo);
    if (!emu) return make_error("the emulator did not start: " + emu.error());
    emulator_.emplace(std::move(emu).value());
  }
  return connect_link();
}

Status Suite::connect_link() {
  session_.reset();
  auto link = open_link(options_.dut, emulator_ ? &*emulator_ : nullptr,
                        g_dut_lock ? &*g_dut_lock : nullptr);
  if (!link) return make_error(link.error());
  const TeSession::Options so = session_options(options_.profile.pixit);
  session_ = std::make_unique<TeSession>(std::move(link).value(), so);
  return {};
}

Status Suite::restart_emulator(const std::string& why) {
  ++restarts_;
  context_.notes.push_back("harness: restarting the emulator (" + why + ")");
  session_.reset();
  if (emulator_) (void)emulator_->stop();
  emulator_.reset();
  if (auto st = start_dut(); !st) return st;
  probe_identity();
  return {};
}

void Suite::probe_identity() {
  TeSession& s = *session_;
  // A line of junk may sit in a real modem's input buffer: the first AT clears it.
  (void)s.command("AT");
  if (auto r = s.command("ATI"); r && r->is(FinalKind::ok)) identity_.ati = join_info(r.value());
  if (auto r = s.command("AT+GMR"); r && r->is(FinalKind::ok)) identity_.gmr = join_info(r.value());
  if (auto r = s.command("AT+GSN"); r && r->is(FinalKind::ok)) identity_.gsn = join_info(r.value());
  if (auto r = s.command("AT+QFTPSTAT"); r && r->is(FinalKind::ok)) {
    for (const auto& l : r->info) {
      if (auto f = parse_field(l, "+QFTPSTAT")) identity_.initial_state = f->value;
    }
  }
  for (const char* name : {"+CREG", "+CLIP", "+COLP"}) {
    auto r = s.command(std::string("AT") + name + "?");
    if (!r || !r->is(FinalKind::ok)) continue;
    for (const auto& l : r->info) {
      if (auto f = parse_field(l, name))
        identity_.initial_settings[name] = f->value.substr(0, f->value.find(','));
    }
  }
  for (int type = 1; type <= 4; ++type) {
    auto r = s.command("AT+QFTPCFG=" + std::to_string(type));
    if (!r || !r->is(FinalKind::ok)) continue;
    if (auto f = s.wait_urc("+QFTPCFG", Ms(options_.profile.pixit.urc_timeout_ms))) {
      identity_.initial_cfg[type] = f->value;
    }
  }
  (void)s.take_queued();
  check_profile_matches();
}

void Suite::check_profile_matches() {
  // A qftp-emu started by hand identifies itself with the identity of the profile it was started
  // with (its IMEI is one of the shipped profiles'); a model or revision other than this profile's
  // means it runs another profile, and the verdicts would be about that one.
  if (emulator_ || identity_.gsn.empty()) return;
  const EmulatorIdentity& want = options_.profile.emulator;
  static const std::set<std::string, std::less<>> kShippedEmulatorImeis = {"861234567890123",
                                                                           "861234567890124"};
  if (kShippedEmulatorImeis.count(identity_.gsn) == 0 && identity_.gsn != want.imei) return;
  const bool same = identity_.ati.find(want.model) != std::string::npos &&
                    identity_.gmr.find(want.revision) != std::string::npos &&
                    identity_.gsn == want.imei;
  if (same) return;
  warnings_.push_back("the DUT looks like a qftp-emu running another profile: it reports \"" +
                      identity_.ati + "\" / \"" + identity_.gmr + "\" / " + identity_.gsn +
                      ", the profile \"" + options_.profile.name + "\" declares " + want.model +
                      " / " + want.revision + " / " + want.imei +
                      "; start it with the profile `qftp-conformance --write-emulator-profile FILE` "
                      "writes from this one");
}

std::optional<std::string> Suite::host_link_hangup_unavailable() const {
  const Profile& p = options_.profile;
  if (!p.pics.host_link_hangup) {
    return "the PICS does not declare that the DUT acts on its host link's end (host_link_hangup)";
  }
  if (!p.pixit.hangup_hold_ms) {
    return "the bench cannot end the host link as a DTR drop: no hangup_hold_ms in the PIXIT "
           "(docs/bench-guide.md)";
  }
  if (options_.dut.kind == DutSpec::Kind::serial && session_ && session_->link() != nullptr) {
    if (auto st = session_->link()->has_dtr(); !st) {
      return "the serial device " + options_.dut.device + " cannot drop DTR: " + st.error();
    }
  }
  return std::nullopt;
}

Status Suite::hang_up_host_link() {
  if (auto why = host_link_hangup_unavailable()) return make_error(*why);
  // What the TE sent must have reached the modem before its link ends. A serial server (ser2net)
  // flushes the device it closes once its output queue is empty; a UART's queue empties only as
  // the modem takes the bytes, but the pty of an emulator behind it has no queue, so the bytes
  // the emulator had not read yet would go. The emulator control says when it has them all.
  if (has_network_control() && session_->link() != nullptr) {
    const std::uint64_t sent = session_->link()->sent_bytes();
    if (auto st = network_control("HOST " + std::to_string(sent)); !st)
      return make_error("before the hang-up, the emulator did not confirm the TE's " +
                        std::to_string(sent) + " bytes: " + st.error());
  }
  const Ms hold(*options_.profile.pixit.hangup_hold_ms);
  return session_->relink([&](std::optional<DutLink>& link) {
    return hang_up_link(link, options_.dut, emulator_ ? &*emulator_ : nullptr,
                        g_dut_lock ? &*g_dut_lock : nullptr, hold);
  });
}

bool Suite::has_network_control() const {
  return emulator_.has_value() || options_.emulator_control.has_value();
}

Result<std::string> Suite::network_control(std::string_view line) {
  Result<std::string> reply = make_error("no emulator control");
  if (emulator_) {
    reply = emulator_->control(line);
  } else if (options_.emulator_control) {
    reply = control_request(*options_.emulator_control, line, Ms(5000));
  }
  if (reply && reply->substr(0, 2) != "OK")
    return make_error("emulator control refused \"" + std::string(line) + "\": " + reply.value());
  return reply;
}

std::filesystem::path Suite::emulator_ufs_dir() const {
  return emulator_ ? emulator_->ufs_dir() : std::filesystem::path();
}

Status Suite::reset_dut() {
  TeSession& s = *session_;
  const Pixit& x = options_.profile.pixit;
  const Ms cmd(x.command_timeout_ms);
  const Ms urc(x.urc_timeout_ms);
  s.set_numeric(false);
  (void)s.take_queued();
  // AT&F restores echo, verbose and shown result codes; its OK may come in either form.
  const auto factory = [&]() -> Status {
    if (auto st = s.send("AT&F\r"); !st) return st;
    auto ok = s.await_line([](const Line& l) { return l.text == "OK" || l.text == "0"; }, cmd);
    if (!ok) return make_error(ok.error());
    return {};
  };
  if (!factory()) {
    // Left in data mode, or a line half typed: the escape, then try again.
    if (s.broken()) return make_error(s.broken_reason());
    (void)s.send("\r");
    (void)s.send_escape();
    (void)s.await_line([](const Line& l) { return l.text == "OK"; }, Ms(x.guard_ms) * 2 + cmd);
    if (auto st = factory(); !st) return make_error("the DUT does not answer AT&F: " + st.error());
  }
  // The close's OK is not required here (a DUT that omits it fails the cases about it, not every
  // case); its URC is, and a transfer it aborts reports first.
  auto close = [&]() -> Result<Field> {
    if (auto st = s.send("AT+QFTPCLOSE\r"); !st) return make_error(st.error());
    return s.wait_urc("+QFTPCLOSE", std::max(urc, Ms(x.transfer_timeout_ms)));
  };
  auto closed = close();
  if (closed && closed->value == "-3") {
    // Busy opening: let the open end, then close again.
    (void)s.wait_urc("+QFTPOPEN", urc);
    closed = close();
  }
  if (!closed) return make_error("AT+QFTPCLOSE did not end with +QFTPCLOSE: " + closed.error());
  if (auto r = s.command("AT"); !r || !r->is(FinalKind::ok)) {
    return make_error("the DUT does not answer AT after AT+QFTPCLOSE");
  }
  const std::string cfgs[] = {"AT+QFTPCFG=1,1", "AT+QFTPCFG=2,0", "AT+QFTPCFG=3,0",
                              "AT+QFTPCFG=4,\"/COM/\""};
  for (const auto& line : cfgs) {
    auto r = s.command(line);
    if (!r || !r->is(FinalKind::ok))
      return make_error("cannot restore the default: " + line +
                        (r ? ": " + r->describe() : ": " + r.error()));
    auto u = s.wait_urc("+QFTPCFG", urc);
    if (!u || u->value != "0")
      return make_error("cannot restore the default: " + line +
                        (u ? " gave " + u->value : ": " + u.error()));
  }
  for (const auto& line :
       {"AT+QFTPUSER=\"" + x.user + "\"", "AT+QFTPPASS=\"" + x.password + "\""}) {
    auto r = s.command(line);
    if (!r || !r->is(FinalKind::ok)) return make_error("cannot restore " + line);
  }
  (void)s.take_queued();
  return {};
}

void Suite::stop_run(RunStop why, std::string reason) {
  if (run_stop_ != RunStop::none) return;
  run_stop_ = why;
  run_stop_reason_ = std::move(reason);
}

std::optional<Outcome> Suite::harness_cause() const {
  if (const int signal = interrupt_signal(); signal != 0)
    return harness_error(std::string("the run was interrupted by ") + signal_name(signal));
  if (session_ && session_->watchdog_fired()) return harness_error(session_->watchdog_reason());
  if (session_ && session_->broken() && !session_->flooded())
    return harness_error(session_->broken_reason());
  return std::nullopt;
}

void Suite::arm_watchdog(Ms extra) {
  if (!session_) return;
  const Ms limit = Ms(options_.profile.pixit.case_timeout_ms) + extra;
  auto deadline = Clock::now() + limit;
  std::string reason = "the case watchdog fired: the case ran longer than " +
                       std::to_string(limit.count()) + " ms (the PIXIT's case_timeout_ms" +
                       (extra.count() > 0 ? " and the case's own wait)" : ")");
  if (options_.run_deadline && *options_.run_deadline < deadline) {
    deadline = *options_.run_deadline;
    reason = "the run deadline (--run-timeout) passed during the case";
  }
  session_->set_case_deadline(deadline, std::move(reason));
}

void Suite::disarm_watchdog() {
  if (session_) session_->clear_case_deadline();
}

Status Suite::reset_with_retries() {
  std::string last;
  for (int attempt = 1; attempt <= std::max(1, options_.max_failed_resets); ++attempt) {
    if (!session_ || session_->broken()) {
      const std::string why = session_ ? session_->broken_reason() : "no link";
      if (auto st = connect_link(); !st) {
        last = st.error();
        continue;
      }
      context_.notes.push_back("harness: reconnected to the DUT (" + why + ")");
    }
    auto st = reset_dut();
    if (st) return {};
    last = st.error();
    if (interrupt_signal() != 0) break;
    if (emulator_) {
      // A spawned emulator that a case broke is replaced; that is the harness's own business.
      if (auto again = restart_emulator(last); !again) return again;
      if (auto again = reset_dut(); !again)
        return make_error("cannot reset the restarted emulator: " + again.error());
      return {};
    }
    context_.notes.push_back("harness: reset " + std::to_string(attempt) + " failed: " + last);
  }
  if (const int signal = interrupt_signal(); signal != 0) {
    stop_run(RunStop::interrupted, std::string("interrupted by ") + signal_name(signal));
    return make_error(run_stop_reason_);
  }
  // A link that cannot be made again is lost under the harness; a link that works to a DUT that
  // does not answer is the DUT's doing.
  const bool link = !session_ || session_->broken();
  stop_run(link ? RunStop::link_lost : RunStop::dut_not_answering,
           (link ? "the link to the DUT is lost: " : "the DUT stopped answering: ") +
               std::to_string(options_.max_failed_resets) + " resets in a row failed; the last: " +
               last);
  return make_error(run_stop_reason_);
}

Status Suite::prepare_case() {
  if (!setup_error_.empty()) return make_error(setup_error_);
  if (run_stop_ != RunStop::none) return make_error(run_stop_reason_);
  if (const int signal = interrupt_signal(); signal != 0) {
    stop_run(RunStop::interrupted, std::string("interrupted by ") + signal_name(signal));
    return make_error(run_stop_reason_);
  }
  if (options_.run_deadline && Clock::now() >= *options_.run_deadline) {
    stop_run(RunStop::deadline, "the run deadline (--run-timeout) passed");
    return make_error(run_stop_reason_);
  }
  // Faults first: a DELAY or REFUSE left by the previous case must not slow or break the clean-up.
  if (auto st = control_->clear_all(); !st) {
    if (auto again = recover_fixture(st.error()); !again)
      return make_error("the FTP fixture: " + again.error());
    if (auto retry = control_->clear_all(); !retry)
      return make_error("the FTP fixture's control: " + retry.error());
  }
  if (emulator_ && !emulator_->running()) {
    const auto status = emulator_->wait_exit(Ms(0));
    if (auto st = restart_emulator("it ended" +
                                   (status ? " (" + status->describe() + ")" : std::string()));
        !st) {
      return st;
    }
  }
  if (has_network_control()) {
    if (auto st = network_control("RESET"); !st) return make_error(st.error());
  }
  if (auto st = reset_with_retries(); !st) return st;
  if (emulator_) {
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(emulator_->ufs_dir(), ec)) {
      std::filesystem::remove_all(entry.path(), ec);
    }
  }
  if (auto st = control_->reset(); !st)
    return make_error("the FTP fixture's control: " + st.error());
  return {};
}

}  // namespace qftp::harness
