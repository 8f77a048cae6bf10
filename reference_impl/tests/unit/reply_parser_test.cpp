// Unit tests of the FTP reply parser and the PASV/EPSV/PORT helpers (core/ftp/reply_parser.h).
// Feeding a stream whole, byte by byte or in chunks must give the same replies.
#include "core/ftp/reply_parser.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <string>
#include <vector>

namespace qftp::ftp {
namespace {

std::vector<Reply> feed_ok(ReplyParser& p, std::string_view bytes) {
  std::vector<Reply> out;
  EXPECT_TRUE(p.feed(bytes, out)) << bytes;
  return out;
}

std::vector<Reply> parse_whole(std::string_view bytes, bool* ok = nullptr) {
  ReplyParser p;
  std::vector<Reply> out;
  bool result = p.feed(bytes, out);
  if (ok != nullptr) {
    *ok = result;
  }
  return out;
}

bool rejects(std::string_view bytes) {
  ReplyParser p;
  std::vector<Reply> out;
  return !p.feed(bytes, out) && p.failed() && out.empty();
}

TEST(ReplyParser, SingleLine) {
  ReplyParser p;
  auto out = feed_ok(p, "220 Service ready for new user.\r\n");
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].code, 220);
  EXPECT_EQ(out[0].text, "Service ready for new user.");
  EXPECT_FALSE(p.partial());
  EXPECT_FALSE(p.failed());
}

TEST(ReplyParser, BareCodeIsACompleteReply) {
  ReplyParser p;
  auto out = feed_ok(p, "220\r\n");
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].code, 220);
  EXPECT_EQ(out[0].text, "");
}

TEST(ReplyParser, EmptyTextAfterSpace) {
  auto out = parse_whole("226 \r\n");
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].code, 226);
  EXPECT_EQ(out[0].text, "");
}

TEST(ReplyParser, MultiLine) {
  ReplyParser p;
  auto out = feed_ok(p,
                     "230-Welcome to the server\r\n"
                     "  indented text\r\n"
                     "230-repeated prefix\r\n"
                     "331 another code with a space is text\r\n"
                     "2300 four digits is text\r\n"
                     "230 Login successful.\r\n");
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].code, 230);
  EXPECT_EQ(out[0].text,
            "Welcome to the server\n"
            "  indented text\n"
            "repeated prefix\n"
            "331 another code with a space is text\n"
            "2300 four digits is text\n"
            "Login successful.");
}

TEST(ReplyParser, MultiLineWithEmptyAndOddLines) {
  auto out = parse_whole("220-\r\n\r\n\tx\r\n220-\r\n220 end\r\n");
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].code, 220);
  EXPECT_EQ(out[0].text, "\n\n\tx\n\nend");
}

TEST(ReplyParser, MultiLineEndsWithBareCode) {
  auto out = parse_whole("211-Features:\r\n EPSV\r\n211\r\n");
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].code, 211);
  EXPECT_EQ(out[0].text, "Features:\n EPSV\n");
}

TEST(ReplyParser, PartialWhileMultiLineOpen) {
  ReplyParser p;
  EXPECT_FALSE(p.partial());
  EXPECT_TRUE(feed_ok(p, "22").empty());
  EXPECT_TRUE(p.partial());
  EXPECT_TRUE(feed_ok(p, "0-hello\r\n").empty());
  EXPECT_TRUE(p.partial());
  auto out = feed_ok(p, "220 bye\r\n");
  ASSERT_EQ(out.size(), 1u);
  EXPECT_FALSE(p.partial());
}

TEST(ReplyParser, LfOnlyLineEnds) {
  auto out = parse_whole("220-a\n220-b\n220 c\n331 pass\n");
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].code, 220);
  EXPECT_EQ(out[0].text, "a\nb\nc");
  EXPECT_EQ(out[1].code, 331);
  EXPECT_EQ(out[1].text, "pass");
}

TEST(ReplyParser, OnlyOneTrailingCrIsStripped) {
  auto out = parse_whole("200 a\rb\r\r\n");
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].text, "a\rb\r");
}

TEST(ReplyParser, BurstOfRepliesInOneFeed) {
  auto out = parse_whole(
      "150 Opening data connection\r\n"
      "226-Transfer complete\r\n"
      "226 Bye\r\n"
      "421 Service closing\n"
      "200\r\n");
  ASSERT_EQ(out.size(), 4u);
  EXPECT_EQ(out[0].code, 150);
  EXPECT_EQ(out[1].code, 226);
  EXPECT_EQ(out[1].text, "Transfer complete\nBye");
  EXPECT_EQ(out[2].code, 421);
  EXPECT_EQ(out[3].code, 200);
}

TEST(ReplyParser, RepliesBeforeAnErrorAreDelivered) {
  ReplyParser p;
  std::vector<Reply> out;
  EXPECT_FALSE(p.feed("250 ok\r\nnot a reply\r\n226 never\r\n", out));
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].code, 250);
}

const std::vector<std::string>& sample_streams() {
  static const std::vector<std::string> streams = {
      "220 Service ready\r\n",
      "220-Welcome\r\n 123 text\r\n220-more\r\n220 end\r\n331 Password\r\n",
      "230-a\n230 b\n257 \"/\" is cwd\n",
      "227 Entering Passive Mode (127,0,0,1,4,1)\r\n150 ok\r\n226 done\r\n",
      "200\r\n200\n200 \r\n",
      "220 ok\r\ngarbage\r\n",
      "226-x\r\n\r\n226\r\n",
  };
  return streams;
}

void expect_same(const std::vector<Reply>& a, const std::vector<Reply>& b) {
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].code, b[i].code) << i;
    EXPECT_EQ(a[i].text, b[i].text) << i;
  }
}

TEST(ReplyParser, ByteByByteEqualsWhole) {
  for (const std::string& stream : sample_streams()) {
    bool whole_ok = false;
    auto whole = parse_whole(stream, &whole_ok);
    ReplyParser p;
    std::vector<Reply> bytewise;
    bool ok = true;
    for (char c : stream) {
      ok = p.feed(std::string_view(&c, 1), bytewise) && ok;
    }
    EXPECT_EQ(ok, whole_ok) << stream;
    expect_same(whole, bytewise);
  }
}

TEST(ReplyParser, RandomChunksEqualWhole) {
  std::mt19937 rng(12345);
  for (const std::string& stream : sample_streams()) {
    bool whole_ok = false;
    auto whole = parse_whole(stream, &whole_ok);
    for (int round = 0; round < 50; ++round) {
      ReplyParser p;
      std::vector<Reply> chunked;
      bool ok = true;
      std::size_t pos = 0;
      while (pos < stream.size()) {
        std::size_t n = std::uniform_int_distribution<std::size_t>(1, 7)(rng);
        n = std::min(n, stream.size() - pos);
        ok = p.feed(std::string_view(stream).substr(pos, n), chunked) && ok;
        pos += n;
      }
      EXPECT_EQ(ok, whole_ok) << stream;
      expect_same(whole, chunked);
    }
  }
}

TEST(ReplyParser, GarbageIsAProtocolError) {
  EXPECT_TRUE(rejects("hello\r\n"));
  EXPECT_TRUE(rejects("\r\n"));
  EXPECT_TRUE(rejects("\n"));
  EXPECT_TRUE(rejects(" 220 leading space\r\n"));
  EXPECT_TRUE(rejects("HTTP/1.1 400 Bad Request\r\n"));
  EXPECT_TRUE(rejects(std::string("\0\0\0\r\n", 5)));
}

TEST(ReplyParser, OddDigitsAreProtocolErrors) {
  EXPECT_TRUE(rejects("600 too high\r\n"));
  EXPECT_TRUE(rejects("099 too low\r\n"));
  EXPECT_TRUE(rejects("000\r\n"));
  EXPECT_TRUE(rejects("22 two digits\r\n"));
  EXPECT_TRUE(rejects("22\r\n"));
  EXPECT_TRUE(rejects("2a0 letter\r\n"));
  EXPECT_TRUE(rejects("220x no separator\r\n"));
  EXPECT_TRUE(rejects("2200 four digits\r\n"));
  EXPECT_TRUE(rejects("220\tTab\r\n"));
  EXPECT_TRUE(rejects("-220 sign\r\n"));
  // Every first digit 1..5 is fine, the others are not.
  for (char d = '0'; d <= '9'; ++d) {
    std::string line = std::string(1, d) + "00 x\r\n";
    bool ok = false;
    auto out = parse_whole(line, &ok);
    EXPECT_EQ(ok, d >= '1' && d <= '5') << line;
  }
}

TEST(ReplyParser, StaysFailedUntilReset) {
  ReplyParser p;
  std::vector<Reply> out;
  EXPECT_FALSE(p.feed("junk\r\n", out));
  EXPECT_TRUE(p.failed());
  EXPECT_FALSE(p.feed("220 fine\r\n", out));
  EXPECT_TRUE(out.empty());
  p.reset();
  EXPECT_FALSE(p.failed());
  EXPECT_FALSE(p.partial());
  EXPECT_TRUE(p.feed("220 fine\r\n", out));
  ASSERT_EQ(out.size(), 1u);
}

TEST(ReplyParser, ResetDropsAPartialReply) {
  ReplyParser p;
  std::vector<Reply> out;
  EXPECT_TRUE(p.feed("220-half\r\n22", out));
  p.reset();
  EXPECT_TRUE(p.feed("331 x\r\n", out));
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].code, 331);
}

TEST(ReplyParser, LineLengthLimit) {
  const std::string longest = "220 " + std::string(ReplyParser::kMaxLine - 4, 'x');
  ASSERT_EQ(longest.size(), ReplyParser::kMaxLine);
  auto out = parse_whole(longest + "\r\n");
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].text.size(), ReplyParser::kMaxLine - 4);
  EXPECT_EQ(parse_whole(longest + "\n").size(), 1u);

  EXPECT_TRUE(rejects(longest + "y\r\n"));
  EXPECT_TRUE(rejects(longest + "y\n"));
  EXPECT_TRUE(rejects(longest + "\r\r\n"));
}

TEST(ReplyParser, EndlessLineFailsWithoutNewline) {
  ReplyParser p;
  std::vector<Reply> out;
  std::string chunk(1000, 'x');
  bool ok = p.feed("220 ", out);
  for (int i = 0; i < 10 && ok; ++i) {
    ok = p.feed(chunk, out);
  }
  EXPECT_FALSE(ok);
  EXPECT_TRUE(p.failed());
}

TEST(ReplyParser, MultiLineLineCountLimit) {
  std::string reply = "220-first\r\n";
  for (std::size_t i = 2; i < ReplyParser::kMaxLines; ++i) {
    reply += "line\r\n";
  }
  bool ok = false;
  auto out = parse_whole(reply + "220 last\r\n", &ok);
  EXPECT_TRUE(ok);
  ASSERT_EQ(out.size(), 1u);

  EXPECT_TRUE(rejects(reply + "one too many\r\n220 last\r\n"));
}

TEST(ReplyParser, ManyRepliesDoNotAccumulate) {
  ReplyParser p;
  std::vector<Reply> out;
  for (int i = 0; i < 10000; ++i) {
    out.clear();
    ASSERT_TRUE(p.feed("200 NOOP ok\r\n", out));
    ASSERT_EQ(out.size(), 1u);
  }
  EXPECT_FALSE(p.partial());
}

// --- PASV --------------------------------------------------------------------------------------

TEST(ParsePasv, Standard) {
  auto hp = parse_pasv("Entering Passive Mode (192,168,1,2,4,1).");
  ASSERT_TRUE(hp);
  EXPECT_EQ(hp->host, "192.168.1.2");
  EXPECT_EQ(hp->port, 1025);
}

TEST(ParsePasv, VariantsSeenOnServers) {
  auto hp = parse_pasv("Entering Passive Mode 10,0,0,1,0,21");
  ASSERT_TRUE(hp);
  EXPECT_EQ(hp->host, "10.0.0.1");
  EXPECT_EQ(hp->port, 21);

  hp = parse_pasv("=127,0,0,1,255,255");
  ASSERT_TRUE(hp);
  EXPECT_EQ(hp->port, 65535);

  hp = parse_pasv("Entering Passive Mode (10, 0, 0, 1, 0, 21)");
  ASSERT_TRUE(hp);
  EXPECT_EQ(hp->host, "10.0.0.1");

  hp = parse_pasv("PASV v2 ok (010,000,000,001,000,021)");
  ASSERT_TRUE(hp);
  EXPECT_EQ(hp->host, "10.0.0.1");
  EXPECT_EQ(hp->port, 21);

  hp = parse_pasv("Entering Passive Mode (0,0,0,0,19,137)");
  ASSERT_TRUE(hp);
  EXPECT_EQ(hp->host, "0.0.0.0");
  EXPECT_EQ(hp->port, 5001);
}

TEST(ParsePasv, Malformed) {
  EXPECT_FALSE(parse_pasv(""));
  EXPECT_FALSE(parse_pasv("Entering Passive Mode"));
  EXPECT_FALSE(parse_pasv("(256,0,0,1,4,1)"));
  EXPECT_FALSE(parse_pasv("(1,2,3,4,256,1)"));
  EXPECT_FALSE(parse_pasv("(1,2,3,4,1,256)"));
  EXPECT_FALSE(parse_pasv("(1000,2,3,4,1,1)"));
  EXPECT_FALSE(parse_pasv("(1,2,3,4,5)"));
  EXPECT_FALSE(parse_pasv("(1,2,3,4,5,6,7)"));
  EXPECT_FALSE(parse_pasv("(1,2,3,4,0,0)"));
  EXPECT_FALSE(parse_pasv("(1,2,3,4,5,)"));
  EXPECT_FALSE(parse_pasv("(1,2,3,4,,5,6)"));
  EXPECT_FALSE(parse_pasv("(99999999999999999999,2,3,4,5,6)"));
}

// --- EPSV --------------------------------------------------------------------------------------

TEST(ParseEpsv, Standard) {
  EXPECT_EQ(parse_epsv("Entering Extended Passive Mode (|||6446|)"), std::uint16_t{6446});
  EXPECT_EQ(parse_epsv("(|||1|)"), std::uint16_t{1});
  EXPECT_EQ(parse_epsv("(|||65535|)"), std::uint16_t{65535});
}

TEST(ParseEpsv, AnyDelimiterFrom33To126) {
  EXPECT_EQ(parse_epsv("(!!!21!)"), std::uint16_t{21});
  EXPECT_EQ(parse_epsv("(~~~21~)"), std::uint16_t{21});
  EXPECT_EQ(parse_epsv("ok (###2121#) done"), std::uint16_t{2121});
  EXPECT_FALSE(parse_epsv("(   21 )"));  // 32
  EXPECT_FALSE(
      parse_epsv(std::string("(\x7f\x7f\x7f"
                             "21\x7f)")));  // 127
  EXPECT_FALSE(parse_epsv("(1112111)"));    // digits would be ambiguous
}

TEST(ParseEpsv, Malformed) {
  EXPECT_FALSE(parse_epsv(""));
  EXPECT_FALSE(parse_epsv("|||6446|"));
  EXPECT_FALSE(parse_epsv("(||6446|)"));
  EXPECT_FALSE(parse_epsv("(|||6446)"));
  EXPECT_FALSE(parse_epsv("(|||6446|"));
  EXPECT_FALSE(parse_epsv("(|||6446#)"));
  EXPECT_FALSE(parse_epsv("(|#|6446|)"));
  EXPECT_FALSE(parse_epsv("(|||abc|)"));
  EXPECT_FALSE(parse_epsv("(||||)"));
  EXPECT_FALSE(parse_epsv("(|||0|)"));
  EXPECT_FALSE(parse_epsv("(|||65536|)"));
  EXPECT_FALSE(parse_epsv("(|||123456|)"));
  EXPECT_FALSE(parse_epsv("(|1|2|6446|)"));  // network/address fields must be empty
}

TEST(ParseEpsv, LaterParenthesisMayHoldTheAnswer) {
  EXPECT_EQ(parse_epsv("(see below) (|||2000|)"), std::uint16_t{2000});
}

// --- PORT --------------------------------------------------------------------------------------

TEST(FormatPortArgument, Ipv4) {
  EXPECT_EQ(format_port_argument("192.168.1.2", 1025), "192,168,1,2,4,1");
  EXPECT_EQ(format_port_argument("10.0.0.1", 21), "10,0,0,1,0,21");
  EXPECT_EQ(format_port_argument("255.255.255.255", 65535), "255,255,255,255,255,255");
  EXPECT_EQ(format_port_argument("127.000.0.01", 256), "127,0,0,1,1,0");
  EXPECT_EQ(format_port_argument("::ffff:127.0.0.1", 5001), "127,0,0,1,19,137");
  EXPECT_EQ(format_port_argument("::FFFF:10.1.2.3", 80), "10,1,2,3,0,80");
}

TEST(FormatPortArgument, NotIpv4) {
  EXPECT_FALSE(format_port_argument("", 21));
  EXPECT_FALSE(format_port_argument("::1", 21));
  EXPECT_FALSE(format_port_argument("fe80::1", 21));
  EXPECT_FALSE(format_port_argument("1.2.3", 21));
  EXPECT_FALSE(format_port_argument("1.2.3.4.5", 21));
  EXPECT_FALSE(format_port_argument("256.1.1.1", 21));
  EXPECT_FALSE(format_port_argument("1234.1.1.1", 21));
  EXPECT_FALSE(format_port_argument("a.b.c.d", 21));
  EXPECT_FALSE(format_port_argument("1..2.3", 21));
  EXPECT_FALSE(format_port_argument("1.2.3.4 ", 21));
  EXPECT_FALSE(format_port_argument(" 1.2.3.4", 21));
  EXPECT_FALSE(format_port_argument("1.2.3.-4", 21));
  EXPECT_FALSE(format_port_argument("localhost", 21));
  EXPECT_FALSE(format_port_argument("::ffff:", 21));
}

}  // namespace
}  // namespace qftp::ftp
