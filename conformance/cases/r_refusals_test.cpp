// r_refusals_test.cpp: what a refused command leaves as it was: the account after AT+QFTPUSER and
// AT+QFTPPASS in a wrong format (ruling 4), the local position after one it cannot take (ruling
// 12), and an opening session after AT+QFTPPATH found the service busy (ruling 11).
#include "harness/qftp_case.h"

namespace qftp::harness {
namespace {

using R_Refusals = QftpCase;

QFTP_CASE(R_Refusals, AFormatErrorKeepsTheAccount, "2.2.6/05", "2.2.7/05", "R/4") {
  QFTP_DO(at_expect("AT+QFTPUSER=\"keep-user\"", FinalKind::ok));
  QFTP_DO(at_expect("AT+QFTPPASS=\"keep-pass\"", FinalKind::ok));
  for (const char* line : {"AT+QFTPUSER=other", "AT+QFTPUSER=\"a\",\"b\"", "AT+QFTPUSER=",
                           "AT+QFTPPASS=other", "AT+QFTPPASS=\"a\",\"b\"", "AT+QFTPPASS="}) {
    QFTP_DO(expect_error(line));
  }
  QFTP_TRY(auto u, at_expect("AT+QFTPUSER?", FinalKind::ok));
  QFTP_TRY(auto user, info_field(u, "+QFTPUSER"));
  {
    QFTP_CHECKS("2.2.6/05", "R/4");
    EXPECT_EQ(user.value, "\"keep-user\"") << "a refused AT+QFTPUSER changed the user name";
  }
  QFTP_TRY(auto p, at_expect("AT+QFTPPASS?", FinalKind::ok));
  QFTP_TRY(auto pass, info_field(p, "+QFTPPASS"));
  QFTP_CHECKS("2.2.7/05", "R/4");
  EXPECT_EQ(pass.value, "\"keep-pass\"") << "a refused AT+QFTPPASS changed the password";
}

QFTP_CASE(R_Refusals, ARefusedPositionKeepsTheOldOne, "2.2.8/05", "R/12") {
  QFTP_DO(at_expect("AT+QFTPCFG=4,\"/NOWHERE/\"", FinalKind::ok));
  QFTP_DO(expect_urc("+QFTPCFG", "-10"));
  QFTP_TRY(auto f, query_cfg(4));
  EXPECT_EQ(f.value, "\"/COM/\"") << "the position after one the module cannot take";
}

QFTP_CASE(R_Refusals, APathChangeWhileOpeningIsBusyAndTheOpenGoesOn, "R/11") {
  QFTP_DO(fault("DELAY GREETING " + std::to_string(hold_ms())));
  QFTP_DO(at_expect(open_command(), FinalKind::ok));
  QFTP_DO(at_expect("AT+QFTPPATH=\"/\"", FinalKind::ok));
  QFTP_DO(expect_urc("+QFTPPATH", "-3"));
  QFTP_TRY(auto opened, urc("+QFTPOPEN", urc_timeout() + Ms(hold_ms())));
  EXPECT_NE(opened.value, "-3") << "the open that was going on when AT+QFTPPATH came was ended";
}

}  // namespace
}  // namespace qftp::harness
