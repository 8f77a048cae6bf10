// output_tokens_test.cpp: a DUT's output as the oracles read it (output_tokens.h): lines with
// their framing and kind, the steps they came in, and an echo a URC came into made whole again.
#include "output_tokens.h"

#include <gtest/gtest.h>

namespace qftp::dutfuzz {
namespace {

// The lines' texts; the line ends after the last line are a token without text of their own.
std::vector<std::string> texts(const std::vector<Token>& tokens) {
  std::vector<std::string> out;
  for (const auto& t : tokens) {
    if (!t.text.empty()) out.push_back(t.text);
  }
  return out;
}

TEST(OutputTokens, LinesKeepTheirFramingKindAndStep) {
  const auto tokens = tokenize_steps({"AT+QFTPSTAT\r", "\r\n+QFTPSTAT: IDLE\r\n\r\nOK\r\n"});
  ASSERT_EQ(tokens.size(), 4u);
  EXPECT_EQ(tokens[3].text, "");
  EXPECT_EQ(tokens[3].before, "\r\n");
  EXPECT_EQ(tokens[0].text, "AT+QFTPSTAT");
  EXPECT_EQ(tokens[0].step, 0u);
  EXPECT_EQ(tokens[1].text, "+QFTPSTAT:IDLE");  // ruling 2: the space after ':' is no difference
  EXPECT_EQ(tokens[1].before, "\r\r\n");
  EXPECT_EQ(tokens[1].step, 1u);
  EXPECT_EQ(tokens[2].kind, Token::Kind::final_result);
}

// A paced line echoes as it carries the line, and a URC due meanwhile comes between the echo's
// bytes: the echo is one line again, before the URC, as the reference (which takes the line at
// once) writes it.
TEST(OutputTokens, AnEchoAUrcCameIntoIsOneLineBeforeTheUrc) {
  const auto paced = tokenize_steps({"AT+QF", "\r\n+QFTPGET:5\r\nTPSTAT\r\r\n+QFTPSTAT:OPENED\r\n\r\nOK\r\n"});
  const auto at_once =
      tokenize_steps({"\r\n+QFTPGET:5\r\n", "AT+QFTPSTAT\r\r\n+QFTPSTAT:OPENED\r\n\r\nOK\r\n"});
  EXPECT_EQ(texts(paced), (std::vector<std::string>{"AT+QFTPSTAT", "+QFTPGET:5", "+QFTPSTAT:OPENED", "OK"}));
  EXPECT_EQ(paced[0].step, 0u);
  EXPECT_EQ(paced[1].kind, Token::Kind::urc);
  EXPECT_EQ(paced[1].before, "\r\r\n\r\n") << "the URC after the echo's line end";
  EXPECT_EQ(paced[2].before, "\r\n") << "the line after the URC framed by the URC's line end";
  EXPECT_EQ(texts(at_once), (std::vector<std::string>{"+QFTPGET:5", "AT+QFTPSTAT", "+QFTPSTAT:OPENED", "OK"}));
}

// The line typed after such an echo follows the URC as it does in the reference's output: after
// the URC's line end, not the echo's bare <CR> (a false framing finding once).
TEST(OutputTokens, TheLineAfterAJoinedEchoIsFramedAsAfterTheUrc) {
  const auto paced = tokenize_steps({"+QFTPCFG=\r\n+QFTPPUT:2\r\n4,\"/SD/dwl.txt\"\r", "T"});
  const auto at_once = tokenize_steps({"+QFTPCFG=4,\"/SD/dwl.txt\"\r\r\n+QFTPPUT:2\r\n", "T"});
  ASSERT_EQ(paced.size(), 3u);
  ASSERT_EQ(at_once.size(), 3u);
  for (std::size_t i = 0; i < 3; ++i) {
    SCOPED_TRACE(i);
    EXPECT_EQ(paced[i].text, at_once[i].text);
    EXPECT_EQ(paced[i].before, at_once[i].before);
    EXPECT_EQ(paced[i].step, at_once[i].step);
  }
}

// A URC that falls among the host's echoed bytes takes its own <CR><LF> on either side with it:
// the line ends left are the line's own, wherever the URC fell.
TEST(OutputTokens, ALinesOwnLineEndsLeaveOutTheUrcsFraming) {
  // An upload of 11 bytes ends as the 12th, a <CR>, is on the line: the URC before or after its echo.
  const auto paced = tokenize_steps({"\r\n+QFTPPUT:11\r\n\r", "+++"});
  const auto at_once = tokenize_steps({"\r\r\n+QFTPPUT:11\r\n", "+++"});
  ASSERT_EQ(paced.size(), 2u);
  ASSERT_EQ(at_once.size(), 2u);
  EXPECT_EQ(paced[1].own_before, "\r");
  EXPECT_EQ(at_once[1].own_before, "\r");
  // A final result without its <CR><LF> is still one, with a URC before it or not.
  const auto unframed = tokenize_steps({"AT\r\r\n+QFTPGET:5\r\nOK\r\n"});
  const auto framed = tokenize_steps({"AT\r\r\n+QFTPGET:5\r\n\r\nOK\r\n"});
  ASSERT_EQ(unframed.size(), 4u);
  ASSERT_EQ(framed.size(), 4u);
  EXPECT_EQ(unframed[2].own_before, "\r");
  EXPECT_EQ(framed[2].own_before, "\r\r\n");
  EXPECT_EQ(tokenize_steps({"AT\r\r\nOK\r\n"})[1].own_before, "\r\r\n");
}

// Only an unended line is an echo in progress: a line ended before the URC, or one the URC does
// not frame alone, stays as it is.
TEST(OutputTokens, EndedLinesAroundAUrcAreNotJoined) {
  EXPECT_EQ(texts(tokenize_steps({"AT\r\r\n+QFTPGET:5\r\nATI\r"})),
            (std::vector<std::string>{"AT", "+QFTPGET:5", "ATI"}));
  EXPECT_EQ(texts(tokenize_steps({"AT+QF\r\n+QFTPGET:5\r\n\r\nOK\r\n"})),
            (std::vector<std::string>{"AT+QF", "+QFTPGET:5", "OK"}));
  EXPECT_EQ(texts(tokenize_steps({"AT+QF\r\nRDY\r\nTPSTAT\r"})),
            (std::vector<std::string>{"AT+QF", "RDY", "TPSTAT"}));
}

TEST(OutputTokens, PiecesCountAnUnendedEchoAndLineEndsCountLines) {
  EXPECT_EQ(count_pieces("AT+QF"), 1u);
  EXPECT_EQ(count_pieces("AT\r\r\nOK\r\n"), 2u);
  EXPECT_EQ(count_line_ends("AT\r\r\nOK\r\n"), 2u);
}

}  // namespace
}  // namespace qftp::dutfuzz
