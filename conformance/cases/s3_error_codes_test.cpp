// s3_error_codes_test.cpp: spec chapter 3, every error code with a way to cause it: FTP replies and
// connection faults from the fixture, network faults from the emulator's control (not applicable
// to other DUTs), local files and parameters from the DUT itself; and +QFTPERROR while idle.
#include "harness/qftp_case.h"

namespace qftp::harness {
namespace {

class S3_ErrorCodes : public QftpCase {
 protected:
  // AT+QFTPOPEN to the fixture with `directive` active: the +QFTPOPEN value.
  Step<std::string> open_with(const std::string& directive) {
    if (auto id = fault(directive); !id.ok()) return id.outcome();
    if (auto r = at_expect(open_command(), FinalKind::ok); !r.ok()) return r.outcome();
    auto f = urc("+QFTPOPEN", urc_timeout() + Ms(hold_ms()));
    if (!f.ok()) return f.outcome();
    return f.value().value;
  }

  // AT+QFTPPATH="/" in an open session with `directive` active: the +QFTPPATH value.
  Step<std::string> path_with(const std::string& directive) {
    if (auto st = open_session(); !st.ok()) return as_precondition(st.outcome());
    if (auto id = fault(directive); !id.ok()) return id.outcome();
    if (auto r = at_expect("AT+QFTPPATH=\"/\"", FinalKind::ok); !r.ok()) return r.outcome();
    auto f = urc("+QFTPPATH");
    if (!f.ok()) return f.outcome();
    return f.value().value;
  }

  // AT+QFTPGET through /COM/ with `directive` active, whether or not it got as far as CONNECT.
  Step<std::string> get_with(const std::string& directive, std::size_t size = 1000) {
    if (auto st = open_session(); !st.ok()) return as_precondition(st.outcome());
    if (auto st = server_file("e.bin", test_content("e", size)); !st.ok()) return st.outcome();
    if (!directive.empty()) {
      if (auto id = fault(directive); !id.ok()) return id.outcome();
    }
    if (auto r = at_expect("AT+QFTPGET=\"e.bin\"", FinalKind::ok); !r.ok()) return r.outcome();
    auto first = te().await_line(
        [](const Line& l) { return l.text == "CONNECT" || parse_field(l, "+QFTPGET"); },
        transfer_timeout());
    if (!first) return fail("neither CONNECT nor +QFTPGET: " + first.error());
    if (first->text == "CONNECT") {
      auto data = te().read_until("+QFTPGET:", transfer_timeout());
      if (!data) return fail(data.error());
      auto f = urc("+QFTPGET", transfer_timeout());
      if (!f.ok()) return f.outcome();
      return f.value().value;
    }
    const auto f = *parse_field(first.value(), "+QFTPGET");
    check_style(f);
    return f.value;
  }

  // AT+QFTPPUT of 10 bytes through /COM/ with `directive` active; `send` bytes are sent after
  // CONNECT, and `time_s` is the command's <time>.
  Step<std::string> put_with(const std::string& directive, const std::string& send = "0123456789",
                             int time_s = 60) {
    if (auto st = open_session(); !st.ok()) return as_precondition(st.outcome());
    if (auto id = fault(directive); !id.ok()) return id.outcome();
    if (auto r = at_expect("AT+QFTPPUT=\"e.bin\",10," + std::to_string(time_s), FinalKind::ok);
        !r.ok())
      return r.outcome();
    auto first = te().await_line(
        [](const Line& l) { return l.text == "CONNECT" || parse_field(l, "+QFTPPUT"); },
        transfer_timeout());
    if (!first) return fail("neither CONNECT nor +QFTPPUT: " + first.error());
    if (first->text == "CONNECT") {
      if (auto st = send_raw(send); !st.ok()) return st.outcome();
      auto f = urc("+QFTPPUT", transfer_timeout());
      if (!f.ok()) return f.outcome();
      return f.value().value;
    }
    const auto f = *parse_field(first.value(), "+QFTPPUT");
    check_style(f);
    return f.value;
  }

  // AT+QFTPPUT of a stored UFS file of `size` bytes (<fileSz> 0: its real size) with `directive`
  // active: the +QFTPPUT value. The same codes through another transport form than put_with.
  Step<std::string> put_stored_with(const std::string& directive, std::size_t size = 4000) {
    if (auto st = open_session(); !st.ok()) return as_precondition(st.outcome());
    if (auto st = make_local_file("/UFS/", "e-up.bin", test_content("u", size)); !st.ok())
      return as_precondition(st.outcome());
    if (auto st = set_cfg(4, "\"/UFS/\""); !st.ok()) return as_precondition(st.outcome());
    if (auto id = fault(directive); !id.ok()) return id.outcome();
    if (auto r = at_expect("AT+QFTPPUT=\"e-up.bin\",0", FinalKind::ok); !r.ok()) return r.outcome();
    auto f = urc("+QFTPPUT", transfer_timeout());
    if (!f.ok()) return f.outcome();
    return f.value().value;
  }
};

QFTP_CASE(S3_ErrorCodes, Minus1ForAReplyCodeChapter3DoesNotName, "3/-1", "2.2.5/05", "R/9") {
  QFTP_TRY(auto v, path_with("REPLY CWD 554"));
  EXPECT_EQ(v, "-1") << "CWD answered 554, which chapter 3 does not list";
}

QFTP_CASE(S3_ErrorCodes, Minus3WhileOpening, "3/-3", "R/11") {
  QFTP_DO(fault("DELAY GREETING " + std::to_string(hold_ms())));
  QFTP_DO(at_expect(open_command(), FinalKind::ok));
  QFTP_DO(at_expect(open_command(), FinalKind::ok));
  QFTP_TRY(auto busy, urc("+QFTPOPEN"));
  EXPECT_EQ(busy.value, "-3") << "a second AT+QFTPOPEN while the first is opening";
  QFTP_TRY(auto first, urc("+QFTPOPEN", urc_timeout() + Ms(hold_ms())));
  EXPECT_NE(first.value, "-3") << "the first AT+QFTPOPEN was ended by the second";
}

QFTP_CASE(S3_ErrorCodes, Minus4ForANameThatDoesNotResolve, "3/-4", "2.2.1/06", "R/9") {
  if (suite().has_network_control()) QFTP_DO(network("DNS FAIL"));
  QFTP_DO(
      at_expect("AT+QFTPOPEN=\"" + pixit().unresolvable_name + "\"," + std::to_string(ftp_port()),
                FinalKind::ok));
  QFTP_DO(expect_urc("+QFTPOPEN", "-4", urc_timeout()));
}

QFTP_CASE(S3_ErrorCodes, Minus5ForARefusedConnection, "3/-5", "2.2.1/06", "R/9") {
  QFTP_TRY(auto v, open_with("REFUSE"));
  EXPECT_EQ(v, "-5");
}

// Ruling 9, a session that ends during a transfer: a data connection that cannot be established
// (the server's passive port refuses it) is -5, and the session goes on.
QFTP_CASE(S3_ErrorCodes, Minus5WhenTheDataConnectionIsRefused, "3/-5", "2.2.4/05", "R/9") {
  QFTP_TRY(auto v, get_with("NODATACONN refuse times=1"));
  EXPECT_EQ(v, "-5");
  QFTP_TRY(auto state, stat());
  EXPECT_EQ(state, "OPENED");
}

QFTP_CASE(S3_ErrorCodes, Minus6WhenTheServerClosesTheSession, "3/-6", "2.2.5/05", "R/9") {
  QFTP_TRY(auto v, path_with("CLOSE CWD"));
  EXPECT_EQ(v, "-6");
}

QFTP_CASE(S3_ErrorCodes, Minus7WhenTheDataConnectionClosesEarly, "3/-7", "2.2.3/05", "R/9") {
  // The server keeps 3 bytes, closes the data connection and says 226 while the upload still has
  // bytes to send: the data connection ended early. The host sends 5 of its 10 bytes; data mode
  // lasts until <time> (R/41), 2 s, and the -7 follows.
  QFTP_TRY(auto v, put_with("CUT STOR 3 226", "01234", 2));
  EXPECT_EQ(v, "-7");
}

QFTP_CASE(S3_ErrorCodes, Minus8WhenTheContextIsDeactivated, "3/-8", "3/01", "R/29") {
  QFTP_REQUIRE_PICS(pics().context_commands, "PICS: no AT+QIDEACT");
  QFTP_SETUP(open_session());
  {
    QFTP_CHECKS("R/29");  // DEACT OK is the context command's own answer
    QFTP_DO(at_expect("AT+QIDEACT", FinalKind::deact_ok, transfer_timeout()));
  }
  QFTP_DO(expect_urc("+QFTPERROR", "-8"));
}

QFTP_CASE(S3_ErrorCodes, Minus8WhenTheNetworkDropsTheContextDuringATransfer, "3/-8", "2.2.4/05") {
  QFTP_REQUIRE_PICS(suite().has_network_control(),
                    "needs the emulator's network control (CONTEXT LOST)");
  QFTP_REQUIRE_PICS(pics().has_ufs,
                    "PICS: no /UFS/ (a transfer through the UART takes no command)");
  QFTP_SETUP(open_session());
  QFTP_DO(server_file("ctx.bin", test_content("ctx", 40000)));
  QFTP_DO(fault("SLOW 20000"));
  QFTP_SETUP(set_cfg(4, "\"/UFS/\""));
  QFTP_DO(at_expect("AT+QFTPGET=\"ctx.bin\"", FinalKind::ok));
  QFTP_DO(network("CONTEXT LOST"));
  QFTP_DO(expect_urc("+QFTPGET", "-8", transfer_timeout()));
  // The loss ended a running command, so chapter 3's +QFTPERROR (no command running) is not due;
  // a DUT that reports the one event twice is noted, not failed.
  QFTP_TRY(auto r, at_expect("AT", FinalKind::ok));
  static_cast<void>(r);
  for (const auto& l : te().take_queued()) {
    if (parse_field(l, "+QFTPERROR"))
      note("the context loss was reported twice: +QFTPGET:-8 and " + l.text);
  }
}

QFTP_CASE(S3_ErrorCodes, Minus9WhenTheServerDoesNotAnswer, "3/-9", "2.2.1/06", "R/9") {
  if (!pixit().dut_reply_timeout_ms)
    QFTP_INCONCLUSIVE("the PIXIT does not declare the DUT's FTP reply timeout");
  const auto delay = *pixit().dut_reply_timeout_ms + 1000;
  QFTP_DO(fault("DELAY PASS " + std::to_string(delay)));
  QFTP_DO(at_expect(open_command(), FinalKind::ok));
  QFTP_DO(expect_urc("+QFTPOPEN", "-9", urc_timeout() + Ms(delay)));
}

QFTP_CASE(S3_ErrorCodes, Minus10ForAnIllegalParameter, "3/-10", "R/12") {
  QFTP_DO(at_expect("AT+QFTPCFG=4,\"/NOWHERE/\"", FinalKind::ok));
  QFTP_DO(expect_urc("+QFTPCFG", "-10"));
}

QFTP_CASE(S3_ErrorCodes, Minus11ForAMissingLocalFile, "3/-11", "2.2.3/05") {
  QFTP_REQUIRE_PICS(pics().has_ufs, "PICS: no /UFS/");
  QFTP_SETUP(open_session());
  QFTP_SETUP(set_cfg(4, "\"/UFS/\""));
  QFTP_DO(at_expect("AT+QFTPPUT=\"absent.bin\",0", FinalKind::ok));
  QFTP_DO(expect_urc("+QFTPPUT", "-11", transfer_timeout()));
}

QFTP_CASE(S3_ErrorCodes, Minus12ForAResumePointPastTheLocalFile, "3/-12", "R/9") {
  QFTP_REQUIRE_PICS(pics().has_ufs, "PICS: no /UFS/");
  QFTP_REQUIRE_PICS(pics().resume, "PICS: no resume");
  QFTP_SETUP(open_session());
  QFTP_SETUP(make_local_file("/UFS/", "short.bin", "0123456789"));
  QFTP_SETUP(set_cfg(4, "\"/UFS/short.bin\""));
  QFTP_SETUP(set_cfg(3, "100"));
  QFTP_DO(at_expect("AT+QFTPPUT=\"short.bin\",0", FinalKind::ok));
  QFTP_DO(expect_urc("+QFTPPUT", "-12", transfer_timeout()));
}

QFTP_CASE(S3_ErrorCodes, Minus421WhenTheServerRefusesService, "3/-421", "2.2.1/06", "R/9") {
  QFTP_TRY(auto v, open_with("REPLY GREETING 421"));
  EXPECT_EQ(v, "-421");
}

QFTP_CASE(S3_ErrorCodes, Minus425WhenTheDataConnectionCannotOpen, "3/-425", "2.2.4/05", "R/9") {
  QFTP_TRY(auto v, get_with("NODATACONN 425"));
  EXPECT_EQ(v, "-425");
}

QFTP_CASE(S3_ErrorCodes, Minus426WhenTheTransferIsAborted, "3/-426", "2.2.4/05", "R/9") {
  QFTP_TRY(auto v, get_with("CUT RETR 100 426"));
  EXPECT_EQ(v, "-426");
}

QFTP_CASE(S3_ErrorCodes, Minus450WhenTheFileIsUnavailable, "3/-450", "2.2.4/05", "R/9") {
  QFTP_TRY(auto v, get_with("REPLY RETR 450"));
  EXPECT_EQ(v, "-450");
}

QFTP_CASE(S3_ErrorCodes, Minus452WhenTheServerHasNoStorage, "3/-452", "2.2.3/05", "R/9") {
  QFTP_TRY(auto v, put_with("REPLY STOR 452"));
  EXPECT_EQ(v, "-452");
}

QFTP_CASE(S3_ErrorCodes, Minus500ForASyntaxError, "3/-500", "2.2.5/05", "R/9") {
  QFTP_TRY(auto v, path_with("REPLY CWD 500"));
  EXPECT_EQ(v, "-500");
}

QFTP_CASE(S3_ErrorCodes, Minus501ForAParameterError, "3/-501", "2.2.5/05", "R/9") {
  QFTP_TRY(auto v, path_with("REPLY CWD 501"));
  EXPECT_EQ(v, "-501");
}

QFTP_CASE(S3_ErrorCodes, Minus502ForAnUnimplementedCommand, "3/-502", "2.2.5/05", "R/9") {
  QFTP_TRY(auto v, path_with("REPLY CWD 502"));
  EXPECT_EQ(v, "-502");
}

QFTP_CASE(S3_ErrorCodes, Minus530ForAWrongPassword, "3/-530", "2.2.1/06", "R/9") {
  QFTP_DO(at_expect("AT+QFTPUSER=\"" + pixit().user + "\"", FinalKind::ok));
  QFTP_DO(at_expect("AT+QFTPPASS=\"not-the-password\"", FinalKind::ok));
  QFTP_DO(at_expect(open_command(), FinalKind::ok));
  QFTP_DO(expect_urc("+QFTPOPEN", "-530"));
}

QFTP_CASE(S3_ErrorCodes, Minus532WhenAnAccountIsNeeded, "3/-532", "2.2.1/06", "R/9") {
  QFTP_TRY(auto v, open_with("REPLY PASS 532"));
  EXPECT_EQ(v, "-532");
}

QFTP_CASE(S3_ErrorCodes, Minus550ForAMissingFile, "3/-550", "2.2.4/05", "R/9") {
  QFTP_SETUP(open_session());
  QFTP_DO(at_expect("AT+QFTPGET=\"no-such-file.bin\"", FinalKind::ok));
  QFTP_DO(expect_urc("+QFTPGET", "-550", transfer_timeout()));
}

QFTP_CASE(S3_ErrorCodes, Minus551WhenTheRequestIsStopped, "3/-551", "2.2.4/05", "R/9") {
  QFTP_TRY(auto v, get_with("REPLY RETR 551"));
  EXPECT_EQ(v, "-551");
}

QFTP_CASE(S3_ErrorCodes, Minus552WhenStorageIsExceeded, "3/-552", "2.2.3/05", "R/9") {
  QFTP_TRY(auto v, put_with("REPLY STOR 552"));
  EXPECT_EQ(v, "-552");
}

QFTP_CASE(S3_ErrorCodes, Minus553ForAFileNameNotAllowed, "3/-553", "2.2.3/05", "R/9") {
  QFTP_TRY(auto v, put_with("REPLY STOR 553"));
  EXPECT_EQ(v, "-553");
}

QFTP_CASE(S3_ErrorCodes, ErrorsWhileIdleArriveAsQftperror, "3/01", "R/9") {
  QFTP_SETUP(open_session());
  QFTP_DO(fault("IDLE 100"));
  QFTP_DO(expect_urc("+QFTPERROR", "-421", urc_timeout()));
  QFTP_DO(expect_urc("+QFTPERROR", "-6"));
}

// Second paths to the codes above: each code caused by another command, another step of the
// session or another transport form, so that no code rests on one way of reaching it.

QFTP_CASE(S3_ErrorCodes, Minus3ForADownloadWhileAPathChangeWorks, "3/-3", "R/11") {
  QFTP_SETUP(open_session());
  QFTP_DO(fault("DELAY CWD " + std::to_string(hold_ms())));
  QFTP_DO(at_expect("AT+QFTPPATH=\"/\"", FinalKind::ok));
  QFTP_DO(at_expect("AT+QFTPGET=\"busy.bin\"", FinalKind::ok));
  QFTP_TRY(auto busy, urc("+QFTPGET"));
  EXPECT_EQ(busy.value, "-3") << "AT+QFTPGET while AT+QFTPPATH works";
  QFTP_TRY(auto path, urc("+QFTPPATH", urc_timeout() + Ms(hold_ms())));
  EXPECT_EQ(path.value, "0") << "the path change was ended by the refused download";
}

QFTP_CASE(S3_ErrorCodes, Minus4WhenTheDomainNameCannotBeResolved, "3/-4") {
  QFTP_REQUIRE_PICS(suite().has_network_control(),
                    "needs the emulator's network control (DNS FAIL) to fail a resolvable name");
  if (!pixit().fixture_domain_name)
    QFTP_INCONCLUSIVE("the PIXIT names no domain name of the fixture");
  QFTP_DO(network("DNS FAIL"));
  QFTP_DO(at_expect("AT+QFTPOPEN=\"" + *pixit().fixture_domain_name + "\"," +
                        std::to_string(ftp_port()),
                    FinalKind::ok));
  QFTP_DO(expect_urc("+QFTPOPEN", "-4", urc_timeout()));
  QFTP_TRY(auto state, stat());
  EXPECT_TRUE(state == "IDLE" || state == "CLOSED") << "after the failed open: " << state;
}

QFTP_CASE(S3_ErrorCodes, Minus7WhenTheDataConnectionClosesAtOnce, "3/-7") {
  // The server closes the data connection before it takes a byte and says 226, while the host
  // still owes 8 of its 10 bytes: the data connection ended early. <time> (R/41), 2 s, ends the
  // input.
  QFTP_TRY(auto v, put_with("CUT STOR 0 226", "01", 2));
  EXPECT_EQ(v, "-7");
}

QFTP_CASE(S3_ErrorCodes, Minus8WhenTheContextIsDeactivatedAfterATransfer, "R/29") {
  QFTP_REQUIRE_PICS(pics().context_commands, "PICS: no AT+QIDEACT");
  QFTP_SETUP(open_session());
  QFTP_SETUP(server_file("ctx2.bin", test_content("c2", 300)));
  QFTP_SETUP_TRY(auto got, get_com("ctx2.bin", 300));
  static_cast<void>(got);
  QFTP_DO(at_expect("AT+QIDEACT", FinalKind::deact_ok, transfer_timeout()));
  QFTP_DO(expect_urc("+QFTPERROR", "-8"));
}

QFTP_CASE(S3_ErrorCodes, Minus9WhenTheServerDoesNotAnswerAPathChange, "3/-9") {
  if (!pixit().dut_reply_timeout_ms)
    QFTP_INCONCLUSIVE("the PIXIT does not declare the DUT's FTP reply timeout");
  const auto delay = *pixit().dut_reply_timeout_ms + 1000;
  QFTP_SETUP(open_session());
  QFTP_DO(fault("DELAY CWD " + std::to_string(delay)));
  QFTP_DO(at_expect("AT+QFTPPATH=\"/\"", FinalKind::ok));
  QFTP_DO(expect_urc("+QFTPPATH", "-9", urc_timeout() + Ms(delay)));
}

QFTP_CASE(S3_ErrorCodes, Minus10ForALocalNameWithASlash, "3/-10") {
  QFTP_DO(at_expect("AT+QFTPCFG=4,\"/UFS/a/b.bin\"", FinalKind::ok));
  QFTP_DO(expect_urc("+QFTPCFG", "-10"));
  QFTP_TRY(auto f, query_cfg(4));
  EXPECT_EQ(f.value, "\"/COM/\"") << "the refused position was kept";
}

QFTP_CASE(S3_ErrorCodes, Minus11ForAMissingNamedLocalFile, "3/-11") {
  QFTP_REQUIRE_PICS(pics().has_ufs, "PICS: no /UFS/");
  QFTP_SETUP(open_session());
  QFTP_SETUP(set_cfg(4, "\"/UFS/absent-named.bin\""));
  QFTP_DO(at_expect("AT+QFTPPUT=\"remote.bin\",0", FinalKind::ok));
  QFTP_DO(expect_urc("+QFTPPUT", "-11", transfer_timeout()));
  EXPECT_FALSE(server_has("remote.bin")) << "a file was stored for a missing local file";
}

QFTP_CASE(S3_ErrorCodes, Minus425WhenAnUploadsDataConnectionCannotOpen, "3/-425") {
  QFTP_TRY(auto v, put_with("NODATACONN 425"));
  EXPECT_EQ(v, "-425");
}

QFTP_CASE(S3_ErrorCodes, Minus450WhenTheServerCannotTakeTheFile, "3/-450") {
  QFTP_TRY(auto v, put_with("REPLY STOR 450"));
  EXPECT_EQ(v, "-450");
}

QFTP_CASE(S3_ErrorCodes, Minus452AfterEveryByteOfAStoredUpload, "3/-452") {
  QFTP_REQUIRE_PICS(pics().has_ufs, "PICS: no /UFS/");
  QFTP_TRY(auto v, put_stored_with("FINAL STOR 452"));
  EXPECT_EQ(v, "-452") << "the server stored every byte, then answered 452";
}

QFTP_CASE(S3_ErrorCodes, Minus500ForASyntaxErrorToRetr, "3/-500") {
  QFTP_TRY(auto v, get_with("REPLY RETR 500"));
  EXPECT_EQ(v, "-500");
}

QFTP_CASE(S3_ErrorCodes, Minus501ForAParameterErrorToStor, "3/-501") {
  QFTP_TRY(auto v, put_with("REPLY STOR 501"));
  EXPECT_EQ(v, "-501");
}

QFTP_CASE(S3_ErrorCodes, Minus502ForAnUnimplementedStor, "3/-502") {
  QFTP_TRY(auto v, put_with("REPLY STOR 502"));
  EXPECT_EQ(v, "-502");
}

QFTP_CASE(S3_ErrorCodes, Minus530WhenTheUserIsRefused, "3/-530") {
  QFTP_TRY(auto v, open_with("REPLY USER 530"));
  EXPECT_EQ(v, "-530");
}

QFTP_CASE(S3_ErrorCodes, Minus532WhenStoringNeedsAnAccount, "3/-532") {
  QFTP_TRY(auto v, put_with("REPLY STOR 532"));
  EXPECT_EQ(v, "-532");
}

QFTP_CASE(S3_ErrorCodes, Minus550WhenTheServerRefusesTheUpload, "3/-550") {
  QFTP_TRY(auto v, put_with("REPLY STOR 550"));
  EXPECT_EQ(v, "-550");
}

QFTP_CASE(S3_ErrorCodes, Minus551WhenAnUploadIsStopped, "3/-551") {
  QFTP_TRY(auto v, put_with("REPLY STOR 551"));
  EXPECT_EQ(v, "-551");
}

QFTP_CASE(S3_ErrorCodes, Minus553ForADownloadNameNotAllowed, "3/-553") {
  QFTP_TRY(auto v, get_with("REPLY RETR 553"));
  EXPECT_EQ(v, "-553");
}

}  // namespace
}  // namespace qftp::harness
