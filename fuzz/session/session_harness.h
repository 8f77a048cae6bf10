// The whole modem on virtual time for the session fuzzer: the engine, local stores, the FTP server
// model with the input's fault plan, and the host script, on the shared virtual loop, with the
// oracle watching every call. One object per input.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "common/input_reader.h"
#include "core/modem/modem_engine.h"
#include "session/fuzz_fault_plan.h"
#include "session/host_script.h"
#include "session/session_oracle.h"
#include "session/tapped_store.h"
#include "testing/ftp_server_model.h"
#include "testing/virtual_loop.h"

namespace qftp::fuzz {

class SessionHarness {
 public:
  // Beyond this many engine calls an input only costs time; it is dropped, not judged.
  static constexpr std::size_t kMaxCalls = 400000;

  SessionHarness(const std::uint8_t* data, std::size_t size, modem::DefectSet defects);

  // Plays the host script, then lets time run until nothing more can happen.
  void run();

 private:
  friend class testing::VirtualLoop<SessionHarness>;
  // The loop's watcher: the oracle around every call, and the trace.
  void before(const modem::Event& event);
  void after(const modem::Event& event, const std::vector<modem::Action>& actions);
  void run_until(TimeMs t) { loop_.run_until(t, kMaxCalls); }
  void step(const HostStep& s);

  InputReader in_;
  modem::DeviceProfile profile_;   // until engine_ takes it over (engine_.profile() after)
  std::uint64_t store_reads_ = 0;  // shared by the three stores
  TappedStore ufs_;
  TappedStore sd_;
  TappedStore ram_;
  modem::Stores stores_;  // the engine's view of them: SD and RAM only where the profile has them
  modem::ModemEngine engine_;
  FuzzFaultPlan plan_;
  testing::FtpServerModel server_;
  SessionOracle oracle_;
  testing::VirtualLoop<SessionHarness> loop_;
  bool observing_ = false;
};

}  // namespace qftp::fuzz
