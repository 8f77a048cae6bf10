// compare.h: two or more runs (two firmware revisions, two modems, the emulator and a modem) in one
// table per requirement: what stayed the same, what regressed, what was fixed, what is newly not
// applicable; each verdict links to the case log in its own run's report.html.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "harness/report_reader.h"

namespace qftp::harness {

enum class Change : std::uint8_t { same, regressed, fixed, newly_not_applicable, changed, not_run };
std::string_view change_name(Change c);
// How a requirement's verdict in a later run differs from the first run's ("" = not run there).
Change classify(const std::string& first, const std::string& later);

struct CompareCell {
  std::string verdict;  // the observed verdict ("" when the run did not judge it)
  std::string label;    // as that run labelled it (known_deviation, fixed, ...)
  std::string link;     // report.html#case-... relative to the comparison's directory
  std::string reason;
};

struct CompareRow {
  std::string id;
  std::string text;
  std::vector<CompareCell> cells;  // one per run
  std::vector<Change> changes;     // one per run after the first, against the first
};

struct Comparison {
  std::vector<std::string> runs;  // one line per run: where, DUT, identity, defects
  std::vector<CompareRow> rows;   // the requirements whose verdict differs somewhere
  int same = 0;                   // the requirements with one verdict in every run
  int count(Change c) const;
};

// `out_dir` is where the comparison is written: the links are relative to it.
Comparison compare_reports(const std::vector<LoadedReport>& reports,
                           const std::filesystem::path& out_dir);
std::string comparison_markdown(const Comparison& c);
std::string comparison_html(const Comparison& c);

}  // namespace qftp::harness
