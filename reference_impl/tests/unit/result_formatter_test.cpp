// Unit tests of the result formatter (layer 3 of the AT path).
// Information text, final results and URCs under every ATV/ATQ combination and changed S3/S4.
#include "core/at/result_formatter.h"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

namespace qftp::at {
namespace {

FormatSettings settings(bool verbose, bool quiet, std::uint8_t s3 = 13, std::uint8_t s4 = 10) {
  FormatSettings s;
  s.verbose = verbose;
  s.quiet = quiet;
  s.s3 = s3;
  s.s4 = s4;
  return s;
}

TEST(ResultFormatter, FinalTextOfEveryCode) {
  const std::vector<std::pair<Final, std::string>> expected = {
      {Final::ok, "OK"},       {Final::connect, "CONNECT"},
      {Final::ring, "RING"},   {Final::no_carrier, "NO CARRIER"},
      {Final::error, "ERROR"}, {Final::no_dialtone, "NO DIALTONE"},
      {Final::busy, "BUSY"},   {Final::no_answer, "NO ANSWER"},
  };
  for (const auto& [code, text] : expected) {
    EXPECT_EQ(final_text(code), text);
  }
}

TEST(ResultFormatter, DefaultsAreV1Q0CrLf) {
  const FormatSettings s;
  EXPECT_TRUE(s.verbose);
  EXPECT_FALSE(s.quiet);
  EXPECT_EQ(format_final(Final::ok, s), "\r\nOK\r\n");
}

TEST(ResultFormatter, VerboseInfoIsFramedBothSides) {
  EXPECT_EQ(format_info("+QFTPSTAT: IDLE", settings(true, false)), "\r\n+QFTPSTAT: IDLE\r\n");
}

TEST(ResultFormatter, NumericInfoHasNoLeadingFrame) {
  EXPECT_EQ(format_info("+QFTPSTAT: IDLE", settings(false, false)), "+QFTPSTAT: IDLE\r\n");
}

TEST(ResultFormatter, InfoIsNotSuppressedByQuiet) {
  EXPECT_EQ(format_info("Quectel", settings(true, true)), "\r\nQuectel\r\n");
  EXPECT_EQ(format_info("Quectel", settings(false, true)), "Quectel\r\n");
}

TEST(ResultFormatter, VerboseFinals) {
  const auto s = settings(true, false);
  EXPECT_EQ(format_final(Final::ok, s), "\r\nOK\r\n");
  EXPECT_EQ(format_final(Final::connect, s), "\r\nCONNECT\r\n");
  EXPECT_EQ(format_final(Final::no_carrier, s), "\r\nNO CARRIER\r\n");
  EXPECT_EQ(format_final(Final::error, s), "\r\nERROR\r\n");
  EXPECT_EQ(format_final(Final::no_answer, s), "\r\nNO ANSWER\r\n");
}

TEST(ResultFormatter, NumericFinalsEndWithS3Only) {
  const auto s = settings(false, false);
  EXPECT_EQ(format_final(Final::ok, s), "0\r");
  EXPECT_EQ(format_final(Final::connect, s), "1\r");
  EXPECT_EQ(format_final(Final::ring, s), "2\r");
  EXPECT_EQ(format_final(Final::no_carrier, s), "3\r");
  EXPECT_EQ(format_final(Final::error, s), "4\r");
  EXPECT_EQ(format_final(Final::no_dialtone, s), "6\r");
  EXPECT_EQ(format_final(Final::busy, s), "7\r");
  EXPECT_EQ(format_final(Final::no_answer, s), "8\r");
}

TEST(ResultFormatter, QuietSuppressesFinalsInBothModes) {
  for (bool verbose : {true, false}) {
    const auto s = settings(verbose, true);
    EXPECT_EQ(format_final(Final::ok, s), "");
    EXPECT_EQ(format_final(Final::error, s), "");
    EXPECT_EQ(format_final(Final::connect, s), "");
    EXPECT_EQ(format_final("DEACT OK", Final::ok, s), "");
  }
}

TEST(ResultFormatter, CustomFinalText) {
  EXPECT_EQ(format_final("DEACT OK", Final::ok, settings(true, false)), "\r\nDEACT OK\r\n");
  EXPECT_EQ(format_final("DEACT OK", Final::ok, settings(false, false)), "0\r");
  EXPECT_EQ(format_final("SEND FAIL", Final::error, settings(false, false)), "4\r");
}

TEST(ResultFormatter, UrcFramedLikeInfo) {
  EXPECT_EQ(format_urc("+QFTPOPEN:0", settings(true, false)), "\r\n+QFTPOPEN:0\r\n");
  EXPECT_EQ(format_urc("+QFTPOPEN:0", settings(false, false)), "+QFTPOPEN:0\r\n");
}

TEST(ResultFormatter, UrcNotSuppressedByQuiet) {
  EXPECT_EQ(format_urc("+QFTPGET:-421", settings(true, true)), "\r\n+QFTPGET:-421\r\n");
  EXPECT_EQ(format_urc("+QFTPGET:-421", settings(false, true)), "+QFTPGET:-421\r\n");
}

TEST(ResultFormatter, ChangedS3AndS4AreUsed) {
  const auto v1 = settings(true, false, '#', '$');
  EXPECT_EQ(format_info("x", v1), "#$x#$");
  EXPECT_EQ(format_final(Final::ok, v1), "#$OK#$");
  EXPECT_EQ(format_urc("+U", v1), "#$+U#$");
  const auto v0 = settings(false, false, '#', '$');
  EXPECT_EQ(format_info("x", v0), "x#$");
  EXPECT_EQ(format_final(Final::error, v0), "4#");
  EXPECT_EQ(format_urc("+U", v0), "+U#$");
}

TEST(ResultFormatter, EmptyTextStillFramed) {
  EXPECT_EQ(format_info("", settings(true, false)), "\r\n\r\n");
  EXPECT_EQ(format_info("", settings(false, false)), "\r\n");
}

TEST(ResultFormatter, NulS3AndS4AreWrittenAsBytes) {
  const auto s = settings(true, false, 0, 0);
  EXPECT_EQ(format_final(Final::ok, s), std::string("\0\0OK\0\0", 6));
}

}  // namespace
}  // namespace qftp::at
