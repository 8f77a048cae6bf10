// s2_2_9_qftpstat_test.cpp: spec 2.2.9, AT+QFTPSTAT and the seven states of the FTP service, each
// brought about with the fixture (delays hold a state long enough to be seen).
#include <set>

#include "harness/qftp_case.h"

namespace qftp::harness {
namespace {

using S2_2_9_Stat = QftpCase;

// The state AT+QFTPSTAT reports now.
#define QFTP_STAT(var)                                                    \
  QFTP_TRY(auto var##_response, at_expect("AT+QFTPSTAT", FinalKind::ok)); \
  QFTP_TRY(auto var, info_field(var##_response, "+QFTPSTAT"))

QFTP_CASE(S2_2_9_Stat, TestCommandAnswersOk, "2.2.9/01", "2.1/01") {
  QFTP_TRY(auto r, at_expect("AT+QFTPSTAT=?", FinalKind::ok));
  EXPECT_TRUE(r.info.empty()) << "AT+QFTPSTAT=? gave information text: " << r.describe();
}

QFTP_CASE(S2_2_9_Stat, ExecuteAnswersOneOfTheSevenStates, "2.2.9/02") {
  QFTP_STAT(state);
  static const std::set<std::string> kStates = {"IDLE",     "OPENING", "OPENED", "WORKING",
                                                "TRANSFER", "CLOSING", "CLOSED"};
  EXPECT_EQ(kStates.count(state.value), 1U)
      << "+QFTPSTAT: " << state.value << " is not a state of 2.2.9";
}

QFTP_CASE(S2_2_9_Stat, IdleBeforeAnyOpen, "2.2.9/03") {
  // The only moment no service has existed is before the first case: the suite asked then.
  const std::string& initial = suite().identity().initial_state;
  if (initial.empty()) QFTP_INCONCLUSIVE("AT+QFTPSTAT gave no state when the suite started");
  if (initial == "OPENED" || initial == "CLOSED") {
    QFTP_INCONCLUSIVE("the DUT had already used its FTP service before the suite started (state " +
                      initial + ")");
  }
  EXPECT_EQ(initial, "IDLE") << "AT+QFTPSTAT before any AT+QFTPOPEN";
}

QFTP_CASE(S2_2_9_Stat, OpeningWhileTheServerHasNotAnswered, "2.2.9/04") {
  QFTP_DO(fault("DELAY GREETING " + std::to_string(hold_ms())));
  QFTP_DO(at_expect(open_command(), FinalKind::ok));
  QFTP_STAT(state);
  EXPECT_EQ(state.value, "OPENING");
  QFTP_DO(urc("+QFTPOPEN", urc_timeout() + Ms(hold_ms())));
}

QFTP_CASE(S2_2_9_Stat, OpenedWhenOpenAndIdle, "2.2.9/05") {
  QFTP_SETUP(open_session());
  QFTP_STAT(state);
  EXPECT_EQ(state.value, "OPENED");
}

QFTP_CASE(S2_2_9_Stat, WorkingWhileCommandsAreExchanged, "2.2.9/06") {
  QFTP_SETUP(open_session());
  QFTP_DO(fault("DELAY CWD " + std::to_string(hold_ms())));
  QFTP_DO(at_expect("AT+QFTPPATH=\"/\"", FinalKind::ok));
  QFTP_STAT(state);
  EXPECT_EQ(state.value, "WORKING") << "while the server has not answered CWD";
  QFTP_DO(expect_urc("+QFTPPATH", "0", urc_timeout() + Ms(hold_ms())));
}

QFTP_CASE(S2_2_9_Stat, TransferWhileDataFlows, "2.2.9/07") {
  // Through the UART a transfer is data mode, where no command is read: a UFS download shows it.
  QFTP_REQUIRE_PICS(pics().has_ufs, "PICS: no /UFS/, and in data mode AT+QFTPSTAT cannot be sent");
  QFTP_SETUP(open_session());
  const std::size_t size = 8000;
  QFTP_DO(server_file("slow.bin", test_content("slow", size)));
  QFTP_DO(fault("SLOW 20000"));  // 0.4 s on the data connection
  QFTP_SETUP(set_cfg(4, "\"/UFS/\""));
  QFTP_DO(at_expect("AT+QFTPGET=\"slow.bin\"", FinalKind::ok));
  // WORKING comes first (TYPE, PASV, RETR): ask until the state moves on.
  std::string seen;
  const auto until = Clock::now() + transfer_timeout();
  while (Clock::now() < until) {
    QFTP_STAT(state);
    seen = state.value;
    if (seen != "WORKING") break;
  }
  EXPECT_EQ(seen, "TRANSFER") << "while the data connection carries the file";
  QFTP_TRY(auto done, urc("+QFTPGET", transfer_timeout()));
  EXPECT_EQ(done.value, std::to_string(size));
}

QFTP_CASE(S2_2_9_Stat, ClosingWhileTheServerHasNotAnsweredQuit, "2.2.9/08") {
  QFTP_SETUP(open_session());
  QFTP_DO(fault("DELAY QUIT " + std::to_string(hold_ms())));
  QFTP_SETUP(at_expect("AT+QFTPCLOSE", FinalKind::ok));
  QFTP_STAT(state);
  EXPECT_EQ(state.value, "CLOSING");
  QFTP_DO(urc("+QFTPCLOSE", urc_timeout() + Ms(hold_ms())));
}

QFTP_CASE(S2_2_9_Stat, ClosedAfterClose, "2.2.9/09") {
  QFTP_SETUP(open_session());
  QFTP_SETUP(close_session());
  QFTP_STAT(state);
  EXPECT_EQ(state.value, "CLOSED");
}

// Second paths: the states again, reached another way: every state AT+QFTPSTAT reports through a
// session's life is one of the seven; OPENING while the login waits; WORKING while a download is
// set up; CLOSED after the server ended the session.

QFTP_CASE(S2_2_9_Stat, EveryStateThroughASessionIsOneOfTheSeven, "2.2.9/02") {
  static const std::set<std::string> kStates = {"IDLE",     "OPENING", "OPENED", "WORKING",
                                                "TRANSFER", "CLOSING", "CLOSED"};
  QFTP_SETUP(open_session());
  QFTP_STAT(open);
  EXPECT_EQ(kStates.count(open.value), 1U) << "+QFTPSTAT: " << open.value;
  QFTP_SETUP(close_session());
  QFTP_STAT(closed);
  EXPECT_EQ(kStates.count(closed.value), 1U) << "+QFTPSTAT: " << closed.value;
}

QFTP_CASE(S2_2_9_Stat, OpeningWhileTheLoginIsNotAnswered, "2.2.9/04") {
  QFTP_DO(fault("DELAY PASS " + std::to_string(hold_ms())));
  QFTP_DO(at_expect(open_command(), FinalKind::ok));
  QFTP_STAT(state);
  EXPECT_EQ(state.value, "OPENING") << "while the server has not answered PASS";
  QFTP_DO(urc("+QFTPOPEN", urc_timeout() + Ms(hold_ms())));
}

QFTP_CASE(S2_2_9_Stat, WorkingWhileADownloadIsSetUp, "2.2.9/06") {
  QFTP_REQUIRE_PICS(pics().has_ufs, "PICS: no /UFS/ (through the UART the download takes the port)");
  QFTP_SETUP(open_session());
  QFTP_DO(server_file("setup.bin", "0123456789"));
  QFTP_SETUP(set_cfg(4, "\"/UFS/\""));
  QFTP_DO(fault("DELAY TYPE " + std::to_string(hold_ms())));
  QFTP_DO(at_expect("AT+QFTPGET=\"setup.bin\"", FinalKind::ok));
  QFTP_STAT(state);
  EXPECT_EQ(state.value, "WORKING") << "while the server has not answered TYPE";
  QFTP_DO(expect_urc("+QFTPGET", "10", transfer_timeout() + Ms(hold_ms())));
}

QFTP_CASE(S2_2_9_Stat, ClosedAfterTheServerEndedTheSession, "2.2.9/09") {
  QFTP_SETUP(open_session());
  QFTP_DO(fault("IDLE 100"));
  QFTP_TRY(auto ended, urc_any({"+QFTPERROR"}, urc_timeout()));
  if (ended.value != "-6") QFTP_DO(expect_urc("+QFTPERROR", "-6"));
  QFTP_STAT(state);
  EXPECT_EQ(state.value, "CLOSED");
}

}  // namespace
}  // namespace qftp::harness
