// campaign.h: a qftp-dutfuzz campaign: cases until the time or case budget is spent, the cases
// that reach a new response shape or state kept (and saved to the corpus directory, which a later
// night resumes from), each new finding minimised by delta debugging over its steps and saved as
// a replay file with its transcript; and the reports.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "bench_run.h"
#include "dut_case.h"
#include "generator.h"

namespace qftp::dutfuzz {

struct CampaignOptions {
  std::uint64_t seed = 1;
  std::optional<std::chrono::seconds> time;
  std::optional<std::uint64_t> max_cases;
  std::filesystem::path corpus_dir;  // kept cases, read at start and grown
  std::filesystem::path report_dir;
  std::vector<Case> seeds;
  GenContext gen;
  unsigned minimise_runs = 48;  // at most this many re-runs to minimise one finding
  std::string dut_description;
};

struct FoundRecord {
  Finding finding;
  Case minimal;
  std::size_t original_steps = 0;
  double after_s = 0;  // campaign time at which it was found
  std::uint64_t after_cases = 0;
  std::filesystem::path replay;
  std::filesystem::path transcript;
  unsigned hits = 1;
  // The minimised case, run alone once more for its transcript, showed the finding again. False:
  // what the finding saw came from before the case (late output of the case before it) or from
  // timing, and its replay may not reproduce it.
  bool reproduced = true;
};

struct CampaignSummary {
  std::uint64_t cases = 0;
  double duration_s = 0;
  std::uint64_t bytes_sent = 0;
  // The sustained streams among the cases (GenContext::stream_share) and the time they took.
  std::uint64_t stream_cases = 0;
  double stream_s = 0;
  std::size_t features = 0;
  std::vector<std::string> states;  // the reference's service states the cases left it in
  std::size_t corpus = 0;
  std::vector<FoundRecord> findings;
};

// Runs the campaign; an error is a failure of the bench (exit 3).
te::Result<CampaignSummary> run_campaign(Bench& bench, const CampaignOptions& options);

// Re-runs a replay file's case; its findings (none: the DUT passes it).
te::Result<std::vector<Finding>> replay(Bench& bench, const std::filesystem::path& file,
                                        std::string& transcript);

// The replay file: the case, what was found, on which DUT.
nlohmann::json replay_json(const FoundRecord& f, const std::string& dut, const std::string& identity);

// report.json, summary.md, report.html and junit.xml in `dir`.
te::Status write_reports(const std::filesystem::path& dir, const CampaignSummary& s,
                         const CampaignOptions& o, const Bench& bench);

}  // namespace qftp::dutfuzz
