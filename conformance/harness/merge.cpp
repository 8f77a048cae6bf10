// merge.cpp: one run from several reports (merge.h).
#include "harness/merge.h"

#include <algorithm>
#include <set>

namespace qftp::harness {

Result<std::vector<std::filesystem::path>> expand_report_dirs(
    const std::vector<std::filesystem::path>& dirs) {
  std::vector<std::filesystem::path> out;
  for (const auto& d : dirs) {
    std::error_code ec;
    if (std::filesystem::exists(d / "report.json", ec) ||
        (std::filesystem::is_regular_file(d, ec))) {
      out.push_back(d);
      continue;
    }
    std::vector<std::filesystem::path> shards;
    for (const auto& e : std::filesystem::directory_iterator(d, ec)) {
      if (e.path().filename().string().rfind("shard-", 0) == 0 &&
          std::filesystem::exists(e.path() / "report.json", ec))
        shards.push_back(e.path());
    }
    if (shards.empty())
      return make_error(d.string() + " holds no report.json and no shard-N/report.json");
    std::sort(shards.begin(), shards.end());
    out.insert(out.end(), shards.begin(), shards.end());
  }
  return out;
}

MergedRun merge_reports(const std::vector<LoadedReport>& parts) {
  MergedRun m;
  RunInfo& run = m.run;
  const RunInfo& first = parts.front().run;
  run.dut = first.dut;
  run.profile = first.profile;
  run.data_dir = first.data_dir;
  run.identity = first.identity;
  run.defects = first.defects;
  run.strict_format = first.strict_format;
  run.started_at = first.started_at;
  run.baseline_file = first.baseline_file;
  run.baseline = first.baseline;
  std::set<int> indices;
  int total = 0;
  bool whole = true;  // every part is a complete run or a shard of one
  for (std::size_t i = 0; i < parts.size(); ++i) {
    const RunInfo& p = parts[i].run;
    const int index = p.shard_index >= 0 ? p.shard_index : static_cast<int>(i);
    indices.insert(index);
    total = std::max(total, p.shard_total);
    // Shards run side by side: the merged run took as long as its longest part.
    run.duration_s = std::max(run.duration_s, p.duration_s);
    run.started_at = std::min(run.started_at, p.started_at);
    for (const auto& w : p.warnings) {
      if (std::find(run.warnings.begin(), run.warnings.end(), w) == run.warnings.end())
        run.warnings.push_back(w);
    }
    if (p.dut != first.dut || p.identity.gmr != first.identity.gmr || p.defects != first.defects)
      run.warnings.push_back("part " + std::to_string(index) + " (" + parts[i].dir.string() +
                             ") ran against another DUT, firmware or set of defects than part " +
                             std::to_string(run.shards.empty() ? 0 : run.shards.front().index));
    const std::string status = p.setup_error.empty() ? (p.interrupted            ? "interrupted"
                                                        : !p.stop_reason.empty() ? "ended_early"
                                                        : p.partial              ? "partial"
                                                                                 : "complete")
                                                     : "setup_failed";
    const bool only_sharded =
        p.selected.empty() && p.filter == "*" && p.stop_reason.empty() && p.setup_error.empty();
    if (!only_sharded) whole = false;
    for (const auto& id : p.selected) run.selected.insert(id);
    if (p.filter != "*") run.filter = p.filter;
    int n = 0;
    for (auto c : parts[i].cases) {
      c.shard = index;
      m.cases.push_back(std::move(c));
      ++n;
    }
    run.shards.push_back({index, parts[i].dir.string(), status,
                          p.setup_error.empty() ? p.stop_reason : p.setup_error, n});
  }
  // Complete when the parts are the whole: every shard of a sharded run, or whole runs.
  bool all_shards = true;
  if (total > 0) {
    for (int i = 0; i < total; ++i) all_shards = all_shards && indices.count(i) != 0;
  }
  run.partial = !(whole && all_shards);
  if (run.partial && total > 0 && !all_shards)
    run.shard = std::to_string(indices.size()) + " of " + std::to_string(total) + " shards";
  return m;
}

}  // namespace qftp::harness
