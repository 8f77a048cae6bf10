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
  EXPECT_EQ(paced[2].before, "\r\r\n") << "the line after the echo keeps the echo's own line end";
  EXPECT_EQ(texts(at_once), (std::vector<std::string>{"+QFTPGET:5", "AT+QFTPSTAT", "+QFTPSTAT:OPENED", "OK"}));
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
