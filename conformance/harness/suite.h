// suite.h: the suite's shared world, one per process (and so per gtest shard): the fixture (lower
// tester), the DUT and its TE session (upper tester), started once as a gtest Environment and reset
// to a known state before every case; plus the per-case bookkeeping the listener turns into
// results.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "harness/case_registry.h"
#include "harness/check_scope.h"
#include "te/dut_spec.h"
#include "te/emulator_process.h"
#include "te/fixture_control.h"
#include "te/fixture_launcher.h"
#include "te/profile.h"
#include "te/te_session.h"
#include "harness/te_vocabulary.h"
#include "harness/verdict.h"

namespace qftp::harness {

struct SuiteOptions {
  DutSpec dut;
  Profile profile;
  std::filesystem::path data_dir;  // the kit's data: transcripts, profiles (kit_layout.h)
  std::filesystem::path emulator_exe;
  std::filesystem::path emulator_profile;         // a qftp-emu profile instead of the derived one
  std::vector<std::string> emulator_defects;      // --defect for the spawned emulator
  std::optional<std::uint16_t> emulator_control;  // the control port of an emulator started by hand
  bool strict_format = false;                     // ruling 2 mismatches fail
  std::set<std::string> selected;                 // requirement IDs; empty selects every case
  bool keep_work_dirs = false;
  // A DUT that cannot be reset this many times in a row before a case has stopped answering: the
  // run ends there instead of erring through every remaining case.
  int max_failed_resets = 3;
  std::optional<Clock::time_point> run_deadline;  // no case starts after it
};

// Why a run ended before every selected case ran.
enum class RunStop : std::uint8_t {
  none,
  interrupted,      // SIGINT, SIGTERM or SIGHUP
  deadline,         // --run-timeout
  dut_not_answering,  // the DUT stopped answering (the case it stopped in failed)
  link_lost         // the link to the DUT broke and could not be made again
};

struct DutIdentity {
  std::string ati;
  std::string gmr;
  std::string gsn;
  std::string initial_state;  // AT+QFTPSTAT before any case ran (2.2.9 IDLE)
  // AT+QFTPCFG=<type> queries before any case ran: the defaults (ruling 7); the reset between cases
  // sets the defaults explicitly, so this is the only look at them.
  std::map<int, std::string> initial_cfg;
  // The <n> of AT+CREG?, AT+CLIP? and AT+COLP? before any case ran (F/38: the power-on values;
  // AT&F need not restore them, so this is the only look at them). Absent where the DUT refused.
  std::map<std::string, std::string, std::less<>> initial_settings;
};

// What a running case collects besides gtest's own failures.
struct CaseContext {
  const CaseTag* tag = nullptr;
  bool deselected = false;
  std::optional<Outcome> mark;  // not_applicable, inconclusive or error, with the reason
  std::vector<std::string> notes;
  std::string wire;
  std::string ftp_log;
  Clock::time_point started{};
  std::size_t wire_mark = 0;
  std::vector<std::string> scope;  // the requirements the checks now running are about (QFTP_CHECKS)
  std::vector<CheckEvent> events;  // failed checks and skips, each with its scope
};

struct CaseRecord {
  std::string name;
  std::vector<std::string> requirements;
  Verdict verdict = Verdict::pass;
  std::string reason;  // the first failure or the mark's reason
  double duration_ms = 0;
  std::string log;
  // The verdict per requirement tagged (check_verdicts.h); empty in reports written before checks
  // named their requirements, where every tag takes the case's verdict.
  std::vector<RequirementCheck> checks;
  int shard = -1;  // the shard (or repeated run) of a merged report it came from
};

class Suite : public ::testing::Environment {
 public:
  explicit Suite(SuiteOptions options);
  ~Suite() override;
  static Suite* current();

  // Starts the fixture and the DUT and checks that the DUT answers AT with OK, before any case:
  // an error here is the one reason the run cannot start. SetUp() calls it when main did not.
  Status start();
  void SetUp() override;
  void TearDown() override;

  // Brings DUT and fixture to the state every case starts from; an error means the case cannot run
  // (and, when run_stop() is set, that no further case will).
  Status prepare_case();
  // Arms the case watchdog (the PIXIT's case_timeout_ms, never past the run deadline).
  // From now, the PIXIT's case_timeout_ms plus `extra`: a case that waits a long default out
  // re-arms it with the wait it is about to make.
  void arm_watchdog(Ms extra = Ms(0));
  void disarm_watchdog();
  // When the harness, not the DUT, ended the current case: the link broke under it, the watchdog
  // fired, or the run was interrupted.
  std::optional<Outcome> harness_cause() const;

  RunStop run_stop() const { return run_stop_; }
  const std::string& run_stop_reason() const { return run_stop_reason_; }

  TeSession* session() { return session_.get(); }
  FixtureProcess* fixture() { return fixture_ ? &*fixture_ : nullptr; }
  FixtureControl* control() { return control_ ? &*control_ : nullptr; }
  EmulatorProcess* emulator() { return emulator_ ? &*emulator_ : nullptr; }
  // R/44 (ruling 15): why the host link cannot be ended here as the DUT's DTR drop (the PICS, the
  // PIXIT, a serial device without DTR), or nullopt when it can.
  std::optional<std::string> host_link_hangup_unavailable() const;
  // Ends the host link, keeps it ended for the PIXIT's hangup_hold_ms and gives the DUT a host
  // again (te/bench.h hang_up_link), the run's DUT lock held throughout.
  Status hang_up_host_link();
  bool has_network_control() const;
  Result<std::string> network_control(std::string_view line);
  std::filesystem::path emulator_ufs_dir() const;

  const SuiteOptions& options() const { return options_; }
  const Profile& profile() const { return options_.profile; }
  const DutIdentity& identity() const { return identity_; }
  const std::string& setup_error() const { return setup_error_; }
  // Things the run found about itself that make its verdicts doubtful (a DUT running another
  // profile than the one given): told on the console and in every report.
  const std::vector<std::string>& warnings() const { return warnings_; }
  Clock::time_point started() const { return started_; }

  CaseContext& context() { return context_; }
  std::vector<CaseRecord>& records() { return records_; }

 private:
  Status start_dut();
  Status connect_link();
  Status check_answers_at();
  Status reset_with_retries();
  void stop_run(RunStop why, std::string reason);
  Status restart_emulator(const std::string& why);
  Status reset_dut();
  Status start_fixture();
  // A fixture that died, or a control connection that broke, is replaced before the next case.
  Status recover_fixture(const std::string& why);
  void probe_identity();
  void check_profile_matches();

  SuiteOptions options_;
  std::optional<FixtureProcess> fixture_;
  std::optional<FixtureControl> control_;
  std::optional<EmulatorProcess> emulator_;
  std::unique_ptr<TeSession> session_;
  DutIdentity identity_;
  std::string setup_error_;
  std::vector<std::string> warnings_;
  Clock::time_point started_{};
  CaseContext context_;
  std::vector<CaseRecord> records_;
  int restarts_ = 0;
  bool started_once_ = false;
  RunStop run_stop_ = RunStop::none;
  std::string run_stop_reason_;
};

}  // namespace qftp::harness
