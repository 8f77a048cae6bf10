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

// Second paths: the read after another value (the limit, the empty name), writes in state CLOSED,
// a refused write while a transfer is set up, and the 30-character limit in an open session.

QFTP_CASE(S2_2_6_User, ReadGivesTheLongestAndTheEmptyName, "2.2.6/02") {
  for (const std::string& name : {std::string(30, 'r'), std::string()}) {
    QFTP_DO(at_expect("AT+QFTPUSER=\"" + name + "\"", FinalKind::ok));
    QFTP_TRY(auto r, at_expect("AT+QFTPUSER?", FinalKind::ok));
    QFTP_TRY(auto f, info_field(r, "+QFTPUSER"));
    EXPECT_EQ(f.value, "\"" + name + "\"");
  }
}

QFTP_CASE(S2_2_6_User, WriteWhileClosedAnswersOk, "2.2.6/03") {
  QFTP_SETUP(open_session());
  QFTP_SETUP(close_session());
  QFTP_DO(at_expect("AT+QFTPUSER=\"closed-user\"", FinalKind::ok));
  QFTP_DO(expect_quiet("AT+QFTPUSER in state CLOSED"));
  QFTP_TRY(auto r, at_expect("AT+QFTPUSER?", FinalKind::ok));
  QFTP_TRY(auto f, info_field(r, "+QFTPUSER"));
  EXPECT_EQ(f.value, "\"closed-user\"");
}

QFTP_CASE(S2_2_6_User, WriteAfterAPathChangeAnswersErrorAndKeepsTheName, "2.2.6/04") {
  QFTP_SETUP(open_session());
  QFTP_SETUP(set_path("/"));
  QFTP_DO(at_expect("AT+QFTPUSER=\"" + pixit().user + "x\"", FinalKind::error));
  QFTP_TRY(auto r, at_expect("AT+QFTPUSER?", FinalKind::ok));
  QFTP_TRY(auto f, info_field(r, "+QFTPUSER"));
  EXPECT_EQ(f.value, "\"" + pixit().user + "\"");
  QFTP_TRY(auto state, stat());
  EXPECT_EQ(state, "OPENED") << "a refused AT+QFTPUSER changed the session";
}

QFTP_CASE(S2_2_6_User, EmptyNameLogsInAnonymouslyWhateverThePassword, "2.2.6/06") {
  // The empty name with a password set: the login is still anonymous.
  QFTP_DO(at_expect("AT+QFTPUSER=\"\"", FinalKind::ok));
  QFTP_DO(at_expect("AT+QFTPPASS=\"" + pixit().password + "\"", FinalKind::ok));
  QFTP_DO(at_expect(open_command(), FinalKind::ok));
  QFTP_TRY(auto opened, urc("+QFTPOPEN"));
  static_cast<void>(opened);
  QFTP_TRY(auto login, server_saw_login());
  EXPECT_TRUE(login) << "the anonymous login did not succeed on the server";
  QFTP_TRY(auto cmds, ftp_commands());
  EXPECT_NE(std::find(cmds.begin(), cmds.end(), "USER anonymous"), cmds.end())
      << "the server never saw USER anonymous";
}

QFTP_CASE(S2_2_6_User, NameOf31IsRefusedInAnOpenSessionToo, "2.2.6/07") {
  QFTP_SETUP(open_session());
  QFTP_DO(expect_error("AT+QFTPUSER=\"" + std::string(31, 'w') + "\""));
  QFTP_SETUP(close_session());
  QFTP_DO(at_expect("AT+QFTPUSER=\"" + std::string(30, 'w') + "\"", FinalKind::ok));
  QFTP_DO(expect_error("AT+QFTPUSER=\"" + std::string(31, 'w') + "\""));
  QFTP_TRY(auto r, at_expect("AT+QFTPUSER?", FinalKind::ok));
  QFTP_TRY(auto f, info_field(r, "+QFTPUSER"));
  EXPECT_EQ(f.value, "\"" + std::string(30, 'w') + "\"");
}

}  // namespace
}  // namespace qftp::harness
