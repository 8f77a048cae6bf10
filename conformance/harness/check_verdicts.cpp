// check_verdicts.cpp: per-requirement verdicts of one case (check_verdicts.h).
#include "harness/check_verdicts.h"

#include <algorithm>

#include "harness/plain_reason.h"

namespace qftp::harness {
namespace {

bool names(const CheckEvent& e, const std::string& id) {
  return e.ids.empty() || std::find(e.ids.begin(), e.ids.end(), id) != e.ids.end();
}

std::string joined(const std::vector<std::string>& ids) {
  std::string out;
  for (const auto& id : ids) out += (out.empty() ? "" : ", ") + id;
  return out;
}

}  // namespace

std::vector<RequirementCheck> requirement_checks(const std::vector<std::string>& tags,
                                                 const std::vector<CheckEvent>& events,
                                                 Verdict verdict, const std::string& reason) {
  std::vector<RequirementCheck> out;
  const bool any_failure = std::any_of(events.begin(), events.end(), [](const CheckEvent& e) {
    return e.kind != CheckEvent::Kind::skip;
  });
  // Pass, error and not_applicable are the whole case's; so is an inconclusive with no failure.
  if (verdict != Verdict::fail && !(verdict == Verdict::inconclusive && any_failure)) {
    for (const auto& id : tags) out.push_back({id, verdict, reason});
    return out;
  }
  // Where the case ended early: its first fatal failure or skip.
  const auto end = std::find_if(events.begin(), events.end(), [](const CheckEvent& e) {
    return e.kind != CheckEvent::Kind::failure;
  });
  for (const auto& id : tags) {
    const auto failed = std::find_if(events.begin(), events.end(), [&](const CheckEvent& e) {
      return e.kind != CheckEvent::Kind::skip && names(e, id);
    });
    if (failed != events.end()) {
      out.push_back({id, Verdict::fail, plain_reason(failed->message)});
    } else if (end == events.end()) {
      out.push_back({id, Verdict::pass, ""});
    } else if (end->kind == CheckEvent::Kind::skip) {
      out.push_back({id, verdict == Verdict::fail ? Verdict::inconclusive : verdict,
                     plain_reason(end->message)});
    } else {
      out.push_back({id, Verdict::inconclusive,
                     "not judged: the case ended at a failed check of " + joined(end->ids)});
    }
  }
  return out;
}

}  // namespace qftp::harness
