// bad_input_test.cpp: malformed AT parameters are ERROR and reach no server (ruling 4); a server
// sending garbage, hanging up or saying 421 at each step gives its mapped error (ruling 9).
#include <algorithm>

#include "e2e_fixture.h"

namespace qftp::e2e {
namespace {

std::string quoted(std::size_t length, char c = 'n') {
  return "\"" + std::string(length, c) + "\"";
}

class BadInput : public ModemTest {
 protected:
  // Each line is ERROR, and the server sees no new command and no new connection.
  void expect_all_refused(const std::vector<std::string>& lines) {
    const auto before = fixture_log().size();
    for (const auto& line : lines) {
      EXPECT_TRUE(command(line, "\r\nERROR\r\n")) << line;
    }
    const auto log = fixture_log();
    ASSERT_GE(log.size(), before);
    for (std::size_t i = before; i < log.size(); ++i) {
      ADD_FAILURE() << "the server saw: " << log[i].kind << " " << log[i].text;
    }
  }
};

TEST_F(BadInput, OpenParametersOutOfRange) {
  const std::string port = std::to_string(fixture().ftp_port());
  expect_all_refused({
      "AT+QFTPOPEN=" + quoted(101) + "," + port,  // hostName over 100
      "AT+QFTPOPEN=\"127.0.0.1\",0",
      "AT+QFTPOPEN=\"127.0.0.1\",65536",
      "AT+QFTPOPEN=\"127.0.0.1\",-1",
      "AT+QFTPOPEN=\"127.0.0.1\",\"abc\"",
      "AT+QFTPOPEN=127.0.0.1," + port,  // missing quotes
      "AT+QFTPOPEN=\"127.0.0.1\"",      // parameter count
      "AT+QFTPOPEN=\"127.0.0.1\"," + port + ",1",
      "AT+QFTPOPEN",
  });
  const std::string state = stat();
  EXPECT_TRUE(state == "IDLE" || state == "CLOSED") << state;
}

TEST_F(BadInput, AccountParametersOverTheirLength) {
  expect_all_refused({
      "AT+QFTPUSER=" + quoted(31),
      "AT+QFTPUSER=quectel",
      "AT+QFTPUSER=\"a\",\"b\"",
      "AT+QFTPUSER",
      "AT+QFTPPASS=" + quoted(31),
      "AT+QFTPPASS=123456",
      "AT+QFTPPASS=\"a\",\"b\"",
      "AT+QFTPPASS",
  });
  // The limits themselves are fine, and nothing above changed the account.
  EXPECT_TRUE(command("AT+QFTPUSER?", "\r\n+QFTPUSER:\"quectel\"\r\n\r\nOK\r\n"));
  EXPECT_TRUE(command("AT+QFTPUSER=" + quoted(30, 'u'), "\r\nOK\r\n"));
  EXPECT_TRUE(command("AT+QFTPPASS=" + quoted(30, 'p'), "\r\nOK\r\n"));
  EXPECT_TRUE(command("AT+QFTPPASS?", "\r\n+QFTPPASS:" + quoted(30, 'p') + "\r\n\r\nOK\r\n"));
}

TEST_F(BadInput, SessionCommandParametersOutOfRange) {
  ASSERT_TRUE(open_session());
  expect_all_refused({
      "AT+QFTPPUT=" + quoted(51) + ",10",  // fileName over 50
      "AT+QFTPPUT=\"f\",-1",
      "AT+QFTPPUT=\"f\",4294967296",
      "AT+QFTPPUT=\"f\",10,0",  // <time> 1-65535
      "AT+QFTPPUT=\"f\",10,65536",
      "AT+QFTPPUT=\"f\"",
      "AT+QFTPPUT=f,10",
      "AT+QFTPPUT=\"f\",10,60,1",
      "AT+QFTPPUT",
      "AT+QFTPGET=" + quoted(51),
      "AT+QFTPGET=\"f\",1",
      "AT+QFTPGET=f",
      "AT+QFTPGET",
      "AT+QFTPPATH=" + quoted(101),  // pathName over 100
      "AT+QFTPPATH=/",
      "AT+QFTPPATH=\"/\",\"/\"",
      "AT+QFTPPATH",
      "AT+QFTPCFG=0,1",
      "AT+QFTPCFG=5,1",
      "AT+QFTPCFG=1,2",
      "AT+QFTPCFG=2,2",
      "AT+QFTPCFG=3,-1",
      "AT+QFTPCFG=3,4294967296",
      "AT+QFTPCFG=4,/UFS/",
      "AT+QFTPCFG=4," + quoted(101),
      "AT+QFTPCFG=1,1,1",
      "AT+QFTPCFG",
      "AT+QFTPCLOSE=1",
      "AT+QFTPSTAT=1",
      "AT+QFTPLEN=1",
  });
  EXPECT_EQ(stat(), "OPENED");
  EXPECT_TRUE(close_session());
}

// The limits themselves are well-formed: the outcome is the server's (or the network's) answer.
TEST_F(BadInput, ParametersAtTheirLimitsAreAccepted) {
  ASSERT_EQ(emu_control("DNS FAIL"), "OK");  // a 100-character name must not reach a real resolver
  EXPECT_TRUE(
      command("AT+QFTPOPEN=" + quoted(100, 'h') + ",65535", "\r\nOK\r\n\r\n+QFTPOPEN:-4\r\n"));
  ASSERT_EQ(emu_control("DNS OK"), "OK");
  EXPECT_TRUE(command("AT+QFTPOPEN=\"127.0.0.1\", \"" + std::to_string(fixture().ftp_port()) + "\"",
                      "\r\nOK\r\n\r\n+QFTPOPEN:0\r\n"))
      << "ruling 4: a quoted port, a space after the comma";
  EXPECT_TRUE(command("AT+QFTPGET=" + quoted(50), "\r\nOK\r\n\r\n+QFTPGET:-550\r\n"));
  EXPECT_TRUE(command("AT+QFTPPATH=" + quoted(100), "\r\nOK\r\n\r\n+QFTPPATH:-550\r\n"));
  EXPECT_TRUE(command("AT+QFTPCFG=3,4294967295", "\r\nOK\r\n\r\n+QFTPCFG:0\r\n"));
  EXPECT_TRUE(command("AT+QFTPCFG=3", "\r\nOK\r\n\r\n+QFTPCFG:4294967295\r\n"));
  EXPECT_TRUE(command("AT+QFTPCFG=3,0", "\r\nOK\r\n\r\n+QFTPCFG:0\r\n"));
  EXPECT_TRUE(command("AT+QFTPPUT=\"limit.bin\",1,65535", "\r\nOK\r\n\r\nCONNECT\r\n"));
  ASSERT_TRUE(send("x"));
  EXPECT_TRUE(expect("\r\n+QFTPPUT:1\r\n"));
  const auto cmds = fixture_commands();
  EXPECT_NE(std::find(cmds.begin(), cmds.end(), "RETR " + std::string(50, 'n')), cmds.end());
  EXPECT_NE(std::find(cmds.begin(), cmds.end(), "CWD " + std::string(100, 'n')), cmds.end());
  EXPECT_TRUE(close_session());
}

// --- a server that misbehaves at each step of a session ---------------------------------------

struct Step {
  const char* ftp_command;  // where the fault strikes
  const char* urc;          // the URC of the AT command that meets it
};

// Every command a session sends, with the AT command whose outcome reports it.
constexpr Step kSteps[] = {
    {"GREETING", "+QFTPOPEN"}, {"USER", "+QFTPOPEN"}, {"PASS", "+QFTPOPEN"},
    {"PWD", "+QFTPOPEN"},      {"CWD", "+QFTPPATH"},  {"TYPE", "+QFTPGET"},
    {"PASV", "+QFTPGET"},      {"RETR", "+QFTPGET"},  {"STOR", "+QFTPPUT"},
};

class ServerMisbehaviour : public ModemTest {
 protected:
  // Sets the fault `kind` (with `args`) on the step's command, runs the AT command that meets it,
  // expects one of `codes`, then `after` (what the modem reports next, if anything).
  void strike(const Step& step, const std::string& kind, const std::string& args,
              const std::vector<int>& codes, const std::string& after = {}) {
    const std::string directive = kind + " " + step.ftp_command + (args.empty() ? "" : " " + args);
    SCOPED_TRACE(directive);
    const std::string urc_name = step.urc;
    const bool in_session = urc_name != "+QFTPOPEN";
    if (in_session) {
      ASSERT_TRUE(open_session());
    }
    put_server_file("f.bin", "data");
    fault(directive + " times=1");
    std::string line;
    if (urc_name == "+QFTPOPEN") line = open_line();
    if (urc_name == "+QFTPPATH") line = "AT+QFTPPATH=\"/\"";
    if (urc_name == "+QFTPGET") line = "AT+QFTPGET=\"f.bin\"";
    if (urc_name == "+QFTPPUT") line = "AT+QFTPPUT=\"g.bin\",10,60";
    ASSERT_TRUE(command(line, "\r\nOK\r\n"));
    ASSERT_TRUE(expect("\r\n" + urc_name + ":"));
    const std::string value = read_until("\r\n");
    const bool known = std::any_of(codes.begin(), codes.end(),
                                   [&](int c) { return value == std::to_string(c) + "\r\n"; });
    EXPECT_TRUE(known) << urc_name << ":" << show(value);
    if (in_session && !after.empty()) {
      EXPECT_TRUE(expect(after));
    }
    expect_usable();
    ASSERT_TRUE(fixture_control().reset().ok());
  }
};

// Bytes that are no FTP reply: a protocol error, -1 ("anything else", ruling 9).
TEST_F(ServerMisbehaviour, GarbageAtEachStepIsMinus1) {
  for (const auto& step : kSteps) strike(step, "GARBAGE", "", {-1});
}

// The server drops the control connection instead of answering: -6.
TEST_F(ServerMisbehaviour, ClosedAtEachStepIsMinus6) {
  for (const auto& step : kSteps) strike(step, "CLOSE", "", {-6});
}

// The same with a TCP reset instead of an orderly close. A reset instead of the greeting can beat
// the modem's connect to the finish: that is "connect reset" (-5) rather than "closed by the
// server" (-6), and both are ruling 9's reading of what happened.
TEST_F(ServerMisbehaviour, ResetAtEachStepIsMinus6) {
  for (const auto& step : kSteps) {
    const bool greeting = std::string_view(step.ftp_command) == "GREETING";
    strike(step, "CLOSE", "rst", greeting ? std::vector<int>{-5, -6} : std::vector<int>{-6});
  }
}

// 421 at each step: the server is going away, -421; it then closes the control connection,
// which a session that survived the failed command reports as +QFTPERROR:-6.
TEST_F(ServerMisbehaviour, ServiceClosingAtEachStepIsMinus421) {
  for (const auto& step : kSteps) strike(step, "REPLY", "421", {-421}, "\r\n+QFTPERROR:-6\r\n");
}

}  // namespace
}  // namespace qftp::e2e
