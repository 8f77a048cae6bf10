// deadline.h: what is left of a deadline, in the milliseconds poll() takes.
#pragma once

#include <chrono>

namespace qftp::e2e {

using Clock = std::chrono::steady_clock;

inline int remaining_ms(Clock::time_point until) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - Clock::now());
  return left.count() <= 0 ? 0 : static_cast<int>(left.count());
}

}  // namespace qftp::e2e
