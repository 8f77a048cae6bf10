// result_listener.cpp: verdicts from gtest results: a failure is fail (or error when the harness
// marked it so), a skip is not_applicable or inconclusive as marked, anything else passes.
#include "harness/result_listener.h"

#include <iostream>

namespace qftp::harness {

void ResultListener::OnTestStart(const ::testing::TestInfo&) {
  suite_.context() = CaseContext{};
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
    failures += where + message + "\n";
    if (first_failure.empty()) first_failure = message;
  }
  if (result.Failed()) {
    rec.verdict = ctx.mark && ctx.mark->verdict == Verdict::error ? Verdict::error : Verdict::fail;
    rec.reason = rec.verdict == Verdict::error ? ctx.mark->reason : first_failure;
  } else if (result.Skipped()) {
    rec.verdict = ctx.mark ? ctx.mark->verdict : Verdict::inconclusive;
    rec.reason = ctx.mark ? ctx.mark->reason : "skipped without a reason";
  } else {
    rec.verdict = Verdict::pass;
  }

  std::string log = "verdict: " + std::string(verdict_name(rec.verdict)) + "\n";
  if (!rec.reason.empty()) log += "reason: " + rec.reason + "\n";
  for (const auto& n : ctx.notes) log += "note: " + n + "\n";
  if (!failures.empty()) log += "--- failed checks ---\n" + failures;
  if (!ctx.wire.empty())
    log += "--- wire (time from case start; TE> to the DUT, DUT< from it) ---\n" + ctx.wire;
  if (!ctx.ftp_log.empty()) log += "--- fixture FTP log (session kind text) ---\n" + ctx.ftp_log;
  rec.log = std::move(log);

  if (rec.verdict != Verdict::pass) {
    std::cout << "[ " << verdict_name(rec.verdict) << " ] " << rec.name << ": "
              << rec.reason.substr(0, 300) << "\n";
  }
  suite_.records().push_back(std::move(rec));
}

}  // namespace qftp::harness
