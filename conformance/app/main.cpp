// qftp-conformance: the conformance suite for the AT+QFTP* commands of Quectel GSM modules, run
// against a DUT (the spawned qftp-emu, a serial modem, a TCP serial server); writes the reports.
#include <gtest/gtest.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <iostream>

#include "app/report_commands.h"
#include "core/common/kit_version.h"
#include "harness/baseline_update.h"
#include "harness/case_registry.h"
#include "te/dut_lock.h"
#include "te/interruption.h"
#include "te/kit_layout.h"
#include "te/profile.h"
#include "harness/te_vocabulary.h"
#include "harness/report.h"
#include "harness/requirements.h"
#include "harness/result_listener.h"
#include "harness/suite.h"

namespace {

namespace fs = std::filesystem;
using namespace qftp::harness;

std::string utc_now() {
  const std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

// Every requirement has a case and every case names known requirements.
int check_coverage(const Inventory& inventory) {
  int problems = 0;
  std::map<std::string, int> covered;
  for (const auto& tag : CaseRegistry::instance().all()) {
    if (tag.requirements.empty()) {
      std::cout << "case " << tag.full_name() << " (" << tag.file << ":" << tag.line
                << ") names no requirement\n";
      ++problems;
    }
    for (const auto& id : tag.requirements) {
      if (inventory.find(id) == nullptr) {
        std::cout << "case " << tag.full_name() << " (" << tag.file << ":" << tag.line
                  << ") names unknown requirement " << id << "\n";
        ++problems;
      }
      ++covered[id];
    }
  }
  for (const auto& r : inventory.all()) {
    if (covered.count(r.id) == 0) {
      std::cout << "requirement " << r.id << " has no case: " << r.text << "\n";
      ++problems;
    }
  }
  std::cout << inventory.all().size() << " requirements, " << CaseRegistry::instance().all().size()
            << " cases, " << problems << " coverage problem(s)\n";
  return problems == 0 ? 0 : 1;
}

bool known_selection(const Inventory& inventory, const std::string& id) {
  if (!id.empty() && id.back() == '*') {
    const std::string prefix = id.substr(0, id.size() - 1);
    for (const auto& r : inventory.all()) {
      if (r.id.compare(0, prefix.size(), prefix) == 0) return true;
    }
    return false;
  }
  return inventory.find(id) != nullptr;
}

// Exit codes (docs/architecture.md §3).
constexpr int kExitPass = 0;
constexpr int kExitDutFailed = 1;
constexpr int kExitUsage = 2;
constexpr int kExitHarness = 3;

bool wants_own_help(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    const std::string_view a = argv[i];
    if (a == "--help" || a == "-h") return true;
  }
  return false;
}

constexpr const char* kGtestHelp =
    "\nGoogleTest's own flags work too, among them:\n"
    "  --gtest_filter=PATTERN    run only the cases whose Suite.Name matches (e.g. 'S2_2_8_Cfg.*')\n"
    "  --gtest_list_tests        list the cases and exit (no report is written)\n"
    "  --gtest_repeat=N, --gtest_shuffle, GTEST_TOTAL_SHARDS/GTEST_SHARD_INDEX (shards)\n"
    "  --gtest_help              all of GoogleTest's flags\n"
    "\nExit codes: 0 no fail and no error; 1 the DUT failed; 2 bad usage (also a selection that\n"
    "selects no case); 3 the harness or the set-up failed, or the run was interrupted.\n";

// What --baseline and --write-baseline ask of a run.
struct BaselineOptions {
  std::optional<BaselineFile> file;  // --baseline, loaded and checked before anything ran
  std::string write_path;            // --write-baseline
};

// The report and the console line of a run that could not start, or that ran.
int finish(const fs::path& out_dir, const Inventory& inventory, Suite& suite, RunInfo info,
           std::chrono::steady_clock::time_point t0, const BaselineOptions& baseline) {
  info.duration_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  info.identity = suite.identity();
  info.warnings = suite.warnings();
  if (baseline.file && info.setup_error.empty()) {
    if (const auto* fw = baseline.file->find(info.identity.gmr, info.identity.ati)) {
      info.baseline = *fw;
    } else {
      info.warnings.push_back("the baseline " + info.baseline_file +
                              " has no entry for this firmware (AT+GMR \"" + info.identity.gmr +
                              "\"): every failure counts as a regression");
    }
  }
  for (const auto& w : info.warnings) std::cout << "qftp-conformance: warning: " << w << "\n";
  const auto& records = suite.records();
  if (auto st = write_reports(out_dir, inventory, records, info); !st) {
    std::cerr << "qftp-conformance: " << st.error() << "\n";
    return kExitHarness;
  }
  if (!info.setup_error.empty()) {
    std::cout << "qftp-conformance: set-up failed, no case ran: " << info.setup_error
              << "; report in " << out_dir.string() << "\n";
    return kExitHarness;
  }
  const auto results = requirement_results(inventory, records, info);
  const Counts cases = count(records);
  const Counts reqs = count(results);
  if (!info.stop_reason.empty())
    std::cout << "qftp-conformance: the run ended early: " << info.stop_reason << "\n";
  for (const auto& r : results) {
    if (r.standing == Standing::fixed)
      std::cout << "qftp-conformance: fixed: " << r.requirement->id
                << " passes, the baseline expects " << verdict_name(r.baseline->expected)
                << " (" << r.baseline->reason << ")\n";
  }
  std::cout << "qftp-conformance: " << headline(cases, reqs, info) << "; "
            << summary_line(cases, reqs, info.duration_s) << "; reports in " << out_dir.string()
            << "\n";
  if (!baseline.write_path.empty()) {
    if (auto st = update_baseline_file(baseline.write_path, inventory, results, info.identity);
        !st) {
      std::cerr << "qftp-conformance: --write-baseline: " << st.error() << "\n";
      return kExitHarness;
    }
    std::cout << "qftp-conformance: baseline written to " << baseline.write_path << "\n";
  }
  if (suite.run_stop() == RunStop::interrupted || suite.run_stop() == RunStop::link_lost ||
      suite.run_stop() == RunStop::deadline)
    return kExitHarness;
  // The requirements decide: a failed check fails its requirement, and a known deviation does not
  // count.
  if (reqs.fail != 0) return kExitDutFailed;
  if (cases.error != 0 || reqs.error != 0) return kExitHarness;
  return kExitPass;
}

int run(int argc, char** argv) {
  CLI::App app{
      "qftp-conformance: conformance suite for the AT+QFTP* commands of Quectel GSM modules",
      "qftp-conformance"};
  app.set_version_flag("--version", qftp::kit_version_line("qftp-conformance"));
  std::string dut_text = "emulator";
  std::string data_dir_text = default_data_dir().string();
  std::string profile_path;    // default: <data dir>/profiles/emulator.json
  std::string report_dir = "reports/latest";
  std::string inventory_path;  // default: <data dir>/requirements/requirements.json
  std::vector<std::string> requirements;
  std::vector<std::string> defects;
  std::string emulator_path;
  std::string emulator_profile;
  std::string write_emulator_profile;
  std::uint16_t emulator_control = 0;
  int max_failed_resets = 3;
  unsigned run_timeout_s = 0;
  bool strict = false;
  bool coverage = false;
  bool keep = false;
  bool list_requirements = false;
  bool quiet = false;
  std::string baseline_path;
  std::string write_baseline_path;
  app.add_option("--dut", dut_text,
                 "emulator | serial:DEV[,baud=N][,rtscts] | tcp:HOST:PORT[,telnet[,baud=N][,rtscts]]")
      ->capture_default_str();
  app.add_option("--profile", profile_path,
                 "PICS/PIXIT profile: a JSON file, or the name of a shipped one (emulator, m33, "
                 "m_series_lab, realistic) [default: emulator]");
  app.add_option("--data-dir", data_dir_text,
                 "the kit's data: requirements, transcripts, profiles (share/qftp-kit)")
      ->capture_default_str();
  app.add_option("--report-dir", report_dir,
                 "where report.json, junit.xml, report.html, summary.md go")
      ->capture_default_str();
  app.add_option("--requirement", requirements,
                 "run only the cases tagged with this ID (repeatable; \"2.2.1/*\")");
  app.add_flag("--strict-format", strict,
               "a URC spacing that differs from the profile's fails (ruling 2)");
  app.add_option("--max-failed-resets", max_failed_resets,
                 "end the run when the DUT cannot be reset this many times in a row")
      ->check(CLI::Range(1, 100))
      ->capture_default_str();
  app.add_option("--run-timeout", run_timeout_s,
                 "seconds after which no further case starts and the run ends (exit 3); "
                 "0: none beyond each case's watchdog (the PIXIT's case_timeout_ms)")
      ->check(CLI::Range(0U, 7U * 24 * 3600))
      ->capture_default_str();
  app.add_option("--emulator-defect", defects,
                 "pass --defect NAME to the spawned emulator (repeatable)");
  app.add_option("--emulator", emulator_path, "the qftp-emu binary for --dut emulator");
  app.add_option("--emulator-profile", emulator_profile,
                 "a qftp-emu device profile instead of the one derived from --profile");
  app.add_option(
         "--emulator-control", emulator_control,
         "control port of an emulator you started yourself (network faults over serial:/tcp:)")
      ->check(CLI::Range(1, 65535));
  app.add_option("--write-emulator-profile", write_emulator_profile,
                 "write the qftp-emu profile derived from --profile to FILE and exit");
  app.add_option("--inventory", inventory_path,
                 "the requirement inventory [default: <data dir>/requirements/requirements.json]");
  app.add_flag("--check-coverage", coverage,
               "check that every requirement has a case and every case's IDs exist");
  app.add_flag("--list-requirements", list_requirements,
               "list the requirement inventory (ID, PICS condition, statement) and exit");
  app.add_flag("--keep-work-dirs", keep, "keep the fixture's and emulator's work directories");
  app.add_option("--baseline", baseline_path,
                 "what this firmware is known not to meet (JSON, or YAML as .yaml/.yml): known "
                 "deviations do not fail the run, regressions do");
  app.add_option("--write-baseline", write_baseline_path,
                 "write (or update) this firmware's entry in FILE from the run's failures");
  app.add_flag("--quiet", quiet,
               "print only the cases that did not pass, and the summary (for CI logs)");
  app.footer(kGtestHelp);

  // Our options first: gtest's --help would print its own 60 lines before them.
  if (wants_own_help(argc, argv)) {
    std::cout << app.help();
    return kExitPass;
  }
  ::testing::InitGoogleTest(&argc, argv);  // takes the --gtest_* flags out of argv
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    (void)app.exit(e);
    return kExitUsage;
  }

  const auto data_dir = check_data_dir(data_dir_text);
  if (!data_dir) {
    std::cerr << "qftp-conformance: " << data_dir.error() << "\n";
    return kExitUsage;
  }
  if (inventory_path.empty())
    inventory_path = (data_dir.value() / "requirements" / "requirements.json").string();
  profile_path = resolve_profile(profile_path.empty() ? "emulator" : profile_path, data_dir.value())
                     .string();

  auto inventory = Inventory::load(inventory_path);
  if (!inventory) {
    std::cerr << "qftp-conformance: " << inventory.error() << "\n";
    return kExitUsage;
  }
  if (coverage) return check_coverage(inventory.value());
  if (list_requirements) {
    for (const auto& r : inventory->all())
      std::cout << r.id << "\t" << (r.pics.empty() ? "-" : r.pics) << "\t" << r.text << "\n";
    return kExitPass;
  }
  // gtest's list: nothing runs, so nothing is reported (and no earlier report is overwritten).
  if (GTEST_FLAG_GET(list_tests)) return RUN_ALL_TESTS() == 0 ? kExitPass : kExitUsage;

  BaselineOptions baseline;
  baseline.write_path = write_baseline_path;
  if (!baseline_path.empty()) {
    auto file = load_baseline(baseline_path, inventory.value());
    if (!file) {
      std::cerr << "qftp-conformance: --baseline: " << file.error() << "\n";
      return kExitUsage;
    }
    baseline.file = std::move(file).value();
  }
  if (!write_baseline_path.empty() && fs::exists(write_baseline_path)) {
    // Checked now, not after a run of minutes: the file is updated, never replaced blindly.
    if (auto file = load_baseline(write_baseline_path, inventory.value()); !file) {
      std::cerr << "qftp-conformance: --write-baseline: " << file.error() << "\n";
      return kExitUsage;
    }
  }

  auto profile = load_profile(profile_path);
  if (!profile) {
    std::cerr << "qftp-conformance: " << profile.error() << "\n";
    return kExitUsage;
  }
  if (!write_emulator_profile.empty()) {
    std::ofstream out(write_emulator_profile);
    out << emulator_profile_text(profile.value());
    return out ? kExitPass : kExitUsage;
  }
  auto dut = parse_dut_spec(dut_text);
  if (!dut) {
    std::cerr << "qftp-conformance: " << dut.error() << "\n";
    return kExitUsage;
  }
  for (const auto& id : requirements) {
    if (!known_selection(inventory.value(), id)) {
      std::cerr << "qftp-conformance: --requirement " << id
                << " names no requirement of the inventory\n";
      return kExitUsage;
    }
  }

  SuiteOptions options;
  options.dut = dut.value();
  options.profile = profile.value();
  options.data_dir = data_dir.value();
  options.emulator_exe = emulator_path.empty() ? sibling_tool("qftp-emu") : fs::path(emulator_path);
  options.emulator_profile = emulator_profile;
  options.emulator_defects = defects;
  if (emulator_control != 0) options.emulator_control = emulator_control;
  options.strict_format = strict;
  options.selected = {requirements.begin(), requirements.end()};
  options.keep_work_dirs = keep;
  options.max_failed_resets = max_failed_resets;
  const auto t0 = std::chrono::steady_clock::now();
  if (run_timeout_s != 0) options.run_deadline = t0 + std::chrono::seconds(run_timeout_s);

  // Shards run in parallel: each writes its own reports.
  fs::path out_dir = report_dir;
  bool sharded = false;
  if (const char* total = std::getenv("GTEST_TOTAL_SHARDS");
      total != nullptr && std::atoi(total) > 1) {
    const char* index = std::getenv("GTEST_SHARD_INDEX");
    out_dir /= std::string("shard-") + (index != nullptr ? index : "0");
    sharded = true;
  }

  RunInfo info;
  info.dut = options.dut.describe();
  info.profile = options.profile.name + " (" + profile_path + ")";
  info.data_dir = options.data_dir.string();
  info.defects = defects;
  info.strict_format = strict;
  info.selected = options.selected;
  info.filter = GTEST_FLAG_GET(filter);
  info.baseline_file = baseline_path;
  if (sharded) {
    info.shard_index = std::atoi(std::getenv("GTEST_SHARD_INDEX") != nullptr
                                     ? std::getenv("GTEST_SHARD_INDEX")
                                     : "0");
    info.shard_total = std::atoi(std::getenv("GTEST_TOTAL_SHARDS"));
  }
  info.shard = sharded ? std::string(std::getenv("GTEST_SHARD_INDEX") != nullptr
                                         ? std::getenv("GTEST_SHARD_INDEX")
                                         : "0") +
                             " of " + std::getenv("GTEST_TOTAL_SHARDS")
                       : std::string();
  // Requirements whose cases did not run are then left out of the report rather than called errors.
  info.partial = !options.selected.empty() || sharded || info.filter != "*";
  info.started_at = utc_now();

  install_interrupt_handlers();
  auto* suite = new Suite(options);  // gtest owns environments and listeners
  ::testing::AddGlobalTestEnvironment(suite);
  // Before the first case: the fixture, the link and the DUT's answer to AT. If any is missing,
  // nothing a case could find would mean anything.
  if (auto st = suite->start(); !st) {
    // Another run holds the DUT: its reports (the default reports/latest) are not ours to replace.
    if (is_dut_busy(st.error())) {
      std::cerr << "qftp-conformance: " << st.error() << "\n";
      suite->TearDown();
      return kExitHarness;
    }
    info.setup_error = st.error();
    info.partial = true;
    const int code = finish(out_dir, inventory.value(), *suite, info, t0, baseline);
    suite->TearDown();
    return code;
  }
  // One progress line per case replaces gtest's own [ RUN ] / [ OK ] lines.
  auto& listeners = ::testing::UnitTest::GetInstance()->listeners();
  delete listeners.Release(listeners.default_result_printer());
  listeners.Append(new ResultListener(*suite, quiet));
  const int gtest_status =
      RUN_ALL_TESTS();  // the verdicts, not gtest's status, decide the exit code
  static_cast<void>(gtest_status);

  if (suite->records().empty() && suite->run_stop() == RunStop::none) {
    std::cerr << "qftp-conformance: the selection selects no case (--requirement "
              << (requirements.empty() ? "-" : requirements.front()) << ", --gtest_filter="
              << info.filter << "); nothing ran, no report written\n";
    return kExitUsage;
  }
  if (suite->run_stop() != RunStop::none) {
    info.stop_reason = suite->run_stop_reason();
    info.interrupted = suite->run_stop() == RunStop::interrupted;
    info.partial = true;
  }
  return finish(out_dir, inventory.value(), *suite, info, t0, baseline);
}

}  // namespace

int main(int argc, char** argv) {
  try {
    // Commands on reports already written: nothing runs, gtest is not involved.
    if (argc > 1 && std::string_view(argv[1]) == "compare")
      return qftp::app::run_compare(argc - 1, argv + 1);
    if (argc > 1 && std::string_view(argv[1]) == "merge")
      return qftp::app::run_merge(argc - 1, argv + 1);
    return run(argc, argv);
  } catch (const std::exception& e) {
    std::cerr << "qftp-conformance: " << e.what() << "\n";
    return kExitHarness;
  }
}
