// s2_2_2_qftpclose_test.cpp: spec 2.2.2, AT+QFTPCLOSE: test form, closing with +QFTPCLOSE:0, a
// close the server refuses, and the end of the server's session.
#include <algorithm>

#include "harness/qftp_case.h"

namespace qftp::harness {
namespace {

using S2_2_2_Close = QftpCase;

QFTP_CASE(S2_2_2_Close, TestCommandAnswersOk, "2.2.2/01") {
  QFTP_TRY(auto r, at_expect("AT+QFTPCLOSE=?", FinalKind::ok));
  EXPECT_TRUE(r.info.empty()) << "AT+QFTPCLOSE=? gave information text: " << r.describe();
}

QFTP_CASE(S2_2_2_Close, ExecuteAnswersOkThenZero, "2.2.2/02") {
  QFTP_SETUP(open_session());
  QFTP_DO(at_expect("AT+QFTPCLOSE", FinalKind::ok));
  QFTP_DO(expect_urc("+QFTPCLOSE", "0"));
}

QFTP_CASE(S2_2_2_Close, RefusedQuitGivesNegativeCode, "2.2.2/03") {
  QFTP_SETUP(open_session());
  QFTP_DO(fault("REPLY QUIT 500"));
  QFTP_DO(at_expect("AT+QFTPCLOSE", FinalKind::ok));
  QFTP_TRY(auto f, urc("+QFTPCLOSE"));
  EXPECT_TRUE(!f.value.empty() && f.value[0] == '-')
      << "the server refused QUIT with 500, yet +QFTPCLOSE:" << f.value;
}

QFTP_CASE(S2_2_2_Close, CloseEndsTheServersSession, "2.2.2/04") {
  QFTP_SETUP(open_session());
  QFTP_TRY(auto closed, urc_of("AT+QFTPCLOSE", "+QFTPCLOSE"));
  EXPECT_EQ(closed.value, "0");
  QFTP_TRY(auto cmds, ftp_commands());
  EXPECT_NE(std::find(cmds.begin(), cmds.end(), "QUIT"), cmds.end()) << "the server never saw QUIT";
  auto log = suite().control()->log();
  ASSERT_TRUE(log.ok()) << log.error();
  const bool disconnected =
      std::any_of(log->begin(), log->end(), [](const auto& e) { return e.kind == "DISCONNECT"; });
  EXPECT_TRUE(disconnected) << "the control connection stayed open after +QFTPCLOSE:0";
}

// Second paths: closing after a transfer and after a path change, and another refusal of QUIT.

QFTP_CASE(S2_2_2_Close, CloseAfterATransferAnswersOkThenZero, "2.2.2/02", "2.2.2/04") {
  QFTP_SETUP(open_session());
  QFTP_SETUP_TRY(auto up, put_com("before-close.bin", "closing", 60));
  static_cast<void>(up);
  QFTP_DO(server_file("sub/.keep", ""));
  QFTP_SETUP(set_path("/sub"));
  {
    QFTP_CHECKS("2.2.2/02");
    QFTP_DO(at_expect("AT+QFTPCLOSE", FinalKind::ok));
    QFTP_DO(expect_urc("+QFTPCLOSE", "0"));
    QFTP_TRY(auto state, stat());
    EXPECT_EQ(state, "CLOSED");
  }
  QFTP_CHECKS("2.2.2/04");
  QFTP_TRY(auto cmds, ftp_commands());
  EXPECT_NE(std::find(cmds.begin(), cmds.end(), "QUIT"), cmds.end()) << "the server never saw QUIT";
  auto log = suite().control()->log();
  ASSERT_TRUE(log.ok()) << log.error();
  EXPECT_TRUE(std::any_of(log->begin(), log->end(),
                          [](const auto& e) { return e.kind == "DISCONNECT"; }))
      << "the control connection stayed open after +QFTPCLOSE:0";
}

QFTP_CASE(S2_2_2_Close, QuitRefusedAsUnimplementedGivesNegativeCode, "2.2.2/03") {
  QFTP_SETUP(open_session());
  QFTP_DO(fault("REPLY QUIT 502"));
  QFTP_DO(at_expect("AT+QFTPCLOSE", FinalKind::ok));
  QFTP_TRY(auto f, urc("+QFTPCLOSE"));
  EXPECT_TRUE(!f.value.empty() && f.value[0] == '-')
      << "the server refused QUIT with 502, yet +QFTPCLOSE:" << f.value;
}

QFTP_CASE(S2_2_2_Close, TestCommandAnswersOkWithoutASession, "2.2.2/01") {
  QFTP_SETUP(open_session());
  QFTP_SETUP(close_session());
  QFTP_TRY(auto r, at_expect("AT+QFTPCLOSE=?", FinalKind::ok));
  EXPECT_TRUE(r.info.empty()) << "AT+QFTPCLOSE=? gave information text: " << r.describe();
  QFTP_DO(expect_quiet("AT+QFTPCLOSE=?"));
}

}  // namespace
}  // namespace qftp::harness
