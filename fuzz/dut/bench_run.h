// bench_run.h: runs qftp-dutfuzz's cases on a bench: the fixture as the FTP peer (its faults part
// of the input), the DUT on its link, the reference twin beside it; after each case the oracles
// judge what the DUT did (docs/dutfuzz.md): liveness, reboot, framing, the +QFTPSTAT transitions,
// the bytes through /COM/ against what the server holds, and the differential oracle.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <filesystem>
#include <functional>
#include <map>
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
  std::uint32_t settle_ms = 30;  // quiet time that ends a step's answer the reference cannot tell
  // Every step's answer ended by a quiet time, the reference's answer or not (how the tool worked
  // before it let the reference say when a step is answered; the benchmark's "before").
  bool quiet_waits = false;
  // A silence before a step in data mode, or a gap between its bytes, this close to the guard or
  // gap time of the escape is on the limit: the DUT reads the bytes later than the TE wrote them,
  // so which side of the limit it saw is not known, and the rest of the case is judged by the
  // robustness oracles alone.
  std::uint32_t timing_tolerance_ms = 40;
  bool differential = true;
};

// Where a campaign's time goes on the bench, in seconds, summed over every case run (minimising
// runs included). The phases add up to the time the bench ran; the waits are inside them.
struct TimeSplit {
  double prologue = 0;  // AT&F, the close, the fixture's RESET, the defaults
  double steps = 0;     // the case's own steps
  double epilogue = 0;  // out of data mode, ATQ0V1, AT
  double judge = 0;     // the oracles, the fixture's file list among them
  double recovery = 0;  // a DUT brought back after a finding (the emulator started again)
  // Inside the phases:
  double input_pauses = 0;  // silences and byte gaps that are part of a case's input
  double pacing = 0;        // waiting for the line to send the TE's bytes (before a silence, a long run)
  double answers = 0;       // waiting for the lines the reference says the DUT owes
  double quiet = 0;         // quiet periods that end an answer the reference cannot tell
  double fixture = 0;       // round trips to the fixture's control port
};

struct Finding {
  std::string oracle;  // liveness, reboot, link, framing, state, invariant, deviation
  std::string kind;    // robustness or deviation
  std::size_t step = 0;
  std::string first_command;
  std::string detail;
  // What tells findings apart: the first command's name and the shape of the line that differs.
  std::string signature;
  // What is wrong, named by what the DUT answered rather than by the oracle that saw it: the
  // result line ("+QFTPLEN") whose value is wrong, or a command's final result. Two oracles that
  // see one defect (the differential oracle and transfer-length both see a wrong +QFTPLEN) give
  // one subject; empty where the oracle and the command are all there is to say.
  std::string subject{};
  std::string key() const {
    if (!subject.empty()) return subject;
    return oracle + " @ " + (signature.empty() ? first_command : signature);
  }
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
  const TimeSplit& time_split() const { return split_; }
  // The line's rate in baud when the link has one (a serial port, RFC 2217, the emulator paced
  // with --emulator-baud); 0 for a link without one (raw TCP, an unpaced pty).
  std::uint64_t line_baud() const;
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
  void restart_twin();
  // `bytes` with the bench's values in place of ${host}, ${port}, ${user}, ${password}, ${apn}.
  std::string on_bench(std::string_view bytes) const;
  te::Status send_both(const Step& step, StepOut& out);
  // Reads a step's answer. `quiet_end`: a quiet time ends it even when the reference's answer is
  // all there (the last step of a case, so that nothing the DUT writes late is missed).
  // `wait_final`: the step is a command line, so the DUT's answer is not complete before its final
  // result when the reference's has one.
  te::Status collect(StepOut& out, std::chrono::milliseconds wait, bool quiet_end = false,
                     bool wait_final = false);
  // Sends on the link, keeping account of when the line has sent it at its rate, and gives the
  // twin the bytes.
  te::Status send_paced(std::string_view bytes, StepOut& out);
  // Until the line has sent all it was given (a silence that is input starts then).
  void wait_line_free();
  te::Status exec(const Step& step, StepOut& out, std::string& transcript, bool quiet_end = false);
  // Options::timing_tolerance_ms: the step's silence or byte gap is on the escape's limits.
  bool on_the_limit(const Step& step) const;
  te::Result<std::optional<Finding>> prologue(std::string& transcript);
  // The set-up with its retry; `after_case`: right after a case, whose late output it sees.
  te::Status prepare(CaseRun& run, bool after_case);
  std::optional<std::string> probe_alive();
  void judge(const Case& c, const std::vector<StepOut>& outs, std::size_t epilogue_from,
             CaseRun& run);
  // The standalone oracles (no reference's answer needed): exactly one final result per command
  // line, in the DUT's current result format; +QFTPLEN equal to the bytes a /COM/ transfer moved.
  void judge_final_results(const Case& c, const std::vector<StepOut>& outs, std::size_t epilogue_from,
                           CaseRun& run);
  void judge_transfer_length(const Case& c, const std::vector<StepOut>& outs,
                             const std::function<const std::map<std::string, std::uint64_t>*()>& held,
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
  std::chrono::steady_clock::time_point twin_synced_{};  // the bench's time the twin's clock is at
  // Bytes sent on a line with a rate that the line has not yet brought to the reference, each
  // with the time it arrives (sync_twin() hands them over as the reference's clock gets there).
  std::deque<std::pair<std::chrono::steady_clock::time_point, std::string>> twin_line_;
  std::string identity_;
  std::size_t bytes_sent_ = 0;
  // The bytes the DUT's last transfer moved through /COM/ (what AT+QFTPLEN must answer), when
  // known: 0 for a freshly started emulator, unknown for a real DUT until a transfer is seen.
  std::optional<std::uint64_t> last_len_;
  // The result format the set-up left the DUT in, as its answer to the set-up's last line showed:
  // 'v' words (ATV1), 'n' digits (ATV0), 'q' none (ATQ1).
  char result_form_ = 'v';
  std::chrono::steady_clock::time_point line_free_{};
  bool prepared_ = false;      // the set-up of the next case has run
  bool ended_at_barrier_ = false;  // the last case ended at AT's final result, without a quiet time
  std::string setup_dut_;   // what the DUT wrote in the last set-up, all its lines
  std::string setup_twin_;  // what the reference wrote there
  std::size_t last_steps_ = 0;  // the steps of the case last run  // when the line has sent all it was given
  TimeSplit split_;
  std::vector<char> line_ends_;  // S3 values the cases set (ATS3=n), to end a line with in a recovery
};

}  // namespace qftp::dutfuzz
