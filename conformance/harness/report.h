// report.h: what a run found, written as docs/architecture.md §3 says: report.json (summary,
// requirements, cases, dut), junit.xml, report.html and summary.md, all from the same case records.
#pragma once

#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include "harness/requirements.h"
#include "harness/result.h"
#include "harness/suite.h"

namespace qftp::harness {

struct Counts {
  int total = 0;
  int pass = 0;
  int fail = 0;
  int inconclusive = 0;
  int not_applicable = 0;
  int error = 0;
  void add(Verdict v);
};

struct RequirementResult {
  const Requirement* requirement = nullptr;
  Verdict verdict = Verdict::not_applicable;
  std::vector<std::string> cases;
  std::string reason;  // why it is not a pass (from its cases)
};

struct RunInfo {
  std::string dut;      // --dut as given
  std::string profile;  // profile name and file
  std::string data_dir;  // where the inventory, transcripts and profiles came from
  DutIdentity identity;
  std::vector<std::string> defects;
  bool strict_format = false;
  std::set<std::string> selected;
  std::string filter = "*";  // --gtest_filter
  std::string shard;         // "1 of 3" when sharded
  // A selection, a gtest filter, a shard, or a run that ended early: requirements not run are
  // left out, and every report's headline says so.
  bool partial = false;
  std::string setup_error;  // the run could not start: no case ran
  std::string stop_reason;  // the run ended before its selection ran out
  bool interrupted = false;  // by SIGINT, SIGTERM or SIGHUP
  std::vector<std::string> warnings;  // doubts about the run itself (Suite::warnings())
  double duration_s = 0;
  std::string started_at;  // ISO 8601, UTC
};

// What kind of run a report describes: "complete", "partial", "interrupted", "ended_early",
// "setup_failed".
std::string run_status(const RunInfo& run);
// The first line of every report: the outcome, and what kind of run it was (a partial run never
// reads like a complete one).
std::string headline(const Counts& cases, const RunInfo& run);

Counts count(const std::vector<CaseRecord>& cases);
Counts count(const std::vector<RequirementResult>& requirements);

// A case's verdict per requirement: its checks, or (in a report from before per-check verdicts)
// the case's verdict for every tag.
std::vector<RequirementCheck> checks_of(const CaseRecord& c);

// Requirement verdicts from case verdicts. With a selection, requirements no case ran are left out;
// without one, a requirement no case covers is an error.
std::vector<RequirementResult> requirement_results(const Inventory& inventory,
                                                   const std::vector<CaseRecord>& cases,
                                                   bool selection);

Status write_reports(const std::filesystem::path& dir, const Inventory& inventory,
                     const std::vector<CaseRecord>& cases, const RunInfo& run);

// "42 cases: 40 pass, 0 fail, ..." for the console.
std::string summary_line(const Counts& cases, const Counts& requirements, double duration_s);

}  // namespace qftp::harness
