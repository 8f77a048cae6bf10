// Escape detector: timestamped data-mode bytes to data or a "+++" escape (layer 4, ruling 6).
// See escape_detector.h for the timing rules; held '+'s always come out as data unless they escape.
#include "core/escape/escape_detector.h"

namespace qftp::escape {

namespace {

constexpr std::size_t kEscapeLength = 3;

// Deadlines saturate so that a fuzzer's huge timestamps cannot wrap a deadline into the past.
TimeMs after(TimeMs t, TimeMs delay) {
  return t > kNever - delay ? kNever : t + delay;
}

}  // namespace

void EscapeDetector::start(TimeMs t) {
  last_byte_ = t;
  plus_count_ = 0;  // data mode ended with flush() or an escape, so nothing can be held here
}

bool EscapeDetector::advance(TimeMs t, std::string& data) {
  while (plus_count_ > 0 && t >= deadline()) {
    if (plus_count_ == kEscapeLength) {
      plus_count_ = 0;
      return true;
    }
    give_up_first(data);  // the next '+' did not come within the gap
  }
  return false;
}

void EscapeDetector::push(TimeMs t, char byte, std::string& data) {
  // A caller that skipped advance(t) still gets expired '+'s released before this byte.
  while (plus_count_ > 0 && plus_count_ < kEscapeLength && t >= deadline()) give_up_first(data);
  push_held(t, byte, data);
}

void EscapeDetector::push_held(TimeMs t, char byte, std::string& data) {
  if (plus_count_ == 0) {
    push_idle(t, byte, data);
  } else if (plus_count_ < kEscapeLength && byte == '+') {
    plus_at_[plus_count_++] = t;
    last_byte_ = t;
  } else {
    // Anything else, or any byte inside the guard after a third '+', breaks this candidate. Its
    // first '+' is data; the others, then this byte, are looked at again as if newly arrived.
    give_up_first(data);
    push(t, byte, data);
  }
}

void EscapeDetector::push_idle(TimeMs t, char byte, std::string& data) {
  if (byte == '+' && t >= after(last_byte_, timing_.guard)) {
    plus_at_[0] = t;
    plus_count_ = 1;
  } else {
    data.push_back(byte);
  }
  last_byte_ = t;
}

// The held candidate cannot complete: its first '+' is data, and the '+'s after it are replayed
// at their own arrival times, so one of them may begin a candidate of its own.
void EscapeDetector::give_up_first(std::string& data) {
  const std::size_t held = plus_count_;
  const auto at = plus_at_;
  data.push_back('+');
  plus_count_ = 0;
  last_byte_ = at[0];
  for (std::size_t i = 1; i < held; ++i) push_held(at[i], '+', data);
}

TimeMs EscapeDetector::deadline() const {
  if (plus_count_ == 0) {
    return kNever;
  }
  if (plus_count_ < kEscapeLength) {
    return after(last_byte_, timing_.gap);
  }
  return after(last_byte_, timing_.guard);
}

void EscapeDetector::flush(std::string& data) {
  data.append(plus_count_, '+');
  plus_count_ = 0;
}

}  // namespace qftp::escape
