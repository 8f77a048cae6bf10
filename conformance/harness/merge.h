// merge.h: the reports of a run's shards (GTEST_TOTAL_SHARDS) or of repeated runs as one run: the
// cases of every part, each marked with its part's index, and the requirement verdicts computed
// again from all of them (never by adding the parts' summaries).
#pragma once

#include <filesystem>
#include <vector>

#include "harness/report_reader.h"

namespace qftp::harness {

struct MergedRun {
  RunInfo run;
  std::vector<CaseRecord> cases;
};

// A directory without a report.json of its own stands for its shard-N/ subdirectories.
Result<std::vector<std::filesystem::path>> expand_report_dirs(
    const std::vector<std::filesystem::path>& dirs);

MergedRun merge_reports(const std::vector<LoadedReport>& parts);

}  // namespace qftp::harness
