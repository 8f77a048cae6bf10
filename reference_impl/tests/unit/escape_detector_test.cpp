// Unit tests of the escape detector (layer 4, ruling 6), all on virtual time: guard and gap
// boundaries to the millisecond, release of held '+'s, a property test against an offline model.
#include "core/escape/escape_detector.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

namespace qftp::escape {
namespace {

constexpr TimeMs kGuard = 500;  // default guard
constexpr TimeMs kGap = 20;     // default gap limit

// Drives a detector the way the engine does: advance(t) before every byte.
struct Line {
  EscapeDetector det;
  std::string data;
  bool escaped = false;

  explicit Line(TimeMs start = 0, EscapeTiming timing = {}) : det(timing) { det.start(start); }

  void send(TimeMs t, char c) {
    ASSERT_FALSE(escaped) << "byte after the escape";
    if (det.advance(t, data)) {
      escaped = true;
      return;
    }
    det.push(t, c, data);
  }
  void send(TimeMs t, const std::string& bytes) {
    for (char c : bytes) {
      send(t, c);
    }
  }
  bool at(TimeMs t) {
    if (!escaped && det.advance(t, data)) {
      escaped = true;
    }
    return escaped;
  }
};

// "+++" starting at t0 with the given spacing.
void pluses(Line& line, TimeMs t0, TimeMs spacing1, TimeMs spacing2) {
  line.send(t0, '+');
  line.send(t0 + spacing1, '+');
  line.send(t0 + spacing1 + spacing2, '+');
}

// ---- silence before ----

TEST(EscapeDetector, SilenceBeforeOfGuardMinusOneIsData) {
  Line line;
  pluses(line, kGuard - 1, 1, 1);
  EXPECT_EQ(line.det.held(), 0u);
  EXPECT_FALSE(line.at(kGuard + 1 + kGuard + 10));
  EXPECT_EQ(line.data, "+++");
}

TEST(EscapeDetector, SilenceBeforeOfExactlyGuardEscapes) {
  Line line;
  pluses(line, kGuard, 1, 1);
  EXPECT_EQ(line.det.held(), 3u);
  EXPECT_TRUE(line.at(kGuard + 2 + kGuard));
  EXPECT_EQ(line.data, "");
}

TEST(EscapeDetector, SilenceBeforeOfGuardPlusOneEscapes) {
  Line line;
  pluses(line, kGuard + 1, 1, 1);
  EXPECT_TRUE(line.at(kGuard + 3 + kGuard));
  EXPECT_EQ(line.data, "");
}

TEST(EscapeDetector, SilenceBeforeCountsFromLastDataByte) {
  Line line;
  line.send(1000, "abc");
  pluses(line, 1000 + kGuard - 1, 1, 1);
  EXPECT_FALSE(line.at(5000));
  EXPECT_EQ(line.data, "abc+++");

  Line ok;
  ok.send(1000, "abc");
  pluses(ok, 1000 + kGuard, 1, 1);
  EXPECT_TRUE(ok.at(1000 + kGuard + 2 + kGuard));
  EXPECT_EQ(ok.data, "abc");
}

TEST(EscapeDetector, SilenceBeforeCountsFromStart) {
  Line early(1000);
  early.send(1000 + kGuard - 1, '+');
  EXPECT_EQ(early.det.held(), 0u);
  EXPECT_EQ(early.data, "+");

  Line on_time(1000);
  on_time.send(1000 + kGuard, '+');
  EXPECT_EQ(on_time.det.held(), 1u);
  EXPECT_EQ(on_time.data, "");
}

// ---- silence after ----

TEST(EscapeDetector, ByteAtGuardMinusOneAfterThirdPlusMakesItData) {
  Line line;
  pluses(line, kGuard, 1, 1);  // third '+' at kGuard + 2
  EXPECT_FALSE(line.at(kGuard + 2 + kGuard - 1));
  line.send(kGuard + 2 + kGuard - 1, 'x');
  EXPECT_FALSE(line.escaped);
  EXPECT_EQ(line.data, "+++x");
  EXPECT_EQ(line.det.held(), 0u);
  EXPECT_FALSE(line.at(100000));
}

TEST(EscapeDetector, SilenceAfterOfExactlyGuardEscapes) {
  Line line;
  pluses(line, kGuard, 1, 1);
  EXPECT_FALSE(line.at(kGuard + 2 + kGuard - 1));
  EXPECT_TRUE(line.at(kGuard + 2 + kGuard));
  EXPECT_EQ(line.data, "");
  EXPECT_EQ(line.det.held(), 0u);
  EXPECT_EQ(line.det.deadline(), kNever);
}

TEST(EscapeDetector, SilenceAfterOfGuardPlusOneEscapes) {
  Line line;
  pluses(line, kGuard, 1, 1);
  EXPECT_TRUE(line.at(kGuard + 2 + kGuard + 1));
  EXPECT_EQ(line.data, "");
}

TEST(EscapeDetector, ByteArrivingExactlyAtGuardAfterIsNotData) {
  // advance(t) comes first and reports the escape; the byte belongs to command mode.
  Line line;
  pluses(line, kGuard, 1, 1);
  line.send(kGuard + 2 + kGuard, 'A');
  EXPECT_TRUE(line.escaped);
  EXPECT_EQ(line.data, "");
}

TEST(EscapeDetector, PlusInsideGuardAfterIsData) {
  Line line;
  pluses(line, kGuard, 1, 1);
  line.send(kGuard + 3, '+');
  EXPECT_EQ(line.data, "++++");
  EXPECT_EQ(line.det.held(), 0u);
  EXPECT_FALSE(line.at(100000));
}

// ---- gap between the '+'s ----

TEST(EscapeDetector, GapOfLimitMinusOneEscapes) {
  Line line;
  pluses(line, kGuard, kGap - 1, kGap - 1);
  EXPECT_TRUE(line.at(kGuard + 2 * (kGap - 1) + kGuard));
  EXPECT_EQ(line.data, "");
}

TEST(EscapeDetector, GapOfExactlyLimitIsData) {
  Line first;
  pluses(first, kGuard, kGap, 1);
  EXPECT_FALSE(first.at(100000));
  EXPECT_EQ(first.data, "+++");

  Line second;
  pluses(second, kGuard, 1, kGap);
  EXPECT_FALSE(second.at(100000));
  EXPECT_EQ(second.data, "+++");
}

TEST(EscapeDetector, GapOfLimitPlusOneIsData) {
  Line first;
  pluses(first, kGuard, kGap + 1, 1);
  EXPECT_FALSE(first.at(100000));
  EXPECT_EQ(first.data, "+++");

  Line second;
  pluses(second, kGuard, 1, kGap + 1);
  EXPECT_FALSE(second.at(100000));
  EXPECT_EQ(second.data, "+++");
}

TEST(EscapeDetector, PlusesInTheSameMillisecondEscape) {
  Line line;
  line.send(kGuard, "+++");
  EXPECT_TRUE(line.at(2 * kGuard));
}

// ---- held bytes come out as data ----

TEST(EscapeDetector, PlusesFollowedByCommandWithoutPauseStayData) {
  // docs/field-facts.md §2: some hosts send "+++ATH\r" in one burst, which must stay data.
  Line line;
  TimeMs t = kGuard;
  for (char c : std::string("+++ATH\r")) {
    line.send(t++, c);
  }
  EXPECT_EQ(line.data, "+++ATH\r");
  EXPECT_FALSE(line.at(100000));
  EXPECT_EQ(line.data, "+++ATH\r");

  Line burst;
  burst.send(kGuard, "+++ATH\r");
  EXPECT_EQ(burst.data, "+++ATH\r");
}

TEST(EscapeDetector, TwoPlusesThenLongSilenceAreReleased) {
  Line line;
  line.send(kGuard, '+');
  line.send(kGuard + 10, '+');
  EXPECT_EQ(line.det.held(), 2u);
  EXPECT_EQ(line.det.deadline(), kGuard + 10 + kGap);
  EXPECT_FALSE(line.at(kGuard + 10 + kGap - 1));
  EXPECT_EQ(line.data, "");
  EXPECT_FALSE(line.at(kGuard + 10 + kGap));
  EXPECT_EQ(line.data, "++");
  EXPECT_EQ(line.det.held(), 0u);
  EXPECT_EQ(line.det.deadline(), kNever);
  EXPECT_FALSE(line.at(kGuard * 10));
  EXPECT_EQ(line.data, "++");
}

TEST(EscapeDetector, OnePlusThenSilenceIsReleased) {
  Line line;
  line.send(kGuard, '+');
  EXPECT_EQ(line.det.deadline(), kGuard + kGap);
  EXPECT_FALSE(line.at(kGuard * 10));
  EXPECT_EQ(line.data, "+");
}

TEST(EscapeDetector, NonPlusReleasesHeldInOrder) {
  Line line;
  line.send(kGuard, "++x+");
  EXPECT_EQ(line.data, "++x+");
  EXPECT_EQ(line.det.held(), 0u);
}

TEST(EscapeDetector, ReleasedPlusesThenNewCandidateAfterGuard) {
  Line line;
  line.send(kGuard, "++");
  EXPECT_FALSE(line.at(kGuard + kGap));  // released
  pluses(line, kGuard + kGuard, 1, 1);   // exactly kGuard after the last '+'
  EXPECT_EQ(line.det.held(), 3u);
  EXPECT_TRUE(line.at(2 * kGuard + 2 + kGuard));
  EXPECT_EQ(line.data, "++");
}

TEST(EscapeDetector, ReleasedPlusesThenPlusTooSoonIsData) {
  Line line;
  line.send(kGuard, "++");
  pluses(line, kGuard + kGuard - 1, 1, 1);
  EXPECT_FALSE(line.at(100000));
  EXPECT_EQ(line.data, "+++++");
}

TEST(EscapeDetector, PushWithoutAdvanceStillReleasesExpiredPluses) {
  EscapeDetector det;
  std::string data;
  det.start(0);
  det.push(kGuard, '+', data);
  det.push(kGuard + kGap, 'x', data);
  EXPECT_EQ(data, "+x");
  det.push(kGuard + kGap + kGuard, '+', data);
  EXPECT_EQ(det.held(), 1u);
  det.push(kGuard + kGap + kGuard + kGap + kGuard, '+',
           data);  // the first '+' expired; this one starts a new candidate
  EXPECT_EQ(data, "+x+");
  EXPECT_EQ(det.held(), 1u);
}

TEST(EscapeDetector, DeadlineFollowsHeldState) {
  EscapeDetector det;
  std::string data;
  det.start(0);
  EXPECT_EQ(det.deadline(), kNever);
  det.push(1000, '+', data);
  EXPECT_EQ(det.deadline(), 1000 + kGap);
  det.push(1005, '+', data);
  EXPECT_EQ(det.deadline(), 1005 + kGap);
  det.push(1010, '+', data);
  EXPECT_EQ(det.deadline(), 1010 + kGuard);
  EXPECT_FALSE(det.advance(1010 + kGuard - 1, data));
  EXPECT_TRUE(det.advance(det.deadline(), data));
  EXPECT_EQ(det.deadline(), kNever);
}

TEST(EscapeDetector, FlushReleasesHeldAndGoesIdle) {
  EscapeDetector det;
  std::string data = "x";
  det.start(0);
  det.push(kGuard, '+', data);
  det.push(kGuard + 1, '+', data);
  det.flush(data);
  EXPECT_EQ(data, "x++");
  EXPECT_EQ(det.held(), 0u);
  EXPECT_EQ(det.deadline(), kNever);
  det.flush(data);
  EXPECT_EQ(data, "x++");
}

TEST(EscapeDetector, CustomTimingForPpp) {
  // docs/field-facts.md §1: less than 1 s between the '+'s for PPP.
  const EscapeTiming ppp{1000, 1000};
  Line line(0, ppp);
  pluses(line, 1000, 999, 999);
  EXPECT_FALSE(line.at(1000 + 1998 + 999));
  EXPECT_TRUE(line.at(1000 + 1998 + 1000));
  EXPECT_EQ(line.det.timing().guard, 1000);
}

TEST(EscapeDetector, RestartAfterEscapeWorks) {
  Line line;
  pluses(line, kGuard, 1, 1);
  ASSERT_TRUE(line.at(2 * kGuard + 2));
  line.escaped = false;
  line.det.start(5000);
  line.send(5000 + kGuard - 1, '+');
  EXPECT_EQ(line.data, "+");
  pluses(line, 5000 + kGuard - 1 + kGuard, 1, 1);
  EXPECT_TRUE(line.at(10000));
}

TEST(EscapeDetector, HugeTimestampsDoNotWrap) {
  EscapeDetector det;
  std::string data;
  det.start(kNever - 10);
  det.push(kNever - 5, '+', data);
  EXPECT_EQ(data, "+");
  EXPECT_FALSE(det.advance(kNever, data));
}

// ---- property test against an offline model ----

struct Event {
  TimeMs t;
  char byte;
};

struct Outcome {
  bool escaped = false;
  std::string data;          // bytes delivered as data
  std::size_t consumed = 0;  // bytes handed to the detector before the escape was reported
};

// The whole stream is known, so the first "+++" with enough silence on both sides and short gaps
// is the escape; everything before it is data, and without one everything is data.
Outcome offline_model(TimeMs start, const std::vector<Event>& ev, TimeMs end, EscapeTiming timing) {
  Outcome out;
  for (std::size_t i = 0; i + 2 < ev.size(); ++i) {
    const TimeMs before = i == 0 ? start : ev[i - 1].t;
    const TimeMs after = i + 3 < ev.size() ? ev[i + 3].t : end;
    if (ev[i].byte == '+' && ev[i + 1].byte == '+' && ev[i + 2].byte == '+' &&
        ev[i].t - before >= timing.guard && ev[i + 1].t - ev[i].t < timing.gap &&
        ev[i + 2].t - ev[i + 1].t < timing.gap && after - ev[i + 2].t >= timing.guard) {
      out.escaped = true;
      out.consumed = i + 3;
      for (std::size_t k = 0; k < i; ++k) {
        out.data += ev[k].byte;
      }
      return out;
    }
  }
  out.consumed = ev.size();
  for (const Event& e : ev) {
    out.data += e.byte;
  }
  return out;
}

// The online detector, with timers fired at deadline() on some steps as the engine would.
Outcome run_detector(TimeMs start, const std::vector<Event>& ev, TimeMs end, EscapeTiming timing,
                     std::mt19937& rng) {
  EscapeDetector det(timing);
  det.start(start);
  Outcome out;
  std::bernoulli_distribution fire_timer(0.5);
  std::string pushed;
  for (const Event& e : ev) {
    if (fire_timer(rng) && det.deadline() <= e.t) {
      if (det.advance(det.deadline(), out.data)) {
        out.escaped = true;
        return out;
      }
    }
    if (det.advance(e.t, out.data)) {
      out.escaped = true;
      return out;
    }
    det.push(e.t, e.byte, out.data);
    pushed += e.byte;
    ++out.consumed;
    // Nothing lost, duplicated or reordered: released data plus the held '+'s is what came in.
    EXPECT_EQ(out.data + std::string(det.held(), '+'), pushed);
    EXPECT_LE(det.held(), 3u);
  }
  if (det.advance(end, out.data)) {
    out.escaped = true;
    return out;
  }
  det.flush(out.data);
  return out;
}

TEST(EscapeDetector, MatchesOfflineModelOnSeededRandomStreams) {
  const std::vector<EscapeTiming> timings = {{500, 20}, {5, 3}, {1, 1}, {1000, 1000}, {3, 1}};
  std::mt19937 rng(424242);
  int escapes = 0;
  for (const EscapeTiming& timing : timings) {
    const TimeMs g = timing.guard;
    const TimeMs l = timing.gap;
    // Delays snapped onto and around both boundaries, plus some arbitrary ones.
    const std::vector<TimeMs> snapped = {0, 1, l - 1, l, l + 1, g - 1, g, g + 1, 2 * g};
    std::uniform_int_distribution<std::size_t> pick(0, snapped.size());
    std::uniform_int_distribution<TimeMs> arbitrary(0, 2 * g + 2);
    auto delay = [&] {
      const std::size_t k = pick(rng);
      return k == snapped.size() ? arbitrary(rng) : std::max<TimeMs>(0, snapped[k]);
    };
    std::bernoulli_distribution plus(0.75);
    std::uniform_int_distribution<int> other(0, 2);
    std::uniform_int_distribution<int> length(0, 12);

    for (int round = 0; round < 10000; ++round) {
      const TimeMs start = 1000;
      std::vector<Event> ev;
      TimeMs t = start;
      const int n = length(rng);
      for (int k = 0; k < n; ++k) {
        t += delay();
        const char others[] = {'a', '\0', '\xff'};
        ev.push_back({t, plus(rng) ? '+' : others[other(rng)]});
      }
      const TimeMs end = t + delay();

      const Outcome want = offline_model(start, ev, end, timing);
      const Outcome got = run_detector(start, ev, end, timing, rng);
      std::string trace;
      for (const Event& e : ev) {
        trace += std::to_string(e.t) + ":" + e.byte + " ";
      }
      ASSERT_EQ(got.escaped, want.escaped) << trace << "end " << end;
      ASSERT_EQ(got.data, want.data) << trace << "end " << end;
      ASSERT_EQ(got.consumed, want.consumed) << trace << "end " << end;
      if (got.escaped) {
        ++escapes;
      }
    }
  }
  // The generator must produce escapes as well as plain data.
  EXPECT_GT(escapes, 1000);
}

}  // namespace
}  // namespace qftp::escape

namespace {

// Found by escape_fuzzer (fuzz/regressions/escape_fuzzer/gap_longer_than_guard_missed_escape): with
// PPP-style timing (gap 1000 ms over a 500 ms guard) a broken candidate's later '+'s can still
// begin an escape of their own; the first '+' alone is data.
TEST(EscapeDetectorRegression, ALaterPlusStartsAnEscapeWhenTheGapExceedsTheGuard) {
  qftp::escape::EscapeDetector d({500, 1000});
  std::string data;
  d.start(0);
  for (const qftp::TimeMs t : {600, 1100, 1200, 1200}) {
    EXPECT_FALSE(d.advance(t, data));
    d.push(t, '+', data);
  }
  EXPECT_FALSE(d.advance(1699, data));
  EXPECT_TRUE(d.advance(1700, data));
  EXPECT_EQ(data, "+");
}

}  // namespace
