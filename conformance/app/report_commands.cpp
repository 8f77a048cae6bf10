// report_commands.cpp: the compare and merge commands (report_commands.h). Exit codes as a run's:
// 0 nothing failed (compare: nothing regressed), 1 failures (regressions), 2 bad usage or an
// unreadable report, 3 a merged run with errors or parts missing.
#include "app/report_commands.h"

#include <CLI/CLI.hpp>
#include <fstream>
#include <iostream>

#include "harness/compare.h"
#include "te/kit_layout.h"
#include "harness/te_vocabulary.h"
#include "harness/merge.h"
#include "harness/report.h"

namespace qftp::app {
namespace {

namespace fs = std::filesystem;
using namespace qftp::harness;

constexpr int kUsage = 2;

bool write_text(const fs::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  return static_cast<bool>(out);
}

Result<std::vector<LoadedReport>> load_all(const std::vector<fs::path>& paths) {
  std::vector<LoadedReport> out;
  for (const auto& p : paths) {
    auto r = read_report(p);
    if (!r) return make_error(r.error());
    out.push_back(std::move(r).value());
  }
  return out;
}

}  // namespace

int run_compare(int argc, char** argv) {
  CLI::App app{"qftp-conformance compare: requirement verdicts of two or more runs side by side",
               "qftp-conformance compare"};
  std::vector<std::string> reports;
  std::string out_dir = "reports/compare";
  app.add_option("reports", reports,
                 "report directories (or report.json files); the first is the reference")
      ->required()
      ->expected(2, 1000);
  app.add_option("--out", out_dir, "where compare.md and compare.html go")->capture_default_str();
  app.footer(
      "\nExit codes: 0 nothing regressed against the first run; 1 something regressed; "
      "2 bad usage or an unreadable report.\n");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? 0 : kUsage;
  }
  auto loaded = load_all({reports.begin(), reports.end()});
  if (!loaded) {
    std::cerr << "qftp-conformance compare: " << loaded.error() << "\n";
    return kUsage;
  }
  std::error_code ec;
  fs::create_directories(out_dir, ec);
  const Comparison c = compare_reports(loaded.value(), out_dir);
  const std::string md = comparison_markdown(c);
  if (ec || !write_text(fs::path(out_dir) / "compare.md", md) ||
      !write_text(fs::path(out_dir) / "compare.html", comparison_html(c))) {
    std::cerr << "qftp-conformance compare: cannot write into " << out_dir << "\n";
    return 3;
  }
  std::cout << md << "\nqftp-conformance compare: " << c.rows.size() << " requirement(s) differ; "
            << out_dir << "/compare.md, compare.html\n";
  return c.count(Change::regressed) != 0 ? 1 : 0;
}

int run_merge(int argc, char** argv) {
  CLI::App app{
      "qftp-conformance merge: the reports of a run's shards (or of repeated runs) as one "
      "report",
      "qftp-conformance merge"};
  std::vector<std::string> dirs;
  std::string out_dir = "reports/merged";
  std::string data_dir_text = default_data_dir().string();
  app.add_option("dirs", dirs,
                 "report directories; one without a report.json stands for its shard-N/ "
                 "subdirectories")
      ->required();
  app.add_option("--out", out_dir,
                 "where the merged report.json, junit.xml, report.html and "
                 "summary.md go")
      ->capture_default_str();
  app.add_option("--data-dir", data_dir_text, "the kit's data (the requirement inventory)")
      ->capture_default_str();
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? 0 : kUsage;
  }
  const auto data_dir = check_data_dir(data_dir_text);
  if (!data_dir) {
    std::cerr << "qftp-conformance merge: " << data_dir.error() << "\n";
    return kUsage;
  }
  auto inventory = Inventory::load(data_dir.value() / "requirements" / "requirements.json");
  if (!inventory) {
    std::cerr << "qftp-conformance merge: " << inventory.error() << "\n";
    return kUsage;
  }
  auto paths = expand_report_dirs({dirs.begin(), dirs.end()});
  if (!paths) {
    std::cerr << "qftp-conformance merge: " << paths.error() << "\n";
    return kUsage;
  }
  for (const auto& p : paths.value()) {
    std::error_code ec;
    if (fs::weakly_canonical(p, ec) == fs::weakly_canonical(out_dir, ec)) {
      std::cerr << "qftp-conformance merge: --out " << out_dir
                << " is one of the reports merged; it would be overwritten\n";
      return kUsage;
    }
  }
  auto loaded = load_all(paths.value());
  if (!loaded) {
    std::cerr << "qftp-conformance merge: " << loaded.error() << "\n";
    return kUsage;
  }
  const MergedRun m = merge_reports(loaded.value());
  if (auto st = write_reports(out_dir, inventory.value(), m.cases, m.run); !st) {
    std::cerr << "qftp-conformance merge: " << st.error() << "\n";
    return 3;
  }
  const auto reqs = requirement_results(inventory.value(), m.cases, m.run);
  const Counts cc = count(m.cases);
  const Counts rc = count(reqs);
  for (const auto& w : m.run.warnings)
    std::cout << "qftp-conformance merge: warning: " << w << "\n";
  std::cout << "qftp-conformance merge: " << m.run.shards.size()
            << " parts: " << headline(cc, rc, m.run) << "; "
            << summary_line(cc, rc, m.run.duration_s) << "; reports in " << out_dir << "\n";
  if (rc.fail != 0) return 1;
  if (cc.error != 0 || rc.error != 0 || m.run.partial) return 3;
  return 0;
}

}  // namespace qftp::app
