// robustness_test.cpp: qftp-conformance against a DUT that misbehaves (silence, a flood of bytes,
// garbage, a closed port, a reset mid-case): each run ends, the case that met the misbehaviour is
// fail or error with the reason in its log, and the run goes on to the next cases.
#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "fake_dut.h"
#include "harness/child_process.h"

namespace qftp::harness::testing {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

struct Run {
  int exit_code = -1;
  nlohmann::json report;
};

// Short deadlines: a misbehaving DUT costs a case at most a few of them.
constexpr const char* kProfile = R"({
  "name": "robustness",
  "pixit": {"command_timeout_ms": 300, "urc_timeout_ms": 400, "transfer_timeout_ms": 600, "guard_ms": 50}
})";

Run run_against(const FakeDut& dut, const std::string& filter) {
  Run run;
  auto dir = make_temp_dir("qftp-robust-");
  EXPECT_TRUE(dir.ok());
  if (!dir) return run;
  std::ofstream(dir.value() / "profile.json") << kProfile;
  const std::vector<std::string> args = {"--dut",
                                         "tcp:127.0.0.1:" + std::to_string(dut.port()),
                                         "--profile",
                                         (dir.value() / "profile.json").string(),
                                         "--report-dir",
                                         (dir.value() / "report").string(),
                                         "--gtest_filter=" + filter,
                                         "--gtest_brief=1"};
  auto child = ChildProcess::spawn(QFTP_CONFORMANCE_EXE, args, dir.value() / "stderr");
  EXPECT_TRUE(child.ok()) << (child.ok() ? "" : child.error());
  if (!child) return run;
  // Drain stdout until it closes; a harness that hangs never closes it.
  const auto until = Clock::now() + 90s;
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - Clock::now());
    const auto line = child->read_line(std::max(left, 1ms));
    if (line.outcome == ReadyLine::Outcome::eof) break;
    if (line.outcome == ReadyLine::Outcome::timeout) {
      ADD_FAILURE() << "qftp-conformance did not finish against the misbehaving DUT";
      (void)child->stop(1s);
      return run;
    }
  }
  const auto status = child->wait_exit(10s);
  EXPECT_TRUE(status.has_value()) << "qftp-conformance closed stdout but did not exit";
  if (status) run.exit_code = status->signaled ? -status->code : status->code;
  std::ifstream in(dir.value() / "report" / "report.json");
  EXPECT_TRUE(in.good()) << "no report.json; stderr: " << read_tail(dir.value() / "stderr", 1000);
  if (in) run.report = nlohmann::json::parse(in, nullptr, false);
  std::error_code ec;
  fs::remove_all(dir.value(), ec);
  return run;
}

const nlohmann::json* find_case(const Run& run, const std::string& name) {
  if (!run.report.contains("cases")) return nullptr;
  for (const auto& c : run.report["cases"]) {
    if (c["name"] == name) return &c;
  }
  return nullptr;
}

// The case that sends the trigger (AT+QFTPLEN=?) first, and the rest of its suite after it.
constexpr const char* kFilter = "S2_2_10_Len.*";
constexpr const char* kTriggered = "S2_2_10_Len.TestCommandAnswersOk";
constexpr const char* kTrigger = "AT+QFTPLEN";

void expect_triggered_case(const Run& run, const std::string& reason_part) {
  EXPECT_EQ(run.exit_code, 1) << "a run with failures must exit 1";
  const auto* c = find_case(run, kTriggered);
  ASSERT_NE(c, nullptr) << "the report has no " << kTriggered;
  const std::string verdict = (*c)["verdict"];
  EXPECT_TRUE(verdict == "fail" || verdict == "error") << verdict;
  const std::string reason = c->value("reason", "");
  EXPECT_NE(reason.find(reason_part), std::string::npos) << "reason: " << reason;
  EXPECT_NE((*c)["log"].get<std::string>().find(reason_part), std::string::npos)
      << "the log lacks the reason";
  EXPECT_EQ(run.report["cases"].size(), 3U) << "the run did not go on to the other cases";
}

void expect_no_pass_after(const Run& run) {
  for (const auto& c : run.report["cases"]) {
    if (c["name"] == kTriggered) continue;
    EXPECT_NE(c["verdict"], "pass") << c["name"] << " passed against a DUT that stopped working";
  }
}

TEST(Robustness, SilentDutEndsCasesWithTheReason) {
  FakeDut dut(FakeDut::Misbehaviour::silent, kTrigger);
  const auto run = run_against(dut, kFilter);
  expect_triggered_case(run, "no final result code");
  expect_no_pass_after(run);
}

TEST(Robustness, FloodingDutEndsTheCaseInsteadOfTheHarness) {
  FakeDut dut(FakeDut::Misbehaviour::flood, kTrigger);
  const auto run = run_against(dut, kFilter);
  expect_triggered_case(run, "flooded");
}

TEST(Robustness, GarbageIsQuotedInTheReason) {
  FakeDut dut(FakeDut::Misbehaviour::garbage, kTrigger);
  const auto run = run_against(dut, kFilter);
  expect_triggered_case(run, "not a response");
  expect_no_pass_after(run);
}

TEST(Robustness, ClosedPortMakesTheRestErrors) {
  FakeDut dut(FakeDut::Misbehaviour::close, kTrigger);
  const auto run = run_against(dut, kFilter);
  expect_triggered_case(run, "closed the link");
  for (const auto& c : run.report["cases"]) {
    if (c["name"] == kTriggered) continue;
    EXPECT_EQ(c["verdict"], "error") << c["name"];
    EXPECT_NE(c.value("reason", "").find("cannot reach the DUT"), std::string::npos)
        << c.value("reason", "");
  }
}

TEST(Robustness, ResetMidCaseReconnectsForTheNextCase) {
  FakeDut dut(FakeDut::Misbehaviour::reset, kTrigger);
  const auto run = run_against(dut, kFilter);
  expect_triggered_case(run, "closed the link");
  EXPECT_GE(dut.connections(), 2) << "the harness never reconnected";
  for (const auto& c : run.report["cases"]) {
    if (c["name"] == kTriggered) continue;
    EXPECT_NE(c["verdict"], "error") << c["name"] << ": " << c.value("reason", "");
    EXPECT_NE(c["log"].get<std::string>().find("reconnected"), std::string::npos) << c["name"];
    break;  // the first case after the reset is the one that reconnected
  }
}

}  // namespace
}  // namespace qftp::harness::testing
