// The modem on virtual time: one loop that hands the engine its events in time order (the host's
// bytes, the FTP server model's socket events, the engine's one wake-up) and carries out the
// actions it returns. VirtualModem and the session fuzzer both run the engine through it; a
// Watcher sees every call, before and after (the fuzzer's oracle, a test's output buffer):
//   void before(const modem::Event&);
//   void after(const modem::Event&, const std::vector<modem::Action>&);
#pragma once

#include <algorithm>
#include <cstddef>
#include <limits>
#include <string_view>
#include <vector>

#include "core/modem/modem_engine.h"
#include "testing/ftp_server_model.h"

namespace qftp::testing {

template <typename Watcher>
class VirtualLoop {
 public:
  VirtualLoop(modem::ModemEngine& engine, FtpServerModel& server, Watcher& watcher)
      : engine_(engine), server_(server), watcher_(watcher) {
    actions_.reserve(8);  // swapped with the engine's after every call: the two share the growth
  }

  TimeMs now() const { return now_; }
  std::size_t calls() const { return calls_; }
  // When the next thing is due: the server's next event or the engine's wake-up (kNever: none).
  TimeMs next_due() const { return std::min(server_.next_time(), wakeup_); }

  // One event into the engine, at now(), and everything it asks for.
  void call(const modem::Event& event) {
    ++calls_;
    watcher_.before(event);
    engine_.handle(event);
    engine_.take_actions(actions_);
    watcher_.after(event, actions_);
    for (const auto& action : actions_) {
      if (const auto* arm = std::get_if<modem::ArmTimer>(&action)) {
        wakeup_ = arm->at;
      } else if (std::holds_alternative<modem::CancelTimer>(action)) {
        wakeup_ = kNever;
      } else if (const auto* op = std::get_if<modem::SocketOp>(&action)) {
        server_.on_op(now_, op->op);
      }
    }
  }

  // The host's bytes at now(), in one event.
  void host(std::string_view bytes) {
    auto& event = std::get<modem::SerialBytes>(host_event_);
    event.t = now_;
    event.bytes.assign(bytes);
    call(host_event_);
  }

  // Delivers everything due up to `t` in time order, the server's events before a wake-up due at
  // the same time, until `budget` calls have been made in all; then the time is `t`.
  void run_until(TimeMs t, std::size_t budget = std::numeric_limits<std::size_t>::max()) {
    while (calls_ < budget) {
      const TimeMs next_event = server_.next_time();
      const TimeMs next = std::min(next_event, wakeup_);
      if (next > t) break;
      now_ = std::max(now_, next);
      if (next_event <= wakeup_) {
        if (auto event = server_.pop_due(now_)) call(*event);
      } else {
        wakeup_ = kNever;
        call(modem::TimerFired{now_});
      }
    }
    now_ = std::max(now_, t);
  }

 private:
  modem::ModemEngine& engine_;
  FtpServerModel& server_;
  Watcher& watcher_;
  std::vector<modem::Action> actions_;             // of the call in progress; its storage reused
  modem::Event host_event_{modem::SerialBytes{}};  // host()'s, its buffer reused
  TimeMs now_ = 0;
  TimeMs wakeup_ = kNever;
  std::size_t calls_ = 0;
};

}  // namespace qftp::testing
