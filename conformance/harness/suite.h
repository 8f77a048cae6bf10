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
#include "harness/dut_spec.h"
#include "harness/emulator_process.h"
#include "harness/fixture_control.h"
#include "harness/fixture_launcher.h"
#include "harness/profile.h"
#include "harness/te_session.h"
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
};

struct DutIdentity {
  std::string ati;
  std::string gmr;
  std::string gsn;
  std::string initial_state;  // AT+QFTPSTAT before any case ran (2.2.9 IDLE)
  // AT+QFTPCFG=<type> queries before any case ran: the defaults (ruling 7); the reset between cases
  // sets the defaults explicitly, so this is the only look at them.
  std::map<int, std::string> initial_cfg;
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
};

struct CaseRecord {
  std::string name;
  std::vector<std::string> requirements;
  Verdict verdict = Verdict::pass;
  std::string reason;  // the first failure or the mark's reason
  double duration_ms = 0;
  std::string log;
};

class Suite : public ::testing::Environment {
 public:
  explicit Suite(SuiteOptions options);
  ~Suite() override;
  static Suite* current();

  void SetUp() override;
  void TearDown() override;

  // Brings DUT and fixture to the state every case starts from; an error means the case cannot run.
  Status prepare_case();

  TeSession* session() { return session_.get(); }
  FixtureProcess* fixture() { return fixture_ ? &*fixture_ : nullptr; }
  FixtureControl* control() { return control_ ? &*control_ : nullptr; }
  EmulatorProcess* emulator() { return emulator_ ? &*emulator_ : nullptr; }
  bool has_network_control() const;
  Result<std::string> network_control(std::string_view line);
  std::filesystem::path emulator_ufs_dir() const;

  const SuiteOptions& options() const { return options_; }
  const Profile& profile() const { return options_.profile; }
  const DutIdentity& identity() const { return identity_; }
  const std::string& setup_error() const { return setup_error_; }
  Clock::time_point started() const { return started_; }

  CaseContext& context() { return context_; }
  std::vector<CaseRecord>& records() { return records_; }

 private:
  Status start_dut();
  Status connect_link();
  Status restart_emulator(const std::string& why);
  Status reset_dut();
  Status start_fixture();
  // A fixture that died, or a control connection that broke, is replaced before the next case.
  Status recover_fixture(const std::string& why);
  void probe_identity();

  SuiteOptions options_;
  std::optional<FixtureProcess> fixture_;
  std::optional<FixtureControl> control_;
  std::optional<EmulatorProcess> emulator_;
  std::unique_ptr<TeSession> session_;
  DutIdentity identity_;
  std::string setup_error_;
  Clock::time_point started_{};
  CaseContext context_;
  std::vector<CaseRecord> records_;
  int restarts_ = 0;
};

}  // namespace qftp::harness
