// v250_basics_test.cpp: the V.250 behaviour the FTP commands rely on (docs/field-facts.md §1, §2):
// echo, framing, the 256-character line, numeric and quiet results, terminators, junk, A/, several
// commands per line, AT&F, identity, the context commands of spec 4.1/4.5, backspace, and ERROR for
// a basic command given what it does not take or a line with a syntax error.
#include <cstddef>
#include <utility>

#include "harness/qftp_case.h"

namespace qftp::harness {
namespace {

using V250_Basics = QftpCase;

QFTP_CASE(V250_Basics, EchoIsOnByDefaultAndAte0StopsIt, "V/01") {
  QFTP_TRY(auto on, at_expect("AT", FinalKind::ok));
  EXPECT_TRUE(on.echoed) << "after AT&F (echo on) the command line was not echoed";
  QFTP_DO(at_expect("ATE0", FinalKind::ok));
  QFTP_TRY(auto off, at_expect("AT", FinalKind::ok));
  EXPECT_FALSE(off.echoed) << "after ATE0 the command line was echoed";
  QFTP_DO(at_expect("ATE1", FinalKind::ok));
}

QFTP_CASE(V250_Basics, ResponsesAndUrcsAreFramedWithCrLf, "V/02") {
  QFTP_TRY(auto r, at_expect("AT+QFTPSTAT", FinalKind::ok));
  ASSERT_FALSE(r.info.empty());
  EXPECT_TRUE(r.info[0].framed) << "information text is not <CR><LF>text<CR><LF>";
  EXPECT_TRUE(r.final_framed) << "the final result is not <CR><LF>OK<CR><LF>";
  QFTP_DO(at_expect("AT+QFTPCFG=1", FinalKind::ok));
  QFTP_TRY(auto f, urc("+QFTPCFG"));
  EXPECT_TRUE(f.line.framed) << "the URC \"" << f.line.text << "\" is not <CR><LF>text<CR><LF>";
}

QFTP_CASE(V250_Basics, LinesOf256RunAndLongerOnesAreRefused, "V/03") {
  // The command first, spaces (ignored by V.250) after it: a DUT that runs what fitted of a long
  // line shows it by answering the command.
  const std::string head = "AT+QFTPLEN";
  QFTP_TRY(auto ok, at(head + std::string(256 - head.size(), ' ')));
  EXPECT_TRUE(ok.is(FinalKind::ok)) << "a 256-character line answered " << ok.describe();
  EXPECT_EQ(ok.info.size(), 1U) << "a 256-character line did not run";
  QFTP_TRY(auto refused, at(head + std::string(257 - head.size(), ' ')));
  EXPECT_TRUE(refused.is(FinalKind::error))
      << "a 257-character line answered " << refused.describe();
  EXPECT_TRUE(refused.info.empty()) << "a 257-character line was executed: " << refused.describe();
}

QFTP_CASE(V250_Basics, Atv0GivesNumericResultCodes, "V/04") {
  QFTP_REQUIRE_PICS(pics().numeric_results, "PICS: no numeric result codes");
  QFTP_DO(at_expect("ATE0", FinalKind::ok));
  QFTP_DO(send_raw("ATV0\r"));
  // Numeric from here: "0<CR>" has no <LF> to wait for.
  te().set_numeric(true);
  QFTP_TRY(auto answer, next_line());
  if (answer.text != "0") te().set_numeric(false);
  ASSERT_EQ(answer.text, "0") << "ATV0 must answer with the numeric OK";
  QFTP_TRY(auto info, at("AT+QFTPSTAT"));
  EXPECT_EQ(info.final.text, "0");
  ASSERT_EQ(info.info.size(), 1U) << info.describe();
  EXPECT_FALSE(info.info[0].framed) << "under ATV0 information text has no leading <CR><LF>";
  QFTP_TRY(auto error, at("AT+NOPE"));
  EXPECT_EQ(error.final.text, "4");
  QFTP_DO(send_raw("ATV1\r"));
  te().set_numeric(false);
  QFTP_DO(await_text("OK", command_timeout()));
}

QFTP_CASE(V250_Basics, Atq1SuppressesResultCodesNotText, "V/05") {
  QFTP_DO(at_expect("ATE0", FinalKind::ok));
  QFTP_DO(send_raw("ATQ1\rAT+QFTPSTAT\rATQ0\r"));
  // Whatever comes before the OK of ATQ0 is what ATQ1 let through.
  std::vector<std::string> lines;
  for (;;) {
    // Read in place rather than through QFTP_TRY's move: g++ 12 at -O2 mistakes the moved-from
    // string in a loop for an uninitialised one (-Wmaybe-uninitialized).
    auto next = next_line();
    if (!next.ok()) return this->stop(next.outcome(), __FILE__, __LINE__);
    if (next.value().text == "OK") break;
    lines.push_back(next.value().text);
  }
  ASSERT_EQ(lines.size(), 1U) << "ATQ1 let through " << lines.size()
                              << " lines (or an OK came early)";
  EXPECT_EQ(lines[0].rfind("+QFTPSTAT", 0), 0U) << "the information text of AT+QFTPSTAT under ATQ1";
  QFTP_DO(expect_quiet("ATQ0"));
}

QFTP_CASE(V250_Basics, LfAndCrLfEndALineToo, "V/06") {
  QFTP_DO(send_raw("AT\n"));
  QFTP_TRY(auto lf, response_to("AT"));
  EXPECT_TRUE(lf.is(FinalKind::ok)) << "AT<LF> answered " << lf.describe();
  QFTP_DO(send_raw("AT\r\n"));
  QFTP_TRY(auto crlf, response_to("AT"));
  EXPECT_TRUE(crlf.is(FinalKind::ok)) << "AT<CR><LF> answered " << crlf.describe();
  QFTP_DO(expect_quiet("AT<CR><LF>"));
}

QFTP_CASE(V250_Basics, JunkBeforeAtIsIgnored, "V/07") {
  QFTP_DO(at_expect("ATE0", FinalKind::ok));
  QFTP_DO(send_raw(" \x1b\r\nAT\r"));
  QFTP_TRY(auto r, response_to("AT"));
  EXPECT_TRUE(r.is(FinalKind::ok)) << "junk then AT answered " << r.describe();
  QFTP_DO(expect_quiet("junk then AT"));
  // An A not followed by T is junk too, and the next A may begin the prefix (V.250 §5.2.1).
  for (const char* junk : {"AAT", "AXAT", "aAT"}) {
    QFTP_DO(send_raw(std::string(junk) + "\r"));
    QFTP_TRY(auto again, response_to("AT"));
    EXPECT_TRUE(again.is(FinalKind::ok)) << junk << " answered " << again.describe();
  }
  QFTP_DO(expect_quiet("AAT, AXAT and aAT"));
}

QFTP_CASE(V250_Basics, ASlashRepeatsTheLastLine, "V/08") {
  QFTP_TRY(auto first, at_expect("AT+QFTPSTAT", FinalKind::ok));
  QFTP_DO(send_raw("A/"));
  QFTP_TRY(auto again, response_to("A/"));
  EXPECT_TRUE(again.is(FinalKind::ok)) << "A/ answered " << again.describe();
  ASSERT_EQ(again.info.size(), first.info.size()) << again.describe();
  for (std::size_t i = 0; i < first.info.size(); ++i) {
    EXPECT_EQ(again.info[i].text, first.info[i].text) << "line " << i;
  }
}

QFTP_CASE(V250_Basics, SeveralCommandsShareALine, "V/09") {
  QFTP_TRY(auto both, at_expect("AT+QFTPSTAT;+QFTPLEN", FinalKind::ok));
  EXPECT_EQ(both.info.size(), 2U) << both.describe();
  QFTP_TRY(auto stopped, at("AT+QFTPSTAT;+NOPE;+QFTPLEN"));
  EXPECT_TRUE(stopped.is(FinalKind::error)) << stopped.describe();
  EXPECT_EQ(stopped.info.size(), 1U) << "the commands after the error ran: " << stopped.describe();
}

QFTP_CASE(V250_Basics, AtAndFRestoresTheDefaults, "V/10", "V/15") {
  QFTP_DO(at_expect("ATE0", FinalKind::ok));
  QFTP_DO(at_expect("ATS5=20", FinalKind::ok));
  QFTP_TRY(auto off, at_expect("AT", FinalKind::ok));
  EXPECT_FALSE(off.echoed);
  QFTP_DO(send_raw("AT&F\r"));
  QFTP_DO(await_text("OK", command_timeout()));
  QFTP_TRY(auto on, at_expect("AT", FinalKind::ok));
  {
    QFTP_CHECKS("V/10");
    EXPECT_TRUE(on.echoed) << "AT&F did not restore the echo";
  }
  // S5 is a factory setting too (docs/field-facts.md §1): 008 again, as three digits.
  QFTP_TRY(auto s5, at_expect("ATS5?", FinalKind::ok));
  QFTP_CHECKS("V/10", "V/15");
  ASSERT_EQ(s5.info.size(), 1u) << "ATS5? answered " << s5.describe();
  EXPECT_EQ(s5.info[0].text, "008") << "S5 after ATS5=20 and AT&F";
}

QFTP_CASE(V250_Basics, IdentityCommandsAnswer, "V/11") {
  for (const char* line : {"ATI", "AT+GMR", "AT+GSN"}) {
    QFTP_TRY(auto r, at_expect(line, FinalKind::ok));
    EXPECT_FALSE(r.info.empty()) << line << " gave no identity";
  }
}

QFTP_CASE(V250_Basics, ContextCommandsOfTheExamples, "V/12") {
  QFTP_REQUIRE_PICS(pics().context_commands, "PICS: no context commands");
  QFTP_DO(at_expect("AT+QIFGCNT=0", FinalKind::ok));
  QFTP_DO(at_expect("AT+QICSGP=1,\"" + pixit().apn + "\"", FinalKind::ok));
  QFTP_DO(at_expect("AT+QIDEACT", FinalKind::deact_ok, transfer_timeout()));
}

QFTP_CASE(V250_Basics, BackspaceEditsTheLine, "V/13") {
  QFTP_DO(send_raw("ATX\x08\r"));
  QFTP_TRY(auto r, response_to("ATX\x08"));
  EXPECT_TRUE(r.is(FinalKind::ok)) << "ATX<BS> (that is, AT) answered " << r.describe();
}

// V/15: S-registers read as three digits with their factory values; a register number with
// leading zeros names the same register; S3 and S4 take the values they have (any other would
// change the line ends under the suite), S5 takes a value and gives it back.
QFTP_CASE(V250_Basics, SRegistersReadAsThreeDigitsAndS5TakesAValue, "V/15", "V/13") {
  QFTP_CHECKS("V/15");
  for (const auto& [line, value] : {std::pair{"ATS3?", "013"}, std::pair{"ATS4?", "010"},
                                    std::pair{"ATS5?", "008"}, std::pair{"ATS03?", "013"},
                                    std::pair{"ATS005?", "008"}}) {
    QFTP_TRY(auto r, at_expect(line, FinalKind::ok));
    ASSERT_EQ(r.info.size(), 1u) << line << " answered " << r.describe();
    EXPECT_EQ(r.info[0].text, value) << line;
  }
  QFTP_DO(at_expect("ATS3=13", FinalKind::ok));
  QFTP_DO(at_expect("ATS4=10", FinalKind::ok));
  QFTP_DO(at_expect("ATS5=127", FinalKind::ok));
  QFTP_TRY(auto set, at_expect("ATS5?", FinalKind::ok));
  ASSERT_EQ(set.info.size(), 1u) << "ATS5? answered " << set.describe();
  EXPECT_EQ(set.info[0].text, "127") << "ATS5 after ATS5=127";
  QFTP_DO(expect_error("ATS5=128"));  // V.250 6.2.3: 0-127
  QFTP_TRY(auto kept, at_expect("ATS5?", FinalKind::ok));
  ASSERT_EQ(kept.info.size(), 1u) << "ATS5? answered " << kept.describe();
  EXPECT_EQ(kept.info[0].text, "127") << "ATS5 after the refused ATS5=128";
  QFTP_DO(at_expect("ATS5=8", FinalKind::ok));
  QFTP_CHECKS("V/13");  // the backspace is S5's value again
  QFTP_DO(send_raw("ATX\x08\r"));
  QFTP_TRY(auto r, response_to("ATX\x08"));
  EXPECT_TRUE(r.is(FinalKind::ok)) << "ATX<BS> after ATS5=8 answered " << r.describe();
}

// V/16: a modem that counts its errors and restarts after a few says RDY (or Call Ready) between
// them and forgets what was set: the user name here.
QFTP_CASE(V250_Basics, ARunOfErrorsChangesNothing, "V/16") {
  QFTP_DO(at_expect("AT+QFTPUSER=\"run-user\"", FinalKind::ok));
  // In a row: expect_error's AT between them would end the run.
  for (int i = 0; i < 8; ++i) QFTP_DO(at_expect("AT+QFTPNOSUCH", FinalKind::error));
  QFTP_DO(expect_quiet("eight command lines answered ERROR"));
  QFTP_TRY(auto r, at_expect("AT+QFTPUSER?", FinalKind::ok));
  QFTP_TRY(auto user, info_field(r, "+QFTPUSER"));
  EXPECT_EQ(user.value, "\"run-user\"") << "the user name set before the errors";
}

// V/14: ATO would answer NO CARRIER and AT+QIDEACT DEACT OK, hiding the error of the line.
QFTP_CASE(V250_Basics, SyntaxErrorsAndSuffixesNotTakenAnswerError, "V/14") {
  for (const char* line : {"ATO-1", "ATO?", "ATO=1", "ATO;?", "ATO1", "ATV0?", "ATV2", "ATV0;?"}) {
    QFTP_DO(expect_error(line));
  }
  // Whether the commands before a syntax error ran is recorded, not judged: the reference modem
  // runs none (docs/rulings.md, V/14); plain V.250 runs them and still ends the line with ERROR.
  QFTP_TRY(auto verbose, at_expect("AT", FinalKind::ok));
  if (verbose.final.text != "OK") {
    note("V/14, alternative reading: ATV0;? ran ATV0 before its syntax error");
    QFTP_DO(at_expect("ATV1", FinalKind::ok));
  }
  QFTP_REQUIRE_PICS(pics().context_commands, "PICS: no context commands");
  for (const char* line : {"AT+QIDEACT?", "AT+QIDEACT=1"}) QFTP_DO(expect_error(line));
  // The line's one final result is ERROR, never DEACT OK; whether the session survives is noted.
  QFTP_SETUP(open_session());
  QFTP_DO(expect_error("AT+QIDEACT;?"));
  QFTP_TRY(auto state, stat());
  if (state != "OPENED") {
    note("V/14, alternative reading: AT+QIDEACT;? deactivated the context before its syntax "
         "error (AT+QFTPSTAT: " + state + ")");
  }
}

}  // namespace
}  // namespace qftp::harness
