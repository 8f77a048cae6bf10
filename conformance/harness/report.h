// report.h: what a run found, written as docs/architecture.md §3 says: report.json (summary,
// requirements, cases, dut), junit.xml, report.html and summary.md, all from the same case records
// and the same requirement results; with a baseline, known deviations stand apart from regressions.
#pragma once

#include <filesystem>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "harness/baseline.h"
#include "harness/requirements.h"
#include "te/result.h"
#include "harness/te_vocabulary.h"
#include "harness/suite.h"

namespace qftp::harness {

// A requirement's standing against the baseline: as observed, a known deviation (the baseline
// expects this non-pass verdict), or fixed (the baseline expects a non-pass and it passed).
enum class Standing : std::uint8_t { observed, known_deviation, fixed };

struct RequirementResult {
  const Requirement* requirement = nullptr;
  Verdict verdict = Verdict::not_applicable;  // as observed
  Standing standing = Standing::observed;
  std::optional<BaselineEntry> baseline;  // what the baseline expects of this firmware
  std::vector<std::string> cases;
  std::string reason;  // why it is not a pass (from its cases)

  // "pass", "fail", ..., or "known_deviation" / "fixed".
  std::string label() const;
};

struct Counts {
  int total = 0;
  int pass = 0;
  int fail = 0;
  int inconclusive = 0;
  int not_applicable = 0;
  int error = 0;
  int known_deviation = 0;  // requirements only
  int fixed = 0;            // requirements only
  void add(Verdict v);
  void add(const RequirementResult& r);
};

// One shard (or repeated run) of a merged report.
struct ShardInfo {
  int index = 0;
  std::string source;  // the report directory it came from
  std::string status;  // its run status
  std::string headline;
  int cases = 0;
};

struct RunInfo {
  std::string dut;       // --dut as given
  std::string profile;   // profile name and file
  std::string data_dir;  // where the inventory, transcripts and profiles came from
  DutIdentity identity;
  std::vector<std::string> defects;
  bool strict_format = false;
  std::set<std::string> selected;
  std::string filter = "*";  // --gtest_filter
  std::string shard;         // "1 of 3" when sharded
  int shard_index = -1;
  int shard_total = 0;
  // A selection, a gtest filter, a shard, or a run that ended early: requirements not run are
  // left out, and every report's headline says so.
  bool partial = false;
  std::string setup_error;            // the run could not start: no case ran
  std::string stop_reason;            // the run ended before its selection ran out
  bool interrupted = false;           // by SIGINT, SIGTERM or SIGHUP
  std::vector<std::string> warnings;  // doubts about the run itself (Suite::warnings())
  double duration_s = 0;
  std::string started_at;                    // ISO 8601, UTC
  std::string baseline_file;                 // --baseline as given
  std::optional<FirmwareBaseline> baseline;  // its entry for this firmware, if it has one
  std::vector<ShardInfo> shards;             // the parts of a merged report
};

// What kind of run a report describes: "complete", "partial", "interrupted", "ended_early",
// "setup_failed".
std::string run_status(const RunInfo& run);
// The first line of every report: the outcome, and what kind of run it was (a partial run never
// reads like a complete one). The outcome is the requirements': a known deviation is no failure.
std::string headline(const Counts& cases, const Counts& requirements, const RunInfo& run);

Counts count(const std::vector<CaseRecord>& cases);
Counts count(const std::vector<RequirementResult>& requirements);

// A case's verdict per requirement: its checks, or (in a report from before per-check verdicts)
// the case's verdict for every tag.
std::vector<RequirementCheck> checks_of(const CaseRecord& c);

// Requirement verdicts from case verdicts, then the baseline's standing. With a partial run,
// requirements no case ran are left out; otherwise a requirement no case covers is an error.
std::vector<RequirementResult> requirement_results(const Inventory& inventory,
                                                   const std::vector<CaseRecord>& cases,
                                                   const RunInfo& run);

// A failed case whose failed requirements are all known deviations.
bool only_known_deviations(const CaseRecord& c, const std::vector<RequirementResult>& reqs);

// Where a case's log is in report.html ("case-S2_2_3_Put-UploadThrough...").
std::string case_anchor(std::string_view name);

Status write_reports(const std::filesystem::path& dir, const Inventory& inventory,
                     const std::vector<CaseRecord>& cases, const RunInfo& run);

// "42 cases: 40 pass, 0 fail, ..." for the console.
std::string summary_line(const Counts& cases, const Counts& requirements, double duration_s);

}  // namespace qftp::harness
