// Layer 4 (docs/architecture.md §2.1, ruling 6): data-mode bytes with their arrival times to data
// or an escape. The escape is "+++" with at least `guard` ms of silence before the first '+' and
// after the third, and less than `gap` ms between the '+'s. Bytes held as a possible escape are
// released as data, in order, as soon as the escape can no longer complete: nothing is lost or
// duplicated.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>

#include "core/common/time.h"

namespace qftp::escape {

struct EscapeTiming {
  TimeMs guard = 500;  // T1 of the M-series manual: silence needed before and after "+++"
  TimeMs gap = 20;     // the '+'s must follow each other in less than this
};

class EscapeDetector {
 public:
  explicit EscapeDetector(EscapeTiming timing = {}) : timing_(timing) {}

  // Data mode begins at t: the silence before a first '+' counts from here.
  void start(TimeMs t);

  // Settles everything decided by time t, appending released bytes to `data`. Returns true when an
  // escape completed at or before t (the guard after the third '+' ran out with no byte); the
  // detector is then idle and the caller leaves data mode. Call it before push() and on timers.
  bool advance(TimeMs t, std::string& data);

  // One byte received at time t (t never decreases; call advance(t) first). Appends to `data`
  // whatever is now known to be data.
  void push(TimeMs t, char byte, std::string& data);

  // When advance() must next be called for a held escape to be settled; kNever when nothing is
  // held.
  TimeMs deadline() const;

  // Data mode ends for another reason: release held bytes as data and go idle.
  void flush(std::string& data);

  std::size_t held() const { return plus_count_; }
  const EscapeTiming& timing() const { return timing_; }

 private:
  void push_idle(TimeMs t, char byte, std::string& data);
  void push_held(TimeMs t, char byte, std::string& data);
  void give_up_first(std::string& data);

  EscapeTiming timing_;
  TimeMs last_byte_ = 0;   // arrival of the last byte (or the start of data mode)
  std::size_t plus_count_ = 0;
  // Arrival of each held '+': when a candidate breaks, a later '+' may still start one of its own
  // (possible when the gap limit exceeds the guard time).
  std::array<TimeMs, 3> plus_at_{};
};

}  // namespace qftp::escape
