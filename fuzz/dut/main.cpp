// qftp-dutfuzz: black-box fuzzing of a live DUT through its AT port (docs/dutfuzz.md), over the
// links the conformance suite uses, with the fixture as FTP peer and the reference engine as the
// differential oracle. Exit: 0 no finding, 1 findings, 2 bad usage, 3 the bench failed.
#include <CLI/CLI.hpp>

#include <chrono>
#include <filesystem>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "bench_run.h"
#include "campaign.h"
#include "core/common/kit_version.h"
#include "generator.h"
#include "te/dut_spec.h"
#include "te/interruption.h"
#include "te/kit_layout.h"
#include "te/profile.h"

namespace {

namespace fs = std::filesystem;
using namespace qftp;

constexpr int kExitClean = 0;
constexpr int kExitFindings = 1;
constexpr int kExitUsage = 2;
constexpr int kExitBench = 3;

// --stream-share's default on a link with a line rate (a serial port, RFC 2217, --emulator-baud).
constexpr unsigned kStreamShareOnALine = 25;

int run(int argc, char** argv) {
  CLI::App app{"qftp-dutfuzz: black-box fuzzing of a DUT's AT+QFTP* interface, judged by the kit's "
               "reference engine",
               "qftp-dutfuzz"};
  app.set_version_flag("--version", qftp::kit_version_line("qftp-dutfuzz"));
  std::string dut_text = "emulator";
  std::string data_dir_text = te::default_data_dir().string();
  std::string profile_arg;
  std::string report_dir = "reports/dutfuzz";
  std::vector<std::string> defects;
  std::string emulator_path;
  std::string emulator_profile;
  std::string corpus_dir;
  std::string seed_corpus;
  std::string replay_file;
  std::string reset_cmd;
  std::uint64_t seed = 1;
  unsigned time_s = 0;
  std::uint64_t max_cases = 0;
  std::uint32_t settle_ms = 30;
  unsigned minimise_runs = 48;
  bool no_seeds = false;
  bool emulator_tcp = false;
  long emulator_baud = 0;
  bool no_differential = false;
  bool quiet_waits = false;
  int stream_share = -1;  // by the link
  std::uint32_t timing_tolerance_ms = 40;
  app.add_option("--dut", dut_text,
                 "emulator | serial:DEV[,baud=N][,rtscts] | tcp:HOST:PORT[,telnet[,baud=N][,rtscts]]")
      ->capture_default_str();
  app.add_option("--profile", profile_arg,
                 "PICS/PIXIT profile: a JSON file, or the name of a shipped one [default: emulator]");
  app.add_option("--data-dir", data_dir_text, "the kit's data (profiles, transcripts, corpora)")
      ->capture_default_str();
  app.add_option("--report-dir,--out", report_dir,
                 "where report.json, summary.md, junit.xml and findings/ go")
      ->capture_default_str();
  app.add_option("--emulator-defect", defects, "a qftp-emu --defect for --dut emulator (repeatable)");
  app.add_option("--emulator", emulator_path, "the qftp-emu binary for --dut emulator");
  app.add_option("--emulator-profile", emulator_profile, "a qftp-emu profile instead of the derived one");
  app.add_flag("--emulator-tcp", emulator_tcp,
               "the spawned emulator's serial side on loopback TCP instead of a pty");
  app.add_option("--emulator-baud", emulator_baud,
                 "pace the spawned emulator's serial side like a UART at this rate (qftp-emu --baud)")
      ->check(CLI::Range(0L, 4000000L));
  app.add_option("--seed", seed, "the generator's seed")->capture_default_str();
  app.add_option("--time", time_s, "campaign time budget in seconds");
  app.add_option("--max-cases,--runs", max_cases, "at most this many cases");
  app.add_option("--corpus", corpus_dir, "kept cases: read at start, grown (resumable)");
  app.add_option("--seed-corpus", seed_corpus,
                 "the libFuzzer corpora to start from [default: <data dir>/fuzz-corpus]");
  app.add_flag("--no-seeds", no_seeds, "start from the grammar alone (no transcripts, no corpora)");
  app.add_option("--replay", replay_file, "run one replay file's case and report what it finds");
  app.add_option("--reset-cmd", reset_cmd,
                 "shell command that power-cycles a real DUT, the last step of a recovery");
  app.add_option("--settle-ms", settle_ms, "quiet time that ends a step's answer")->capture_default_str();
  app.add_option("--timing-tolerance-ms", timing_tolerance_ms,
                 "an escape's silence or gap this close to the guard or gap time is not compared "
                 "with the reference (the DUT's clock and the TE's differ by the link's jitter)")
      ->capture_default_str();
  app.add_option("--minimise-runs", minimise_runs, "re-runs allowed to minimise one finding")
      ->capture_default_str();
  app.add_flag("--no-differential", no_differential, "no comparison with the reference engine");
  app.add_option("--stream-share", stream_share,
                 "percent of cases that stream 2-32 KiB through /COM/ at the line's full rate "
                 "(default: 25 on a link with a line rate, 0 on one without)")
      ->check(CLI::Range(0, 100));
  app.add_flag("--quiet-waits", quiet_waits,
               "end every step's answer with the --settle-ms quiet time, even where the reference "
               "says the answer is complete (slower; how the tool waited before)");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int rc = app.exit(e);
    return rc == 0 ? kExitClean : kExitUsage;
  }
  if (replay_file.empty() && time_s == 0 && max_cases == 0) {
    std::cerr << "qftp-dutfuzz: give a budget (--time S or --max-cases N) or --replay FILE\n";
    return kExitUsage;
  }
  auto data_dir = te::check_data_dir(data_dir_text);
  if (!data_dir) {
    std::cerr << "qftp-dutfuzz: " << data_dir.error() << "\n";
    return kExitUsage;
  }
  const fs::path profile_path = profile_arg.empty()
                                    ? data_dir.value() / "profiles" / "emulator.json"
                                    : te::resolve_profile(profile_arg, data_dir.value());
  auto profile = te::load_profile(profile_path);
  if (!profile) {
    std::cerr << "qftp-dutfuzz: " << profile.error() << "\n";
    return kExitUsage;
  }
  auto dut = te::parse_dut_spec(dut_text);
  if (!dut) {
    std::cerr << "qftp-dutfuzz: " << dut.error() << "\n";
    return kExitUsage;
  }
  if (!defects.empty() && dut->kind != te::DutSpec::Kind::emulator) {
    std::cerr << "qftp-dutfuzz: --emulator-defect needs --dut emulator\n";
    return kExitUsage;
  }
  if (!replay_file.empty() && !fs::exists(replay_file)) {
    std::cerr << "qftp-dutfuzz: --replay " << replay_file << ": no such file\n";
    return kExitUsage;
  }

  dutfuzz::BenchOptions bo;
  bo.dut = dut.value();
  bo.profile = profile.value();
  bo.emulator_exe = emulator_path.empty() ? te::sibling_tool("qftp-emu") : fs::path(emulator_path);
  bo.emulator_profile = emulator_profile;
  bo.emulator_defects = defects;
  bo.emulator_tcp = emulator_tcp;
  bo.emulator_baud = emulator_baud;
  bo.reset_cmd = reset_cmd;
  bo.settle_ms = settle_ms;
  bo.differential = !no_differential;
  bo.quiet_waits = quiet_waits;
  bo.timing_tolerance_ms = timing_tolerance_ms;
  te::install_interrupt_handlers();
  auto bench = dutfuzz::Bench::start(bo);
  if (!bench) {
    std::cerr << "qftp-dutfuzz: " << bench.error() << "\n";
    return kExitBench;
  }
  dutfuzz::Bench& b = *bench.value();

  if (!replay_file.empty()) {
    std::string transcript;
    auto found = dutfuzz::replay(b, replay_file, transcript);
    if (!found) {
      std::cerr << "qftp-dutfuzz: " << found.error() << "\n";
      return kExitBench;
    }
    std::cout << transcript;
    for (const auto& f : found.value()) {
      std::cout << "finding: " << f.oracle << " (" << f.kind << ") at \"" << f.first_command
                << "\": " << f.detail << "\n";
    }
    if (found->empty()) std::cout << "no finding: the DUT passes this case\n";
    return found->empty() ? kExitClean : kExitFindings;
  }

  dutfuzz::CampaignOptions co;
  co.seed = seed;
  if (time_s != 0) co.time = std::chrono::seconds(time_s);
  if (max_cases != 0) co.max_cases = max_cases;
  co.corpus_dir = corpus_dir;
  co.report_dir = report_dir;
  co.minimise_runs = minimise_runs;
  co.dut_description = dut->describe();
  const te::Pixit& x = profile->pixit;
  co.gen.host = x.fixture_host;
  co.gen.guard_ms = x.guard_ms;
  co.gen.gap_ms = x.gap_ms;
  // Where the link has a line rate, the streams keep the line busy (docs/dutfuzz.md).
  co.gen.stream_share = stream_share >= 0 ? static_cast<unsigned>(stream_share)
                                          : b.line_baud() != 0 ? kStreamShareOnALine : 0;
  if (!no_seeds) {
    std::vector<std::string> problems;
    const fs::path corpora = seed_corpus.empty() ? data_dir.value() / "fuzz-corpus" : fs::path(seed_corpus);
    co.seeds = dutfuzz::load_seeds(data_dir.value() / "transcripts", corpora, problems);
    for (const auto& p : problems) std::cerr << "qftp-dutfuzz: seed skipped: " << p << "\n";
  }
  auto summary = dutfuzz::run_campaign(b, co);
  if (!summary) {
    std::cerr << "qftp-dutfuzz: " << summary.error() << "\n";
    return kExitBench;
  }
  if (auto st = dutfuzz::write_reports(report_dir, summary.value(), co, b); !st) {
    std::cerr << "qftp-dutfuzz: " << st.error() << "\n";
    return kExitBench;
  }
  std::cout << "qftp-dutfuzz: " << summary->cases << " cases in " << summary->duration_s << " s ("
            << (summary->duration_s > 0 ? static_cast<double>(summary->cases) / summary->duration_s : 0)
            << "/s), " << summary->findings.size() << " finding(s), " << summary->features
            << " shapes and states; report in " << report_dir << "\n";
  if (te::interrupt_signal() != 0) return kExitBench;
  return summary->findings.empty() ? kExitClean : kExitFindings;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(argc, argv);
  } catch (const std::exception& e) {
    std::cerr << "qftp-dutfuzz: " << e.what() << "\n";
    return kExitBench;
  }
}
