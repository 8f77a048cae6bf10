// Virtual time for the sans-I/O core: milliseconds since an arbitrary origin, always passed in by
// the caller (the steady clock in qftp-emu, a counter in tests and fuzzers). The core never reads a clock.
#pragma once

#include <cstdint>
#include <limits>

namespace qftp {

using TimeMs = std::int64_t;
inline constexpr TimeMs kNever = std::numeric_limits<TimeMs>::max();

}  // namespace qftp
