// escape_fuzzer: timed data-mode bytes through the "+++" escape detector (docs/architecture.md §2.1
// layer 4). Oracle: a small offline model of ruling 6; nothing lost, duplicated or reordered, at
// every step.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "common/fuzz_check.h"
#include "core/escape/escape_detector.h"

namespace {

using qftp::kNever;
using qftp::TimeMs;
using qftp::escape::EscapeDetector;
using qftp::escape::EscapeTiming;

// Input layout: a 6-byte header [guard][gap][start][unused][tail lo][tail hi], then records of
// [delay lo][delay hi][byte]: the byte arrives `delay` ms after the previous one.
constexpr std::size_t kHeader = 6;
constexpr std::size_t kRecord = 3;
constexpr std::size_t kMaxRecords = 2048;

// Guard times and gap limits around the profile's defaults (500, 20), the degenerate ones
// included: a guard of 0 is the escape-no-guard defect, a gap of 0 can never be met.
constexpr TimeMs kGuards[] = {500, 0, 1, 20, 1000, 19, 21, 100};
constexpr TimeMs kGaps[] = {20, 1, 500, 1000, 19, 21, 50, 0};
// Start times, near the end of time included, where deadlines must saturate rather than wrap.
constexpr TimeMs kStarts[] = {0, 1000, 123456789, kNever - 70000, kNever - 1, 499, 500, 501};

struct Timed {
  TimeMs t;
  char byte;
};

struct Input {
  EscapeTiming timing;
  TimeMs start = 0;
  TimeMs end = 0;  // the last moment observed; after it data mode ends with flush()
  std::vector<Timed> bytes;
};

TimeMs later(TimeMs t, TimeMs delay) {
  return t > kNever - 1 - delay ? kNever - 1 : t + delay;
}

TimeMs delay_at(const std::uint8_t* p) {
  return static_cast<TimeMs>(p[0] | (p[1] << 8));
}

Input decode(const std::uint8_t* data, std::size_t size) {
  Input in;
  std::uint8_t header[kHeader] = {};
  if (size > 0) {
    std::memcpy(header, data, std::min(size, kHeader));
  }
  in.timing.guard = kGuards[header[0] % 8];
  in.timing.gap = kGaps[header[1] % 8];
  in.start = kStarts[header[2] % 8];
  TimeMs t = in.start;
  for (std::size_t pos = kHeader; pos + kRecord <= size && in.bytes.size() < kMaxRecords;
       pos += kRecord) {
    t = later(t, delay_at(data + pos));
    in.bytes.push_back({t, static_cast<char>(data[pos + 2])});
  }
  in.end = later(t, delay_at(header + 4));
  return in;
}

// What the detector must produce: the data stream, and where in it (and when) each escape fell.
struct Outcome {
  std::string data;
  std::vector<std::pair<std::size_t, TimeMs>> escapes;

  bool operator==(const Outcome&) const = default;
};

// Ruling 6 read directly off the timeline: bytes i..i+2 are an escape when they are "+++", the
// first comes at least `guard` after the byte before it (or the start of data mode), each next one
// less than `gap` after the previous, and nothing follows for `guard`. After an escape data mode
// starts again at the moment it was recognised. Everything else is data, in order.
Outcome model(const Input& in, bool escapes_recognised) {
  Outcome out;
  const auto& b = in.bytes;
  const TimeMs guard = in.timing.guard;
  const TimeMs gap = in.timing.gap;
  TimeMs previous = in.start;
  std::size_t i = 0;
  while (i < b.size()) {
    if (escapes_recognised && i + 2 < b.size() && b[i].byte == '+' && b[i + 1].byte == '+' &&
        b[i + 2].byte == '+' && b[i].t - previous >= guard && b[i + 1].t - b[i].t < gap &&
        b[i + 2].t - b[i + 1].t < gap) {
      const TimeMs next = i + 3 < b.size() ? b[i + 3].t : in.end;
      if (next - b[i + 2].t >= guard) {
        previous = b[i + 2].t + guard;
        out.escapes.emplace_back(out.data.size(), previous);
        i += 3;
        continue;
      }
    }
    out.data.push_back(b[i].byte);
    previous = b[i].t;
    ++i;
  }
  return out;
}

EscapeDetector make_detector(const EscapeTiming& timing) {
#if QFTP_FUZZ_BREAK
  // The proof of the oracle: a detector whose guard comparison is off by one ('>' for '>=').
  return EscapeDetector({timing.guard + 1, timing.gap});
#else
  return EscapeDetector(timing);
#endif
}

// Bookkeeping that must hold after every call: each byte pushed is released, held, or part of
// an escape, exactly once; held bytes are the last ones pushed and all '+'.
void check_conservation(const EscapeDetector& det, const Outcome& out, std::size_t pushed,
                        const std::string& sent) {
  QFTP_FUZZ_CHECK(det.held() <= 3);
  QFTP_FUZZ_CHECK(out.data.size() + det.held() + 3 * out.escapes.size() == pushed);
  for (std::size_t k = 0; k < det.held(); ++k) {
    QFTP_FUZZ_CHECK(sent[pushed - 1 - k] == '+');
  }
  // Held bytes always have a deadline, except at the very end of time where it saturates.
  QFTP_FUZZ_CHECK(det.held() != 0 || det.deadline() == kNever);
}

// The engine's way: a timer at every deadline, and advance(t) before every byte.
Outcome drive_with_timers(const Input& in) {
  EscapeDetector det = make_detector(in.timing);
  det.start(in.start);
  Outcome out;
  std::string sent;
  auto settle = [&](TimeMs t) {
    while (det.deadline() <= t) {
      const TimeMs due = det.deadline();
      if (det.advance(due, out.data)) {
        out.escapes.emplace_back(out.data.size(), due);
        det.start(due);
      }
      QFTP_FUZZ_CHECK(det.deadline() > due);
      check_conservation(det, out, sent.size(), sent);
    }
    QFTP_FUZZ_CHECK(!det.advance(t, out.data));
  };
  for (const Timed& x : in.bytes) {
    settle(x.t);
    det.push(x.t, x.byte, out.data);
    sent.push_back(x.byte);
    check_conservation(det, out, sent.size(), sent);
  }
  settle(in.end);
  det.flush(out.data);
  QFTP_FUZZ_CHECK(det.held() == 0);
  return out;
}

// A lazier caller: no timers, only advance(t) when a byte comes; the escape is dated by the
// deadline it had.
Outcome drive_lazily(const Input& in) {
  EscapeDetector det = make_detector(in.timing);
  det.start(in.start);
  Outcome out;
  auto step = [&](TimeMs t) {
    const TimeMs due = det.deadline();
    if (det.advance(t, out.data)) {
      out.escapes.emplace_back(out.data.size(), due);
      det.start(due);
    }
  };
  for (const Timed& x : in.bytes) {
    step(x.t);
    det.push(x.t, x.byte, out.data);
  }
  step(in.end);
  det.flush(out.data);
  return out;
}

// A caller that never calls advance(): push() alone still releases expired '+'s in order, and
// without advance() no escape is ever recognised.
Outcome drive_push_only(const Input& in) {
  EscapeDetector det = make_detector(in.timing);
  det.start(in.start);
  Outcome out;
  for (const Timed& x : in.bytes) {
    det.push(x.t, x.byte, out.data);
  }
  det.flush(out.data);
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const Input in = decode(data, size);
  const Outcome expected = model(in, true);
  QFTP_FUZZ_CHECK(drive_with_timers(in) == expected);
  QFTP_FUZZ_CHECK(drive_lazily(in) == expected);
  QFTP_FUZZ_CHECK(drive_push_only(in) == model(in, false));
  return 0;
}

#ifdef QFTP_LIBFUZZER
// Weak: an engine other than libFuzzer may call the custom mutator without providing this.
extern "C" __attribute__((weak)) std::size_t LLVMFuzzerMutate(std::uint8_t* data, std::size_t size,
                                                              std::size_t max_size);

// Random delays almost never land on the boundaries that matter, so after libFuzzer's own
// mutation some records are snapped to 0, G-1, G, G+1, gap-1, gap or gap+1, and sometimes a
// whole "+++" with guard times around it is written in.
extern "C" std::size_t LLVMFuzzerCustomMutator(std::uint8_t* data, std::size_t size,
                                               std::size_t max_size, unsigned int seed) {
  std::minstd_rand rng(seed);
  if (LLVMFuzzerMutate != nullptr) {
    size = LLVMFuzzerMutate(data, size, max_size);
  }
  if (size < kHeader + kRecord) {
    return size;
  }
  const TimeMs guard = kGuards[data[0] % 8];
  const TimeMs gap = kGaps[data[1] % 8];
  const TimeMs snaps[] = {0, guard - 1, guard, guard + 1, gap - 1, gap, gap + 1};
  const std::size_t records = (size - kHeader) / kRecord;
  auto put_delay = [&](std::size_t record, TimeMs d) {
    const auto v = static_cast<std::uint16_t>(std::clamp<TimeMs>(d, 0, 65535));
    data[kHeader + record * kRecord] = static_cast<std::uint8_t>(v & 0xff);
    data[kHeader + record * kRecord + 1] = static_cast<std::uint8_t>(v >> 8);
  };
  if (rng() % 4 == 0 && records >= 4) {
    const std::size_t r = rng() % (records - 3);
    put_delay(r, snaps[1 + rng() % 3]);
    put_delay(r + 1, snaps[4 + rng() % 3]);
    put_delay(r + 2, snaps[4 + rng() % 3]);
    put_delay(r + 3, snaps[1 + rng() % 3]);
    for (std::size_t k = 0; k < 3; ++k) {
      data[kHeader + (r + k) * kRecord + 2] = '+';
    }
    return size;
  }
  const unsigned count = 1 + rng() % 4;
  for (unsigned k = 0; k < count; ++k) {
    const std::size_t r = rng() % records;
    put_delay(r, snaps[rng() % 7]);
    if (rng() % 2 == 0) {
      data[kHeader + r * kRecord + 2] = '+';
    }
  }
  if (rng() % 8 == 0) {
    const std::uint16_t tail =
        static_cast<std::uint16_t>(std::clamp<TimeMs>(snaps[rng() % 7], 0, 65535));
    data[4] = static_cast<std::uint8_t>(tail & 0xff);
    data[5] = static_cast<std::uint8_t>(tail >> 8);
  }
  return size;
}
#endif
