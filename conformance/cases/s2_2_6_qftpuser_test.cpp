// s2_2_6_qftpuser_test.cpp: spec 2.2.6, AT+QFTPUSER: test and read forms, setting the name only
// while the service is idle, format errors, anonymous login for "", and the 30-character limit.
#include <algorithm>

#include "harness/qftp_case.h"

namespace qftp::harness {
namespace {

using S2_2_6_User = QftpCase;

QFTP_CASE(S2_2_6_User, TestCommandListsTheUserName, "2.2.6/01") {
  QFTP_TRY(auto r, at_expect("AT+QFTPUSER=?", FinalKind::ok));
  QFTP_TRY(auto f, info_field(r, "+QFTPUSER"));
  EXPECT_EQ(f.value, "\"USER NAME\"");
}

QFTP_CASE(S2_2_6_User, ReadGivesTheNameSet, "2.2.6/02", "R/30") {
  QFTP_DO(at_expect("AT+QFTPUSER=\"someone\"", FinalKind::ok));
  QFTP_TRY(auto r, at_expect("AT+QFTPUSER?", FinalKind::ok));
  QFTP_TRY(auto f, info_field(r, "+QFTPUSER"));
  EXPECT_EQ(f.value, "\"someone\"");
}

QFTP_CASE(S2_2_6_User, WriteWhileIdleAnswersOk, "2.2.6/03") {
  QFTP_TRY(auto state, stat());
  if (state != "IDLE" && state != "CLOSED")
    QFTP_INCONCLUSIVE("the service is " + state + " after the reset");
  QFTP_DO(at_expect("AT+QFTPUSER=\"idle-user\"", FinalKind::ok));
  QFTP_DO(expect_quiet("AT+QFTPUSER"));
}

QFTP_CASE(S2_2_6_User, WriteWhileOpenAnswersErrorAndKeepsTheName, "2.2.6/04") {
  QFTP_SETUP(open_session());
  QFTP_DO(at_expect("AT+QFTPUSER=\"other\"", FinalKind::error));
  QFTP_TRY(auto r, at_expect("AT+QFTPUSER?", FinalKind::ok));
  QFTP_TRY(auto f, info_field(r, "+QFTPUSER"));
  EXPECT_EQ(f.value, "\"" + pixit().user + "\"");
}

QFTP_CASE(S2_2_6_User, WrongFormatAnswersError, "2.2.6/05", "R/4") {
  for (const char* line :
       {"AT+QFTPUSER=quectel", "AT+QFTPUSER=\"a\",\"b\"", "AT+QFTPUSER=", "AT+QFTPUSER=5"}) {
    QFTP_DO(expect_error(line));
  }
}

QFTP_CASE(S2_2_6_User, EmptyNameLogsInAnonymously, "2.2.6/06") {
  QFTP_DO(at_expect("AT+QFTPUSER=\"\"", FinalKind::ok));
  QFTP_DO(at_expect("AT+QFTPPASS=\"\"", FinalKind::ok));
  QFTP_DO(at_expect(open_command(), FinalKind::ok));
  QFTP_TRY(auto opened, urc("+QFTPOPEN"));
  static_cast<void>(opened);
  QFTP_TRY(auto login, server_saw_login());
  EXPECT_TRUE(login) << "the anonymous login did not succeed on the server";
  QFTP_TRY(auto cmds, ftp_commands());
  EXPECT_NE(std::find(cmds.begin(), cmds.end(), "USER anonymous"), cmds.end())
      << "the server never saw USER anonymous";
}

QFTP_CASE(S2_2_6_User, NameOf30IsAcceptedAnd31IsNot, "2.2.6/07", "R/4") {
  const std::string name30(30, 'u');
  QFTP_DO(at_expect("AT+QFTPUSER=\"" + name30 + "\"", FinalKind::ok));
  QFTP_DO(expect_error("AT+QFTPUSER=\"v" + name30 + "\""));
  QFTP_TRY(auto r, at_expect("AT+QFTPUSER?", FinalKind::ok));
  QFTP_TRY(auto f, info_field(r, "+QFTPUSER"));
  EXPECT_EQ(f.value, "\"" + name30 + "\"") << "the refused name replaced the accepted one";
}

}  // namespace
}  // namespace qftp::harness
