// report_reader.h: a report.json read back, for compare and merge: the run, its case records
// (with their verdicts per requirement) and its requirement verdicts as that run labelled them.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "harness/report.h"

namespace qftp::harness {

struct ReportedRequirement {
  std::string label;     // the run's verdict: pass, fail, ..., known_deviation, fixed
  std::string observed;  // before the baseline
  std::string reason;
  std::string text;  // the statement
  std::vector<std::string> cases;
};

struct LoadedReport {
  std::filesystem::path dir;  // where report.json (and report.html) are
  RunInfo run;
  std::vector<CaseRecord> cases;
  std::map<std::string, ReportedRequirement> requirements;
};

// `where` is a report directory or its report.json.
Result<LoadedReport> read_report(const std::filesystem::path& where);

}  // namespace qftp::harness
