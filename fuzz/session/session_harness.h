// The whole modem on virtual time for the session fuzzer: the engine, local stores, the scripted
// FTP server and the host script, wired through events and actions, with the oracle watching
// every call. One object per input.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "common/input_reader.h"
#include "core/modem/modem_engine.h"
#include "session/host_script.h"
#include "session/scripted_ftp_server.h"
#include "session/session_oracle.h"
#include "session/tapped_store.h"

namespace qftp::fuzz {

class SessionHarness {
 public:
  // Beyond this many engine calls an input only costs time; it is dropped, not judged.
  static constexpr std::size_t kMaxCalls = 400000;

  SessionHarness(const std::uint8_t* data, std::size_t size, modem::DefectSet defects);

  // Plays the host script, then lets time run until nothing more can happen.
  void run();

 private:
  void call(const modem::Event& event, Cause cause);
  void host_call(std::string_view bytes);  // host bytes at now_
  // Delivers everything due up to t in time order (at most until `budget` calls in all).
  void run_until(TimeMs t, std::size_t budget);
  void run_until(TimeMs t) { run_until(t, kMaxCalls); }
  void step(const HostStep& s);

  InputReader in_;
  modem::DeviceProfile profile_;   // until engine_ takes it over (engine_.profile() after)
  std::uint64_t store_reads_ = 0;  // shared by the three stores
  TappedStore ufs_;
  TappedStore sd_;
  TappedStore ram_;
  modem::Stores stores_;  // the engine's view of them: SD and RAM only where the profile has them
  modem::ModemEngine engine_;
  std::vector<modem::Action> actions_;             // of the call in progress; its storage reused
  modem::Event host_event_{modem::SerialBytes{}};  // host_call's, its buffer reused
  ScriptedFtpServer server_;
  SessionOracle oracle_;
  TimeMs now_ = 0;
  TimeMs wakeup_ = kNever;
  bool observing_ = false;
  std::size_t calls_ = 0;
};

}  // namespace qftp::fuzz
