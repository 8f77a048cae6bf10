// report_units_test.cpp: the units behind the reports a release is decided from: per-check
// verdicts, plain reasons, elided data, baselines (JSON and YAML, their errors, their update),
// the standing of a requirement against a baseline, and how compare classifies a change.
#include <gtest/gtest.h>

#include "harness/baseline_update.h"
#include "harness/check_verdicts.h"
#include "harness/compare.h"
#include "te/elide.h"
#include "harness/te_vocabulary.h"
#include "harness/plain_reason.h"
#include "harness/progress.h"
#include "harness/report.h"

namespace qftp::harness {
namespace {

using Kind = CheckEvent::Kind;

Verdict verdict_of(const std::vector<RequirementCheck>& checks, const std::string& id) {
  for (const auto& c : checks)
    if (c.id == id) return c.verdict;
  ADD_FAILURE() << "no verdict for " << id;
  return Verdict::error;
}

TEST(CheckVerdicts, AScopedFailureFailsOnlyItsRequirement) {
  const std::vector<std::string> tags = {"A/1", "A/2", "A/3"};
  const auto checks =
      requirement_checks(tags, {{{"A/2"}, Kind::failure, "bad size"}}, Verdict::fail, "bad size");
  EXPECT_EQ(verdict_of(checks, "A/1"), Verdict::pass);
  EXPECT_EQ(verdict_of(checks, "A/2"), Verdict::fail);
  EXPECT_EQ(verdict_of(checks, "A/3"), Verdict::pass);
  EXPECT_EQ(checks[1].reason, "bad size");
}

TEST(CheckVerdicts, ACaseWideFailureFailsEveryTag) {
  const auto checks =
      requirement_checks({"A/1", "A/2"}, {{{}, Kind::fatal, "no CONNECT"}}, Verdict::fail, "");
  EXPECT_EQ(verdict_of(checks, "A/1"), Verdict::fail);
  EXPECT_EQ(verdict_of(checks, "A/2"), Verdict::fail);
}

TEST(CheckVerdicts, RequirementsNotReachedAfterAFatalScopedFailureAreNotJudged) {
  const auto checks =
      requirement_checks({"A/1", "A/2"}, {{{"A/1"}, Kind::fatal, "no OK"}}, Verdict::fail, "no OK");
  EXPECT_EQ(verdict_of(checks, "A/1"), Verdict::fail);
  EXPECT_EQ(verdict_of(checks, "A/2"), Verdict::inconclusive);
  EXPECT_NE(checks[1].reason.find("ended at a failed check of A/1"), std::string::npos);
}

TEST(CheckVerdicts, WholeCaseVerdictsStayWhole) {
  for (const Verdict v : {Verdict::pass, Verdict::error, Verdict::not_applicable}) {
    const auto checks = requirement_checks({"A/1", "A/2"}, {}, v, "why");
    EXPECT_EQ(verdict_of(checks, "A/1"), v);
    EXPECT_EQ(verdict_of(checks, "A/2"), v);
  }
}

TEST(PlainReason, GtestEqualityInPlainWords) {
  EXPECT_EQ(plain_reason("Expected equality of these values:\n  f.value\n    Which is: \"999\"\n"
                         "  \"1000\"\n"),
            "f.value is \"999\", expected \"1000\"");
  EXPECT_EQ(plain_reason("Expected equality of these values:\n  a\n    Which is: 1\n  b\n"
                         "    Which is: 2\nafter AT+QFTPCFG=1,0"),
            "after AT+QFTPCFG=1,0 (a is 1, expected 2)");
  EXPECT_EQ(plain_reason("Value of: has(x)\n  Actual: false\nExpected: true\nno PASV sent"),
            "no PASV sent (has(x) is false, expected true)");
  EXPECT_EQ(plain_reason("\"AT\" answered \"ERROR\", expected OK"),
            "\"AT\" answered \"ERROR\", expected OK");
}

TEST(Elide, LongDataKeepsHeadTailSizeAndChecksum) {
  const std::string data(200000, 'x');
  const std::string e = elide_bytes(data);
  EXPECT_LT(e.size(), 300U);
  EXPECT_NE(e.find("bytes, crc32 "), std::string::npos);
  EXPECT_NE(e.find(std::to_string(200000 - 192)), std::string::npos);
  EXPECT_EQ(elide_bytes("a\r\nb"), "a\\r\\nb") << "short data is only made printable";
  const std::string text = "the file: " + std::string(200000, 'y') + " ends";
  EXPECT_LE(elide_text(text).size(), 1100U);
  EXPECT_EQ(crc32("123456789"), 0xCBF43926U) << "the standard CRC-32 check value";
}

TEST(Progress, CounterVerdictAndTimeLeft) {
  Progress p(4, 1000, false);
  const std::string line = p.finished("S.A", Verdict::fail, 2000, "it broke\nmore");
  EXPECT_EQ(line.rfind("[1/4] fail", 0), 0U) << line;
  EXPECT_NE(line.find("~6 s left"), std::string::npos) << line;  // 3 left, 2 s each so far
  EXPECT_NE(line.find("\n    it broke\n"), std::string::npos) << line;
  Progress quiet(2, 1000, true);
  EXPECT_EQ(quiet.finished("S.B", Verdict::pass, 10, ""), "");
  EXPECT_NE(quiet.finished("S.C", Verdict::error, 10, "x"), "");
}

Inventory inventory() {
  auto inv = Inventory::parse(R"({"requirements": [
      {"id": "A/1", "text": "a"}, {"id": "A/2", "text": "b"}, {"id": "A/3", "text": "c"}]})");
  EXPECT_TRUE(inv.ok());
  return inv.value();
}

TEST(Baseline, JsonAndYamlSayTheSame) {
  const Inventory inv = inventory();
  auto json = BaselineFile::parse(R"({"firmware": [{"gmr": "R1", "requirements": {
      "A/1": {"verdict": "fail", "reason": "URC spaced", "ticket": "FW-1"}}}]})",
                                  false, inv);
  auto yaml = BaselineFile::parse(
      "firmware:\n  - gmr: R1\n    requirements:\n      A/1: {verdict: fail, reason: URC spaced, "
      "ticket: FW-1}\n",
      true, inv);
  ASSERT_TRUE(json.ok()) << json.error();
  ASSERT_TRUE(yaml.ok()) << yaml.error();
  EXPECT_EQ(json->text(false), yaml->text(false));
  EXPECT_EQ(json->find("R1", "any ATI")->requirements.at("A/1").ticket, "FW-1");
  EXPECT_EQ(json->find("R2", ""), nullptr);
  auto again = BaselineFile::parse(yaml->text(true), true, inv);
  ASSERT_TRUE(again.ok()) << again.error();
  EXPECT_EQ(again->text(false), json->text(false)) << "YAML written reads back the same";
}

TEST(Baseline, BadFilesSayWhatIsWrong) {
  const Inventory inv = inventory();
  const std::pair<const char*, const char*> bad[] = {
      {R"({"firmware": [{"gmr": "R1", "requirements": {"Z/9": {"reason": "x"}}}]})", "Z/9"},
      {R"({"firmware": [{"gmr": "R1", "requirements": {"A/1": {"verdict": "pass", "reason": "x"}}}]})",
       "pass"},
      {R"({"firmware": [{"gmr": "R1", "requirements": {"A/1": {"verdict": "fail"}}}]})", "reason"},
      {R"({"firmware": [{"requirements": {}}]})", "gmr"},
      {R"({"firmware": [{"gmr": "R1"}, {"gmr": "R1"}]})", "twice"},
      {R"({"firmwares": []})", "firmwares"},
      {R"({"firmware": [)", "not JSON"},
  };
  for (const auto& [text, word] : bad) {
    auto b = BaselineFile::parse(text, false, inv);
    ASSERT_FALSE(b.ok()) << text;
    EXPECT_NE(b.error().find(word), std::string::npos) << b.error();
  }
  EXPECT_FALSE(BaselineFile::parse("firmware: [gmr: {", true, inv).ok());
}

TEST(Baseline, StandingAndUpdateFromARun) {
  const Inventory inv = inventory();
  FirmwareBaseline fw;
  fw.gmr = "R1";
  fw.requirements["A/1"] = {Verdict::fail, "known", "FW-1"};
  fw.requirements["A/2"] = {Verdict::fail, "was broken", ""};
  RunInfo run;
  run.baseline = fw;
  std::vector<CaseRecord> cases = {{"S.One", {"A/1"}, Verdict::fail, "bad", 1, "", {}, -1},
                                   {"S.Two", {"A/2"}, Verdict::pass, "", 1, "", {}, -1},
                                   {"S.Three", {"A/3"}, Verdict::fail, "new", 1, "", {}, -1}};
  const auto reqs = requirement_results(inv, cases, run);
  EXPECT_EQ(reqs[0].label(), "known_deviation");
  EXPECT_EQ(reqs[1].label(), "fixed");
  EXPECT_EQ(reqs[2].label(), "fail");
  const Counts c = count(reqs);
  EXPECT_EQ(c.fail, 1);
  EXPECT_EQ(c.known_deviation, 1);
  EXPECT_EQ(c.fixed, 1);
  EXPECT_TRUE(only_known_deviations(cases[0], reqs));
  EXPECT_FALSE(only_known_deviations(cases[2], reqs));

  DutIdentity id;
  id.gmr = "R1";
  auto next = baseline_from_run(reqs, id, &fw);
  ASSERT_TRUE(next.ok()) << next.error();
  EXPECT_EQ(next->requirements.at("A/1").ticket, "FW-1") << "a person's ticket stays";
  EXPECT_EQ(next->requirements.count("A/2"), 0U) << "fixed: dropped";
  EXPECT_EQ(next->requirements.count("A/3"), 1U) << "the new failure: listed";
  EXPECT_FALSE(baseline_from_run(reqs, DutIdentity{}, nullptr).ok()) << "no AT+GMR, no baseline";
}

TEST(Compare, ChangesAgainstTheFirstRun) {
  EXPECT_EQ(classify("pass", "pass"), Change::same);
  EXPECT_EQ(classify("pass", "fail"), Change::regressed);
  EXPECT_EQ(classify("inconclusive", "error"), Change::regressed);
  EXPECT_EQ(classify("fail", "pass"), Change::fixed);
  EXPECT_EQ(classify("pass", "not_applicable"), Change::newly_not_applicable);
  EXPECT_EQ(classify("fail", "error"), Change::changed);
  EXPECT_EQ(classify("pass", ""), Change::not_run);
}

}  // namespace
}  // namespace qftp::harness
