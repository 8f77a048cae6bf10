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

}  // namespace
}  // namespace qftp::harness
