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

// Adds the time from its construction to its end to a figure of the TimeSplit.
class Timed {
 public:
  explicit Timed(double& into) : into_(into), t0_(Clock::now()) {}
  ~Timed() { into_ += std::chrono::duration<double>(Clock::now() - t0_).count(); }
  Timed(const Timed&) = delete;
  Timed& operator=(const Timed&) = delete;

 private:
  double& into_;
  Clock::time_point t0_;
};

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

// A command line as V.250 frames it and nothing else: "AT" or "at", printable characters, one
// <CR> at its end, well short of any line limit, sent at once. Such a line gets exactly one final
// result in command mode, whatever it asks.
// Bytes that go on after the end (<CR>) of a line naming AT+QFTPPUT or AT+QFTPGET, in one write.
bool runs_past_a_transfer_line(std::string_view bytes) {
  std::string upper(bytes);
  std::transform(upper.begin(), upper.end(), upper.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  for (const std::string_view name : {"QFTPPUT", "QFTPGET"}) {
    const auto at = upper.find(name);
    if (at == std::string::npos) continue;
    const auto end = upper.find('\r', at);
    if (end != std::string::npos && end + 1 < upper.size()) return true;
  }
  return false;
}

bool plain_line(const Step& s, std::string_view bytes) {
  if (s.kind != Step::Kind::send || s.gap_ms != 0) return false;
  if (bytes.size() < 3 || bytes.size() > 200 || bytes.back() != '\r') return false;
  if (bytes.substr(0, 2) != "AT" && bytes.substr(0, 2) != "at") return false;
  return std::all_of(bytes.begin(), bytes.end() - 1,
                     [](char c) { return c >= 0x20 && c <= 0x7e; });
}

// A plain line that may change how results are written or lines end: a basic V, Q, Z, &F or an
// S-register (outside quotes and extended commands).
bool changes_result_form(std::string_view line) {
  bool quoted = false;
  bool extended = false;
  for (std::size_t i = 2; i < line.size(); ++i) {
    const char c = static_cast<char>(std::toupper(static_cast<unsigned char>(line[i])));
    if (c == '"') quoted = !quoted;
    if (quoted) continue;
    if (c == ';') extended = false;
    if (c == '+') extended = true;
    if (extended) continue;
    if (c == '&' && i + 1 < line.size() && std::toupper(static_cast<unsigned char>(line[i + 1])) == 'F') {
      return true;
    }
    if (c == 'V' || c == 'Q' || c == 'Z' || c == 'S') return true;
  }
  return false;
}

// A final result in the given form: 'v' words, 'n' V0's digits.
bool final_in_form(const Token& t, char form) {
  return t.kind == Token::Kind::final_result && te::parse_final(t.text, form == 'n').has_value();
}

bool has_final(std::string_view out) {
  std::vector<Token> tokens;
  tokenize(out, 0, tokens);
  return std::any_of(tokens.begin(), tokens.end(),
                     [](const Token& t) { return t.kind == Token::Kind::final_result; });
}

// The number after "+NAME:" at `at` (a space after the colon allowed); nullopt when none.
std::optional<long long> number_after(std::string_view text, std::size_t at) {
  std::size_t i = text.find(':', at);
  if (i == std::string_view::npos) return std::nullopt;
  ++i;
  while (i < text.size() && text[i] == ' ') ++i;
  bool negative = false;
  if (i < text.size() && text[i] == '-') {
    negative = true;
    ++i;
  }
  long long v = 0;
  std::size_t digits = 0;
  while (i < text.size() && text[i] >= '0' && text[i] <= '9' && digits < 18) {
    v = v * 10 + (text[i++] - '0');
    ++digits;
  }
  if (digits == 0) return std::nullopt;
  return negative ? -v : v;
}

// The quoted name of a one-parameter AT+QFTPGET="name" line, or of AT+QFTPPUT="name",size,time:
// the transfers through /COM/ whose bytes the TE sees.
std::optional<std::string> com_transfer_name(std::string_view line, std::string_view command) {
  std::string upper(line);
  std::transform(upper.begin(), upper.end(), upper.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  const std::string head = "AT+" + std::string(command) + "=\"";
  if (upper.rfind(head, 0) != 0) return std::nullopt;
  const auto close = line.find('"', head.size());
  if (close == std::string_view::npos) return std::nullopt;
  const std::string name(line.substr(head.size(), close - head.size()));
  if (name.empty() || name.find('/') != std::string::npos || name.find(':') != std::string::npos) {
    return std::nullopt;
  }
  const std::string_view rest = line.substr(close + 1);
  if (command == "QFTPGET") {
    if (rest != "\r") return std::nullopt;
  } else {
    if (rest.empty() || rest.front() != ',' ||
        std::count(rest.begin(), rest.end(), ',') != 2 || rest.find('"') != std::string_view::npos) {
      return std::nullopt;
    }
  }
  return name;
}

// What a wrong value in a "+NAME: <n>" line is about, whichever oracle saw it: the name and which
// way the number is off ("+QFTPLEN value too high"). Empty when the lines are not two numbers of
// one name.
std::string value_subject(const std::string& name, long long got, long long want) {
  if (got == want) return "";
  return name + (got > want ? " value too high" : " value too low");
}

std::string value_subject(const Token* d, const Token* r) {
  if (d == nullptr || r == nullptr || r->text.empty() || r->text.front() != '+') return "";
  const auto colon = r->text.find(':');
  if (colon == std::string::npos || d->text.compare(0, colon + 1, r->text, 0, colon + 1) != 0) return "";
  const auto got = number_after(d->text, 0);
  const auto want = number_after(r->text, 0);
  if (!got || !want) return "";
  return value_subject(r->text.substr(0, colon), *got, *want);
}

bool framed(std::string_view before) {
  return before.size() >= 2 && before.compare(before.size() - 2, 2, "\r\n") == 0;
}

bool framed_before(const Token& t) {
  return framed(t.before);
}

// Two byte counts of the same transfer line (+QFTPLEN, +QFTPPUT, +QFTPGET), each a count rather
// than an error code.
bool both_counts(const Token& d, const Token& r) {
  const auto colon = r.text.find(':');
  if (colon == std::string::npos || d.text.compare(0, colon + 1, r.text, 0, colon + 1) != 0) return false;
  const std::string_view name = std::string_view(r.text).substr(0, colon);
  if (name != "+QFTPLEN" && name != "+QFTPPUT" && name != "+QFTPGET") return false;
  const auto got = number_after(d.text, 0);
  const auto want = number_after(r.text, 0);
  return got && want && *got >= 0 && *want >= 0;
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

// The same lines in order and the same URCs in order, whichever answer each came in: when a URC
// falls due between the host's lines is a matter of the bench's clocks.
bool same_in_order(std::string_view dut, std::string_view twin) {
  std::vector<Token> a;
  std::vector<Token> b;
  tokenize(dut, 0, a);
  tokenize(twin, 0, b);
  const auto part = [](const std::vector<Token>& v, bool urcs) {
    std::vector<std::string> out;
    for (const auto& t : v) {
      if (!t.text.empty() && (t.kind == Token::Kind::urc) == urcs) out.push_back(t.text);
    }
    return out;
  };
  return part(a, false) == part(b, false) && part(a, true) == part(b, true);
}

// An AT+QFTPOPEN in `bytes` naming another server than the fixture: the bench's network answers
// it (DNS, a refused or unreachable host), the reference's server model does not, so what follows
// cannot be compared.
bool foreign_open_in(std::string_view bytes, std::string_view host, std::string_view port) {
  std::string upper(bytes);
  std::transform(upper.begin(), upper.end(), upper.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  for (std::size_t at = upper.find("QFTPOPEN="); at != std::string::npos;
       at = upper.find("QFTPOPEN=", at + 1)) {
    std::string_view rest = bytes.substr(at + 9);
    // The command ends at the line's end or a ';' outside quotes: a host name may hold a ';'.
    std::size_t end = 0;
    for (bool quoted = false; end < rest.size(); ++end) {
      const char c = rest[end];
      if (c == '"') quoted = !quoted;
      if (c == '\r' || c == '\n' || (c == ';' && !quoted)) break;
    }
    rest = rest.substr(0, end);
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

// The same, on the line as a DUT's line editor leaves it: control characters other than the line
// ends dropped, a backspace taking the character before it.
bool foreign_open(std::string_view bytes, std::string_view host, std::string_view port) {
  std::string edited;
  for (const char c : bytes) {
    if (c == '\b') {
      if (!edited.empty()) edited.pop_back();
    } else if (static_cast<unsigned char>(c) >= 0x20 || c == '\r' || c == '\n') {
      edited += c;
    }
  }
  return foreign_open_in(edited, host, port);
}

// A +QFTPSTAT value: a state's name, or one followed by a single character (the S3 a case set
// ends the line with it).
std::optional<modem::ServiceState> stat_value(std::string_view value) {
  if (auto s = state_named(value)) return s;
  if (value.size() >= 2) return state_named(value.substr(0, value.size() - 1));
  return std::nullopt;
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
    // The twin is not asked (it is set up after): a quiet time ends the answer.
    (void)b->collect(out, Ms(b->options_.profile.pixit.command_timeout_ms), true);
    std::vector<Token> tokens;
    tokenize(out.dut, 0, tokens);
    for (const auto& t : tokens) {
      if (t.kind == Token::Kind::text && !t.text.empty() && t.text + "\r" != line) {
        if (!b->identity_.empty()) b->identity_ += " ";
        b->identity_ += t.text;
      }
    }
  }
  b->restart_twin();
  return b;
}

std::uint64_t Bench::line_baud() const {
  const te::DutSpec& d = options_.dut;
  switch (d.kind) {
    case te::DutSpec::Kind::emulator:
      return static_cast<std::uint64_t>(std::max(0L, options_.emulator_baud));
    case te::DutSpec::Kind::serial:
      return static_cast<std::uint64_t>(std::max(0L, d.baud));
    case te::DutSpec::Kind::tcp:
      return d.telnet ? static_cast<std::uint64_t>(std::max(0L, d.baud)) : 0;
  }
  return 0;
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
    last_len_ = 0;  // a fresh modem has transferred nothing
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
  Timed timed(split_.recovery);
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
    last_len_.reset();  // what a recovered or power-cycled modem reports is not known
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
  restart_twin();
  return {};
}

std::string Bench::on_bench(std::string_view bytes) const {
  const te::Pixit& x = options_.profile.pixit;
  return transcript::substitute(std::string(bytes), {x.fixture_host, std::to_string(fixture_port()),
                                                     x.user, x.password, x.apn});
}

// The reference's clock follows the bench's, a millisecond at a time; the bytes on its line reach
// it as their time comes, as the DUT's line brings them to the DUT.
void Bench::sync_twin() {
  const auto now = Clock::now();
  for (;;) {
    while (!twin_line_.empty() && twin_line_.front().first <= twin_synced_) {
      twin_->send(twin_line_.front().second);
      twin_line_.pop_front();
    }
    auto to = now;
    if (!twin_line_.empty()) to = std::min(to, twin_line_.front().first);
    auto ms = std::chrono::duration_cast<Ms>(to - twin_synced_).count();
    if (ms < 1 && !twin_line_.empty() && twin_line_.front().first <= now) ms = 1;
    if (ms < 1) break;
    twin_->advance(static_cast<std::uint64_t>(ms));
    twin_synced_ += Ms(ms);
  }
}

// The reference starts again with nothing on its line, its clock at the bench's.
void Bench::restart_twin() {
  twin_->restart();
  twin_line_.clear();
  twin_synced_ = Clock::now();
}

te::Status Bench::send_paced(std::string_view bytes, StepOut& out) {
  bytes_sent_ += bytes.size();
  // The write's deadline: the link's default, or twice the line's time for a long run (a stream
  // of 32 KiB is 34 s of a line at 9600 baud).
  Ms deadline(30'000);
  const std::uint64_t baud = line_baud();
  Clock::time_point carried_from{};
  if (baud != 0) {
    // 10 bits a byte: the line is busy until they are out. A long run is sent as the line takes
    // it; a short one is queued as a UART's buffer queues it, and waiting for the answer covers
    // its time on the line.
    const auto on_line = std::chrono::microseconds(bytes.size() * 10'000'000 / baud);
    if (on_line > Ms(options_.settle_ms)) wait_line_free();
    carried_from = std::max(Clock::now(), line_free_);
    line_free_ = carried_from + on_line;
    deadline = std::max(deadline, std::chrono::duration_cast<Ms>(2 * on_line));
  }
  const te::Status sent = link_->send(bytes, deadline);
  if (baud != 0 && line_free_ - Clock::now() > Ms(options_.settle_ms)) wait_line_free();
  if (baud == 0) {
    sync_twin();
    twin_->send(bytes);
  } else {
    // The reference gets each millisecond's bytes when the line has carried them, as the DUT
    // does: a silence after a run of data is as long to both (the escape's guard time), and a
    // transfer cut midway has had the same bytes in both.
    const std::size_t slice = std::max<std::uint64_t>(1, baud / 10 / 1000);
    for (std::size_t at = 0; at < bytes.size(); at += slice) {
      const std::size_t n = std::min(slice, bytes.size() - at);
      const auto arrives = carried_from + std::chrono::microseconds((at + n) * 10'000'000 / baud);
      twin_line_.emplace_back(arrives, std::string(bytes.substr(at, n)));
    }
    sync_twin();
  }
  out.twin += twin_->take_output();
  return sent;
}

void Bench::wait_line_free() {
  if (Clock::now() >= line_free_) return;
  Timed timed(split_.pacing);
  std::this_thread::sleep_until(line_free_);
}

te::Status Bench::send_both(const Step& step, StepOut& out) {
  if (step.pause_ms != 0) {  // the silence is input: it starts when the line has sent all
    wait_line_free();
    Timed timed(split_.input_pauses);
    std::this_thread::sleep_for(Ms(step.pause_ms));
  }
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
  if (step.gap_ms == 0) return send_paced(step.bytes, out);
  for (std::size_t i = 0; i < step.bytes.size(); ++i) {
    if (i != 0) {
      wait_line_free();
      Timed timed(split_.input_pauses);
      std::this_thread::sleep_for(Ms(step.gap_ms));
    }
    if (auto st = send_paced(std::string_view(step.bytes).substr(i, 1), out); !st) return st;
  }
  return {};
}

// Reads the DUT's answer: as many lines and pieces of lines as the twin wrote (up to `wait`). When the twin has
// nothing due within the settle time, its answer is complete and so is the step: what the DUT
// writes beyond it is read with the next step and compared all the same (the differential oracle
// compares the case's lines in order, whatever step they came in). Otherwise, and for the last
// step of a case, until the DUT is quiet for the settle time. The twin is kept at the same time
// throughout.
te::Status Bench::collect(StepOut& out, Ms wait, bool quiet_end, bool wait_final) {
  const Ms settle(options_.settle_ms);
  // The reference's answer is whole once its line has brought it every byte sent: the DUT's cannot
  // come sooner.
  if (!twin_line_.empty()) {
    Timed timed(split_.pacing);
    std::this_thread::sleep_until(twin_line_.back().first);
  }
  for (int round = 0; round < 4; ++round) {
    sync_twin();
    out.twin += twin_->take_output();
    const std::size_t want = count_line_ends(out.twin);
    const std::size_t pieces = count_pieces(out.twin);
    const auto until = Clock::now() + wait;
    // On a line with a rate the DUT echoes the bytes as the line carries them, so its answer may
    // hold as many lines as the reference's while the echo is still coming: it is waited for until
    // it is as long as the reference's or the line has been free for the settle time.
    const auto echo_end = line_baud() != 0 ? line_free_ + settle : Clock::time_point::min();
    const auto counted = [&] {
      return count_line_ends(out.dut) >= want && count_pieces(out.dut) >= pieces;
    };
    const auto echoed = [&] { return out.dut.size() >= out.twin.size() || Clock::now() >= echo_end; };
    const auto answered = [&] { return counted() && echoed(); };
    {
      Timed timed(split_.answers);
      const bool final_owed = wait_final && has_final(out.twin);
      while ((!answered() || (final_owed && !has_final(out.dut))) && Clock::now() < until) {
        const auto by = counted() && !(final_owed && !has_final(out.dut)) ? std::min(until, echo_end) : until;
        auto some = link_->read_some(std::chrono::duration_cast<Ms>(by - Clock::now()));
        if (!some) return make_error(some.error());
        out.dut += some.value();
      }
    }
    if (!options_.quiet_waits && !quiet_end && answered() &&
        twin_->due_in() > static_cast<TimeMs>(options_.settle_ms)) {
      auto some = link_->read_some(Ms(0));  // what is there already, without waiting
      if (!some) return make_error(some.error());
      out.dut += some.value();
      break;
    }
    Timed timed(split_.quiet);
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

bool Bench::on_the_limit(const Step& step) const {
  const te::Pixit& x = options_.profile.pixit;
  const auto near = [this](std::uint32_t value, std::uint32_t limit) {
    const std::uint32_t diff = value > limit ? value - limit : limit - value;
    return diff < options_.timing_tolerance_ms;
  };
  return near(step.pause_ms, x.guard_ms) || (step.gap_ms != 0 && near(step.gap_ms, x.gap_ms));
}

te::Status Bench::exec(const Step& step, StepOut& out, std::string& transcript, bool quiet_end) {
  const te::Pixit& x = options_.profile.pixit;
  bool wait_final = false;
  transcript += "> " + describe(step) + "\n";
  switch (step.kind) {
    case Step::Kind::fault: {
      Timed timed(split_.fixture);
      auto id = control_->set(step.text);
      if (!id) {
        transcript += "  (the fixture refused it: " + id.error() + ")\n";
        break;
      }
      // The fixture's clock and the reference's virtual one do not agree to the millisecond about
      // when a delayed command or a slowed or stalled transfer is due: cases with such faults are
      // judged by the robustness oracles alone. IDLE is compared: both count it from the session's
      // last activity (pyftpdlib's meaning), so they fall due milliseconds apart at most, and URCs
      // are compared by their order, not by the step they came in.
      const std::string keyword = step.text.substr(0, step.text.find(' '));
      if (!twin_->fault(step.text) || mentions(keyword, "DELAY") || mentions(keyword, "SLOW") ||
          mentions(keyword, "STALL")) {
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
      if (twin_->in_data_mode() && on_the_limit(step)) twin_valid_ = false;
      // On a line with a rate, bytes that follow a transfer's line in the same write reach the DUT
      // on either side of its CONNECT as the network's time to the data connection and the line's
      // rate fall: how many it took in command mode first is the bench's clocks' (two false
      // deviations once). Such a case is judged by the other oracles.
      if (line_baud() != 0 && runs_past_a_transfer_line(sent.bytes)) twin_valid_ = false;
      wait_final = plain_line(sent, sent.bytes) && !twin_->in_data_mode();
      if (auto st = send_both(sent, out); !st) return st;
      break;
    }
  }
  if (auto st = collect(out, Ms(std::max(x.urc_timeout_ms, x.command_timeout_ms)), quiet_end,
                        wait_final);
      !st) {
    return st;
  }
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
  bool first = true;
  const auto check = [&](const Step& s, const StepOut& out) {
    std::vector<Token> tokens;
    tokenize(out.dut, 0, tokens);
    if (first) {
      // AT&F: the result format the DUT is in for the case, as its answer shows it.
      first = false;
      result_form_ = 'q';
      for (const auto& t : tokens) {
        if (final_in_form(t, 'v')) result_form_ = 'v';
        if (final_in_form(t, 'n')) result_form_ = 'n';
      }
    } else if (!differs && result_form_ != 'q') {
      // Each set-up line is a plain command line: exactly one final result (final-result oracle).
      const auto finals = static_cast<std::size_t>(std::count_if(
          tokens.begin(), tokens.end(), [&](const Token& t) { return t.kind == Token::Kind::final_result; }));
      if (finals != 1) {
        differs = Finding{"final-result", "robustness", 0, first_command(s),
                          "in the set-up before the case the command line \"" + printable(s.bytes) +
                              "\" got " + std::to_string(finals) + " final results: \"" +
                              printable(out.dut) + "\"",
                          ""};
        differs->subject = "final result of " + command_name(s.bytes) + (finals == 0 ? " missing" : " extra");
        return;
      }
    }
    if (differs || same_answer(out.dut, out.twin)) return;
    differs = Finding{"deviation", "deviation", 0, first_command(s),
                      "in the set-up before the case the DUT wrote \"" + printable(out.dut) +
                          "\" where the reference wrote \"" + printable(out.twin) + "\"", ""};
  };
  setup_dut_.clear();
  setup_twin_.clear();
  for (const auto& line : lines) {
    StepOut out;
    Step s;
    s.bytes = line;
    if (auto st = exec(s, out, transcript); !st) return make_error(st.error());
    check(s, out);
    setup_dut_ += out.dut;
    setup_twin_ += out.twin;
  }
  // Nothing may be under way when the case starts: no session left (an open the close met half
  // way), nothing more from the DUT than from the reference. The case before ended with a quiet
  // time, or with AT's final result and nothing due, and the lines above were answered as the
  // reference answered them: what the DUT wrote beyond that is there by now (and, right after a
  // case, that case's late output: prepare()).
  {
    StepOut quiet;
    if (options_.quiet_waits) {
      Timed timed(split_.quiet);
      quiet.dut = link_->read_for(Ms(options_.settle_ms * 2));
    } else {
      auto some = link_->read_some(Ms(0));
      if (!some) return make_error(some.error());
      quiet.dut = std::move(some).value();
    }
    sync_twin();
    quiet.twin = twin_->take_output();
    setup_dut_ += quiet.dut;
    setup_twin_ += quiet.twin;
    if (!differs && (!same_answer(quiet.dut, quiet.twin) || twin_->has_session())) {
      differs = Finding{"deviation", "deviation", 0, "AT+QFTPCLOSE",
                        "in the set-up before the case, after AT+QFTPCLOSE, the DUT wrote \"" +
                            printable(quiet.dut) + "\" and the reference \"" + printable(quiet.twin) +
                            "\" (its service " + std::string(modem::state_name(twin_->state())) + ")",
                        ""};
    }
  }
  {
    Timed timed(split_.fixture);
    if (auto st = control_->reset(); !st) return make_error("the fixture's RESET: " + st.error());
  }
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

// The set-up of the next case (prologue()), with its retry from a fresh start when the DUT and the
// reference disagree. `after_case`: it follows a case's epilogue at once (the case before ended
// with AT's final result and nothing else due, not with a quiet time), so that a disagreement that
// a fresh start clears is the case's late output, a finding of that case.
te::Status Bench::prepare(CaseRun& run, bool after_case) {
  std::string& tr = run.transcript;
  if (after_case) tr += "# the set-up of the next case\n";
  std::optional<Timed> phase(std::in_place, split_.prologue);
  const std::size_t mark = tr.size();
  auto differs = prologue(tr);
  if (differs && !differs.value()) {
    prepared_ = true;
    return {};
  }
  // The case before left them apart, or the set-up itself shows a deviation: from a fresh start,
  // a disagreement again is a finding of the set-up's line.
  // After a case that ended at AT's final result, what the DUT wrote in the set-up against what
  // the reference wrote, in order: a URC that fell due in another answer than the reference's is
  // the bench's clocks, not late output.
  std::optional<Finding> first;
  if (differs && after_case && ended_at_barrier_ && !same_in_order(setup_dut_, setup_twin_)) {
    first = *differs.value();
  }
  phase.reset();  // the recovery counts its own time
  if (auto st = resync(differs ? "the reference and the DUT disagreed before the case" : differs.error());
      !st) {
    return st;
  }
  phase.emplace(split_.prologue);
  if (!after_case) tr.resize(mark);
  tr += "# the set-up again, from a fresh start\n";
  differs = prologue(tr);
  if (!differs) return make_error(differs.error());
  if (differs.value()) {
    run.findings.push_back(*differs.value());
    run.findings.back().signature = "set-up " + command_name(run.findings.back().first_command);
    phase.reset();
    prepared_ = false;
    return resync("a deviation in the set-up");
  }
  prepared_ = true;
  if (after_case && first) {
    // What the DUT wrote after the case's last final result, or the state it left, that the
    // reference did not: seen by the next set-up, cleared by a fresh start.
    Finding late{"late-output", "robustness", last_steps_, "epilogue",
                 "after the case (after AT's final result) " + first->detail, ""};
    late.signature = "after the case " + command_name(first->first_command);
    run.findings.push_back(std::move(late));
  }
  return {};
}

te::Result<CaseRun> Bench::run(const Case& c) {
  CaseRun run;
  const std::size_t sent0 = bytes_sent_;
  std::string& tr = run.transcript;
  if (!prepared_) {
    if (auto st = prepare(run, false); !st) return make_error(st.error());
    if (!run.findings.empty()) {
      run.bytes_sent = bytes_sent_ - sent0;
      return run;
    }
  }
  prepared_ = false;
  ended_at_barrier_ = false;
  last_steps_ = c.steps.size();
  std::optional<Timed> phase;
  tr += "# the case\n";
  phase.emplace(split_.steps);
  twin_valid_ = options_.differential;
  for (const auto& s : c.steps) {
    const std::string u = s.kind == Step::Kind::send ? s.bytes : "";
    if (mentions(u, "CFG") || mentions(u, "USER") || mentions(u, "PASS") || mentions(u, "ATS")) {
      dirty_ = true;
    }
  }

  std::vector<StepOut> outs;
  std::optional<Finding> link_finding;
  const bool faulted = std::any_of(c.steps.begin(), c.steps.end(),
                                   [](const Step& s) { return s.kind == Step::Kind::fault; });
  for (std::size_t i = 0; i < c.steps.size(); ++i) {
    outs.emplace_back();
    // Before a silence or byte gaps that are input, and after the link is opened again, the DUT
    // must have taken in all it was sent: such a step's answer ends with the quiet time, as every
    // step's did before.
    // In a case with a fixture fault every step's answer ends so: when a cut or a reply reaches
    // the DUT between the host's bytes is a matter of the bench's clocks, and the reference, on
    // virtual time, takes the host's pace; a quiet time after each step keeps the two in step.
    const bool timed_next = i + 1 < c.steps.size() &&
                            (c.steps[i + 1].pause_ms != 0 || c.steps[i + 1].gap_ms != 0);
    const bool was_data = twin_->in_data_mode();
    if (auto st = exec(c.steps[i], outs.back(), tr,
                       timed_next || faulted || c.steps[i].kind == Step::Kind::reopen);
        !st) {
      link_finding = Finding{"link", "robustness", i, first_command(c.steps[i]), st.error(), ""};
      break;
    }
    // Data mode entered without a CONNECT the TE sees (ATQ1): when the DUT is ready for the data
    // (its data connection open) is not known, so the reference, which is at once, is not
    // compared with what follows.
    if (!was_data && twin_->in_data_mode() && outs.back().twin.find("CONNECT") == std::string::npos) {
      twin_valid_ = false;
    }
  }
  const std::size_t epilogue_from = outs.size();
  phase.emplace(split_.epilogue);
  // Epilogue: out of data mode, results shown, then AT must answer OK (liveness). AT's final result
  // is the barrier: the DUT has written what was due before it. Where the reference has output
  // due within the settle time (a URC, a transfer's end) the answer ends with a quiet time as
  // well; in a case with a fixture fault or without the reference's answers, always. Otherwise the
  // next case's set-up follows at once: what the DUT writes late is read there and is this case's
  // finding (late-output, prepare()).
  const bool barrier_ends = !faulted && twin_valid_ && !options_.quiet_waits;
  ended_at_barrier_ = barrier_ends;
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
    for (std::size_t i = 0; i < epilogue.size(); ++i) {
      outs.emplace_back();
      if (auto st = exec(epilogue[i], outs.back(), tr, i + 1 == epilogue.size() && !barrier_ends); !st) {
        link_finding = Finding{"link", "robustness", c.steps.size(), "epilogue", st.error(), ""};
        break;
      }
    }
  }
  phase.emplace(split_.judge);
  if (link_finding) {
    run.findings.push_back(*link_finding);
  } else {
    judge(c, outs, epilogue_from, run);
  }
  phase.reset();

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
  // A case the reference was not compared in (a timing fault, another server opened) may have left
  // it and the DUT with different state no answer showed (a transfer's length, a file in the local
  // store): both start again, as after a finding, so that the next case compares like with like.
  const bool uncompared = options_.differential && !twin_valid_;
  if (!run.findings.empty() || !alive || uncompared) {
    if (auto st = resync(!run.findings.empty() ? run.findings.front().oracle
                         : !alive              ? "the case left the DUT without an answer"
                                               : "the case was not compared with the reference");
        !st) {
      const std::string& t = run.transcript;
      return make_error(st.error() + "; the case:\n" + t.substr(t.size() > 3000 ? t.size() - 3000 : 0));
    }
  } else if (auto st = prepare(run, true); !st) {
    return make_error(st.error());
  }
  run.bytes_sent = bytes_sent_ - sent0;
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

  // Reboot: start-up lines the reference did not write. The host's own "RDY" among the bytes it
  // sends comes back in the echo, to both: only the DUT's start-up lines beyond the reference's
  // count.
  const auto startup = [](const Token& t) { return t.kind == Token::Kind::startup; };
  std::size_t echoed = static_cast<std::size_t>(std::count_if(twin.begin(), twin.end(), startup));
  for (const auto& t : dut) {
    if (!startup(t)) continue;
    if (echoed > 0) {
      --echoed;
      continue;
    }
    add("reboot", "robustness", t.step, "the DUT wrote \"" + t.text + "\" (a restart)");
    return;
  }

  // +QFTPSTAT: each answer must follow the one before by legal changes (service_state.h).
  std::optional<std::pair<modem::ServiceState, std::size_t>> last_stat;
  for (const auto& t : dut) {
    if (t.text.rfind("+QFTPSTAT:", 0) != 0) continue;
    const auto s = stat_value(t.text.substr(10));
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

  // What the fixture holds, asked once and only when an oracle needs it.
  std::optional<std::map<std::string, std::uint64_t>> held_files;
  bool asked = false;
  const auto held = [&]() -> const std::map<std::string, std::uint64_t>* {
    if (!asked) {
      asked = true;
      Timed timed(split_.fixture);
      auto files = control_->files();
      if (files) {
        held_files.emplace();
        for (const auto& f : files.value()) {
          if (!f.is_dir) (*held_files)[f.path.rfind('/', 0) == 0 ? f.path : "/" + f.path] = f.size;
        }
      }
    }
    return held_files ? &*held_files : nullptr;
  };

  // The standalone oracles first: a defect they see is named by them, not again as a deviation.
  const std::size_t before_standalone = run.findings.size();
  judge_final_results(c, outs, epilogue_from, run);
  judge_transfer_length(c, outs, held, run);
  if (run.findings.size() != before_standalone) return;

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

  if (cut < outs.size()) twin_valid_ = false;  // the rest of the case was not compared

  // The data connections' mode (spec 2.2.8, AT+QFTPCFG=1: 0 active, 1 passive), which only the
  // server sees: the commands that set each one up, as the fixture logged them, against the
  // reference's server's, one by one as far as both went (how far the DUT's last one got before
  // the case ended is a matter of the clocks). With no foreign server in the case, the fixture
  // was its only peer.
  if (cut == outs.size()) {
    const std::vector<std::string> expected = twin_->data_setups();
    if (!expected.empty()) {
      std::vector<std::string> sent;
      {
        Timed timed(split_.fixture);
        auto log = control_->log();
        if (log) {
          for (const auto& e : log.value()) {
            if (e.kind != "CMD") continue;
            if (auto verb = data_setup_verb(e.text)) sent.push_back(*verb);
          }
        }
      }
      for (std::size_t i = 0; i < std::min(sent.size(), expected.size()); ++i) {
        if (passive_verb(sent[i]) == passive_verb(expected[i])) continue;
        std::size_t step = 0;  // the transfer's command line: the first PUT or GET of the case
        while (step < c.steps.size() && !mentions(c.steps[step].bytes, "QFTPPUT") &&
               !mentions(c.steps[step].bytes, "QFTPGET")) {
          ++step;
        }
        add("server-commands", "deviation", step,
            "data connection " + std::to_string(i + 1) + " of the case was set up with " + sent[i] +
                " where the reference's server got " + expected[i] + " (" +
                (passive_verb(expected[i]) ? "passive" : "active") + " mode)");
        run.findings.back().subject = "data connection by " + sent[i] + " for " + expected[i];
        return;
      }
    }
  }

  // Differential: the lines in order (echo, information text, final results), with their framing
  // (the line ends the DUT wrote for each line, with the URCs among them taken out: own_before).
  // On a line with a rate, a transfer a fixture fault cut has moved as many bytes as the line had
  // carried when the cut reached the DUT: a matter of the network's and the host's timing, which
  // the reference's server model, cutting on the first millisecond's bytes past the limit, does
  // not share. In such a case byte counts are compared as counts, not values: the invariant
  // oracle still holds the DUT's +QFTPLEN to the bytes that arrived. Counts that differ leave the
  // two with another length for the next AT+QFTPLEN: both start again after the case.
  const bool counts_timed = line_baud() != 0 &&
                            std::any_of(c.steps.begin(), c.steps.end(),
                                        [](const Step& s) { return s.kind == Step::Kind::fault; });
  const auto same_text = [&](const Token& d, const Token& r) {
    if (token_text(d) == token_text(r)) return true;
    if (!counts_timed || !both_counts(d, r)) return false;
    twin_valid_ = false;
    return true;
  };
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
    if (d && r && same_text(*d, *r) && framed(d->own_before) == framed(r->own_before)) continue;
    const std::size_t step = r ? r->step : d->step;
    const std::string want = r ? "\"" + printable(r->text) + "\"" : "nothing more";
    const std::string got = d ? "\"" + printable(d->text) + "\"" : "nothing";
    const bool final_involved = (d && d->kind == Token::Kind::final_result) ||
                                (r && r->kind == Token::Kind::final_result);
    const Token* which = r ? r : d;
    if (d && r && same_text(*d, *r)) {
      add("framing", "robustness", step,
          got + " came " + (framed(d->own_before) ? "with" : "without") + " the <CR><LF> before it", which);
    } else if (final_involved && step >= epilogue_from) {
      add("framing", "robustness", step, "the DUT wrote " + got + " where the reference wrote " + want, which);
    } else {
      add("deviation", "deviation", step, "the DUT wrote " + got + " where the reference wrote " + want, which);
      run.findings.back().subject = value_subject(d, r);
    }
    return;
  }
  for (const auto& [name, ref] : tu) {
    const auto& got = du[name];
    for (std::size_t i = 0; i < std::max(ref.size(), got.size()); ++i) {
      const Token* d = i < got.size() ? got[i] : nullptr;
      const Token* r = i < ref.size() ? ref[i] : nullptr;
      if (d && r && same_text(*d, *r) && framed_before(*d) == framed_before(*r)) continue;
      const std::size_t step = r ? r->step : d->step;
      if (d && r && same_text(*d, *r)) {
        add("framing", "robustness", step, "\"" + d->text + "\" came without <CR><LF> before it", r);
      } else {
        add("deviation", "deviation", step,
            "the DUT wrote " + (d ? "\"" + printable(d->text) + "\"" : std::string("no ") + name) +
                " where the reference wrote " + (r ? "\"" + printable(r->text) + "\"" : "none"),
            r ? r : d);
        run.findings.back().subject = value_subject(d, r);
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
  const auto* holds_raw = held();
  if (!holds_raw) return;
  // Names compared without their bytes beyond ASCII: the fixture lists a name that is not UTF-8
  // with a replacement character where the reference keeps the byte.
  const auto ascii = [](const std::map<std::string, std::uint64_t>& files) {
    std::map<std::string, std::uint64_t> out;
    for (const auto& [path, size] : files) {
      std::string name;
      for (const char ch : path) {
        if (static_cast<unsigned char>(ch) < 0x80) name += ch;
      }
      out[name] += size;
    }
    return out;
  };
  const auto held_ascii = ascii(*holds_raw);
  const auto* holds = &held_ascii;
  const std::map<std::string, std::string>& reference_files = twin_->server_files();
  std::map<std::string, std::uint64_t> reference_sizes;
  for (const auto& [path, bytes] : reference_files) reference_sizes[path] = bytes.size();
  const auto expected = ascii(reference_sizes);
  std::size_t put_step = c.steps.size();
  for (std::size_t i = 0; i < c.steps.size(); ++i) {
    if (c.steps[i].kind == Step::Kind::send && mentions(c.steps[i].bytes, "QFTPPUT")) put_step = i;
  }
  if (*holds == expected) {
    // The same sizes: the same bytes too, each in its place (a byte changed, or two swapped, on
    // the way through the DUT keeps the size). Read from the fixture's root, which is local.
    for (const auto& [path, want] : reference_files) {
      if (want.empty() ||
          std::any_of(path.begin(), path.end(), [](char ch) { return static_cast<unsigned char>(ch) >= 0x80; })) {
        continue;
      }
      std::ifstream in(fixture_->root() / path.substr(1), std::ios::binary);
      if (!in) continue;
      const std::string got(std::istreambuf_iterator<char>(in), {});
      if (got == want) continue;
      const auto diff = std::mismatch(got.begin(), got.end(), want.begin(), want.end());
      const auto at = static_cast<std::size_t>(diff.first - got.begin());
      add("invariant", "robustness", put_step,
          "the server holds " + path + " with the reference's size but other bytes: at byte " +
              std::to_string(at) + " \"" + printable(got.substr(at, 8)) + "\" where \"" +
              printable(want.substr(at, 8)) + "\" was sent");
      run.findings.back().subject = "server file content";
      return;
    }
    return;
  }
  std::string detail = "the server holds";
  for (const auto& [path, size] : *holds) detail += " " + path + " (" + std::to_string(size) + " bytes)";
  detail += "; the reference's holds";
  for (const auto& [path, size] : expected) detail += " " + path + " (" + std::to_string(size) + " bytes)";
  add("invariant", "robustness", put_step, detail);
}

}  // namespace qftp::dutfuzz

namespace qftp::dutfuzz {

// Exactly one final result for each command line the DUT takes in command mode, in the result
// format it is in (V.250 5.7: ATV1's words, ATV0's digits, none under ATQ1). Judged on the case's
// plain lines (plain_line) up to the first that may enter data mode (a transfer, anything the DUT
// or the reference answered CONNECT), change the result format, or follow a dropped link; the
// epilogue's AT when the whole case was judged. Needs no reference's answer.
void Bench::judge_final_results(const Case& c, const std::vector<StepOut>& outs,
                                std::size_t epilogue_from, CaseRun& run) {
  if (result_form_ == 'q') return;
  std::vector<std::string> dut_outs;
  for (const auto& o : outs) dut_outs.push_back(o.dut);
  const std::vector<Token> dut = tokenize_steps(dut_outs);
  const auto judge_step = [&](std::size_t i, const std::string& line) -> bool {
    std::size_t finals = 0;
    std::string seen;
    for (const auto& t : dut) {
      if (t.step != i || t.kind != Token::Kind::final_result) continue;
      if (!seen.empty()) seen += ", ";
      seen += "\"" + printable(t.text) + "\"";
      if (final_in_form(t, result_form_)) ++finals;
    }
    if (finals == 1 && seen.find(',') == std::string::npos) return true;
    const std::string form = result_form_ == 'v' ? "words (ATV1)" : "digits (ATV0)";
    Finding f{"final-result", "robustness", std::min(i, c.steps.size()),
              i < c.steps.size() ? first_command(c.steps[i]) : printable(line),
              "the command line \"" + printable(line) + "\" got " +
                  (seen.empty() ? std::string("no final result") : seen) +
                  " where exactly one final result in " + form + " is due",
              ""};
    f.signature = command_name(line) + (finals == 0 ? " none" : " several");
    f.subject = "final result of " + command_name(line) + (finals == 0 ? " missing" : " extra");
    run.findings.push_back(std::move(f));
    return false;
  };
  const auto stops = [&](std::size_t i) {
    if (i >= outs.size()) return true;
    return outs[i].dut.find("CONNECT") != std::string::npos ||
           outs[i].twin.find("CONNECT") != std::string::npos;
  };
  for (std::size_t i = 0; i < c.steps.size(); ++i) {
    const Step& s = c.steps[i];
    if (s.kind == Step::Kind::fault || s.kind == Step::Kind::server_file) continue;
    if (s.kind == Step::Kind::reopen) return;
    const std::string line = on_bench(s.bytes);
    if (!plain_line(s, line)) {
      // Bytes that are no plain line (junk, a half line, editing) may leave a line open or the DUT
      // in another mode: the lines after them are not judged.
      return;
    }
    if (mentions(line, "QFTPPUT") || mentions(line, "QFTPGET") || mentions(line, "QFUPL") ||
        mentions(line, "QFDWL") || changes_result_form(line) || stops(i)) {
      return;
    }
    if (!judge_step(i, line)) return;
  }
  // The epilogue ends with ATQ0V1 and AT: AT's one final result in words.
  if (outs.size() == epilogue_from + 3) {  // "\r", ATQ0V1, AT: no escape was needed
    const char form = result_form_;
    result_form_ = 'v';
    (void)judge_step(outs.size() - 1, "AT\r");
    result_form_ = form;
  }
}

// +QFTPLEN answers the bytes of the last transfer through /COM/: a download's bytes as the TE
// received them between CONNECT and the +QFTPGET result, an upload's bytes as the fixture got
// them. Judged on the transfers the TE can count (AT+QFTPGET="name", AT+QFTPPUT="name",size,time,
// no fixture fault, no escape, no dropped link, no AT+QFTPCFG in the case); any other transfer
// makes the length unknown until the next one that can be counted. Needs no reference's answer.
void Bench::judge_transfer_length(
    const Case& c, const std::vector<StepOut>& outs,
    const std::function<const std::map<std::string, std::uint64_t>*()>& held, CaseRun& run) {
  std::string all;
  std::vector<std::size_t> starts;
  for (const auto& o : outs) {
    starts.push_back(all.size());
    all += o.dut;
  }
  bool countable = true;
  std::map<std::string, unsigned> puts;
  for (const auto& s : c.steps) {
    if (s.kind == Step::Kind::fault || s.kind == Step::Kind::reopen) countable = false;
    if (s.kind != Step::Kind::send) continue;
    if (s.bytes.find("+++") != std::string::npos || mentions(s.bytes, "QFTPCFG")) countable = false;
    if (auto name = com_transfer_name(on_bench(s.bytes), "QFTPPUT")) ++puts[*name];
  }
  std::optional<std::uint64_t> known = last_len_;
  for (std::size_t i = 0; i < c.steps.size() && i < outs.size(); ++i) {
    const Step& s = c.steps[i];
    if (s.kind != Step::Kind::send) continue;
    const std::string line = on_bench(s.bytes);
    const std::size_t from = starts[i];
    if (mentions(line, "QFTPGET") || mentions(line, "QFTPPUT")) {
      known.reset();
      if (!countable || !plain_line(s, line)) continue;
      if (auto name = com_transfer_name(line, "QFTPGET")) {
        const auto connect = all.find("CONNECT\r\n", from);
        if (connect == std::string::npos) continue;
        const std::size_t data = connect + 9;
        const auto urc = all.find("\r\n+QFTPGET:", data);
        if (urc == std::string::npos) continue;
        const auto value = number_after(all, urc + 2);
        if (!value || *value < 0) continue;
        known = urc - data;
      } else if (auto up = com_transfer_name(line, "QFTPPUT")) {
        if (puts[*up] != 1) continue;
        const auto urc = all.find("+QFTPPUT:", from);
        if (urc == std::string::npos) continue;
        const auto value = number_after(all, urc);
        if (!value || *value < 0) continue;
        const auto* files = held();
        if (!files) continue;
        std::optional<std::uint64_t> size;
        unsigned matches = 0;
        for (const auto& [path, bytes] : *files) {
          if (path.size() >= up->size() + 1 && path.compare(path.size() - up->size(), up->size(), *up) == 0 &&
              path[path.size() - up->size() - 1] == '/') {
            size = bytes;
            ++matches;
          }
        }
        if (matches == 1) known = size;
      }
      continue;
    }
    if (!known || !mentions(line, "QFTPLEN")) continue;
    const std::size_t to = i + 1 < starts.size() ? starts[i + 1] : all.size();
    const auto at = all.find("+QFTPLEN:", from);
    if (at == std::string::npos || at >= to) continue;
    const auto value = number_after(all, at);
    if (!value || *value == static_cast<long long>(*known)) continue;
    Finding f{"transfer-length", "robustness", i, first_command(s),
              "+QFTPLEN answered " + std::to_string(*value) + " where the last transfer moved " +
                  std::to_string(*known) + " bytes through /COM/",
              ""};
    f.signature = "AT+QFTPLEN +QFTPLEN:9";
    f.subject = value_subject("+QFTPLEN", *value, static_cast<long long>(*known));
    run.findings.push_back(std::move(f));
    break;
  }
  last_len_ = known;
}

}  // namespace qftp::dutfuzz
