// bench_run.h: runs qftp-dutfuzz's cases on a bench: the fixture as the FTP peer (its faults part
// of the input), the DUT on its link, the reference twin beside it; after each case the oracles
// judge what the DUT did (docs/dutfuzz.md): liveness, reboot, framing, the +QFTPSTAT transitions,
// the bytes through /COM/ against what the server holds, and the differential oracle.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "dut_case.h"
#include "output_tokens.h"
#include "te/dut_lock.h"
#include "te/dut_spec.h"
#include "te/emulator_process.h"
#include "te/fixture_control.h"
#include "te/fixture_launcher.h"
#include "te/profile.h"
#include "twin.h"

namespace qftp::dutfuzz {

struct BenchOptions {
  te::DutSpec dut;
  te::Profile profile;
  std::filesystem::path emulator_exe;
  std::filesystem::path emulator_profile;  // a qftp-emu profile instead of the derived one
  std::vector<std::string> emulator_defects;
  bool emulator_tcp = false;   // the spawned emulator's serial side on loopback TCP, not a pty
  long emulator_baud = 0;      // qftp-emu --baud: its serial side paced like a UART
  std::string reset_cmd;       // shell command that power-cycles a real DUT
  std::uint32_t settle_ms = 30;  // quiet time that ends a step's answer
  bool differential = true;
};

struct Finding {
  std::string oracle;  // liveness, reboot, link, framing, state, invariant, deviation
  std::string kind;    // robustness or deviation
  std::size_t step = 0;
  std::string first_command;
  std::string detail;
  // What tells findings apart: the first command's name and the shape of the line that differs.
  std::string signature;
  std::string key() const { return oracle + " @ " + (signature.empty() ? first_command : signature); }
};

// The name of the first command of a line ("AT+QFTPOPEN", "ATE", "AT&F").
std::string command_name(std::string_view line);

struct CaseRun {
  std::vector<Finding> findings;
  std::set<std::string> features;  // response shapes and states reached
  std::string transcript;          // the case's wire both ways, readable
  std::size_t bytes_sent = 0;
};

class Bench {
 public:
  static te::Result<std::unique_ptr<Bench>> start(BenchOptions options);
  ~Bench();
  Bench(const Bench&) = delete;
  Bench& operator=(const Bench&) = delete;

  // One case from the state every case starts from; an error is the tool's or the bench's failure
  // (the fixture died, the DUT cannot be reached or reset), not a finding.
  te::Result<CaseRun> run(const Case& c);

  // ATI, AT+GMR, AT+GSN as the DUT answered them before the first case.
  const std::string& identity() const { return identity_; }
  const BenchOptions& options() const { return options_; }
  // The fixture's FTP port, which the generated AT+QFTPOPEN lines name.
  std::uint16_t fixture_port() const;

 private:
  explicit Bench(BenchOptions options);
  struct StepOut {
    std::string dut;
    std::string twin;
  };
  te::Status start_dut();
  te::Status start_fixture();
  te::Status connect();
  te::Status resync(const std::string& why);
  void sync_twin();
  // `bytes` with the bench's values in place of ${host}, ${port}, ${user}, ${password}, ${apn}.
  std::string on_bench(std::string_view bytes) const;
  te::Status send_both(const Step& step, StepOut& out);
  te::Status collect(StepOut& out, std::chrono::milliseconds wait);
  te::Status exec(const Step& step, StepOut& out, std::string& transcript);
  te::Result<std::optional<Finding>> prologue(std::string& transcript);
  std::optional<std::string> probe_alive();
  void judge(const Case& c, const std::vector<StepOut>& outs, std::size_t epilogue_from,
             CaseRun& run);

  BenchOptions options_;
  std::optional<te::DutLock> lock_;
  std::optional<te::FixtureProcess> fixture_;
  std::optional<te::FixtureControl> control_;
  std::optional<te::EmulatorProcess> emulator_;
  std::optional<te::DutLink> link_;
  std::optional<Twin> twin_;
  bool twin_valid_ = true;
  bool dirty_ = true;  // the next prologue restores every default
  std::chrono::steady_clock::time_point twin_synced_{};
  std::string identity_;
  std::size_t bytes_sent_ = 0;
  std::vector<char> line_ends_;  // S3 values the cases set (ATS3=n), to end a line with in a recovery
};

}  // namespace qftp::dutfuzz
