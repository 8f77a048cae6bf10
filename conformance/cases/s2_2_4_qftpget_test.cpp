// s2_2_4_qftpget_test.cpp: spec 2.2.4, AT+QFTPGET: test form, format errors, downloads through the
// UART (ruling 5), one from a server that sends its 150 late, a failed download and the <fileName>
// limit (the escape: r_escape_test.cpp).
#include <algorithm>
#include <string>
#include <vector>

#include "harness/qftp_case.h"

namespace qftp::harness {
namespace {

using S2_2_4_Get = QftpCase;

QFTP_CASE(S2_2_4_Get, TestCommandListsTheFileName, "2.2.4/01") {
  QFTP_TRY(auto r, at_expect("AT+QFTPGET=?", FinalKind::ok));
  QFTP_TRY(auto f, info_field(r, "+QFTPGET"));
  EXPECT_EQ(f.value, "\"FILE NAME\"");
}

QFTP_CASE(S2_2_4_Get, WrongFormatAnswersErrorAndStartsNothing, "2.2.4/02", "R/4") {
  QFTP_SETUP(open_session());
  QFTP_DO(server_file("g.bin", "0123456789"));
  std::vector<std::string> lines = {"AT+QFTPGET=g.bin", "AT+QFTPGET", "AT+QFTPGET="};
  // Ruling 13: firmware that declares the later optional <size> (F/08) is not judged by it here.
  if (pics().get_expected_size) {
    note("PICS get_expected_size: AT+QFTPGET=\"g.bin\",10 is F/08's form, not sent as a format error");
  } else {
    lines.emplace_back("AT+QFTPGET=\"g.bin\",10");
  }
  for (const auto& line : lines) QFTP_DO(expect_error(line));
  QFTP_TRY(auto cmds, ftp_commands());
  EXPECT_TRUE(std::none_of(cmds.begin(), cmds.end(), [](const std::string& c) {
    return c.rfind("RETR", 0) == 0;
  })) << "a malformed AT+QFTPGET reached the server";
}

QFTP_CASE(S2_2_4_Get, DownloadThroughTheUartGivesConnectDataAndSize, "2.2.4/03", "2.2.4/04",
          "R/5") {
  QFTP_SETUP(open_session());
  const std::string data = test_content("down.bin", 1500);
  QFTP_DO(server_file("down.bin", data));
  QFTP_TRY(auto d, get_com("down.bin"));
  {
    QFTP_CHECKS("2.2.4/03", "R/5");
    EXPECT_TRUE(d.data == data) << "received " << d.data.size()
                                << " bytes that differ from the server's 1500";
  }
  QFTP_CHECKS("2.2.4/04", "R/5");
  EXPECT_EQ(d.result.value, "1500");
}

// A server may send its 150 late: the fixture's BURST holds it back until the final reply, after
// all the data. A DUT that waits for the 150 before it reads the data connection stalls once the
// socket buffers are full, or gives up on what it holds. The data is paced (SLOW) so that it
// cannot all be in the buffers before the 150 leaves: most of it must be read first.
QFTP_CASE(S2_2_4_Get, DownloadFromAServerThatSendsIts150LateArrivesWhole, "2.2.4/03",
          "2.2.4/04") {
  constexpr std::size_t kSize = 300 * 1024;
  QFTP_SETUP(open_session());
  const std::string data = test_content("late150.bin", kSize);
  QFTP_DO(server_file("late150.bin", data));
  QFTP_DO(fault("BURST RETR"));
  QFTP_DO(fault("SLOW 1000000"));  // 100 KB every 0.1 s
  QFTP_TRY(auto d, get_com("late150.bin"));
  EXPECT_EQ(d.result.value, std::to_string(kSize));
  EXPECT_TRUE(d.data == data) << "received " << d.data.size() << " bytes that differ from the "
                              << "server's " << kSize;
}

QFTP_CASE(S2_2_4_Get, MissingFileGivesMinus550, "2.2.4/05") {
  QFTP_SETUP(open_session());
  QFTP_DO(at_expect("AT+QFTPGET=\"missing.bin\"", FinalKind::ok));
  QFTP_TRY(auto f, urc("+QFTPGET", transfer_timeout()));
  EXPECT_EQ(f.value, "-550");
}

QFTP_CASE(S2_2_4_Get, FileNameOf50IsAcceptedAnd51IsNot, "2.2.4/06", "R/4") {
  QFTP_SETUP(open_session());
  const std::string name50 = std::string(46, 'g') + ".bin";
  QFTP_DO(server_file(name50, "0123456789"));
  QFTP_TRY(auto f, get_result(name50));
  EXPECT_TRUE(!f.value.empty() && f.value[0] != '-')
      << "a 50-character name gave +QFTPGET:" << f.value;
  QFTP_DO(expect_error("AT+QFTPGET=\"h" + name50 + "\""));
}

// Second paths: format errors and the name limit without a session (the format is judged before
// the state), and other malformed lines.

QFTP_CASE(S2_2_4_Get, OtherMalformedLinesAnswerErrorAndStartNothing, "2.2.4/02") {
  QFTP_SETUP(open_session());
  QFTP_DO(server_file("g2.bin", "0123456789"));
  for (const char* line : {"AT+QFTPGET=\"g2.bin", "AT+QFTPGET=5", "AT+QFTPGET=,", "AT+QFTPGET=?5"}) {
    QFTP_DO(expect_error(line));
  }
  QFTP_TRY(auto cmds, ftp_commands());
  EXPECT_TRUE(std::none_of(cmds.begin(), cmds.end(), [](const std::string& c) {
    return c.rfind("RETR", 0) == 0;
  })) << "a malformed AT+QFTPGET reached the server";
}

QFTP_CASE(S2_2_4_Get, FileNameOf51IsRefusedWithoutASessionToo, "2.2.4/06") {
  QFTP_TRY(auto state, stat());
  if (state != "IDLE" && state != "CLOSED")
    QFTP_INCONCLUSIVE("the service is " + state + " after the reset");
  const std::string name50 = std::string(46, 'n') + ".bin";
  QFTP_DO(expect_error("AT+QFTPGET=\"x" + name50 + "\""));
  QFTP_DO(at_expect("AT+QFTPGET=\"" + name50 + "\"", FinalKind::ok));
  QFTP_DO(expect_urc("+QFTPGET", "-1", transfer_timeout()));  // R/10: the format was right
}

}  // namespace
}  // namespace qftp::harness
