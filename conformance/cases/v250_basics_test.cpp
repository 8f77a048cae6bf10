// v250_basics_test.cpp: the V.250 behaviour the FTP commands rely on (docs/field-facts.md §1, §2):
// echo, framing, the 256-character line, numeric and quiet results, terminators, junk, A/, several
// commands per line, AT&F, identity, the rate AT+IPR? reads, the context commands of spec 4.1/4.5,
// backspace, control characters inside a line, and ERROR for a basic command given what it does
// not take or a line with a syntax error.
#include <algorithm>
#include <cstddef>
#include <string>
#include <utility>
#include <vector>

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
  // V.250 §6.2.6 (V0): <numeric code><CR>, no <LF>; information text is text<CR><LF>.
  EXPECT_EQ(answer.end, LineEnd::cr) << "ATV0's numeric OK ended in " << line_end_name(answer.end);
  QFTP_TRY(auto info, at("AT+QFTPSTAT"));
  EXPECT_EQ(info.final.text, "0");
  EXPECT_EQ(info.final_end, LineEnd::cr)
      << "the numeric OK ended in " << line_end_name(info.final_end);
  ASSERT_EQ(info.info.size(), 1U) << info.describe();
  EXPECT_FALSE(info.info[0].framed) << "under ATV0 information text has no leading <CR><LF>";
  EXPECT_EQ(info.info[0].end, LineEnd::crlf)
      << "information text under ATV0 ended in " << line_end_name(info.info[0].end);
  QFTP_TRY(auto error, at("AT+NOPE"));
  EXPECT_EQ(error.final.text, "4");
  EXPECT_EQ(error.final_end, LineEnd::cr)
      << "the numeric ERROR ended in " << line_end_name(error.final_end);
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

// V/17: the rate AT+IPR? reads is one AT+IPR=? lists (every number of its lines), or 0 (autobaud).
QFTP_CASE(V250_Basics, TheRateReadIsOneTheModuleLists, "V/17") {
  QFTP_TRY(auto listed, at_expect("AT+IPR=?", FinalKind::ok));
  QFTP_TRY(auto rates, info_field(listed, "+IPR"));
  std::vector<std::string> numbers;
  std::string digits;
  for (const char ch : rates.value + ",") {
    if (ch >= '0' && ch <= '9') {
      digits += ch;
    } else if (!digits.empty()) {
      numbers.push_back(digits);
      digits.clear();
    }
  }
  QFTP_TRY(auto read, at_expect("AT+IPR?", FinalKind::ok));
  QFTP_TRY(auto rate, info_field(read, "+IPR"));
  EXPECT_TRUE(rate.value == "0" ||
              std::find(numbers.begin(), numbers.end(), rate.value) != numbers.end())
      << "AT+IPR? reads " << rate.value << ", which AT+IPR=? (" << rates.value << ") does not list";
}

// V/17 in an open FTP session: the module still runs at the rate it read before, and says so.
QFTP_CASE(V250_Basics, TheRateReadStaysInAnOpenSession, "V/17") {
  QFTP_TRY(auto before, at_expect("AT+IPR?", FinalKind::ok));
  QFTP_TRY(auto idle, info_field(before, "+IPR"));
  QFTP_SETUP(open_session());
  QFTP_TRY(auto during, at_expect("AT+IPR?", FinalKind::ok));
  QFTP_TRY(auto open, info_field(during, "+IPR"));
  EXPECT_EQ(open.value, idle.value) << "AT+IPR? in an open session";
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

// V/16 again, with a session open: a modem that restarts after a run of errors drops the session
// with everything else; the run must leave it OPENED.
QFTP_CASE(V250_Basics, ARunOfErrorsLeavesTheSessionOpen, "V/16") {
  QFTP_SETUP(open_session());
  for (int i = 0; i < 8; ++i) {
    QFTP_DO(at_expect("AT+QNOSUCH" + std::to_string(i), FinalKind::error));
  }
  QFTP_DO(expect_quiet("eight command lines answered ERROR with a session open"));
  QFTP_TRY(auto state, stat());
  EXPECT_EQ(state, "OPENED") << "the session after the run of errors";
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

// Second paths to the V.250 basics: each requirement checked again through another command, another
// state of the service or another parameter.

QFTP_CASE(V250_Basics, Ate1TurnsTheEchoBackOn, "V/01") {
  QFTP_DO(at_expect("ATE0", FinalKind::ok));
  QFTP_TRY(auto off, at_expect("AT+QFTPSTAT", FinalKind::ok));
  EXPECT_FALSE(off.echoed) << "after ATE0 AT+QFTPSTAT was echoed";
  QFTP_DO(at_expect("ATE1", FinalKind::ok));
  QFTP_TRY(auto on, at_expect("AT+QFTPSTAT", FinalKind::ok));
  EXPECT_TRUE(on.echoed) << "after ATE1 AT+QFTPSTAT was not echoed";
}

QFTP_CASE(V250_Basics, UrcsOfASessionAreFramedWithCrLf, "V/02") {
  QFTP_DO(at_expect("AT+QFTPUSER=\"" + pixit().user + "\"", FinalKind::ok));
  QFTP_DO(at_expect("AT+QFTPPASS=\"" + pixit().password + "\"", FinalKind::ok));
  QFTP_TRY(auto ok, at_expect(open_command(), FinalKind::ok));
  EXPECT_TRUE(ok.final_framed) << "the OK of AT+QFTPOPEN is not <CR><LF>OK<CR><LF>";
  QFTP_TRY(auto opened, urc("+QFTPOPEN"));
  EXPECT_TRUE(opened.line.framed) << "the URC \"" << opened.line.text << "\" is not framed";
  QFTP_TRY(auto read, at_expect("AT+QFTPOPEN?", FinalKind::ok));
  ASSERT_FALSE(read.info.empty()) << read.describe();
  EXPECT_TRUE(read.info[0].framed) << "the read form's information text is not framed";
  QFTP_DO(at_expect("AT+QFTPCLOSE", FinalKind::ok));
  QFTP_TRY(auto closed, urc("+QFTPCLOSE"));
  EXPECT_TRUE(closed.line.framed) << "the URC \"" << closed.line.text << "\" is not framed";
}

QFTP_CASE(V250_Basics, A256CharacterWriteRunsAnd257DoNot, "V/03") {
  // A write with a URC, padded with spaces: the URC shows whether the line ran.
  const std::string head = "AT+QFTPCFG=1,1";
  QFTP_TRY(auto ok, at(head + std::string(256 - head.size(), ' ')));
  EXPECT_TRUE(ok.is(FinalKind::ok)) << "a 256-character line answered " << ok.describe();
  QFTP_DO(expect_urc("+QFTPCFG", "0"));
  QFTP_TRY(auto refused, at(head + std::string(257 - head.size(), ' ')));
  EXPECT_TRUE(refused.is(FinalKind::error))
      << "a 257-character line answered " << refused.describe();
  QFTP_DO(expect_quiet("a 257-character AT+QFTPCFG line"));
}

QFTP_CASE(V250_Basics, Atv0NumbersTheResultsOfWrites, "V/04") {
  QFTP_REQUIRE_PICS(pics().numeric_results, "PICS: no numeric result codes");
  QFTP_DO(at_expect("ATE0", FinalKind::ok));
  QFTP_DO(send_raw("ATV0\r"));
  te().set_numeric(true);
  QFTP_TRY(auto answer, next_line());
  if (answer.text != "0") te().set_numeric(false);
  ASSERT_EQ(answer.text, "0") << "ATV0 must answer with the numeric OK";
  QFTP_TRY(auto write, at("AT+QFTPUSER=\"numeric\""));
  EXPECT_EQ(write.final.text, "0") << "a write's OK under ATV0";
  EXPECT_EQ(write.final_end, LineEnd::cr)
      << "a write's numeric OK ended in " << line_end_name(write.final_end);
  QFTP_TRY(auto refused, at("AT+QFTPUSER=numeric"));
  EXPECT_EQ(refused.final.text, "4") << "a write's ERROR under ATV0";
  EXPECT_EQ(refused.final_end, LineEnd::cr)
      << "a write's numeric ERROR ended in " << line_end_name(refused.final_end);
  QFTP_DO(send_raw("ATV1\r"));
  te().set_numeric(false);
  QFTP_DO(await_text("OK", command_timeout()));
  QFTP_TRY(auto verbose, at_expect("AT+QFTPUSER?", FinalKind::ok));
  EXPECT_EQ(verbose.final.text, "OK") << "ATV1 did not restore text results";
}

QFTP_CASE(V250_Basics, Atq1SuppressesErrorToo, "V/05") {
  QFTP_DO(at_expect("ATE0", FinalKind::ok));
  QFTP_DO(send_raw("ATQ1\rAT+NOPE\rAT+QFTPLEN\rATQ0\r"));
  std::vector<std::string> lines;
  for (;;) {
    auto next = next_line();
    if (!next.ok()) return this->stop(next.outcome(), __FILE__, __LINE__);
    if (next.value().text == "OK") break;
    lines.push_back(next.value().text);
  }
  ASSERT_EQ(lines.size(), 1U) << "ATQ1 let through " << lines.size()
                              << " lines (an ERROR, or an OK came early)";
  EXPECT_EQ(lines[0].rfind("+QFTPLEN", 0), 0U) << "the information text of AT+QFTPLEN under ATQ1";
  QFTP_DO(expect_quiet("ATQ0"));
}

QFTP_CASE(V250_Basics, LfEndsALineWithInformationText, "V/06") {
  QFTP_DO(send_raw("AT+QFTPSTAT\n"));
  QFTP_TRY(auto lf, response_to("AT+QFTPSTAT"));
  EXPECT_TRUE(lf.is(FinalKind::ok)) << "AT+QFTPSTAT<LF> answered " << lf.describe();
  EXPECT_EQ(lf.info.size(), 1U) << "AT+QFTPSTAT<LF> did not run: " << lf.describe();
  QFTP_DO(send_raw("AT+QFTPLEN\r\n"));
  QFTP_TRY(auto crlf, response_to("AT+QFTPLEN"));
  EXPECT_EQ(crlf.info.size(), 1U) << "AT+QFTPLEN<CR><LF> did not run: " << crlf.describe();
  QFTP_DO(expect_quiet("AT+QFTPLEN<CR><LF>"));
}

QFTP_CASE(V250_Basics, JunkBeforeAnFtpCommandIsIgnored, "V/07") {
  QFTP_DO(at_expect("ATE0", FinalKind::ok));
  QFTP_DO(send_raw("\x1b \r\nAAXAT+QFTPSTAT\r"));
  QFTP_TRY(auto r, response_to("AT+QFTPSTAT"));
  EXPECT_TRUE(r.is(FinalKind::ok)) << "junk then AT+QFTPSTAT answered " << r.describe();
  EXPECT_EQ(r.info.size(), 1U) << "junk then AT+QFTPSTAT did not run: " << r.describe();
  QFTP_DO(expect_quiet("junk then AT+QFTPSTAT"));
}

QFTP_CASE(V250_Basics, ASlashRepeatsAWriteWithItsUrc, "V/08") {
  QFTP_DO(at_expect("AT+QFTPCFG=1,1", FinalKind::ok));
  QFTP_DO(expect_urc("+QFTPCFG", "0"));
  QFTP_DO(send_raw("A/"));
  QFTP_TRY(auto again, response_to("A/"));
  EXPECT_TRUE(again.is(FinalKind::ok)) << "A/ answered " << again.describe();
  QFTP_DO(expect_urc("+QFTPCFG", "0"));
  QFTP_TRY(auto f, query_cfg(1));
  EXPECT_EQ(f.value, "1") << "the repeated AT+QFTPCFG=1,1";
}

QFTP_CASE(V250_Basics, AWriteAndAReadShareALine, "V/09") {
  QFTP_TRY(auto both, at_expect("AT+QFTPUSER=\"shared\";+QFTPUSER?", FinalKind::ok));
  QFTP_TRY(auto f, info_field(both, "+QFTPUSER"));
  EXPECT_EQ(f.value, "\"shared\"") << "the read after the write on one line";
  QFTP_TRY(auto stopped, at("AT+QFTPUSER=\"first\";+QFTPUSER=bad;+QFTPUSER=\"third\""));
  EXPECT_TRUE(stopped.is(FinalKind::error)) << stopped.describe();
  QFTP_TRY(auto r, at_expect("AT+QFTPUSER?", FinalKind::ok));
  QFTP_TRY(auto g, info_field(r, "+QFTPUSER"));
  // Whether the command before the malformed one ran is V/14's open question; the one after it
  // must not have run.
  EXPECT_NE(g.value, "\"third\"") << "the line did not stop at its first error";
  EXPECT_TRUE(g.value == "\"first\"" || g.value == "\"shared\"") << "AT+QFTPUSER? gave " << g.value;
}

QFTP_CASE(V250_Basics, IdentityCommandsAnswerTheSameInAnOpenSession, "V/11") {
  std::vector<Response> idle;
  for (const char* line : {"ATI", "AT+GMR", "AT+GSN"}) {
    QFTP_TRY(auto r, at_expect(line, FinalKind::ok));
    idle.push_back(r);
  }
  QFTP_SETUP(open_session());
  std::size_t i = 0;
  for (const char* line : {"ATI", "AT+GMR", "AT+GSN"}) {
    QFTP_TRY(auto r, at_expect(line, FinalKind::ok));
    EXPECT_FALSE(r.info.empty()) << line << " gave no identity in an open session";
    ASSERT_EQ(r.info.size(), idle[i].info.size()) << line << ": " << r.describe();
    for (std::size_t k = 0; k < r.info.size(); ++k)
      EXPECT_EQ(r.info[k].text, idle[i].info[k].text) << line << " line " << k;
    ++i;
  }
}

// R/43: the read forms of the context commands give back what was written (V.250: a read command
// reports the current value). Only the values are compared, not the spacing (ruling 2).
// V/11 through the 3GPP TS 27.007 forms hosts send as well: AT+CGMR and AT+CGSN answer the text
// AT+GMR and AT+GSN answer.
QFTP_CASE(V250_Basics, The27007IdentityFormsAnswerAsTheV250Ones, "V/11") {
  for (const auto& [v250, ts27007] :
       {std::pair{"AT+GMR", "AT+CGMR"}, std::pair{"AT+GSN", "AT+CGSN"}}) {
    QFTP_TRY(auto a, at_expect(v250, FinalKind::ok));
    QFTP_TRY(auto b, at_expect(ts27007, FinalKind::ok));
    ASSERT_EQ(b.info.size(), a.info.size()) << ts27007 << ": " << b.describe();
    for (std::size_t k = 0; k < a.info.size(); ++k)
      EXPECT_EQ(b.info[k].text, a.info[k].text) << ts27007 << " line " << k << " against " << v250;
  }
}

// V/12 as the drivers of docs/field-facts.md send it: the context is deactivated, set, the
// application registered (AT+QIREGAPP) and the context activated (AT+QIACT), each answered OK,
// then deactivated again (DEACT OK).
QFTP_CASE(V250_Basics, TheDriversContextSequenceAnswersOk, "V/12") {
  QFTP_REQUIRE_PICS(pics().context_commands, "PICS: no context commands");
  QFTP_DO(at_expect("AT+QIDEACT", FinalKind::deact_ok, transfer_timeout()));
  QFTP_DO(at_expect("AT+QIFGCNT=0", FinalKind::ok));
  QFTP_DO(at_expect("AT+QICSGP=1,\"" + pixit().apn + "\"", FinalKind::ok));
  QFTP_DO(at_expect("AT+QIREGAPP", FinalKind::ok, transfer_timeout()));
  QFTP_DO(at_expect("AT+QIACT", FinalKind::ok, transfer_timeout()));
  QFTP_DO(at_expect("AT+QIDEACT", FinalKind::deact_ok, transfer_timeout()));
}

QFTP_CASE(V250_Basics, ContextSettingsReadBackAsWritten, "V/12", "R/43") {
  QFTP_REQUIRE_PICS(pics().context_commands, "PICS: no context commands");
  for (const char* id : {"1", "0"}) {
    {
      QFTP_CHECKS("V/12");
      QFTP_DO(at_expect(std::string("AT+QIFGCNT=") + id, FinalKind::ok));
    }
    QFTP_CHECKS("R/43");
    QFTP_TRY(auto r, at_expect("AT+QIFGCNT?", FinalKind::ok));
    QFTP_TRY(auto f, info_field(r, "+QIFGCNT"));
    EXPECT_EQ(f.value.substr(0, f.value.find(',')), id) << "AT+QIFGCNT? after AT+QIFGCNT=" << id;
  }
  const std::string apn = pixit().apn + "-b";
  {
    QFTP_CHECKS("V/12");
    QFTP_DO(at_expect("AT+QICSGP=1,\"" + apn + "\"", FinalKind::ok));
  }
  QFTP_CHECKS("R/43");
  QFTP_TRY(auto r, at_expect("AT+QICSGP?", FinalKind::ok));
  QFTP_TRY(auto f, info_field(r, "+QICSGP"));
  EXPECT_EQ(f.value.substr(0, f.value.find(',')), "1") << "the mode of AT+QICSGP=1,\"" << apn << "\"";
  EXPECT_NE(f.value.find("\"" + apn + "\""), std::string::npos) << "the APN in " << f.value;
}

QFTP_CASE(V250_Basics, ContextSettingsOfTheDriversReadBack, "R/43") {
  QFTP_REQUIRE_PICS(pics().context_commands, "PICS: no context commands");
  // Mode 0 (CSD) and back: the mode read is the one written, not a default.
  QFTP_DO(at_expect("AT+QICSGP=0,\"" + pixit().apn + "\"", FinalKind::ok));
  QFTP_TRY(auto csd, at_expect("AT+QICSGP?", FinalKind::ok));
  QFTP_TRY(auto mode0, info_field(csd, "+QICSGP"));
  EXPECT_EQ(mode0.value.substr(0, mode0.value.find(',')), "0") << "the mode of AT+QICSGP=0,...";
  // The drivers' form (docs/field-facts.md §8): mode, APN, user and password; then the foreground
  // context given again.
  QFTP_DO(at_expect("AT+QICSGP=1,\"" + pixit().apn + "\",\"u\",\"p\"", FinalKind::ok));
  QFTP_DO(at_expect("AT+QIFGCNT=0", FinalKind::ok));
  QFTP_TRY(auto g, at_expect("AT+QIFGCNT?", FinalKind::ok));
  QFTP_TRY(auto id, info_field(g, "+QIFGCNT"));
  EXPECT_EQ(id.value.substr(0, id.value.find(',')), "0");
  QFTP_TRY(auto r, at_expect("AT+QICSGP?", FinalKind::ok));
  QFTP_TRY(auto f, info_field(r, "+QICSGP"));
  EXPECT_EQ(f.value.substr(0, f.value.find(',')), "1") << "the mode of AT+QICSGP=1,...";
  EXPECT_NE(f.value.find("\"" + pixit().apn + "\""), std::string::npos)
      << "the APN in " << f.value;
}

QFTP_CASE(V250_Basics, BasicCommandsRefuseFormsTheyDoNotTake, "V/14") {
  for (const char* line : {"ATE?", "ATE=1", "ATQ2", "ATE-1", "ATE0;?", "AT&F?"}) {
    QFTP_DO(expect_error(line));
  }
  QFTP_TRY(auto echoed, at_expect("AT", FinalKind::ok));
  if (!echoed.echoed) {
    note("V/14, alternative reading: ATE0;? ran ATE0 before its syntax error");
    QFTP_DO(at_expect("ATE1", FinalKind::ok));
  }
}

QFTP_CASE(V250_Basics, AtAndFRestoresVerboseResultsAndResultCodes, "V/10") {
  QFTP_REQUIRE_PICS(pics().numeric_results, "PICS: no numeric result codes");
  QFTP_DO(at_expect("ATE0", FinalKind::ok));
  // Quiet results first (no answer), then numeric ones; AT&F's own answer is read as it comes.
  QFTP_DO(send_raw("ATQ1\rATV0\rAT&F\r"));
  QFTP_TRY(auto answer, next_line(command_timeout()));
  EXPECT_EQ(answer.text, "OK") << "AT&F after ATQ1 and ATV0 answered " << answer.text;
  QFTP_TRY(auto r, at_expect("AT+QFTPLEN", FinalKind::ok));
  EXPECT_TRUE(r.echoed) << "AT&F did not restore the echo";
  EXPECT_TRUE(r.final_framed) << "AT&F did not restore verbose, framed result codes";
}

// V/18: V.250 ignores a control character inside a command line (other than S3, S5 and the <LF>
// of V/06): it is neither stored nor a terminator. Echo off, so that no echo of the ignored byte
// needs reading.
QFTP_CASE(V250_Basics, AControlCharacterInALineIsIgnored, "V/18") {
  QFTP_DO(at_expect("ATE0", FinalKind::ok));
  QFTP_DO(send_raw("AT\x07\r"));
  QFTP_TRY(auto bel, response_to("AT"));
  EXPECT_TRUE(bel.is(FinalKind::ok)) << "AT<BEL> answered " << bel.describe();
  QFTP_DO(send_raw("AT\x01\x02\x1f\r"));
  QFTP_TRY(auto run, response_to("AT"));
  EXPECT_TRUE(run.is(FinalKind::ok)) << "AT<SOH><STX><US> answered " << run.describe();
  EXPECT_TRUE(run.info.empty()) << "AT<SOH><STX><US> answered " << run.describe();
  QFTP_DO(expect_quiet("AT with control characters"));
}

QFTP_CASE(V250_Basics, AControlCharacterInsideAnFtpCommandIsIgnored, "V/18") {
  QFTP_DO(at_expect("ATE0", FinalKind::ok));
  QFTP_DO(send_raw("AT+QFTP\x01STAT\x07\r"));
  QFTP_TRY(auto r, response_to("AT+QFTPSTAT"));  // the command it runs: its answer is not a URC
  EXPECT_TRUE(r.is(FinalKind::ok)) << "AT+QFTP<SOH>STAT<BEL> answered " << r.describe();
  ASSERT_EQ(r.info.size(), 1U) << "AT+QFTP<SOH>STAT<BEL> did not run AT+QFTPSTAT: " << r.describe();
  EXPECT_EQ(r.info[0].text.rfind("+QFTPSTAT", 0), 0U) << r.describe();
  QFTP_DO(expect_quiet("AT+QFTP<SOH>STAT<BEL>"));
}

}  // namespace
}  // namespace qftp::harness
