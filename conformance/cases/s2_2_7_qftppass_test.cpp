// s2_2_7_qftppass_test.cpp: spec 2.2.7, AT+QFTPPASS: test and read forms, setting the password only
// while the service is idle, format errors and the 30-character limit (its use at login: 2.2.1).
#include "harness/qftp_case.h"

namespace qftp::harness {
namespace {

using S2_2_7_Pass = QftpCase;

QFTP_CASE(S2_2_7_Pass, TestCommandListsThePassword, "2.2.7/01") {
  QFTP_TRY(auto r, at_expect("AT+QFTPPASS=?", FinalKind::ok));
  QFTP_TRY(auto f, info_field(r, "+QFTPPASS"));
  EXPECT_EQ(f.value, "\"PASSWORD\"");
}

QFTP_CASE(S2_2_7_Pass, ReadGivesThePasswordSet, "2.2.7/02", "R/30") {
  QFTP_DO(at_expect("AT+QFTPPASS=\"s3cret\"", FinalKind::ok));
  QFTP_TRY(auto r, at_expect("AT+QFTPPASS?", FinalKind::ok));
  QFTP_TRY(auto f, info_field(r, "+QFTPPASS"));
  EXPECT_EQ(f.value, "\"s3cret\"");
}

QFTP_CASE(S2_2_7_Pass, WriteWhileIdleAnswersOk, "2.2.7/03") {
  QFTP_TRY(auto state, stat());
  if (state != "IDLE" && state != "CLOSED")
    QFTP_INCONCLUSIVE("the service is " + state + " after the reset");
  QFTP_DO(at_expect("AT+QFTPPASS=\"idle-pass\"", FinalKind::ok));
  QFTP_DO(expect_quiet("AT+QFTPPASS"));
}

QFTP_CASE(S2_2_7_Pass, WriteWhileOpenAnswersErrorAndKeepsThePassword, "2.2.7/04") {
  QFTP_SETUP(open_session());
  QFTP_DO(at_expect("AT+QFTPPASS=\"other\"", FinalKind::error));
  QFTP_TRY(auto r, at_expect("AT+QFTPPASS?", FinalKind::ok));
  QFTP_TRY(auto f, info_field(r, "+QFTPPASS"));
  EXPECT_EQ(f.value, "\"" + pixit().password + "\"");
}

QFTP_CASE(S2_2_7_Pass, WrongFormatAnswersError, "2.2.7/05", "R/4") {
  for (const char* line : {"AT+QFTPPASS=123456", "AT+QFTPPASS=\"a\",\"b\"", "AT+QFTPPASS="}) {
    QFTP_DO(expect_error(line));
  }
}

QFTP_CASE(S2_2_7_Pass, PasswordOf30IsAcceptedAnd31IsNot, "2.2.7/06", "R/4") {
  const std::string pass30(30, 'p');
  QFTP_DO(at_expect("AT+QFTPPASS=\"" + pass30 + "\"", FinalKind::ok));
  QFTP_DO(expect_error("AT+QFTPPASS=\"q" + pass30 + "\""));
  QFTP_TRY(auto r, at_expect("AT+QFTPPASS?", FinalKind::ok));
  QFTP_TRY(auto f, info_field(r, "+QFTPPASS"));
  EXPECT_EQ(f.value, "\"" + pass30 + "\"") << "the refused password replaced the accepted one";
}

// Second paths: the read after another value, writes in state CLOSED, a refused write after a path
// change, and the 30-character limit in an open session.

QFTP_CASE(S2_2_7_Pass, ReadGivesTheLongestAndTheEmptyPassword, "2.2.7/02") {
  for (const std::string& pass : {std::string(30, 's'), std::string()}) {
    QFTP_DO(at_expect("AT+QFTPPASS=\"" + pass + "\"", FinalKind::ok));
    QFTP_TRY(auto r, at_expect("AT+QFTPPASS?", FinalKind::ok));
    QFTP_TRY(auto f, info_field(r, "+QFTPPASS"));
    EXPECT_EQ(f.value, "\"" + pass + "\"");
  }
}

QFTP_CASE(S2_2_7_Pass, WriteWhileClosedAnswersOk, "2.2.7/03") {
  QFTP_SETUP(open_session());
  QFTP_SETUP(close_session());
  QFTP_DO(at_expect("AT+QFTPPASS=\"closed-pass\"", FinalKind::ok));
  QFTP_DO(expect_quiet("AT+QFTPPASS in state CLOSED"));
  QFTP_TRY(auto r, at_expect("AT+QFTPPASS?", FinalKind::ok));
  QFTP_TRY(auto f, info_field(r, "+QFTPPASS"));
  EXPECT_EQ(f.value, "\"closed-pass\"");
}

QFTP_CASE(S2_2_7_Pass, WriteAfterAPathChangeAnswersErrorAndKeepsThePassword, "2.2.7/04") {
  QFTP_SETUP(open_session());
  QFTP_SETUP(set_path("/"));
  QFTP_DO(at_expect("AT+QFTPPASS=\"" + pixit().password + "x\"", FinalKind::error));
  QFTP_TRY(auto r, at_expect("AT+QFTPPASS?", FinalKind::ok));
  QFTP_TRY(auto f, info_field(r, "+QFTPPASS"));
  EXPECT_EQ(f.value, "\"" + pixit().password + "\"");
}

QFTP_CASE(S2_2_7_Pass, PasswordOf31IsRefusedInAnOpenSessionToo, "2.2.7/06") {
  QFTP_SETUP(open_session());
  QFTP_DO(expect_error("AT+QFTPPASS=\"" + std::string(31, 'z') + "\""));
  QFTP_SETUP(close_session());
  QFTP_DO(at_expect("AT+QFTPPASS=\"" + std::string(30, 'z') + "\"", FinalKind::ok));
  QFTP_DO(expect_error("AT+QFTPPASS=\"" + std::string(31, 'z') + "\""));
}

}  // namespace
}  // namespace qftp::harness
