// The FTP server model on its own: directives parsed with the fixture's rules, matched as the
// fixture matches them, and each one's effect on the socket events the modem would see.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/common/printable.h"
#include "testing/directive_plan.h"
#include "testing/ftp_server_model.h"

namespace {

using qftp::TimeMs;
using qftp::ftp::Op;
using qftp::ftp::OpClose;
using qftp::ftp::OpConnect;
using qftp::ftp::OpListen;
using qftp::ftp::OpSend;
using qftp::ftp::Sock;
using qftp::testing::Directive;
using qftp::testing::DirectivePlan;
using qftp::testing::FaultKind;
using qftp::testing::FtpServerModel;
using qftp::testing::parse_directive;

Directive parsed(std::string_view text) {
  auto d = parse_directive(text);
  EXPECT_EQ(d.index(), 0U) << text << ": " << (d.index() == 1 ? std::get<std::string>(d) : "");
  return d.index() == 0 ? std::get<Directive>(d) : Directive{};
}

std::string refused(std::string_view text) {
  auto d = parse_directive(text);
  return d.index() == 1 ? std::get<std::string>(d) : "accepted";
}

TEST(FaultDirective, ParsesTheFixturesWords) {
  const auto reply = parsed("reply pasv 227 Entering  odd (1,2)");
  EXPECT_EQ(reply.kind, FaultKind::reply);
  EXPECT_EQ(reply.cmd, "PASV");
  EXPECT_EQ(reply.code, 227);
  EXPECT_EQ(reply.text, "Entering  odd (1,2)");
  EXPECT_EQ(parsed("REPLY RETR 550").text, "Requested action not taken. File unavailable.");
  EXPECT_EQ(parsed("REPLY CWD 554").text, "Reply injected by the QFTP fixture.");
  const auto cut = parsed("CUT STOR 100 times=2");
  EXPECT_EQ(cut.kind, FaultKind::cut);
  EXPECT_EQ(cut.amount, 100U);
  EXPECT_EQ(cut.code, 426);
  EXPECT_EQ(cut.times, 2U);
  EXPECT_EQ(parsed("STALL RETR 0").kind, FaultKind::stall);
  const auto nodata = parsed("NODATACONN refuse 421 after150");
  EXPECT_TRUE(nodata.refuse && nodata.after150);
  EXPECT_EQ(nodata.code, 421);
  EXPECT_EQ(parsed("NODATACONN").code, 425);
  EXPECT_TRUE(parsed("CLOSE GREETING rst").rst);
  EXPECT_EQ(parsed("LFONLY").cmd, "*");
  EXPECT_EQ(parsed("BURST retr").cmd, "RETR");
  EXPECT_EQ(parsed("DELAY PASS 3000").amount, 3000U);
  EXPECT_EQ(parsed("IDLE 200").amount, 200U);
  EXPECT_EQ(parsed("SLOW 20000").amount, 20000U);
  EXPECT_EQ(parsed("GARBAGE *").kind, FaultKind::garbage);
  EXPECT_EQ(parsed("MULTILINE USER").kind, FaultKind::multiline);
  EXPECT_EQ(parsed("REFUSE").kind, FaultKind::refuse);
}

TEST(FaultDirective, RefusesWhatTheFixtureRefuses) {
  EXPECT_EQ(refused(""), "empty directive");
  EXPECT_EQ(refused("EXPLODE RETR"), "unknown directive EXPLODE");
  EXPECT_EQ(refused("REPLY RETR 600"), "bad reply code: 600");
  EXPECT_EQ(refused("DELAY PASS +5"), "bad number for delay ms: +5");
  EXPECT_EQ(refused("DELAY PASS 3600001"), "bad number for delay ms: 3600001");
  EXPECT_EQ(refused("FINAL CWD 552"), "CWD is not a transfer command");
  EXPECT_EQ(refused("CUT RETR"), "CUT takes 2..3 arguments, got 1");
  EXPECT_EQ(refused("CLOSE RETR fin"), "CLOSE: unexpected argument fin");
  EXPECT_EQ(refused("REPLY R3TR 550"), "bad command name: R3TR");
  EXPECT_EQ(refused("REFUSE times=1"), "REFUSE does not take times=");
  EXPECT_EQ(refused("times=1"), "times= without a directive");
  EXPECT_EQ(refused("IDLE 0"), "bad number for idle ms: 0");
  EXPECT_EQ(refused("REPLY RETR 550 \x01"), "control character in directive");
}

TEST(DirectivePlan, TheOldestMatchWinsAndTimesCountsDown) {
  DirectivePlan plan;
  const int first = std::get<int>(plan.set("REPLY RETR 550 times=1"));
  const int second = std::get<int>(plan.set("REPLY * 451"));
  EXPECT_EQ(second, first + 1);
  EXPECT_EQ(plan.command("retr").instead->code, 550);
  EXPECT_EQ(plan.command("RETR").instead->code, 451) << "the first is used up";
  EXPECT_TRUE(plan.clear(second));
  EXPECT_FALSE(plan.clear(second));
  EXPECT_EQ(plan.command("RETR").instead, nullptr);
  EXPECT_EQ(std::get<std::string>(plan.set("NOPE")), "unknown directive NOPE");
}

// The model with a plan, driven by socket operations; events come back as readable lines.
class Wire {
 public:
  DirectivePlan plan;
  FtpServerModel server{plan};
  TimeMs now = 0;

  void op(Op o) { server.on_op(now, o); }
  void send(const std::string& line) { op(OpSend{Sock::control, line + "\r\n"}); }
  // Everything due by `until` (the clock moves there): "C: bytes", "D: bytes", "C closed", ...
  std::vector<std::string> events(TimeMs until) {
    std::vector<std::string> out;
    for (TimeMs next = server.next_time(); next <= until; next = server.next_time()) {
      now = std::max(now, next);
      if (auto e = server.pop_due(now)) out.push_back(describe(*e));
    }
    now = until;
    return out;
  }
  std::vector<std::string> events() { return events(now); }

  // Connected, logged in, binary, a passive data connection open.
  void ready() {
    op(OpConnect{Sock::control, "h", 21});
    send("USER quectel");
    send("PASS 123456");
    send("TYPE I");
    send("PASV");
    events();
    op(OpConnect{Sock::data, "127.0.0.1", 40000});
    events();
  }

 private:
  static std::string describe(const qftp::modem::Event& e) {
    const auto side = [](Sock s) {
      return s == Sock::control ? std::string("C") : std::string("D");
    };
    if (const auto* d = std::get_if<qftp::modem::SocketData>(&e)) {
      return std::to_string(d->t) + " " + side(d->sock) + ": " + qftp::printable(d->bytes);
    }
    if (const auto* c = std::get_if<qftp::modem::SocketClosed>(&e)) {
      return std::to_string(c->t) + " " + side(c->sock) + " closed " +
             std::to_string(static_cast<int>(c->why));
    }
    if (const auto* c = std::get_if<qftp::modem::SocketConnected>(&e)) {
      return std::to_string(c->t) + " " + side(c->sock) + " connected";
    }
    return "other";
  }
};

using Lines = std::vector<std::string>;
constexpr int kEof = static_cast<int>(qftp::ftp::SockError::eof);

TEST(FtpServerModel, LogsInAndAnswersLikePyftpdlib) {
  Wire w;
  w.op(OpConnect{Sock::control, "h", 21});
  w.send("USER quectel");
  w.send("PASS wrong");
  w.send("PWD");
  EXPECT_EQ(w.events(), (Lines{"0 C connected", "0 C: 220 QFTP fixture (pyftpdlib) ready.\\r\\n",
                               "0 C: 331 Username ok, send password.\\r\\n",
                               "0 C: 530 Authentication failed.\\r\\n",
                               "0 C: 530 Log in with USER and PASS first.\\r\\n"}));
  EXPECT_EQ(w.server.log, (Lines{"USER quectel", "PASS wrong", "PWD"}));
}

TEST(FtpServerModel, DelayHoldsTheCommandAndTheOnesBehindIt) {
  Wire w;
  w.plan.set("DELAY USER 300");
  w.op(OpConnect{Sock::control, "h", 21});
  w.send("USER anonymous");
  w.send("PASS x");
  EXPECT_EQ(w.events(299).size(), 2U) << "connected and greeted only";
  EXPECT_EQ(w.events(300), (Lines{"300 C: 331 Username ok, send password.\\r\\n",
                                  "300 C: 230 Login successful.\\r\\n"}));
}

TEST(FtpServerModel, ReplyShapes) {
  Wire w;
  w.plan.set("MULTILINE GREETING");
  w.plan.set("LFONLY USER");
  w.plan.set("GARBAGE PASS");
  w.op(OpConnect{Sock::control, "h", 21});
  w.send("USER u");
  w.send("PASS p");
  EXPECT_EQ(
      w.events(),
      (Lines{"0 C connected",
             "0 C: 220-QFTP fixture (pyftpdlib) ready.\\r\\n This reply was made multi-line by the "
             "QFTP fixture.\\r\\n   220 padded line that starts with the code.\\r\\n220-Last "
             "continuation line.\\r\\n220 QFTP fixture (pyftpdlib) ready.\\r\\n",
             "0 C: 331 Username ok, send password.\\n",
             "0 C: \\x00\\x01\\x7f\\xc3(garbage: this is not an FTP reply)\\x1b[0m\\r\\n"}));
}

TEST(FtpServerModel, CloseAndReply421EndTheSession) {
  Wire w;
  w.plan.set("REPLY USER 421 times=1");
  w.op(OpConnect{Sock::control, "h", 21});
  w.send("USER u");
  EXPECT_EQ(w.events().back(), "0 C closed " + std::to_string(kEof));
  w.plan.set("CLOSE GREETING rst");
  w.op(OpConnect{Sock::control, "h", 21});
  EXPECT_EQ(w.events(),
            (Lines{"0 C connected",
                   "0 C closed " + std::to_string(static_cast<int>(qftp::ftp::SockError::reset))}))
      << "the new session is dropped before its banner";
}

TEST(FtpServerModel, CutDownloadSendsExactlyItsBytesThenTheCode) {
  Wire w;
  w.server.files["/f.bin"] = std::string(1000, 'x');
  w.ready();
  w.plan.set("CUT RETR 100 451");
  w.send("RETR f.bin");
  EXPECT_EQ(w.events(),
            (Lines{"0 C: 125 Data connection already open. Transfer starting.\\r\\n",
                   "0 D: " + std::string(100, 'x'), "0 D closed " + std::to_string(kEof),
                   "0 C: 451 Requested action aborted: local error in processing.\\r\\n"}));
}

TEST(FtpServerModel, StallKeepsTheDataConnectionOpenAndSilentUntilAbor) {
  Wire w;
  w.server.files["/f.bin"] = std::string(1000, 'x');
  w.ready();
  w.plan.set("STALL RETR 10");
  w.send("RETR f.bin");
  EXPECT_EQ(w.events(600000).size(), 2U) << "125 and ten bytes, then nothing";
  w.send("ABOR");
  EXPECT_EQ(w.events(), (Lines{"600000 D closed " + std::to_string(kEof),
                               "600000 C: 426 Transfer aborted via ABOR.\\r\\n",
                               "600000 C: 226 ABOR command successful.\\r\\n"}));
}

TEST(FtpServerModel, CutUploadKeepsExactlyItsBytes) {
  Wire w;
  w.ready();
  w.plan.set("CUT STOR 3 226");
  w.send("STOR up.bin");
  w.op(OpSend{Sock::data, "abcdef"});
  EXPECT_EQ(w.events(),
            (Lines{"0 C: 125 Data connection already open. Transfer starting.\\r\\n",
                   "0 D closed " + std::to_string(static_cast<int>(qftp::ftp::SockError::reset)),
                   "0 C: 226 Transfer cut by the QFTP fixture.\\r\\n"}));
  EXPECT_EQ(w.server.files.at("/up.bin"), "abc");
}

TEST(FtpServerModel, RestThenStorWritesInPlace) {
  Wire w;
  w.server.files["/up.bin"] = "0123456789";
  w.ready();
  w.send("REST 4");
  w.send("STOR up.bin");
  w.op(OpSend{Sock::data, "ab"});
  w.op(OpClose{Sock::data});
  EXPECT_EQ(w.events().back(), "0 C: 226 Transfer complete.\\r\\n");
  EXPECT_EQ(w.server.files.at("/up.bin"), "0123ab6789");
}

// pyftpdlib opens the file to seek in it: no file is 550, an offset beyond its end 554.
TEST(FtpServerModel, RestThenStorOfAMissingFileOrBeyondItsEndIsRefused) {
  Wire w;
  w.server.files["/up.bin"] = "0123";
  w.ready();
  w.send("REST 4");
  w.send("STOR new.bin");
  EXPECT_EQ(w.events().back(), "0 C: 550 No such file or directory.\\r\\n");
  EXPECT_EQ(w.server.files.count("/new.bin"), 0U);
  w.send("REST 5");
  w.send("STOR up.bin");
  EXPECT_EQ(w.events().back(), "0 C: 554 REST position (5) > file size (4)\\r\\n");
}

// RETR likewise: an offset beyond the file's end is 554.
TEST(FtpServerModel, RestThenRetrBeyondItsEndIsRefused) {
  Wire w;
  w.server.files["/f.bin"] = "0123";
  w.ready();
  w.send("REST 5");
  w.send("RETR f.bin");
  EXPECT_EQ(w.events().back(), "0 C: 554 REST position (5) > file size (4)\\r\\n");
}

TEST(FtpServerModel, BurstHoldsADownloadsPreliminaryReplyForItsFinalOne) {
  Wire w;
  w.server.files["/f.bin"] = "data";
  w.ready();
  w.plan.set("BURST RETR");
  w.send("RETR f.bin");
  EXPECT_EQ(w.events(), (Lines{"0 D: data", "0 D closed " + std::to_string(kEof),
                               "0 C: 125 Data connection already open. Transfer starting.\\r\\n226 "
                               "Transfer complete.\\r\\n"}));
}

TEST(FtpServerModel, SlowPacesTheDownload) {
  Wire w;
  w.server.files["/f.bin"] = std::string(250, 'x');
  w.ready();
  w.plan.set("SLOW 1000");  // 100 bytes every 100 ms
  w.send("RETR f.bin");
  const auto got = w.events(1000);
  ASSERT_EQ(got.size(), 6U);
  EXPECT_EQ(got[1], "0 D: " + std::string(100, 'x'));
  EXPECT_EQ(got[2], "100 D: " + std::string(100, 'x'));
  EXPECT_EQ(got[3], "200 D: " + std::string(50, 'x'));
  EXPECT_EQ(got[5], "200 C: 226 Transfer complete.\\r\\n");
}

TEST(FtpServerModel, NoDataConnRefusesThePassiveConnectOrAnswersTheTransfer) {
  Wire w;
  w.op(OpConnect{Sock::control, "h", 21});
  w.send("USER anonymous");
  w.send("PASS x");
  w.plan.set("NODATACONN refuse times=1");
  w.send("PASV");
  w.events();
  w.op(OpConnect{Sock::data, "127.0.0.1", 40000});
  EXPECT_EQ(w.events(), (Lines{"0 D closed " +
                               std::to_string(static_cast<int>(qftp::ftp::SockError::refused))}));
  w.plan.set("NODATACONN after150");
  w.send("PASV");
  w.events();
  w.op(OpConnect{Sock::data, "127.0.0.1", 40000});
  w.send("STOR x");
  EXPECT_EQ(
      w.events(),
      (Lines{"0 D connected", "0 C: 150 File status okay. About to open data connection.\\r\\n",
             "0 C: 425 Can't open data connection.\\r\\n", "0 D closed " + std::to_string(kEof)}));
}

TEST(FtpServerModel, ActiveModeConnectsToTheModemsListener) {
  Wire w;
  w.server.files["/f.bin"] = "data";
  w.op(OpConnect{Sock::control, "h", 21});
  w.send("USER anonymous");
  w.send("PASS x");
  w.op(OpListen{Sock::data});
  w.send("PORT 127,0,0,1,156,64");
  w.send("RETR f.bin");
  const auto got = w.events();
  EXPECT_EQ(std::vector<std::string>(got.end() - 5, got.end()),
            (Lines{"0 D connected",
                   "0 C: 150 File status okay. About to open data connection.\\r\\n", "0 D: data",
                   "0 D closed " + std::to_string(kEof), "0 C: 226 Transfer complete.\\r\\n"}));
}

// IDLE counts from the session's last activity (a command line, the connection), as pyftpdlib's
// idle timeout and the fixture count it, not from the moment the directive is set.
TEST(FtpServerModel, IdleCountsFromTheLastCommandNotFromTheDirective) {
  Wire w;
  w.op(OpConnect{Sock::control, "h", 21});
  w.events();
  w.now = 900;
  w.send("NOOP");
  w.events();
  w.now = 1000;
  w.plan.set("IDLE 200");
  w.server.plan_changed(w.now);
  EXPECT_TRUE(w.events(1099).empty());
  EXPECT_EQ(w.events(1100),
            (Lines{"1100 C: 421 No command for 200 ms, closing control connection.\\r\\n",
                   "1100 C closed " + std::to_string(kEof)}));
}

TEST(FtpServerModel, IdleSetAfterALongerSilenceFallsDueAtOnce) {
  Wire w;
  w.op(OpConnect{Sock::control, "h", 21});
  w.events();
  w.now = 1000;
  w.plan.set("IDLE 200");
  w.server.plan_changed(w.now);
  EXPECT_EQ(w.events(1000),
            (Lines{"1000 C: 421 No command for 200 ms, closing control connection.\\r\\n",
                   "1000 C closed " + std::to_string(kEof)}));
}

TEST(FtpServerModel, EventsOfAConnectionTheModemClosedAreDropped) {
  Wire w;
  w.plan.set("DELAY GREETING 500");
  w.op(OpConnect{Sock::control, "h", 21});
  w.events();
  w.op(OpClose{Sock::control});
  EXPECT_TRUE(w.events(1000).empty());
}

TEST(FtpServerModel, NetworkConditionsAndRefuse) {
  Wire w;
  w.plan.network.dns_fails = true;
  w.op(OpConnect{Sock::control, "h", 21});
  EXPECT_EQ(w.events(), (Lines{"0 C closed " +
                               std::to_string(static_cast<int>(qftp::ftp::SockError::resolve))}));
  w.plan.network = {};
  w.plan.network.latency = 250;
  w.plan.set("REFUSE");
  w.op(OpConnect{Sock::control, "h", 21});
  EXPECT_EQ(
      w.events(1000),
      (Lines{"250 C closed " + std::to_string(static_cast<int>(qftp::ftp::SockError::refused))}));
}

}  // namespace
