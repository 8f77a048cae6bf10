// result_listener.cpp: verdicts from gtest results: a failure is fail (or error when the harness
// marked it so), a skip is not_applicable or inconclusive as marked, anything else passes; then
// the verdict per requirement from the scopes of the failed checks (check_verdicts.h).
#include "harness/result_listener.h"

#include <algorithm>
#include <iostream>

#include "harness/check_verdicts.h"
#include "te/elide.h"
#include "harness/te_vocabulary.h"
#include "harness/plain_reason.h"

namespace qftp::harness {

int cases_to_run(const ::testing::UnitTest& unit_test, const std::set<std::string>& selected) {
  int n = 0;
  for (int i = 0; i < unit_test.total_test_suite_count(); ++i) {
    const auto* suite = unit_test.GetTestSuite(i);
    for (int j = 0; j < suite->total_test_count(); ++j) {
      const auto* info = suite->GetTestInfo(j);
      if (!info->should_run()) continue;
      const auto* tag = CaseRegistry::instance().find(info->test_suite_name(), info->name());
      if (tag == nullptr || tag->selected_by(selected)) ++n;
    }
  }
  return n;
}

void ResultListener::OnTestIterationStart(const ::testing::UnitTest& unit_test, int) {
  // Before any case has run, a case is expected to take a few command round trips and an escape's
  // guard times: the profile's own figures, replaced by the measured mean once cases have run.
  const Pixit& x = suite_.profile().pixit;
  const double prior_ms = 3.0 * x.guard_ms + 200.0;
  progress_.emplace(cases_to_run(unit_test, suite_.options().selected), prior_ms, quiet_);
}

void ResultListener::OnTestStart(const ::testing::TestInfo&) {
  suite_.context() = CaseContext{};
}

void ResultListener::OnTestPartResult(const ::testing::TestPartResult& result) {
  CaseContext& ctx = suite_.context();
  CheckEvent e;
  e.ids = ctx.scope;
  if (result.skipped()) {
    e.kind = CheckEvent::Kind::skip;
  } else if (result.fatally_failed()) {
    e.kind = CheckEvent::Kind::fatal;
  } else if (result.nonfatally_failed()) {
    e.kind = CheckEvent::Kind::failure;
  } else {
    return;
  }
  std::string message = result.message();
  if (message.rfind("Failed\n", 0) == 0) message.erase(0, 7);  // FAIL()'s own prefix
  e.message = std::move(message);
  ctx.events.push_back(std::move(e));
}

void ResultListener::OnTestEnd(const ::testing::TestInfo& info) {
  CaseContext& ctx = suite_.context();
  if (ctx.deselected) return;
  const ::testing::TestResult& result = *info.result();
  CaseRecord rec;
  rec.name = std::string(info.test_suite_name()) + "." + info.name();
  if (ctx.tag != nullptr) rec.requirements = ctx.tag->requirements;
  rec.duration_ms = static_cast<double>(result.elapsed_time());

  std::string failures;
  std::string first_failure;
  for (int i = 0; i < result.total_part_count(); ++i) {
    const auto& part = result.GetTestPartResult(i);
    if (!part.failed()) continue;
    const std::string where =
        part.file_name() != nullptr
            ? std::string(part.file_name()) + ":" + std::to_string(part.line_number()) + ": "
            : std::string();
    std::string message = part.message();
    if (message.rfind("Failed\n", 0) == 0) message.erase(0, 7);  // FAIL()'s own prefix
    failures += where + elide_text(message) + "\n";
    if (first_failure.empty()) first_failure = message;
  }
  if (result.Failed()) {
    rec.verdict = ctx.mark && ctx.mark->verdict == Verdict::error ? Verdict::error : Verdict::fail;
    rec.reason = rec.verdict == Verdict::error ? ctx.mark->reason : plain_reason(first_failure);
  } else if (result.Skipped()) {
    rec.verdict = ctx.mark ? ctx.mark->verdict : Verdict::inconclusive;
    rec.reason = ctx.mark ? ctx.mark->reason : "skipped without a reason";
  } else {
    rec.verdict = Verdict::pass;
  }
  // A check may only name requirements its case tags: anything else is the case's own mistake.
  for (const auto& e : ctx.events) {
    for (const auto& id : e.ids) {
      if (std::find(rec.requirements.begin(), rec.requirements.end(), id) ==
          rec.requirements.end()) {
        rec.verdict = Verdict::error;
        rec.reason = "a check of this case names " + id + ", which the case does not tag";
      }
    }
  }
  rec.checks = requirement_checks(rec.requirements, ctx.events, rec.verdict, rec.reason);

  std::string log = "verdict: " + std::string(verdict_name(rec.verdict)) + "\n";
  if (!rec.reason.empty()) log += "reason: " + rec.reason + "\n";
  if (rec.checks.size() > 1) {
    for (const auto& c : rec.checks)
      log += "requirement " + c.id + ": " + std::string(verdict_name(c.verdict)) +
             (c.reason.empty() ? "" : " (" + c.reason + ")") + "\n";
  }
  for (const auto& n : ctx.notes) log += "note: " + n + "\n";
  if (!failures.empty()) log += "--- failed checks ---\n" + failures;
  if (!ctx.wire.empty())
    log += "--- wire (time from case start; TE> to the DUT, DUT< from it) ---\n" + ctx.wire;
  if (!ctx.ftp_log.empty()) log += "--- fixture FTP log (session kind text) ---\n" + ctx.ftp_log;
  rec.log = std::move(log);

  if (progress_) {
    std::cout << progress_->finished(rec.name, rec.verdict, rec.duration_ms, rec.reason)
              << std::flush;
  }
  suite_.records().push_back(std::move(rec));
}

}  // namespace qftp::harness
