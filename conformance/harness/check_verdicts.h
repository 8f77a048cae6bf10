// check_verdicts.h: a case's verdict per requirement it tags, from the checks that failed and the
// requirements each named: a failed check fails its own requirements only; a case-wide failure
// (a check outside any QFTP_CHECKS scope) fails every tag.
#pragma once

#include <string>
#include <vector>

#include "harness/check_scope.h"
#include "harness/verdict.h"

namespace qftp::harness {

// `verdict` and `reason` are the case's own. A requirement whose checks did not all run, because
// the case ended at another requirement's failed check, is inconclusive, never a pass.
std::vector<RequirementCheck> requirement_checks(const std::vector<std::string>& tags,
                                                 const std::vector<CheckEvent>& events,
                                                 Verdict verdict, const std::string& reason);

}  // namespace qftp::harness
