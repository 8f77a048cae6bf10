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
  if (plus_count_ == 0 || t < deadline()) {
    return false;
  }
  if (plus_count_ == kEscapeLength) {
    plus_count_ = 0;
    return true;
  }
  flush(data);  // the next '+' did not come within the gap
  return false;
}

void EscapeDetector::push(TimeMs t, char byte, std::string& data) {
  // A caller that skipped advance(t) still gets expired '+'s released before this byte.
  if (plus_count_ > 0 && plus_count_ < kEscapeLength && t >= deadline()) {
    flush(data);
  }

  if (plus_count_ == 0) {
    push_idle(t, byte, data);
  } else if (plus_count_ < kEscapeLength && byte == '+') {
    ++plus_count_;
    last_byte_ = t;
  } else {
    // Anything else, or any byte inside the guard after a third '+', makes the held '+'s data.
    // The byte itself follows a '+' too closely to begin a new escape, which push_idle sees.
    flush(data);
    push_idle(t, byte, data);
  }
}

void EscapeDetector::push_idle(TimeMs t, char byte, std::string& data) {
  if (byte == '+' && t >= after(last_byte_, timing_.guard)) {
    plus_count_ = 1;
  } else {
    data.push_back(byte);
  }
  last_byte_ = t;
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
