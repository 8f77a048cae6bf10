// r_rulings_test.cpp: the rulings of docs/rulings.md not checked with their spec section elsewhere
// (1, 2, 8) and the suite's further rulings R/10-R/30 (see
// conformance/requirements/requirements.json).
#include <algorithm>
#include <chrono>

#include "harness/qftp_case.h"

namespace qftp::harness {
namespace {

using Rulings = QftpCase;

QFTP_CASE(Rulings, MisspellingsOfTheSpecAreUnknownCommands, "R/1") {
  QFTP_DO(expect_error("AT+QFTPFCFG=1,1"));
  QFTP_DO(expect_error("AT+QFTPFCFG=?"));
  QFTP_DO(expect_error("AT+QFTPUSE=\"quectel\""));
  QFTP_DO(expect_error("AT+QFTPUSE=?"));
}

QFTP_CASE(Rulings, EveryUrcParsesInEitherSpacing, "R/2") {
  // Every URC kind once, each by the shortest way to it (values are other cases' business): urc()
  // and info_field() take "+NAME:v" and "+NAME: v" and note (with --strict-format: fail) a
  // spelling other than the profile declares. A URC in neither form never matches: the case fails.
  QFTP_SETUP(at_expect("AT+QFTPUSER=\"" + pixit().user + "\"", FinalKind::ok));
  QFTP_SETUP(at_expect("AT+QFTPPASS=\"" + pixit().password + "\"", FinalKind::ok));
  QFTP_DO(urc_of(open_command(), "+QFTPOPEN"));
  QFTP_DO(urc_of("AT+QFTPPATH=\"/\"", "+QFTPPATH"));
  QFTP_DO(urc_of("AT+QFTPCFG=3,0", "+QFTPCFG"));
  QFTP_DO(fault("REPLY STOR 553"));
  QFTP_DO(urc_of("AT+QFTPPUT=\"spacing.bin\",10,60", "+QFTPPUT", transfer_timeout()));
  QFTP_DO(urc_of("AT+QFTPGET=\"missing.bin\"", "+QFTPGET", transfer_timeout()));
  QFTP_TRY(auto st, at_expect("AT+QFTPSTAT", FinalKind::ok));
  QFTP_DO(info_field(st, "+QFTPSTAT"));
  QFTP_TRY(auto len, at_expect("AT+QFTPLEN", FinalKind::ok));
  QFTP_DO(info_field(len, "+QFTPLEN"));
  QFTP_DO(fault("IDLE 100"));
  QFTP_DO(urc("+QFTPERROR", urc_timeout()));
  QFTP_DO(urc_of("AT+QFTPCLOSE", "+QFTPCLOSE"));
}

QFTP_CASE(Rulings, ResumeSendsRestBeforeStorAndRetr, "R/8", "4.4/01") {
  QFTP_REQUIRE_PICS(pics().resume, "PICS: no resume");
  QFTP_SETUP(open_session());
  QFTP_DO(server_file("rest.bin", "0123456789"));
  QFTP_DO(set_cfg(3, "4"));
  QFTP_TRY(auto d, get_result("rest.bin"));
  {
    QFTP_CHECKS("4.4/01");  // the transfer resumes at all
    EXPECT_TRUE(!d.value.empty() && d.value[0] != '-')
        << "the download from point 4 gave +QFTPGET:" << d.value;
  }
  QFTP_DO(set_cfg(3, "10"));
  QFTP_TRY(auto u, put_com("rest.bin", "ABCDE", 60));
  static_cast<void>(u);
  QFTP_TRY(auto cmds, ftp_commands());
  QFTP_CHECKS("R/8");  // REST before STOR and RETR, and the upload written from the point
  const auto at_index = [&](const std::string& c) {
    return std::find(cmds.begin(), cmds.end(), c) - cmds.begin();
  };
  const auto n = static_cast<long>(cmds.size());
  EXPECT_LT(at_index("REST 4"), n) << "no REST 4";
  EXPECT_EQ(at_index("RETR rest.bin"), at_index("REST 4") + 1) << "RETR must follow REST 4";
  EXPECT_LT(at_index("REST 10"), n) << "no REST 10";
  EXPECT_EQ(at_index("STOR rest.bin"), at_index("REST 10") + 1) << "STOR must follow REST 10";
  QFTP_TRY(auto stored, read_server_file("rest.bin"));
  EXPECT_EQ(stored.substr(0, 10), "0123456789")
      << "the upload from point 10 overwrote the start of the file";
}

QFTP_CASE(Rulings, CommandsNeedingASessionGiveMinus1WithoutOne, "R/10") {
  QFTP_TRY(auto state, stat());
  if (state != "IDLE" && state != "CLOSED")
    QFTP_INCONCLUSIVE("the service is " + state + " after the reset");
  QFTP_DO(at_expect("AT+QFTPPATH=\"/\"", FinalKind::ok));
  QFTP_DO(expect_urc("+QFTPPATH", "-1"));
  QFTP_DO(at_expect("AT+QFTPPUT=\"x.bin\",10,60", FinalKind::ok));
  QFTP_DO(expect_urc("+QFTPPUT", "-1"));
  QFTP_DO(at_expect("AT+QFTPGET=\"x.bin\"", FinalKind::ok));
  QFTP_DO(expect_urc("+QFTPGET", "-1"));
}

QFTP_CASE(Rulings, BusyServiceGivesMinus3, "R/11") {
  QFTP_SETUP(open_session());
  QFTP_DO(at_expect(open_command(), FinalKind::ok));
  QFTP_DO(expect_urc("+QFTPOPEN", "-3"));  // a session is open
  QFTP_DO(fault("DELAY CWD " + std::to_string(hold_ms())));
  QFTP_DO(at_expect("AT+QFTPPATH=\"/\"", FinalKind::ok));
  QFTP_DO(at_expect("AT+QFTPPATH=\"/\"", FinalKind::ok));
  QFTP_DO(expect_urc("+QFTPPATH", "-3"));  // the first is still working
  QFTP_DO(at_expect("AT+QFTPCFG=3,0", FinalKind::ok));
  QFTP_DO(expect_urc("+QFTPCFG", "-3"));  // no configuration while it works
  QFTP_DO(expect_urc("+QFTPPATH", "0", urc_timeout() + Ms(hold_ms())));
}

// R/11 in the states a transfer and a close hold the service: a stalled download into /UFS/ (the
// AT port stays free) refuses a path change, a second transfer and a configuration change with
// -3, and AT+QFTPSTAT still says TRANSFER after each refusal; a close held by a slow QUIT refuses
// a path change with -3.
QFTP_CASE(Rulings, BusyDuringATransferAndWhileClosing, "R/11", "2.2.9/07", "2.2.9/08") {
  QFTP_REQUIRE_PICS(pics().has_ufs,
                    "PICS: no /UFS/ (a transfer through the UART takes no command)");
  QFTP_SETUP(open_session());
  QFTP_DO(server_file("stall.bin", test_content("stall", 4000)));
  QFTP_SETUP(set_cfg(4, "\"/UFS/\""));
  QFTP_DO(fault("STALL RETR 1000"));
  QFTP_DO(at_expect("AT+QFTPGET=\"stall.bin\"", FinalKind::ok));
  // The service shows no event for entering TRANSFER: AT+QFTPSTAT is asked until it says so,
  // within the transfer timeout.
  std::string state;
  const auto deadline = std::chrono::steady_clock::now() + transfer_timeout();
  while (state != "TRANSFER" && std::chrono::steady_clock::now() < deadline) {
    QFTP_TRY(auto now, stat());
    state = now;
  }
  if (state != "TRANSFER") QFTP_INCONCLUSIVE("the stalled download never showed TRANSFER: " + state);
  QFTP_CHECKS("R/11");
  QFTP_TRY(auto path, urc_of("AT+QFTPPATH=\"/\"", "+QFTPPATH"));
  EXPECT_EQ(path.value, "-3") << "AT+QFTPPATH during a transfer";
  QFTP_TRY(auto put, urc_of("AT+QFTPPUT=\"other.bin\",10,60", "+QFTPPUT"));
  EXPECT_EQ(put.value, "-3") << "AT+QFTPPUT during a transfer";
  QFTP_TRY(auto cfg, urc_of("AT+QFTPCFG=3,0", "+QFTPCFG"));
  EXPECT_EQ(cfg.value, "-3") << "AT+QFTPCFG during a transfer";
  QFTP_TRY(auto after, stat());
  {
    QFTP_CHECKS("2.2.9/07");
    EXPECT_EQ(after, "TRANSFER") << "the refusals ended the transfer";
  }
  // The close aborts the download (R/26); a slow QUIT keeps the service CLOSING meanwhile.
  // (Its OK is 2.2.2/02's to judge: the close's URCs are what this case waits for.)
  QFTP_DO(fault("DELAY QUIT " + std::to_string(hold_ms())));
  QFTP_DO(send_raw("AT+QFTPCLOSE\r"));
  QFTP_DO(urc("+QFTPGET", transfer_timeout()));
  QFTP_TRY(auto closing, stat());
  {
    QFTP_CHECKS("2.2.9/08");
    EXPECT_EQ(closing, "CLOSING") << "AT+QFTPSTAT while QUIT waits for its reply";
  }
  QFTP_TRY(auto closing_path, urc_of("AT+QFTPPATH=\"/\"", "+QFTPPATH"));
  EXPECT_EQ(closing_path.value, "-3") << "AT+QFTPPATH while the service closes";
  QFTP_DO(expect_urc("+QFTPCLOSE", "0", urc_timeout() + Ms(hold_ms())));
  te().discard_queued([](const Line& l) { return l.text == "AT+QFTPCLOSE" || l.text == "OK"; });
}

QFTP_CASE(Rulings, CloseWhileOpeningGivesMinus3, "R/11") {
  QFTP_DO(fault("DELAY GREETING " + std::to_string(hold_ms())));
  QFTP_DO(at_expect(open_command(), FinalKind::ok));
  QFTP_TRY(auto busy, urc_of("AT+QFTPCLOSE", "+QFTPCLOSE"));
  EXPECT_EQ(busy.value, "-3") << "AT+QFTPCLOSE while opening";
  QFTP_DO(urc("+QFTPOPEN", urc_timeout() + Ms(hold_ms())));
}

QFTP_CASE(Rulings, IllegalPositionsGiveMinus10, "R/12") {
  // A local name is printable ASCII without '/' or '\\': a byte above 0x7e (UTF-8) makes it
  // malformed too.
  for (const char* position :
       {"/NOWHERE/", "/UFS/../etc/passwd", "/UFS/a\\\\b", "COM", "/UFS/caf\xc3\xa9.txt"}) {
    QFTP_DO(at_expect(std::string("AT+QFTPCFG=4,\"") + position + "\"", FinalKind::ok));
    QFTP_TRY(auto f, urc("+QFTPCFG"));
    EXPECT_EQ(f.value, "-10") << "position " << position;
  }
  QFTP_TRY(auto now, query_cfg(4));
  EXPECT_EQ(now.value, "\"/COM/\"") << "a refused position replaced the current one";
}

QFTP_CASE(Rulings, AFullUfsEndsTheDownloadWithMinus1, "R/13") {
  QFTP_REQUIRE_PICS(pics().has_ufs, "PICS: no /UFS/");
  if (!pixit().ufs_capacity) QFTP_INCONCLUSIVE("the PIXIT does not declare the UFS capacity");
  const auto capacity = static_cast<std::size_t>(*pixit().ufs_capacity);
  QFTP_SETUP(open_session());
  QFTP_DO(server_file("huge.bin", test_content("huge", capacity + 1)));
  QFTP_SETUP(set_cfg(4, "\"/UFS/\""));
  QFTP_DO(at_expect("AT+QFTPGET=\"huge.bin\"", FinalKind::ok));
  QFTP_DO(expect_urc("+QFTPGET", "-1", transfer_timeout()));
  // What the failed download left in UFS (the spec has no delete) is shrunk by a small download
  // over it, so that later cases and runs find room.
  QFTP_DO(server_file("huge.bin", "x"));
  QFTP_DO(get_result("huge.bin"));
}

QFTP_CASE(Rulings, AServerClosedSessionIsClosedAndOpensAgain, "R/25") {
  QFTP_SETUP(open_session());
  QFTP_DO(fault("IDLE 100"));
  QFTP_TRY(auto closed, urc_any({"+QFTPERROR"}, urc_timeout()));
  if (closed.value != "-6") QFTP_DO(expect_urc("+QFTPERROR", "-6"));
  QFTP_TRY(auto state, stat());
  EXPECT_EQ(state, "CLOSED") << "after the server closed the session";
  QFTP_DO(at_expect(open_command(), FinalKind::ok));
  QFTP_TRY(auto again, urc("+QFTPOPEN"));
  EXPECT_TRUE(!again.value.empty() && again.value[0] != '-')
      << "AT+QFTPOPEN after the server closed the session gave " << again.value;
}

QFTP_CASE(Rulings, CloseWithoutASessionAnswersZero, "R/15") {
  QFTP_TRY(auto state, stat());
  if (state != "IDLE" && state != "CLOSED")
    QFTP_INCONCLUSIVE("the service is " + state + " after the reset");
  QFTP_DO(at_expect("AT+QFTPCLOSE", FinalKind::ok));
  QFTP_DO(expect_urc("+QFTPCLOSE", "0"));
}

QFTP_CASE(Rulings, FormsTheSpecDoesNotListAnswerError, "R/16") {
  for (const char* line :
       {"AT+QFTPOPEN", "AT+QFTPCLOSE?", "AT+QFTPCLOSE=1", "AT+QFTPPUT?", "AT+QFTPGET?",
        "AT+QFTPPATH", "AT+QFTPUSER", "AT+QFTPPASS", "AT+QFTPCFG?", "AT+QFTPCFG", "AT+QFTPSTAT?",
        "AT+QFTPSTAT=1", "AT+QFTPLEN?", "AT+QFTPLEN=1"}) {
    QFTP_DO(expect_error(line));
  }
}

QFTP_CASE(Rulings, EmptyHostNameGivesMinus10, "R/17") {
  QFTP_DO(at_expect("AT+QFTPOPEN=\"\",21", FinalKind::ok));
  QFTP_DO(expect_urc("+QFTPOPEN", "-10"));
}

QFTP_CASE(Rulings, EmptyFileNameGivesMinus10, "R/18") {
  QFTP_SETUP(open_session());
  QFTP_DO(at_expect("AT+QFTPPUT=\"\",10,60", FinalKind::ok));
  QFTP_DO(expect_urc("+QFTPPUT", "-10"));
  QFTP_DO(at_expect("AT+QFTPGET=\"\"", FinalKind::ok));
  QFTP_DO(expect_urc("+QFTPGET", "-10"));
}

QFTP_CASE(Rulings, AFailedOpenLeavesTheState, "R/19") {
  QFTP_TRY(auto before, stat());
  QFTP_DO(fault("REFUSE"));
  QFTP_DO(at_expect(open_command(), FinalKind::ok));
  QFTP_TRY(auto f, urc("+QFTPOPEN"));
  EXPECT_NE(f.value, "0");
  QFTP_TRY(auto after, stat());
  EXPECT_EQ(after, before) << "the state before the failed AT+QFTPOPEN was " << before;
}

QFTP_CASE(Rulings, PositionOf100IsAcceptedAnd101IsNot, "R/20") {
  const std::string position100 = "/UFS/" + std::string(95, 'n');
  QFTP_DO(at_expect("AT+QFTPCFG=4,\"" + position100 + "\"", FinalKind::ok));
  QFTP_DO(urc("+QFTPCFG"));  // a 95-character file name is illegal (-10); the format was right
  QFTP_DO(expect_error("AT+QFTPCFG=4,\"" + position100 + "n\""));
}

QFTP_CASE(Rulings, SizesAndResumePointsAre32Bit, "R/21") {
  QFTP_DO(at_expect("AT+QFTPCFG=3,4294967295", FinalKind::ok));
  QFTP_DO(expect_urc("+QFTPCFG", "0"));
  QFTP_DO(expect_error("AT+QFTPCFG=3,4294967296"));
  QFTP_DO(set_cfg(3, "0"));
  QFTP_SETUP(open_session());
  QFTP_DO(expect_error("AT+QFTPPUT=\"big.bin\",4294967296,60"));
}

QFTP_CASE(Rulings, OpenActivatesTheContextOnDemand, "R/24") {
  QFTP_REQUIRE_PICS(pics().context_commands, "PICS: no AT+QIDEACT");
  QFTP_DO(at_expect("AT+QIDEACT", FinalKind::deact_ok, transfer_timeout()));
  QFTP_DO(at_expect("AT+QFTPUSER=\"" + pixit().user + "\"", FinalKind::ok));
  QFTP_DO(at_expect("AT+QFTPPASS=\"" + pixit().password + "\"", FinalKind::ok));
  QFTP_DO(at_expect(open_command(), FinalKind::ok));
  QFTP_TRY(auto f, urc("+QFTPOPEN"));
  EXPECT_TRUE(!f.value.empty() && f.value[0] != '-')
      << "AT+QFTPOPEN with the context down gave +QFTPOPEN:" << f.value;
  QFTP_TRY(auto login, server_saw_login());
  EXPECT_TRUE(login) << "no session reached the server with the context down";
}

QFTP_CASE(Rulings, ContextThatCannotBeActivatedGivesMinus5, "R/24", "3/-5") {
  QFTP_REQUIRE_PICS(pics().context_commands, "PICS: no AT+QIDEACT");
  QFTP_REQUIRE_PICS(suite().has_network_control(),
                    "needs the emulator's network control (ACTIVATION FAIL)");
  QFTP_DO(at_expect("AT+QIDEACT", FinalKind::deact_ok, transfer_timeout()));
  QFTP_DO(network("ACTIVATION FAIL"));
  QFTP_DO(at_expect(open_command(), FinalKind::ok));
  QFTP_DO(expect_urc("+QFTPOPEN", "-5"));
}

QFTP_CASE(Rulings, CloseDuringATransferReportsTheTransferFirst, "R/26") {
  QFTP_REQUIRE_PICS(pics().has_ufs,
                    "PICS: no /UFS/ (a transfer through the UART takes no command)");
  QFTP_SETUP(open_session());
  QFTP_DO(server_file("long.bin", test_content("long", 60000)));
  QFTP_DO(fault("SLOW 30000"));
  QFTP_SETUP(set_cfg(4, "\"/UFS/\""));
  QFTP_DO(at_expect("AT+QFTPGET=\"long.bin\"", FinalKind::ok));
  QFTP_DO(send_raw("AT+QFTPCLOSE\r"));
  QFTP_TRY(auto first, urc_any({"+QFTPGET", "+QFTPCLOSE"}, transfer_timeout()));
  EXPECT_EQ(first.name, "+QFTPGET") << "the transfer's outcome must come before +QFTPCLOSE";
  if (first.name == "+QFTPGET") {
    EXPECT_NE(first.value, "60000") << "the download was not aborted";
    QFTP_DO(expect_urc("+QFTPCLOSE", "0", transfer_timeout()));
  }
  te().discard_queued([](const Line& l) { return l.text == "AT+QFTPCLOSE" || l.text == "OK"; });
}

QFTP_CASE(Rulings, UploadThroughTheUartOfZeroBytes, "R/28") {
  QFTP_SETUP(open_session());
  QFTP_DO(at_expect("AT+QFTPPUT=\"empty.bin\",0,60", FinalKind::ok));
  QFTP_DO(expect_connect("+QFTPPUT"));
  QFTP_DO(expect_urc("+QFTPPUT", "0", transfer_timeout()));
  QFTP_TRY(auto stored, read_server_file("empty.bin"));
  EXPECT_TRUE(stored.empty()) << "the server's file has " << stored.size() << " bytes";
}

// Second paths to the rulings above: another state of the service, another form of the command or
// another transport form.

QFTP_CASE(Rulings, MisspellingsAreUnknownInEveryFormAndChangeNothing, "R/1") {
  for (const char* line : {"AT+QFTPFCFG?", "AT+QFTPFCFG", "AT+QFTPUSE?", "AT+QFTPUSE",
                           "at+qftpuse=\"lower\""}) {
    QFTP_DO(expect_error(line));
  }
  QFTP_DO(at_expect("AT+QFTPUSER=\"kept\"", FinalKind::ok));
  QFTP_DO(expect_error("AT+QFTPUSE=\"changed\""));
  QFTP_TRY(auto r, at_expect("AT+QFTPUSER?", FinalKind::ok));
  QFTP_TRY(auto f, info_field(r, "+QFTPUSER"));
  EXPECT_EQ(f.value, "\"kept\"") << "AT+QFTPUSE changed the user name";
}

QFTP_CASE(Rulings, CommandsNeedingASessionGiveMinus1AfterAClose, "R/10") {
  QFTP_SETUP(open_session());
  QFTP_SETUP(close_session());
  QFTP_DO(at_expect("AT+QFTPGET=\"x.bin\"", FinalKind::ok));
  QFTP_DO(expect_urc("+QFTPGET", "-1", transfer_timeout()));
  QFTP_DO(at_expect("AT+QFTPPATH=\"/\"", FinalKind::ok));
  QFTP_DO(expect_urc("+QFTPPATH", "-1"));
  QFTP_DO(at_expect("AT+QFTPPUT=\"x.bin\",10", FinalKind::ok));
  QFTP_DO(expect_urc("+QFTPPUT", "-1", transfer_timeout()));
  QFTP_TRY(auto state, stat());
  EXPECT_EQ(state, "CLOSED") << "after commands refused without a session";
}

QFTP_CASE(Rulings, CloseOfAClosedServiceAnswersZero, "R/15") {
  QFTP_SETUP(open_session());
  QFTP_SETUP(close_session());
  QFTP_DO(at_expect("AT+QFTPCLOSE", FinalKind::ok));
  QFTP_DO(expect_urc("+QFTPCLOSE", "0"));
  QFTP_TRY(auto state, stat());
  EXPECT_EQ(state, "CLOSED");
}

QFTP_CASE(Rulings, FormsTheSpecDoesNotListAnswerErrorInAnOpenSession, "R/16") {
  QFTP_SETUP(open_session());
  for (const char* line : {"AT+QFTPOPEN", "AT+QFTPCLOSE?", "AT+QFTPPUT?", "AT+QFTPGET?",
                           "AT+QFTPPATH", "AT+QFTPUSER", "AT+QFTPPASS", "AT+QFTPCFG?",
                           "AT+QFTPSTAT?", "AT+QFTPLEN=1"}) {
    QFTP_DO(expect_error(line));
  }
  QFTP_TRY(auto state, stat());
  EXPECT_EQ(state, "OPENED") << "a refused form changed the session";
}

QFTP_CASE(Rulings, EmptyHostNameWithAQuotedPortGivesMinus10, "R/17") {
  QFTP_TRY(auto before, stat());
  QFTP_DO(at_expect("AT+QFTPOPEN=\"\",\"" + std::to_string(ftp_port()) + "\"", FinalKind::ok));
  QFTP_DO(expect_urc("+QFTPOPEN", "-10"));
  QFTP_TRY(auto after, stat());
  EXPECT_EQ(after, before) << "an empty host name changed the state";
}

QFTP_CASE(Rulings, EmptyFileNameOfAStoredTransferGivesMinus10, "R/18") {
  QFTP_REQUIRE_PICS(pics().has_ufs, "PICS: no /UFS/");
  QFTP_SETUP(open_session());
  QFTP_SETUP(set_cfg(4, "\"/UFS/\""));
  QFTP_DO(at_expect("AT+QFTPPUT=\"\",0", FinalKind::ok));
  QFTP_DO(expect_urc("+QFTPPUT", "-10", transfer_timeout()));
  QFTP_DO(at_expect("AT+QFTPGET=\"\"", FinalKind::ok));
  QFTP_DO(expect_urc("+QFTPGET", "-10", transfer_timeout()));
  QFTP_TRY(auto cmds, ftp_commands());
  EXPECT_EQ(std::count_if(cmds.begin(), cmds.end(),
                          [](const std::string& c) {
                            return c.rfind("STOR", 0) == 0 || c.rfind("RETR", 0) == 0;
                          }),
            0)
      << "an empty file name reached the server";
}

QFTP_CASE(Rulings, AFailedOpenAfterACloseLeavesClosed, "R/19") {
  QFTP_SETUP(open_session());
  QFTP_SETUP(close_session());
  QFTP_DO(fault("REPLY PASS 530"));
  QFTP_DO(at_expect(open_command(), FinalKind::ok));
  QFTP_TRY(auto f, urc("+QFTPOPEN"));
  EXPECT_NE(f.value, "0");
  QFTP_TRY(auto after, stat());
  EXPECT_EQ(after, "CLOSED") << "after a failed AT+QFTPOPEN in state CLOSED";
}

QFTP_CASE(Rulings, PositionOf100WithoutARootIsAcceptedAnd101IsNot, "R/20") {
  const std::string position100(100, 'p');
  QFTP_DO(at_expect("AT+QFTPCFG=4,\"" + position100 + "\"", FinalKind::ok));
  QFTP_TRY(auto f, urc("+QFTPCFG"));
  EXPECT_EQ(f.value, "-10") << "a position without a root is illegal, its format right";
  QFTP_DO(expect_error("AT+QFTPCFG=4,\"" + position100 + "p\""));
  QFTP_TRY(auto now, query_cfg(4));
  EXPECT_EQ(now.value, "\"/COM/\"");
}

QFTP_CASE(Rulings, AnUploadOfTheLargestSizeIsAccepted, "R/21") {
  QFTP_SETUP(open_session());
  QFTP_DO(expect_error("AT+QFTPPUT=\"big.bin\",4294967296"));
  QFTP_DO(expect_error("AT+QFTPCFG=3,99999999999"));
  // 4294967295 is a size the format takes: the upload starts, and its <time> of 1 s ends it.
  QFTP_DO(at_expect("AT+QFTPPUT=\"big.bin\",4294967295,1", FinalKind::ok));
  QFTP_DO(expect_connect("+QFTPPUT"));
  QFTP_DO(send_raw("xyz"));
  QFTP_TRY(auto f, urc("+QFTPPUT", transfer_timeout() + Ms(1000)));
  EXPECT_TRUE(!f.value.empty() && f.value[0] != '-') << "the upload of the largest size gave " << f.value;
}

QFTP_CASE(Rulings, ASessionClosedDuringACommandIsClosedAndOpensAgain, "R/25") {
  QFTP_SETUP(open_session());
  QFTP_DO(fault("CLOSE CWD times=1"));
  QFTP_DO(at_expect("AT+QFTPPATH=\"/\"", FinalKind::ok));
  QFTP_DO(expect_urc("+QFTPPATH", "-6"));
  QFTP_TRY(auto state, stat());
  EXPECT_EQ(state, "CLOSED") << "after the server closed the session during AT+QFTPPATH";
  QFTP_DO(at_expect(open_command(), FinalKind::ok));
  QFTP_TRY(auto again, urc("+QFTPOPEN"));
  EXPECT_TRUE(!again.value.empty() && again.value[0] != '-')
      << "AT+QFTPOPEN after the server closed the session gave " << again.value;
}

QFTP_CASE(Rulings, CloseDuringAStoredUploadReportsTheUploadFirst, "R/26") {
  QFTP_REQUIRE_PICS(pics().has_ufs,
                    "PICS: no /UFS/ (a transfer through the UART takes no command)");
  QFTP_SETUP(open_session());
  QFTP_SETUP(make_local_file("/UFS/", "long-up.bin", test_content("lu", 60000)));
  QFTP_SETUP(set_cfg(4, "\"/UFS/\""));
  QFTP_DO(fault("SLOW 30000"));
  QFTP_DO(at_expect("AT+QFTPPUT=\"long-up.bin\",0", FinalKind::ok));
  QFTP_DO(send_raw("AT+QFTPCLOSE\r"));
  QFTP_TRY(auto first, urc_any({"+QFTPPUT", "+QFTPCLOSE"}, transfer_timeout()));
  EXPECT_EQ(first.name, "+QFTPPUT") << "the upload's outcome must come before +QFTPCLOSE";
  if (first.name == "+QFTPPUT") {
    EXPECT_NE(first.value, "60000") << "the upload was not aborted";
    QFTP_DO(expect_urc("+QFTPCLOSE", "0", transfer_timeout()));
  }
}

QFTP_CASE(Rulings, UploadThroughTheUartOfZeroBytesWithoutATime, "R/28") {
  QFTP_SETUP(open_session());
  QFTP_DO(server_file("empty2.bin", "old content"));
  QFTP_DO(at_expect("AT+QFTPPUT=\"empty2.bin\",0", FinalKind::ok));
  QFTP_DO(expect_connect("+QFTPPUT"));
  QFTP_DO(expect_urc("+QFTPPUT", "0", transfer_timeout()));
  QFTP_TRY(auto stored, read_server_file("empty2.bin"));
  EXPECT_TRUE(stored.empty()) << "the server's file has " << stored.size() << " bytes";
  QFTP_DO(expect_quiet("an upload of zero bytes"));
}

QFTP_CASE(Rulings, ResumeIntoAStoredFileSendsRestAndWritesFromThePoint, "R/8") {
  QFTP_REQUIRE_PICS(pics().resume, "PICS: no resume");
  QFTP_REQUIRE_PICS(pics().has_ufs, "PICS: no /UFS/");
  QFTP_SETUP(open_session());
  QFTP_SETUP(make_local_file("/UFS/", "r8.bin", "0123"));
  QFTP_DO(server_file("r8.bin", "xxxx456789"));
  QFTP_SETUP(set_cfg(4, "\"/UFS/\""));
  QFTP_SETUP(set_cfg(3, "4"));
  QFTP_TRY(auto before, ftp_commands());
  QFTP_DO(at_expect("AT+QFTPGET=\"r8.bin\"", FinalKind::ok));
  QFTP_DO(expect_urc("+QFTPGET", "6", transfer_timeout()));
  QFTP_TRY(auto cmds, ftp_commands());
  const auto from = cmds.begin() + static_cast<std::ptrdiff_t>(std::min(before.size(), cmds.size()));
  const auto rest = std::find(from, cmds.end(), "REST 4");
  ASSERT_NE(rest, cmds.end()) << "no REST 4 for a download into a stored file";
  ASSERT_NE(rest + 1, cmds.end()) << "nothing after REST 4";
  EXPECT_EQ(*(rest + 1), "RETR r8.bin") << "RETR must follow REST 4";
  QFTP_DO(set_cfg(4, "\"/COM/\""));
  QFTP_DO(verify_local_file("/UFS/", "r8.bin", "0123456789"));
}

// R/2 through the failure URCs and the close: urc() takes either spacing, notes a mismatch with
// the declared style and fails a URC in neither form ("+QFTPCLOSE :0").
QFTP_CASE(Rulings, FailureUrcsParseInEitherSpacing, "R/2") {
  QFTP_DO(at_expect("AT+QFTPUSER=\"" + pixit().user + "\"", FinalKind::ok));
  QFTP_DO(at_expect("AT+QFTPPASS=\"wrong-" + pixit().password + "\"", FinalKind::ok));
  QFTP_TRY(auto refused, urc_of(open_command(), "+QFTPOPEN"));
  EXPECT_NE(refused.value, "0") << "a wrong password";
  QFTP_SETUP(open_session());
  QFTP_TRY(auto path, urc_of("AT+QFTPPATH=\"/no-such-dir\"", "+QFTPPATH"));
  EXPECT_NE(path.value, "0") << "a missing directory";
  QFTP_TRY(auto cfg, urc_of("AT+QFTPCFG=4,\"/NOWHERE/\"", "+QFTPCFG"));
  EXPECT_EQ(cfg.value, "-10");
  QFTP_TRY(auto closed, urc_of("AT+QFTPCLOSE", "+QFTPCLOSE"));
  EXPECT_EQ(closed.value, "0");
}

}  // namespace
}  // namespace qftp::harness
