// The session fuzzer's wiring: the host script's steps on the shared virtual loop, the oracle
// around every call.
#include "session/session_harness.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstdlib>

#include "common/fuzz_check.h"
#include "core/common/printable.h"

namespace qftp::fuzz {

namespace {

// The first server-side byte picks the firmware: the spec's defaults, the M33 (with /SD/ and
// /RAM/), later firmware's URC spacing, the spec's OK-first path read; small stores, so that a
// download can fill one; and the FTP commands after V1.1.
modem::DeviceProfile profile_for(std::uint8_t choice) {
  modem::DeviceProfile p;
  switch (choice & 3) {
    case 1:
      p.model = "M33";
      p.has_sd = true;
      p.has_ram = true;
      break;
    case 2:
      p.spaced_urcs = {"+QFTPSTAT", "+QFTPLEN", "+QFTPPATH", "+QFTPCLOSE"};
      break;
    case 3:
      p.path_read_ok_first = true;
      break;
    default:
      break;
  }
  if ((choice & 4) != 0) {
    p.ufs_capacity = 2000;
  }
  if ((choice & 8) != 0) {
    p.ram_file_size = 100;
  }
  if ((choice & 16) != 0) {
    // The FTP commands of later firmware (ruling 13: profile switches): SIZE, DELETE, RENAME,
    // MKDIR, RMDIR, AT+QFTPCFG=6, the listings LIST and NLST (ruling 16) and AT+QFTPGET with an
    // expected size. Their failures stay URC codes, never +CME ERROR.
    p.ftp_file_commands = true;
    p.ftp_rmdir = true;
    p.cfg_type6 = true;
    p.ftp_listing = true;
    p.get_expected_size = true;
  }
  return p;
}

// What the stores hold at power-up: the spec's sscom.ini (1587 bytes) and small files to upload.
constexpr SeedFile kUfsFiles[] = {
    {"sscom.ini", 1587, 'u'}, {"dwl.txt", 10, 'w'}, {"test.txt", 100, 't'}};
constexpr SeedFile kSdFiles[] = {{"pic.jpg", 30, 's'}};
constexpr SeedFile kRamFiles[] = {{"x.bin", 20, 'r'}};

// Lines a server says unasked (the script's noise step).
constexpr std::array<std::string_view, 4> kNoise = {"200 noise\r\n", "421 going down\r\n",
                                                    "hello\r\n", "150 unasked\r\n"};

// Once the host stops, a modem that has not come to rest within this many calls never will.
constexpr std::size_t kRestCalls = 100000;

// QFTP_SESSION_TRACE=1 prints every call (what came in, what went out) to stderr, for reading a
// reproducer; it is read once.
bool tracing() {
  static const bool on = std::getenv("QFTP_SESSION_TRACE") != nullptr;
  return on;
}

void trace(TimeMs now, const modem::Event& event, const std::vector<modem::Action>& actions,
           const modem::ModemEngine& engine) {
  // Host bytes that caused nothing are shown with the next host byte that did.
  static std::string typed;
  std::string in;
  if (const auto* b = std::get_if<modem::SerialBytes>(&event)) {
    typed += b->bytes;
    if (actions.empty()) {
      return;
    }
    in = "host " + printable(typed);
    typed.clear();
  } else if (std::holds_alternative<modem::TimerFired>(event)) {
    in = "timer";
  } else if (const auto* d = std::get_if<modem::SocketData>(&event)) {
    in = std::string(d->sock == ftp::Sock::control ? "ctrl " : "data ") +
         printable(d->bytes.substr(0, 80));
  } else if (const auto* c = std::get_if<modem::SocketConnected>(&event)) {
    in = std::string(c->sock == ftp::Sock::control ? "ctrl" : "data") + " connected";
  } else if (const auto* c2 = std::get_if<modem::SocketClosed>(&event)) {
    in = std::string(c2->sock == ftp::Sock::control ? "ctrl" : "data") + " closed " +
         std::to_string(static_cast<int>(c2->why));
  } else if (std::holds_alternative<modem::SocketListening>(event)) {
    in = "listening";
  } else {
    in = "network " + std::to_string(static_cast<int>(std::get<modem::NetworkEvent>(event).kind));
  }
  std::string out;
  for (const auto& a : actions) {
    if (const auto* w = std::get_if<modem::SerialWrite>(&a)) {
      out += " >host[" + printable(w->bytes.substr(0, 200)) + "]";
    } else if (const auto* op = std::get_if<modem::SocketOp>(&a)) {
      if (const auto* s = std::get_if<ftp::OpSend>(&op->op)) {
        out += std::string(s->sock == ftp::Sock::control ? " >ctrl[" : " >data[") +
               printable(s->bytes.substr(0, 80)) + "]";
      } else if (std::holds_alternative<ftp::OpConnect>(op->op)) {
        out += " >connect";
      } else if (std::holds_alternative<ftp::OpListen>(op->op)) {
        out += " >listen";
      } else {
        out += std::string(" >close-") +
               (std::get<ftp::OpClose>(op->op).sock == ftp::Sock::control ? "ctrl" : "data");
      }
    } else if (const auto* arm = std::get_if<modem::ArmTimer>(&a)) {
      out += " >timer@" + std::to_string(arm->at);
    }
  }
  std::fprintf(stderr, "%10lld %-8s %d%s | %s%s\n", static_cast<long long>(now),
               std::string(modem::state_name(engine.state())).c_str(),
               engine.in_data_mode() ? 1 : 0, "", in.c_str(), out.c_str());
}

}  // namespace

SessionHarness::SessionHarness(const std::uint8_t* data, std::size_t size, modem::DefectSet defects)
    : in_(data, size),
      profile_(profile_for(in_.back())),
      ufs_(profile_.ufs_capacity, profile_.ufs_capacity, store_reads_, kUfsFiles),
      sd_(profile_.ufs_capacity, profile_.ufs_capacity, store_reads_, kSdFiles),
      ram_(profile_.ram_file_size, profile_.ram_capacity(), store_reads_, kRamFiles),
      stores_{&ufs_, profile_.has_sd ? &sd_ : nullptr, profile_.has_ram ? &ram_ : nullptr},
      engine_(std::move(profile_), stores_, defects),
      plan_(in_),
      server_(plan_),
      oracle_({&ufs_, &sd_, &ram_}),
      loop_(engine_, server_, *this) {
  // Any login works, and the server answers from its plan's files only: uploads are counted, not
  // kept, so that every download stays recognisable to the oracle. Only the root exists.
  server_.check_login = false;
  server_.keep_uploads = false;
  server_.keep_log = false;
}

namespace {

Cause cause_of(const modem::Event& event) {
  if (std::holds_alternative<modem::SerialBytes>(event) ||
      std::holds_alternative<modem::HostHangup>(event)) {
    return Cause::host;
  }
  if (std::holds_alternative<modem::TimerFired>(event)) return Cause::timer;
  if (std::holds_alternative<modem::NetworkEvent>(event)) return Cause::network;
  return Cause::server;
}

}  // namespace

void SessionHarness::before(const modem::Event& event) {
  if (!observing_) return;
  oracle_.before_call(cause_of(event), engine_);
  if (const auto* bytes = std::get_if<modem::SerialBytes>(&event)) {
    oracle_.host_bytes(bytes->bytes);
  } else {
    oracle_.delivered(event);
  }
}

void SessionHarness::after(const modem::Event& event, const std::vector<modem::Action>& actions) {
  if (tracing()) trace(loop_.now(), event, actions, engine_);
  if (observing_) oracle_.after_call(engine_, actions);
}

void SessionHarness::step(const HostStep& s) {
  switch (s.kind) {
    case HostStep::Kind::bytes: {
      // The oracle must know which mode read each byte. In data mode one byte per event, since
      // an upload can end at any byte. In command mode nothing but a server event can start data
      // mode, so bytes go in chunks, each ending where a line may end (so that at most one line
      // completes per event). Chunking does not change what the engine does (at_stream_fuzzer).
      std::size_t pos = 0;
      while (pos < s.bytes.size()) {
        run_until(loop_.now());
        std::size_t end = pos + 1;
        if (!engine_.in_data_mode()) {
          while (end < s.bytes.size() && s.bytes[end - 1] != '\r' && s.bytes[end - 1] != '\n' &&
                 s.bytes[end - 1] != '/') {
            ++end;
          }
        }
        loop_.host(std::string_view(s.bytes).substr(pos, end - pos));
        pos = end;
      }
      return;
    }
    case HostStep::Kind::wait:
      run_until(loop_.now() + s.wait);
      return;
    case HostStep::Kind::server:
      switch (s.server) {
        case HostStep::Server::kick:
          server_.idle_timeout(loop_.now());
          break;
        case HostStep::Server::drop_control_eof:
          server_.hang_up(loop_.now(), ftp::SockError::eof);
          break;
        case HostStep::Server::drop_control_reset:
          server_.hang_up(loop_.now(), ftp::SockError::reset);
          break;
        case HostStep::Server::drop_data_eof:
          server_.cut_data(loop_.now(), ftp::SockError::eof);
          break;
        case HostStep::Server::drop_data_reset:
          server_.cut_data(loop_.now(), ftp::SockError::reset);
          break;
        case HostStep::Server::noise:
          server_.say(loop_.now(), kNoise[in_.back() % kNoise.size()]);
          break;
      }
      return;
    case HostStep::Kind::network:
      run_until(loop_.now());
      loop_.call(modem::NetworkEvent{loop_.now(), s.network});
      return;
  }
}

void SessionHarness::run() {
  // Echo off, unobserved: the host's own bytes never come back to be mistaken for answers.
  loop_.host("ATE0\r");
  observing_ = true;

  std::vector<HostStep> steps;
  steps.reserve(8);  // an op gives at most a few steps, but paced bytes up to 32
  while (loop_.calls() < kMaxCalls && next_steps(in_, steps)) {
    for (const auto& s : steps) {
      step(s);
    }
    steps.clear();
  }
  if (loop_.calls() >= kMaxCalls) {
    return;  // too long to judge; not a finding
  }
  // The host is done; the server, its script exhausted, now answers promptly and correctly, and
  // every timeout is at most minutes of virtual time away: a few hundred calls at most.
  const std::size_t rest_budget = loop_.calls() + kRestCalls;
  loop_.run_until(kNever - 1, rest_budget);
  QFTP_FUZZ_CHECK(loop_.calls() < rest_budget);  // liveness: the modem came to rest
  oracle_.at_rest(engine_);
}

}  // namespace qftp::fuzz
