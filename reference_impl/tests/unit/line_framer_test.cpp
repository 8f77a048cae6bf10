// Unit tests of the line framer (layer 1 of the AT path).
// Each V.250 §5.2 / docs/field-facts.md §1-2 framing rule is fed byte by byte and the frames are
// checked.
#include "core/at/line_framer.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <string_view>
#include <vector>

namespace qftp::at {
namespace {

using namespace std::string_literals;

// Feeds every byte and collects every frame, as the engine would.
std::vector<Frame> feed(LineFramer& framer, std::string_view bytes, const FramerSettings& s = {}) {
  std::vector<Frame> frames;
  for (char c : bytes) {
    if (auto f = framer.push(c, s)) {
      frames.push_back(std::move(*f));
    }
  }
  return frames;
}

std::vector<Frame> feed(std::string_view bytes, const FramerSettings& s = {}) {
  LineFramer framer;
  return feed(framer, bytes, s);
}

Frame only_frame(std::string_view bytes, const FramerSettings& s = {}) {
  const auto frames = feed(bytes, s);
  EXPECT_EQ(frames.size(), 1u) << "input: " << testing::PrintToString(std::string(bytes));
  return frames.empty() ? Frame{FrameKind::overflow, "<no frame>"} : frames.front();
}

template <typename AnyFrame>
void expect_line(const AnyFrame& f, std::string_view body) {
  EXPECT_EQ(f.kind, FrameKind::line);
  EXPECT_EQ(f.body, body);
}

TEST(LineFramer, UppercasePrefixAndCrGiveALine) {
  expect_line(only_frame("AT+QFTPSTAT\r"), "+QFTPSTAT");
}

TEST(LineFramer, LowercasePrefixWorksAndBodyCaseIsKept) {
  expect_line(only_frame("at+qftpUser=\"Bob\"\r"), "+qftpUser=\"Bob\"");
}

TEST(LineFramer, MixedCasePrefixIsNotAPrefix) {
  EXPECT_TRUE(feed("At+X\r").empty());
  EXPECT_TRUE(feed("aT+X\r").empty());
}

TEST(LineFramer, MixedCaseAttemptThenRealPrefix) {
  expect_line(only_frame("AtAT\r"), "");
  expect_line(only_frame("aTat1\r"), "1");
}

TEST(LineFramer, RepeatedAKeepsLookingForT) {
  expect_line(only_frame("AAT\r"), "");
  expect_line(only_frame("aAT\r"), "");
  expect_line(only_frame("Aat\r"), "");
}

TEST(LineFramer, EmptyLineIsALineWithEmptyBody) {
  expect_line(only_frame("AT\r"), "");
}

TEST(LineFramer, NoFrameWithoutTerminator) {
  LineFramer framer;
  EXPECT_TRUE(feed(framer, "AT+QFTPSTAT").empty());
  EXPECT_FALSE(framer.idle());
}

TEST(LineFramer, JunkBeforePrefixIsIgnored) {
  expect_line(only_frame(" AT\r"), "");
  expect_line(only_frame("\x1b"
                         "AT\r"),
              "");
  expect_line(only_frame("\r\nAT\r"), "");
  expect_line(only_frame("\0AT\r"s), "");
  expect_line(only_frame("\xff\x80"
                         "AT\r"),
              "");
  expect_line(only_frame("xyzBT\r\nAT+CSQ\r"), "+CSQ");
  expect_line(only_frame("\x1b\r\n \xff"
                         "at\r"),
              "");
}

TEST(LineFramer, TerminatorsBeforePrefixGiveNothing) {
  EXPECT_TRUE(feed("\r\n\r\n\n\r").empty());
}

TEST(LineFramer, AloneOrATerminatedIsNotALine) {
  EXPECT_TRUE(feed("A\r").empty());
  EXPECT_TRUE(feed("a\n").empty());
  EXPECT_TRUE(feed("T\r").empty());
}

TEST(LineFramer, LoneLfEndsALine) {
  const auto frames = feed("AT+A\nAT+B\n");
  ASSERT_EQ(frames.size(), 2u);
  expect_line(frames[0], "+A");
  expect_line(frames[1], "+B");
}

TEST(LineFramer, CrLfEndsOneLine) {
  const auto frames = feed("AT+A\r\nAT+B\r\n");
  ASSERT_EQ(frames.size(), 2u);
  expect_line(frames[0], "+A");
  expect_line(frames[1], "+B");
}

TEST(LineFramer, LfLfEndsOneLineSinceTheSecondIsJunk) {
  EXPECT_EQ(feed("AT\n\n").size(), 1u);
}

TEST(LineFramer, CrLfLeavesFramerIdleAfterOneFrame) {
  LineFramer framer;
  EXPECT_FALSE(framer.push('A', {}).has_value());
  EXPECT_FALSE(framer.push('T', {}).has_value());
  EXPECT_TRUE(framer.push('\r', {}).has_value());
  EXPECT_FALSE(framer.push('\n', {}).has_value());
  EXPECT_TRUE(framer.idle());
  const auto frames = feed(framer, "AT1\rAT2\n");
  ASSERT_EQ(frames.size(), 2u);
  expect_line(frames[0], "1");
  expect_line(frames[1], "2");
}

TEST(LineFramer, LfInsideLineAfterCrLfStillEndsLine) {
  // The pair swallow only applies to the byte right after the terminator.
  const auto frames = feed("AT1\r\nAT2\nAT3\r\r\n");
  ASSERT_EQ(frames.size(), 3u);
  expect_line(frames[0], "1");
  expect_line(frames[1], "2");
  expect_line(frames[2], "3");
}

TEST(LineFramer, ChangedS3TakesEffectAtOnce) {
  FramerSettings s;
  s.s3 = '!';
  LineFramer framer;
  auto frames = feed(framer, "AT+A!", s);
  ASSERT_EQ(frames.size(), 1u);
  expect_line(frames[0], "+A");
  // CR is now an ordinary control character inside a line: dropped.
  frames = feed(framer, "AT+B\r+C!", s);
  ASSERT_EQ(frames.size(), 1u);
  expect_line(frames[0], "+B+C");
  // Switching back mid-line: the next CR ends the line.
  EXPECT_TRUE(feed(framer, "AT+D", s).empty());
  frames = feed(framer, "\r", FramerSettings{});
  ASSERT_EQ(frames.size(), 1u);
  expect_line(frames[0], "+D");
}

TEST(LineFramer, LfStillEndsALineWhenS3Changed) {
  FramerSettings s;
  s.s3 = '!';
  expect_line(only_frame("AT+A\n", s), "+A");
}

TEST(LineFramer, BackspaceDeletesLastCharacter) {
  expect_line(only_frame("AT+CSQX\b\r"), "+CSQ");
  expect_line(only_frame("ATE1\b0\r"), "E0");
}

TEST(LineFramer, DelDeletesLastCharacter) {
  expect_line(only_frame("AT+CSQX\x7f\r"), "+CSQ");
}

TEST(LineFramer, BackspaceNeverDeletesThePrefix) {
  expect_line(only_frame("AT\b\b\b\r"), "");
  expect_line(only_frame("ATE\b\b\b\bV\r"), "V");
  expect_line(only_frame("AT\x7f\x7f"
                         "I\r"),
              "I");
}

TEST(LineFramer, BackspaceAfterOnlyADropsIt) {
  LineFramer framer;
  EXPECT_TRUE(feed(framer, "A\b").empty());
  EXPECT_TRUE(framer.idle());
  // The 'A' is gone, so a following 'T' is junk...
  EXPECT_TRUE(feed(framer, "T\r").empty());
  // ...and a fresh prefix works.
  expect_line(only_frame("A\x7f"
                         "AT+X\r"),
              "+X");
}

TEST(LineFramer, ChangedS5IsTheEditingCharacter) {
  FramerSettings s;
  s.s5 = '#';
  expect_line(only_frame("AT+CSQX#\r", s), "+CSQ");
  // Backspace is now an ignored control character, DEL still edits.
  expect_line(only_frame("AT+CSQ\b\r", s), "+CSQ");
  expect_line(only_frame("AT+CSQ\x7f\r", s), "+CS");
}

TEST(LineFramer, ControlCharactersInsideBodyAreDropped) {
  expect_line(only_frame("AT+C\0S\x01Q\x1b\t\r"s), "+CSQ");
}

TEST(LineFramer, HighBytesAndPrintablesInsideBodyAreKept) {
  expect_line(only_frame("AT+Q\xff\x80 \"a b\"\r"), "+Q\xff\x80 \"a b\"");
}

TEST(LineFramer, QuotedTextKeepsCaseAndSemicolons) {
  expect_line(only_frame("AT+QFTPPUT=\"a;B,c\";+QFTPSTAT\r"), "+QFTPPUT=\"a;B,c\";+QFTPSTAT");
}

TEST(LineFramer, RepeatReturnsPreviousBodyWithoutTerminator) {
  LineFramer framer;
  feed(framer, "AT+QFTPSTAT\r");
  const auto frames = feed(framer, "A/");
  ASSERT_EQ(frames.size(), 1u);
  EXPECT_EQ(frames[0].kind, FrameKind::repeat);
  EXPECT_EQ(frames[0].body, "+QFTPSTAT");
  EXPECT_TRUE(framer.idle());
}

TEST(LineFramer, LowercaseRepeatWorks) {
  LineFramer framer;
  feed(framer, "ate0\r");
  const auto frames = feed(framer, "a/");
  ASSERT_EQ(frames.size(), 1u);
  EXPECT_EQ(frames[0].kind, FrameKind::repeat);
  EXPECT_EQ(frames[0].body, "e0");
}

TEST(LineFramer, RepeatWithNoPreviousLineIsEmpty) {
  const auto f = only_frame("A/");
  EXPECT_EQ(f.kind, FrameKind::repeat);
  EXPECT_EQ(f.body, "");
}

TEST(LineFramer, RepeatTwiceAndAfterJunk) {
  LineFramer framer;
  feed(framer, "ATI\r\n");
  const auto frames = feed(framer, "A/\r\n x A/");
  ASSERT_EQ(frames.size(), 2u);
  EXPECT_EQ(frames[0].kind, FrameKind::repeat);
  EXPECT_EQ(frames[1].kind, FrameKind::repeat);
  EXPECT_EQ(frames[1].body, "I");
}

TEST(LineFramer, SlashInsideBodyIsNotRepeat) {
  expect_line(only_frame("ATA/\r"), "A/");
}

TEST(LineFramer, RepeatUsesLastLineNotOverflow) {
  LineFramer framer;
  feed(framer, "ATE1\r");
  feed(framer, "AT" + std::string(300, 'X') + "\r");
  const auto frames = feed(framer, "A/");
  ASSERT_EQ(frames.size(), 1u);
  EXPECT_EQ(frames[0].body, "E1");
}

TEST(LineFramer, RepeatIsNotAffectedByAbandonedLine) {
  LineFramer framer;
  feed(framer, "ATE1\r");
  feed(framer, "ATV0");
  framer.reset();
  const auto frames = feed(framer, "A/");
  ASSERT_EQ(frames.size(), 1u);
  EXPECT_EQ(frames[0].body, "E1");
}

TEST(LineFramer, ResetForgetsPartialLine) {
  LineFramer framer;
  feed(framer, "AT+QFTPOPEN=\"h");
  EXPECT_FALSE(framer.idle());
  framer.reset();
  EXPECT_TRUE(framer.idle());
  EXPECT_TRUE(feed(framer, "\r").empty());
  const auto frames = feed(framer, "AT\r");
  ASSERT_EQ(frames.size(), 1u);
  expect_line(frames[0], "");
}

TEST(LineFramer, IdleTracksPartialPrefix) {
  LineFramer framer;
  EXPECT_TRUE(framer.idle());
  framer.push('A', {});
  EXPECT_FALSE(framer.idle());
  framer.push('T', {});
  EXPECT_FALSE(framer.idle());
  framer.push('\r', {});
  EXPECT_TRUE(framer.idle());
}

TEST(LineFramer, ThreeHundredCharacterLineOverflowsThenNextLineWorks) {
  LineFramer framer;
  auto frames = feed(framer, "AT" + std::string(298, 'Q') + "\r");
  ASSERT_EQ(frames.size(), 1u);
  EXPECT_EQ(frames[0].kind, FrameKind::overflow);
  // Only what fits is kept: 256 characters counting the prefix.
  EXPECT_EQ(frames[0].body, std::string(LineFramer::kMaxLine - 2, 'Q'));
  frames = feed(framer, "AT\r");
  ASSERT_EQ(frames.size(), 1u);
  expect_line(frames[0], "");
}

TEST(LineFramer, ExactlyTwoHundredFiftySixCharactersIsALine) {
  const std::string body(LineFramer::kMaxLine - 2, 'x');
  expect_line(only_frame("AT" + body + "\r"), body);
}

TEST(LineFramer, TwoHundredFiftySevenCharactersOverflows) {
  const std::string body(LineFramer::kMaxLine - 1, 'x');
  EXPECT_EQ(only_frame("AT" + body + "\r").kind, FrameKind::overflow);
}

TEST(LineFramer, DroppedControlCharactersDoNotCountAgainstLimit) {
  std::string bytes = "AT";
  for (int i = 0; i < 254; ++i) {
    bytes += "y\x01";
  }
  expect_line(only_frame(bytes + "\r"), std::string(254, 'y'));
}

TEST(LineFramer, BackspaceBeforeLimitKeepsLineWithinLimit) {
  // 257 characters typed, one deleted before the limit is reached: 256 remain.
  const std::string bytes = "AT" + std::string(10, 'x') + "\b" + std::string(245, 'x') + "\r";
  expect_line(only_frame(bytes), std::string(254, 'x'));
}

TEST(LineFramer, OverflowIsStickyUntilTerminator) {
  // Bytes past the limit are discarded, so deleting afterwards cannot save the line.
  const std::string bytes = "AT" + std::string(255, 'x') + "\b\b\b\r";
  EXPECT_EQ(only_frame(bytes).kind, FrameKind::overflow);
}

TEST(LineFramer, OverflowWithLfAndCrLfTerminators) {
  LineFramer framer;
  auto frames =
      feed(framer, "AT" + std::string(400, 'z') + "\r\nAT" + std::string(400, 'z') + "\nATE0\r\n");
  ASSERT_EQ(frames.size(), 3u);
  EXPECT_EQ(frames[0].kind, FrameKind::overflow);
  EXPECT_EQ(frames[1].kind, FrameKind::overflow);
  expect_line(frames[2], "E0");
}

TEST(LineFramer, RandomBytesNeverCrashAndBodyStaysBounded) {
  std::mt19937 rng(20240611);
  // Bias towards the bytes that drive the state machine.
  const std::string interesting = "AaTt/\r\n\b\x7f\0 +\"; \xff"s;
  std::uniform_int_distribution<int> pick(0, 3);
  std::uniform_int_distribution<int> any(0, 255);
  std::uniform_int_distribution<std::size_t> which(0, interesting.size());
  std::uniform_int_distribution<int> s3(0, 20);
  for (int round = 0; round < 200; ++round) {
    LineFramer framer;
    FramerSettings settings;
    for (int i = 0; i < 5000; ++i) {
      if (i % 997 == 0) {
        settings.s3 = static_cast<std::uint8_t>(s3(rng) == 0 ? '!' : 13);
      }
      char c = 0;
      const std::size_t k = which(rng);
      if (pick(rng) == 0 || k == interesting.size()) {
        c = static_cast<char>(any(rng));
      } else {
        c = interesting[k];
      }
      if (const auto f = framer.push(c, settings)) {
        EXPECT_LE(f->body.size() + 2, LineFramer::kMaxLine);
        if (f->kind == FrameKind::overflow) {
          EXPECT_EQ(f->body.size() + 2, LineFramer::kMaxLine);
        }
        for (char b : f->body) {
          const auto u = static_cast<unsigned char>(b);
          EXPECT_TRUE(u >= 0x20 && u != 0x7f) << "control byte " << int(u) << " kept";
        }
      }
    }
  }
}

TEST(LineFramer, RandomLinesMatchASimpleModel) {
  // Printable lines with CR: the frame body must be exactly what was typed, or overflow with
  // what fitted.
  std::mt19937 rng(7);
  std::uniform_int_distribution<std::size_t> len(0, 300);
  std::uniform_int_distribution<int> ch(0x20, 0x7e);
  LineFramer framer;
  for (int round = 0; round < 500; ++round) {
    std::string body(len(rng), ' ');
    for (char& c : body) {
      c = static_cast<char>(ch(rng));
    }
    const auto frames = feed(framer, "\r\nAT" + body + "\r");
    ASSERT_EQ(frames.size(), 1u);
    if (body.size() + 2 > LineFramer::kMaxLine) {
      EXPECT_EQ(frames[0].kind, FrameKind::overflow);
      EXPECT_EQ(frames[0].body, body.substr(0, LineFramer::kMaxLine - 2));
    } else {
      expect_line(frames[0], body);
    }
  }
}

// push(std::string_view): a run of bytes, consumed up to the byte that completes a frame.

TEST(LineFramer, RunStopsAfterTheByteThatEndsALine) {
  LineFramer framer;
  const std::string_view bytes = "junk AT+A\rAT+B";
  auto pushed = framer.push(bytes, {});
  EXPECT_EQ(pushed.used, 10u);
  ASSERT_TRUE(pushed.frame.has_value());
  expect_line(*pushed.frame, "+A");
  pushed = framer.push(bytes.substr(pushed.used), {});
  EXPECT_EQ(pushed.used, 4u);
  EXPECT_FALSE(pushed.frame.has_value());
  EXPECT_FALSE(framer.idle());
}

TEST(LineFramer, RunOverflowsWhereTheLineStopsFitting) {
  LineFramer framer;
  const std::string line = "AT" + std::string(300, 'Q') + "\r";
  const auto pushed = framer.push(line, {});
  EXPECT_EQ(pushed.used, line.size());
  ASSERT_TRUE(pushed.frame.has_value());
  EXPECT_EQ(pushed.frame->kind, FrameKind::overflow);
  EXPECT_EQ(pushed.frame->body, std::string(LineFramer::kMaxLine - 2, 'Q'));
}

// Every framing rule at once, pushed in runs of every length: the frames of pushing byte by byte.
// The "A/" right after the overflow makes the runs repeat a line while the overflow's text is still
// in the framer (what it must repeat: RepeatUsesLastLineNotOverflow).
TEST(LineFramer, RunsGiveTheFramesOfSingleBytes) {
  const std::string stream = "xAT+A\r\nat+b\nAAT+C\rA/AT+D\x08\x08E\x7f\rAT\x01+F\rAT" +
                             std::string(300, 'Q') + "\rA/AT+G\r\n\nA/";
  for (const FramerSettings settings : {FramerSettings{}, FramerSettings{'@', 'x'}}) {
    const auto expected = feed(stream, settings);
    ASSERT_FALSE(expected.empty());
    for (std::size_t run = 1; run <= stream.size(); ++run) {
      LineFramer framer;
      std::vector<Frame> got;
      std::size_t pos = 0;
      while (pos < stream.size()) {
        const auto pushed = framer.push(std::string_view(stream).substr(pos, run), settings);
        ASSERT_GT(pushed.used, 0u);
        pos += pushed.used;
        if (pushed.frame) {
          got.push_back(Frame{pushed.frame->kind, std::string(pushed.frame->body)});
        }
      }
      ASSERT_EQ(got.size(), expected.size()) << "runs of " << run;
      for (std::size_t k = 0; k < got.size(); ++k) {
        EXPECT_EQ(got[k].kind, expected[k].kind) << "runs of " << run << ", frame " << k;
        EXPECT_EQ(got[k].body, expected[k].body) << "runs of " << run << ", frame " << k;
      }
    }
  }
}

}  // namespace
}  // namespace qftp::at
