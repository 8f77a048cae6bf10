// s2_2_1_qftpopen_test.cpp: spec 2.2.1, AT+QFTPOPEN: test and read forms, opening a session, format
// errors (ruling 4), the limits of <hostName> and <port>, and the account of note 1.
#include <algorithm>
#include <cctype>
#include <set>

#include "harness/qftp_case.h"

namespace qftp::harness {
namespace {

class S2_2_1_Open : public QftpCase {
 protected:
  // USER and PASS from the PIXIT, then `line`: its +QFTPOPEN value.
  Step<std::string> open_value(const std::string& line) {
    if (auto r = at_expect("AT+QFTPUSER=\"" + pixit().user + "\"", FinalKind::ok); !r.ok())
      return r.outcome();
    if (auto r = at_expect("AT+QFTPPASS=\"" + pixit().password + "\"", FinalKind::ok); !r.ok())
      return r.outcome();
    if (auto r = at_expect(line, FinalKind::ok); !r.ok()) return r.outcome();
    auto f = urc("+QFTPOPEN");
    if (!f.ok()) return f.outcome();
    return f.value().value;
  }
  // Whether a host form reached the server: the fixture saw a login, and the URC is no error.
  void expect_session_with(const std::string& line) {
    QFTP_TRY(auto v, open_value(line));
    EXPECT_TRUE(v.empty() || v[0] != '-') << line << " gave +QFTPOPEN:" << v;
    QFTP_TRY(auto login, server_saw_login());
    EXPECT_TRUE(login) << "the server saw no login after " << line;
  }
};

bool is_ipv4(const std::string& host) {
  int dots = 0;
  for (const char c : host) {
    if (c == '.') {
      ++dots;
    } else if (c < '0' || c > '9') {
      return false;
    }
  }
  return dots == 3;
}

QFTP_CASE(S2_2_1_Open, TestCommandListsHostNameAndPortRange, "2.2.1/01") {
  QFTP_TRY(auto r, at_expect("AT+QFTPOPEN=?", FinalKind::ok));
  QFTP_TRY(auto f, info_field(r, "+QFTPOPEN"));
  EXPECT_EQ(f.value, "\"HOST NAME\",(1-65535)");
}

QFTP_CASE(S2_2_1_Open, ReadWhileOpenGivesHostAndPort, "2.2.1/02", "R/23") {
  QFTP_SETUP(open_session());
  QFTP_TRY(auto r, at_expect("AT+QFTPOPEN?", FinalKind::ok));
  QFTP_TRY(auto f, info_field(r, "+QFTPOPEN"));
  const auto comma = f.value.rfind(',');
  EXPECT_EQ(f.value.substr(0, comma), "\"" + ftp_host() + "\"") << "the host opened";
  // The port as a plain number, where the spec writes (1-65535), is ruling R/23's.
  QFTP_CHECKS("2.2.1/02", "R/23");
  EXPECT_EQ(comma == std::string::npos ? std::string() : f.value.substr(comma + 1),
            std::to_string(ftp_port()))
      << "the port opened, in \"" << f.value << "\"";
}

QFTP_CASE(S2_2_1_Open, ReadWhenIdleOrClosedHasEmptyFields, "2.2.1/03") {
  QFTP_TRY(auto before, stat());
  if (before != "IDLE" && before != "CLOSED")
    QFTP_INCONCLUSIVE("the service is " + before + " after the reset");
  QFTP_TRY(auto r, at_expect("AT+QFTPOPEN?", FinalKind::ok));
  QFTP_TRY(auto f, info_field(r, "+QFTPOPEN"));
  EXPECT_EQ(f.value, "\"\",") << "in state " << before;
  // And once more after a session has been closed.
  QFTP_SETUP(open_session());
  QFTP_SETUP(close_session());
  QFTP_TRY(auto closed, at_expect("AT+QFTPOPEN?", FinalKind::ok));
  QFTP_TRY(auto g, info_field(closed, "+QFTPOPEN"));
  EXPECT_EQ(g.value, "\"\",") << "after AT+QFTPCLOSE";
}

QFTP_CASE(S2_2_1_Open, WriteAnswersOkThenOpensWithZero, "2.2.1/04") {
  QFTP_DO(open_session());
  QFTP_TRY(auto state, stat());
  EXPECT_EQ(state, "OPENED");
}

QFTP_CASE(S2_2_1_Open, WrongFormatAnswersErrorAndOpensNothing, "2.2.1/05", "R/4") {
  const std::string host = "\"" + ftp_host() + "\"";
  const std::string port = std::to_string(ftp_port());
  for (const std::string& line : {"AT+QFTPOPEN=" + ftp_host() + "," + port,   // host not quoted
                                  "AT+QFTPOPEN=" + host,                      // port missing
                                  "AT+QFTPOPEN=" + host + "," + port + ",1",  // a third parameter
                                  "AT+QFTPOPEN=" + host + ",abc",             // port not a number
                                  "AT+QFTPOPEN=" + host + ","}) {             // port empty
    QFTP_DO(expect_error(line));
  }
  QFTP_TRY(auto cmds, ftp_commands());
  EXPECT_TRUE(cmds.empty()) << "the server saw FTP commands after malformed opens: "
                            << cmds.front();
}

QFTP_CASE(S2_2_1_Open, ConnectionFailureGivesNegativeCode, "2.2.1/06") {
  QFTP_DO(fault("REFUSE"));
  QFTP_DO(at_expect(open_command(), FinalKind::ok));
  QFTP_TRY(auto f, urc("+QFTPOPEN"));
  static const std::set<std::string> kCodes = {
      "-1",   "-3",   "-4",   "-5",   "-6",   "-7",   "-8",   "-9",   "-10",
      "-11",  "-12",  "-421", "-425", "-426", "-450", "-452", "-500", "-501",
      "-502", "-530", "-532", "-550", "-551", "-552", "-553"};
  EXPECT_EQ(kCodes.count(f.value), 1U) << "+QFTPOPEN:" << f.value << " is not a chapter-3 code";
}

QFTP_CASE(S2_2_1_Open, HostNameMayBeAnIpAddress, "2.2.1/07") {
  if (!is_ipv4(ftp_host()))
    QFTP_INCONCLUSIVE("PIXIT fixture_host " + ftp_host() + " is not an IP address");
  expect_session_with(open_command());
}

QFTP_CASE(S2_2_1_Open, HostNameMayBeADomainName, "2.2.1/08") {
  if (!pixit().fixture_domain_name)
    QFTP_INCONCLUSIVE("the PIXIT declares no DNS name for the fixture");
  expect_session_with("AT+QFTPOPEN=\"" + *pixit().fixture_domain_name + "\"," +
                      std::to_string(ftp_port()));
}

QFTP_CASE(S2_2_1_Open, HostNameOf100IsAcceptedAnd101IsNot, "2.2.1/09", "R/4") {
  // A name that cannot resolve: only the format is under test. The emulator's resolver is told to
  // fail so that no real DNS lookup is waited for.
  if (suite().has_network_control()) QFTP_DO(network("DNS FAIL"));
  const std::string suffix = ".invalid";
  const std::string host100 = std::string(100 - suffix.size(), 'h') + suffix;
  const std::string host101 = "h" + host100;
  QFTP_DO(at_expect("AT+QFTPOPEN=\"" + host100 + "\",21", FinalKind::ok));
  QFTP_TRY(auto f, urc("+QFTPOPEN"));
  EXPECT_NE(f.value, "0") << "a name that cannot resolve opened a session";
  QFTP_DO(expect_error("AT+QFTPOPEN=\"" + host101 + "\",21"));
}

QFTP_CASE(S2_2_1_Open, PortRangesFrom1To65535, "2.2.1/10", "R/4") {
  QFTP_DO(expect_error("AT+QFTPOPEN=\"" + ftp_host() + "\",0"));
  QFTP_DO(expect_error("AT+QFTPOPEN=\"" + ftp_host() + "\",65536"));
  // Nothing listens on these ports: the format is accepted and the connection fails.
  for (const char* port : {"1", "65535"}) {
    QFTP_TRY(auto r, at("AT+QFTPOPEN=\"" + ftp_host() + "\"," + port));
    EXPECT_TRUE(r.is(FinalKind::ok)) << "port " << port << " answered " << r.describe();
    if (r.is(FinalKind::ok)) QFTP_DO(urc("+QFTPOPEN"));
  }
}

QFTP_CASE(S2_2_1_Open, UserAndPasswordSetBeforeAreTheLogin, "2.2.1/11", "2.2.7/07") {
  QFTP_TRY(auto v, open_value(open_command()));
  static_cast<void>(v);
  QFTP_TRY(auto cmds, ftp_commands());
  QFTP_CHECKS("2.2.1/11");
  const auto has = [&](const std::string& c) {
    return std::find(cmds.begin(), cmds.end(), c) != cmds.end();
  };
  EXPECT_TRUE(has("USER " + pixit().user)) << "the server never saw USER " << pixit().user;
  QFTP_CHECKS("2.2.1/11", "2.2.7/07");  // the password sent is 2.2.7/07's alone
  EXPECT_TRUE(has("PASS " + pixit().password)) << "the server never saw PASS " << pixit().password;
}

QFTP_CASE(S2_2_1_Open, SpacesAfterCommasAndAQuotedPortAreAccepted, "2.2.1/12", "R/4") {
  // Each form must be accepted (OK) and end as the plain form does.
  const std::string port = std::to_string(ftp_port());
  QFTP_TRY(auto plain, open_value(open_command()));
  for (const std::string& line : {"AT+QFTPOPEN=\"" + ftp_host() + "\", " + port,
                                  "AT+QFTPOPEN=\"" + ftp_host() + "\",\"" + port + "\""}) {
    QFTP_SETUP(urc_of("AT+QFTPCLOSE", "+QFTPCLOSE"));
    QFTP_TRY(auto v, open_value(line));
    EXPECT_EQ(v, plain) << line << " ended otherwise than " << open_command();
  }
}

// Second paths: the read forms after another way of opening and after a failed open, the write
// after a close, other malformed lines, the limits judged while a session is open (the format
// comes before the state: 100 characters and port 65535 answer OK, then -3), a domain name in
// capitals, and the account changed between two sessions.

QFTP_CASE(S2_2_1_Open, ReadGivesThePortAsANumberAfterAQuotedOne, "2.2.1/02", "R/23") {
  const std::string port = std::to_string(ftp_port());
  QFTP_TRY(auto v, open_value("AT+QFTPOPEN=\"" + ftp_host() + "\",\"" + port + "\""));
  if (v != "0") QFTP_INCONCLUSIVE("the open with a quoted port gave +QFTPOPEN:" + v);
  QFTP_TRY(auto r, at_expect("AT+QFTPOPEN?", FinalKind::ok));
  QFTP_TRY(auto f, info_field(r, "+QFTPOPEN"));
  EXPECT_EQ(f.value, "\"" + ftp_host() + "\"," + port) << "the read after a quoted port";
}

QFTP_CASE(S2_2_1_Open, ReadAfterAFailedOpenHasEmptyFields, "2.2.1/03", "R/19") {
  QFTP_DO(fault("REPLY USER 530"));
  QFTP_TRY(auto v, open_value(open_command()));
  EXPECT_NE(v, "0") << "USER answered 530";
  {
    QFTP_CHECKS("R/19");
    QFTP_TRY(auto state, stat());
    EXPECT_TRUE(state == "IDLE" || state == "CLOSED") << "after a failed open: " << state;
  }
  QFTP_CHECKS("2.2.1/03");
  QFTP_TRY(auto r, at_expect("AT+QFTPOPEN?", FinalKind::ok));
  QFTP_TRY(auto f, info_field(r, "+QFTPOPEN"));
  EXPECT_EQ(f.value, "\"\",") << "after a failed open";
}

QFTP_CASE(S2_2_1_Open, WriteAfterACloseOpensWithZeroAgain, "2.2.1/04") {
  QFTP_SETUP(open_session());
  QFTP_SETUP(close_session());
  QFTP_TRY(auto v, open_value(open_command()));
  EXPECT_EQ(v, "0") << "AT+QFTPOPEN after AT+QFTPCLOSE";
  QFTP_TRY(auto state, stat());
  EXPECT_EQ(state, "OPENED");
}

QFTP_CASE(S2_2_1_Open, OtherMalformedLinesAnswerErrorAndOpenNothing, "2.2.1/05") {
  const std::string port = std::to_string(ftp_port());
  for (const std::string& line : {"AT+QFTPOPEN=," + port,                           // no host
                                  "AT+QFTPOPEN=\"" + ftp_host() + "," + port,       // open quote
                                  "AT+QFTPOPEN=\"" + ftp_host() + "\",-21",         // negative
                                  "AT+QFTPOPEN=\"" + ftp_host() + "\"," + port + ","}) {
    QFTP_DO(expect_error(line));
  }
  QFTP_TRY(auto cmds, ftp_commands());
  EXPECT_TRUE(cmds.empty()) << "the server saw FTP commands after malformed opens: "
                            << cmds.front();
  QFTP_TRY(auto state, stat());
  EXPECT_TRUE(state == "IDLE" || state == "CLOSED") << "after malformed opens: " << state;
}

QFTP_CASE(S2_2_1_Open, AnIpAddressOpensAfterAClose, "2.2.1/07") {
  if (!is_ipv4(ftp_host()))
    QFTP_INCONCLUSIVE("PIXIT fixture_host " + ftp_host() + " is not an IP address");
  QFTP_SETUP(open_session());
  QFTP_SETUP(close_session());
  expect_session_with("AT+QFTPOPEN=\"" + ftp_host() + "\", " + std::to_string(ftp_port()));
}

QFTP_CASE(S2_2_1_Open, ADomainNameInCapitalsResolves, "2.2.1/08") {
  if (!pixit().fixture_domain_name)
    QFTP_INCONCLUSIVE("the PIXIT declares no DNS name for the fixture");
  std::string upper = *pixit().fixture_domain_name;
  std::transform(upper.begin(), upper.end(), upper.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  expect_session_with("AT+QFTPOPEN=\"" + upper + "\"," + std::to_string(ftp_port()));
}

QFTP_CASE(S2_2_1_Open, HostNameLimitIsJudgedWhileASessionIsOpen, "2.2.1/09") {
  QFTP_SETUP(open_session());
  const std::string host100 = std::string(92, 'k') + ".invalid";
  QFTP_DO(expect_error("AT+QFTPOPEN=\"k" + host100 + "\",21"));
  QFTP_DO(at_expect("AT+QFTPOPEN=\"" + host100 + "\",21", FinalKind::ok));
  QFTP_DO(expect_urc("+QFTPOPEN", "-3"));  // R/11: the format was right, a session is open
}

QFTP_CASE(S2_2_1_Open, PortRangeIsJudgedWhileASessionIsOpen, "2.2.1/10") {
  QFTP_SETUP(open_session());
  QFTP_DO(expect_error("AT+QFTPOPEN=\"" + ftp_host() + "\",0"));
  QFTP_DO(expect_error("AT+QFTPOPEN=\"" + ftp_host() + "\",65536"));
  for (const char* port : {"1", "65535"}) {
    QFTP_DO(at_expect("AT+QFTPOPEN=\"" + ftp_host() + "\"," + port, FinalKind::ok));
    QFTP_DO(expect_urc("+QFTPOPEN", "-3"));  // R/11: the format was right, a session is open
  }
}

QFTP_CASE(S2_2_1_Open, AnAccountChangedBetweenSessionsIsTheNextLogin, "2.2.1/11", "2.2.7/07") {
  QFTP_SETUP(open_session());
  QFTP_SETUP(close_session());
  QFTP_TRY(auto before, ftp_commands());
  QFTP_DO(at_expect("AT+QFTPUSER=\"" + pixit().user + "\"", FinalKind::ok));
  QFTP_DO(at_expect("AT+QFTPPASS=\"not-" + pixit().password + "\"", FinalKind::ok));
  QFTP_DO(at_expect(open_command(), FinalKind::ok));
  QFTP_TRY(auto f, urc("+QFTPOPEN"));
  QFTP_TRY(auto cmds, ftp_commands());
  const auto since = [&](const std::string& c) {
    return std::find(cmds.begin() + static_cast<std::ptrdiff_t>(std::min(before.size(), cmds.size())),
                     cmds.end(), c) != cmds.end();
  };
  {
    QFTP_CHECKS("2.2.1/11");
    EXPECT_NE(f.value, "0") << "the changed password is wrong on the server";
    EXPECT_TRUE(since("USER " + pixit().user)) << "the second login sent no USER";
  }
  QFTP_CHECKS("2.2.1/11", "2.2.7/07");
  EXPECT_TRUE(since("PASS not-" + pixit().password)) << "the second login did not send the new password";
}

QFTP_CASE(S2_2_1_Open, SpacesAfterBothCommasOfAQuotedPortAreAccepted, "2.2.1/12") {
  const std::string port = std::to_string(ftp_port());
  QFTP_TRY(auto v, open_value("AT+QFTPOPEN=\"" + ftp_host() + "\",  \"" + port + "\""));
  EXPECT_TRUE(!v.empty() && v[0] != '-') << "two spaces and a quoted port gave +QFTPOPEN:" << v;
  QFTP_TRY(auto login, server_saw_login());
  EXPECT_TRUE(login) << "the server saw no login";
}

}  // namespace
}  // namespace qftp::harness
