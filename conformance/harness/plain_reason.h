// plain_reason.h: a failed check's message in plain words for the reports: gtest's "Expected
// equality of these values: ... Which is: ..." becomes "x is 999, expected 1000"; the case's own
// message comes first; long data is elided (elide.h).
#pragma once

#include <string>
#include <string_view>

namespace qftp::harness {

std::string plain_reason(std::string_view message);

}  // namespace qftp::harness
