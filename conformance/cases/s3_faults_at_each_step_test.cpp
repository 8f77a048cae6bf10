// s3_faults_at_each_step_test.cpp: spec chapter 3 and ruling 9 at every FTP command a session
// sends: the server answers with bytes that are no reply, drops the control connection (FIN or
// RST) or says 421 at the greeting, USER, PASS, PWD (AT+QFTPOPEN), CWD (AT+QFTPPATH), TYPE, PASV,
// RETR (AT+QFTPGET) and STOR (AT+QFTPPUT), and the AT command that meets it reports the code.
#include <algorithm>

#include "harness/qftp_case.h"

namespace qftp::harness {
namespace {

struct FtpStep {
  const char* command;  // where the fault strikes
  const char* urc;      // the URC of the AT command that meets it
};

constexpr FtpStep kSteps[] = {
    {"GREETING", "+QFTPOPEN"}, {"USER", "+QFTPOPEN"}, {"PASS", "+QFTPOPEN"},
    {"PWD", "+QFTPOPEN"},      {"CWD", "+QFTPPATH"},  {"TYPE", "+QFTPGET"},
    {"PASV", "+QFTPGET"},      {"RETR", "+QFTPGET"},  {"STOR", "+QFTPPUT"},
};

class S3_FaultsAtEachStep : public QftpCase {
 protected:
  struct Struck {
    bool met = false;  // the DUT sent the command the fault was set on
    bool in_session = false;
    std::string value;  // the URC's value
  };

  // Sets `kind` (with `args`) on the step's command for one match, runs the AT command that meets
  // it and returns its URC. A DUT that never sends that FTP command (another PASV, no PWD) does
  // not meet the fault: noted, and the step is not judged.
  Step<Struck> strike(const FtpStep& step, const std::string& kind, const std::string& args) {
    Struck s;
    const std::string urc_name = step.urc;
    s.in_session = urc_name != "+QFTPOPEN";
    if (s.in_session) {
      if (auto st = open_session(); !st.ok()) return as_precondition(st.outcome());
    }
    if (auto st = server_file("f.bin", "data"); !st.ok()) return st.outcome();
    const std::string directive =
        kind + " " + step.command + (args.empty() ? "" : " " + args) + " times=1";
    if (auto id = fault(directive); !id.ok()) return id.outcome();
    Step<Field> f = fail("no AT command for " + urc_name);
    if (urc_name == "+QFTPOPEN") {
      f = urc_of(open_command(), "+QFTPOPEN", urc_timeout() + transfer_timeout());
    } else if (urc_name == "+QFTPPATH") {
      f = urc_of("AT+QFTPPATH=\"/\"", "+QFTPPATH", urc_timeout() + transfer_timeout());
    } else if (urc_name == "+QFTPGET") {
      f = get_result("f.bin");
    } else {
      f = put_or_result("g.bin", "data");
    }
    if (!f.ok()) return f.outcome();
    s.value = f.value().value;
    if (std::string_view(step.command) == "GREETING") {
      s.met = true;
    } else {
      auto cmds = ftp_commands();
      if (!cmds.ok()) return cmds.outcome();
      s.met = std::any_of(cmds.value().begin(), cmds.value().end(), [&](const std::string& c) {
        return c == step.command || c.rfind(std::string(step.command) + " ", 0) == 0;
      });
    }
    if (!s.met) note(directive + ": the DUT never sent " + step.command + ", so it met no fault");
    return s;
  }

  // AT+QFTPPUT of `data` through /COM/: the data after CONNECT, if one comes; the URC either way.
  Step<Field> put_or_result(const std::string& name, const std::string& data) {
    if (auto r = at_expect("AT+QFTPPUT=\"" + name + "\"," + std::to_string(data.size()) + ",60",
                           FinalKind::ok);
        !r.ok())
      return r.outcome();
    auto first = te().await_line(
        [](const Line& l) { return l.text == "CONNECT" || parse_field(l, "+QFTPPUT"); },
        transfer_timeout());
    if (!first) return fail("neither CONNECT nor +QFTPPUT: " + first.error());
    if (first->text != "CONNECT") {
      const auto f = *parse_field(first.value(), "+QFTPPUT");
      check_style(f);
      return f;
    }
    if (auto st = send_raw(data); !st.ok()) return st.outcome();
    return urc("+QFTPPUT", transfer_timeout());
  }

  // Whatever the failure left, a session closes before the next step.
  Done settle() {
    if (auto r = at_expect("AT+QFTPCLOSE", FinalKind::ok, transfer_timeout()); !r.ok())
      return r.outcome();
    if (auto f = urc("+QFTPCLOSE", urc_timeout() + transfer_timeout()); !f.ok()) return f.outcome();
    return {};
  }
};

QFTP_CASE(S3_FaultsAtEachStep, BytesThatAreNoReplyGiveMinus1, "3/-1", "R/9") {
  for (const auto& step : kSteps) {
    QFTP_TRY(auto s, strike(step, "GARBAGE", ""));
    if (s.met && s.value == "-9") {
      note(std::string("GARBAGE ") + step.command +
           ": the DUT skipped the bytes and waited for a reply (-9)");
    } else if (s.met) {
      EXPECT_EQ(s.value, "-1") << "GARBAGE at " << step.command;
    }
    QFTP_DO(settle());
  }
}

QFTP_CASE(S3_FaultsAtEachStep, AControlConnectionClosedByTheServerGivesMinus6, "3/-6", "R/9") {
  for (const auto& step : kSteps) {
    QFTP_TRY(auto s, strike(step, "CLOSE", ""));
    if (s.met) {
      EXPECT_EQ(s.value, "-6") << "CLOSE at " << step.command;
    }
    QFTP_DO(settle());
  }
}

// A reset in answer to the connection itself can beat the DUT's connect to the finish: then the
// connect was reset (-5, ruling 9) rather than the session closed (-6).
QFTP_CASE(S3_FaultsAtEachStep, AControlConnectionResetByTheServerGivesMinus6, "3/-6", "3/-5",
          "R/9") {
  for (const auto& step : kSteps) {
    QFTP_TRY(auto s, strike(step, "CLOSE", "rst"));
    const bool greeting = std::string_view(step.command) == "GREETING";
    if (s.met && greeting) {
      EXPECT_TRUE(s.value == "-6" || s.value == "-5") << "CLOSE GREETING rst gave " << s.value;
    } else if (s.met) {
      EXPECT_EQ(s.value, "-6") << "CLOSE " << step.command << " rst";
    }
    QFTP_DO(settle());
  }
}

// RFC 959: a 421 closes the control connection. In a session the DUT then has no session: the
// close is reported as +QFTPERROR:-6 (chapter 3, no command running) or, by a DUT that ended the
// session on the 421 itself, not at all; either way AT+QFTPSTAT answers CLOSED.
QFTP_CASE(S3_FaultsAtEachStep, A421GivesMinus421AndEndsTheSession, "3/-421", "3/01", "R/9") {
  for (const auto& step : kSteps) {
    QFTP_TRY(auto s, strike(step, "REPLY", "421"));
    if (s.met) {
      {
        QFTP_CHECKS("3/-421", "R/9");
        EXPECT_EQ(s.value, "-421") << "REPLY " << step.command << " 421";
      }
      if (s.in_session) {
        QFTP_CHECKS("3/01", "R/9");
        auto closed = urc("+QFTPERROR", urc_timeout());
        if (closed.ok()) {
          EXPECT_EQ(closed.value().value, "-6") << "after the 421 to " << step.command;
        } else {
          note(std::string("after the 421 to ") + step.command + " no +QFTPERROR came");
        }
        QFTP_TRY(auto state, stat());
        EXPECT_EQ(state, "CLOSED") << "after the server's 421 to " << step.command;
      }
    }
    QFTP_DO(settle());
  }
}

}  // namespace
}  // namespace qftp::harness
