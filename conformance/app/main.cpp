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

#include "core/common/kit_version.h"
#include "harness/case_registry.h"
#include "harness/kit_layout.h"
#include "harness/profile.h"
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

int run(int argc, char** argv) {
  ::testing::InitGoogleTest(&argc, argv);  // takes the --gtest_* flags out of argv

  CLI::App app{
      "qftp-conformance: conformance suite for the AT+QFTP* commands of Quectel GSM modules"};
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
  bool strict = false;
  bool coverage = false;
  bool keep = false;
  app.add_option("--dut", dut_text, "emulator | serial:DEV[,baud=N][,rtscts] | tcp:HOST:PORT")
      ->capture_default_str();
  app.add_option("--profile", profile_path,
                 "PICS/PIXIT profile: a JSON file, or the name of a shipped one (emulator, m33, "
                 "m_series_lab) [default: emulator]");
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
  app.add_option("--emulator-defect", defects,
                 "pass --defect NAME to the spawned emulator (repeatable)");
  app.add_option("--emulator", emulator_path, "the qftp-emu binary for --dut emulator");
  app.add_option("--emulator-profile", emulator_profile,
                 "a qftp-emu device profile instead of the one derived from --profile");
  app.add_option(
      "--emulator-control", emulator_control,
      "control port of an emulator you started yourself (network faults over serial:/tcp:)");
  app.add_option("--write-emulator-profile", write_emulator_profile,
                 "write the qftp-emu profile derived from --profile to FILE and exit");
  app.add_option("--inventory", inventory_path,
                 "the requirement inventory [default: <data dir>/requirements/requirements.json]");
  app.add_flag("--check-coverage", coverage,
               "check that every requirement has a case and every case's IDs exist");
  app.add_flag("--keep-work-dirs", keep, "keep the fixture's and emulator's work directories");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }

  const auto data_dir = check_data_dir(data_dir_text);
  if (!data_dir) {
    std::cerr << "qftp-conformance: " << data_dir.error() << "\n";
    return 2;
  }
  if (inventory_path.empty())
    inventory_path = (data_dir.value() / "requirements" / "requirements.json").string();
  profile_path = resolve_profile(profile_path.empty() ? "emulator" : profile_path, data_dir.value())
                     .string();

  auto inventory = Inventory::load(inventory_path);
  if (!inventory) {
    std::cerr << "qftp-conformance: " << inventory.error() << "\n";
    return 2;
  }
  if (coverage) return check_coverage(inventory.value());

  auto profile = load_profile(profile_path);
  if (!profile) {
    std::cerr << "qftp-conformance: " << profile.error() << "\n";
    return 2;
  }
  if (!write_emulator_profile.empty()) {
    std::ofstream out(write_emulator_profile);
    out << emulator_profile_text(profile.value());
    return out ? 0 : 2;
  }
  auto dut = parse_dut_spec(dut_text);
  if (!dut) {
    std::cerr << "qftp-conformance: " << dut.error() << "\n";
    return 2;
  }
  for (const auto& id : requirements) {
    if (!known_selection(inventory.value(), id)) {
      std::cerr << "qftp-conformance: --requirement " << id
                << " names no requirement of the inventory\n";
      return 2;
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

  // Shards run in parallel: each writes its own reports.
  fs::path out_dir = report_dir;
  bool sharded = false;
  if (const char* total = std::getenv("GTEST_TOTAL_SHARDS");
      total != nullptr && std::atoi(total) > 1) {
    const char* index = std::getenv("GTEST_SHARD_INDEX");
    out_dir /= std::string("shard-") + (index != nullptr ? index : "0");
    sharded = true;
  }
  // Requirements whose cases did not run are then left out of the report rather than called errors.
  const bool partial = !options.selected.empty() || sharded || GTEST_FLAG_GET(filter) != "*";

  const std::string started_at = utc_now();
  auto* suite = new Suite(options);  // gtest owns environments and listeners
  ::testing::AddGlobalTestEnvironment(suite);
  ::testing::UnitTest::GetInstance()->listeners().Append(new ResultListener(*suite));
  const auto t0 = std::chrono::steady_clock::now();
  const int gtest_status =
      RUN_ALL_TESTS();  // the verdicts, not gtest's status, decide the exit code
  static_cast<void>(gtest_status);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();

  RunInfo info;
  info.dut = options.dut.describe();
  info.profile = options.profile.name + " (" + profile_path + ")";
  info.data_dir = options.data_dir.string();
  info.identity = suite->identity();
  info.defects = defects;
  info.strict_format = strict;
  info.selected = options.selected;
  info.partial = partial;
  info.duration_s = seconds;
  info.started_at = started_at;
  const auto& records = suite->records();
  if (auto st = write_reports(out_dir, inventory.value(), records, info); !st) {
    std::cerr << "qftp-conformance: " << st.error() << "\n";
    return 2;
  }
  const Counts cases = count(records);
  const Counts reqs = count(requirement_results(inventory.value(), records, partial));
  if (!suite->setup_error().empty())
    std::cout << "qftp-conformance: set-up failed: " << suite->setup_error() << "\n";
  std::cout << "qftp-conformance: " << summary_line(cases, reqs, seconds) << "; reports in "
            << out_dir.string() << "\n";
  return cases.fail == 0 && cases.error == 0 && reqs.fail == 0 && reqs.error == 0 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(argc, argv);
  } catch (const std::exception& e) {
    std::cerr << "qftp-conformance: " << e.what() << "\n";
    return 2;
  }
}
