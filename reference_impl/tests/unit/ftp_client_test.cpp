// Unit tests of the sans-I/O FTP client (core/ftp/ftp_client.h) against a scripted fake server.
// The test plays both the server (replies, data) and the I/O shell (socket results), on virtual
// time.
#include "core/ftp/ftp_client.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <random>
#include <string>
#include <vector>

#include "core/common/overloaded.h"

namespace qftp::ftp {
namespace {

using V = std::vector<std::string>;
using Dir = TransferParams::Direction;

// The client's queues, drained into vectors.
std::vector<Op> take_ops(FtpClient& c) {
  std::vector<Op> out;
  c.take_ops([&out](Op&& op) { out.push_back(std::move(op)); });
  return out;
}

std::vector<ClientEvent> take_events(FtpClient& c) {
  std::vector<ClientEvent> out;
  c.take_events([&out](ClientEvent&& e) { out.push_back(std::move(e)); });
  return out;
}

// No operation runs: offline, or logged in and ready.
bool idle(const FtpClient& c) {
  return std::holds_alternative<phase::Offline>(c.phase()) ||
         std::holds_alternative<phase::Ready>(c.phase());
}

std::string sock_name(Sock s) {
  return s == Sock::control ? "control" : "data";
}

std::string describe(const Failure& f) {
  switch (f.kind) {
    case FailKind::reply:
      return "reply " + std::to_string(f.reply_code);
    case FailKind::resolve:
      return "resolve";
    case FailKind::connect:
      return "connect";
    case FailKind::control_closed:
      return "control_closed";
    case FailKind::data_closed:
      return "data_closed";
    case FailKind::context:
      return "context";
    case FailKind::timeout:
      return "timeout";
    case FailKind::protocol:
      return "protocol";
    case FailKind::aborted:
      return "aborted";
  }
  return "?";
}

std::string describe(const Op& op) {
  return std::visit(Overloaded{
                        [](const OpConnect& o) {
                          return "connect " + sock_name(o.sock) + " " + o.host + ":" +
                                 std::to_string(o.port);
                        },
                        [](const OpListen& o) { return "listen " + sock_name(o.sock); },
                        [](const OpSend& o) { return "send " + sock_name(o.sock) + " " + o.bytes; },
                        [](const OpClose& o) { return "close " + sock_name(o.sock); },
                    },
                    op);
}

std::string with_failure(const std::string& name, const std::optional<Failure>& f) {
  return f ? name + "(" + describe(*f) + ")" : name;
}

std::string describe(const ClientEvent& e) {
  return std::visit(
      Overloaded{
          [](const Opened&) { return std::string("Opened"); },
          [](const OpenFailed& x) { return "OpenFailed(" + describe(x.failure) + ")"; },
          [](const CwdDone& x) { return with_failure("CwdDone", x.failure); },
          [](const TransferReady&) { return std::string("TransferReady"); },
          [](const DataReceived& x) { return "Data(" + x.bytes + ")"; },
          [](const TransferDone& x) {
            return "TransferDone(" + std::to_string(x.bytes) +
                   (x.failure ? ", " + describe(*x.failure) : std::string()) + ")";
          },
          [](const Closed& x) { return with_failure("Closed", x.failure); },
          [](const Unsolicited& x) { return "Unsolicited(" + describe(x.failure) + ")"; },
          [](const FileOpDone& x) {
            return with_failure("FileOpDone(" + std::to_string(x.size) + ")", x.failure);
          },
      },
      e);
}

TransferParams get_params(std::string name = "file.bin", std::uint64_t rest = 0,
                          bool passive = true, bool binary = true) {
  TransferParams p;
  p.direction = Dir::get;
  p.remote_name = std::move(name);
  p.rest_point = rest;
  p.passive = passive;
  p.binary = binary;
  return p;
}

TransferParams put_params(std::string name = "up.txt", std::uint64_t rest = 0, bool passive = true,
                          bool binary = true) {
  TransferParams p = get_params(std::move(name), rest, passive, binary);
  p.direction = Dir::put;
  return p;
}

constexpr ClientTimeouts kTimeouts{1000, 2000, 3000};  // connect, reply, data: distinct on purpose

// The fake server and fake I/O shell. Every op and event is drained through here, which also
// checks two invariants: each socket gets one close per connect/listen, and download data only
// flows between TransferReady and TransferDone.
class FtpClientTest : public ::testing::Test {
 protected:
  FtpClient c{kTimeouts};
  TimeMs now = 0;

  void TearDown() override {
    EXPECT_EQ(ops(), V{}) << "ops left unchecked";
    EXPECT_EQ(events(), V{}) << "events left unchecked";
  }

  V ops() {
    V out;
    for (const Op& op : take_ops(c)) {
      std::visit(Overloaded{
                     [&](const OpConnect& o) { open_socket(o.sock); },
                     [&](const OpListen& o) { open_socket(o.sock); },
                     [&](const OpSend& o) {
                       EXPECT_TRUE(open_[index(o.sock)]) << "send on a closed socket";
                     },
                     [&](const OpClose& o) {
                       EXPECT_TRUE(open_[index(o.sock)]) << "close without connect";
                       open_[index(o.sock)] = false;
                     },
                 },
                 op);
      out.push_back(describe(op));
    }
    return out;
  }

  V events() {
    V out;
    for (const ClientEvent& e : take_events(c)) {
      if (std::holds_alternative<TransferReady>(e)) {
        EXPECT_FALSE(ready_) << "TransferReady twice";
        ready_ = true;
      } else if (std::holds_alternative<DataReceived>(e)) {
        EXPECT_TRUE(ready_) << "data outside TransferReady..TransferDone";
      } else if (std::holds_alternative<TransferDone>(e)) {
        ready_ = false;
      }
      out.push_back(describe(e));
    }
    return out;
  }

  void reply(std::string_view s) { c.on_data(now, Sock::control, s); }
  void data(std::string_view s) { c.on_data(now, Sock::data, s); }
  void tick(TimeMs t) {
    now = t;
    c.on_tick(now);
  }

  // Anonymous login up to Opened, login directory "/home/ftp".
  void login(const std::string& user = "", const std::string& password = "") {
    c.open(now, OpenParams{"ftp.example.com", 21, user, password});
    ASSERT_EQ(ops(), V{"connect control ftp.example.com:21"});
    c.on_connected(now, Sock::control, "10.0.0.5");
    reply("220 Welcome\r\n");
    ASSERT_EQ(ops(), V{"send control USER " + (user.empty() ? "anonymous" : user) + "\r\n"});
    reply("331 Password please\r\n");
    ASSERT_EQ(ops().size(), 1u);
    reply("230 Logged in\r\n");
    ASSERT_EQ(ops(), V{"send control PWD\r\n"});
    reply("257 \"/home/ftp\" is the current directory\r\n");
    ASSERT_EQ(events(), V{"Opened"});
    ASSERT_TRUE(c.connected());
    ASSERT_TRUE(idle(c));
  }

  // Passive set-up: TYPE, PASV, data connect, REST; returns once STOR/RETR has been sent.
  void passive_setup(const TransferParams& p) {
    c.transfer(now, p);
    ASSERT_EQ(ops(), V{std::string("send control TYPE ") + (p.binary ? "I" : "A") + "\r\n"});
    reply("200 Type set\r\n");
    ASSERT_EQ(ops(), V{"send control PASV\r\n"});
    reply("227 Entering Passive Mode (127,0,0,1,4,1)\r\n");
    ASSERT_EQ(ops(), V{"connect data 127.0.0.1:1025"});
    c.on_connected(now, Sock::data, "127.0.0.1");
    if (p.rest_point > 0) {
      ASSERT_EQ(ops(), V{"send control REST " + std::to_string(p.rest_point) + "\r\n"});
      reply("350 Restarting\r\n");
    }
    ASSERT_EQ(ops(), V{std::string("send control ") +
                       (p.direction == Dir::get ? "RETR " : "STOR ") + p.remote_name + "\r\n"});
    ASSERT_EQ(events(), V{});
  }

  // Passive set-up plus the 150: the transfer is ready.
  void passive_ready(const TransferParams& p) {
    ASSERT_NO_FATAL_FAILURE(passive_setup(p));
    reply("150 Opening BINARY mode data connection\r\n");
    ASSERT_EQ(events(), V{"TransferReady"});
    ASSERT_EQ(ops(), V{});
  }

  // After a failed or finished transfer: the session is still usable and in step with the server.
  void expect_in_sync() {
    ASSERT_TRUE(c.connected());
    ASSERT_TRUE(idle(c));
    c.cwd(now, "/sync");
    ASSERT_EQ(ops(), V{"send control CWD /sync\r\n"});
    reply("250 ok\r\n");
    ASSERT_EQ(events(), V{"CwdDone"});
  }

 private:
  static std::size_t index(Sock s) { return s == Sock::control ? 0 : 1; }
  void open_socket(Sock s) {
    EXPECT_FALSE(open_[index(s)]) << "socket opened twice without close";
    open_[index(s)] = true;
  }
  std::array<bool, 2> open_{};
  bool ready_ = false;
};

// --- login -------------------------------------------------------------------------------------

TEST_F(FtpClientTest, AnonymousLoginWithDeadlines) {
  EXPECT_EQ(c.deadline(), kNever);
  EXPECT_FALSE(c.connected());
  EXPECT_TRUE(idle(c));
  c.open(now, OpenParams{"ftp.example.com", 2121, "", ""});
  EXPECT_EQ(ops(), V{"connect control ftp.example.com:2121"});
  EXPECT_FALSE(idle(c));
  EXPECT_EQ(c.deadline(), 1000);
  now = 100;
  c.on_connected(now, Sock::control, "10.0.0.5");
  EXPECT_EQ(c.deadline(), 1100);  // the greeting is bounded by the connect timeout
  now = 200;
  reply("220 Welcome\r\n");
  EXPECT_EQ(ops(), V{"send control USER anonymous\r\n"});
  EXPECT_EQ(c.deadline(), 2200);
  now = 300;
  reply("331 Guest login ok, send your email as password\r\n");
  EXPECT_EQ(ops(), V{"send control PASS qftp@\r\n"});
  EXPECT_EQ(c.deadline(), 2300);
  reply("230 Guest login ok\r\n");
  EXPECT_EQ(ops(), V{"send control PWD\r\n"});
  EXPECT_EQ(events(), V{});
  EXPECT_FALSE(c.connected());
  reply("257 \"/\" is current directory\r\n");
  EXPECT_EQ(events(), V{"Opened"});
  EXPECT_TRUE(c.connected());
  EXPECT_TRUE(idle(c));
  EXPECT_EQ(c.deadline(), kNever);
}

TEST_F(FtpClientTest, NamedLogin) {
  c.open(now, OpenParams{"192.0.2.7", 21, "quectel", "123456"});
  EXPECT_EQ(ops(), V{"connect control 192.0.2.7:21"});
  c.on_connected(now, Sock::control, "10.0.0.5");
  reply("220 FTP server ready\r\n");
  EXPECT_EQ(ops(), V{"send control USER quectel\r\n"});
  reply("331 Password required for quectel\r\n");
  EXPECT_EQ(ops(), V{"send control PASS 123456\r\n"});
  reply("230 User quectel logged in\r\n");
  EXPECT_EQ(ops(), V{"send control PWD\r\n"});
  reply("257 \"/home/quectel\"\r\n");
  EXPECT_EQ(events(), V{"Opened"});
}

TEST_F(FtpClientTest, PasswordVariants) {
  struct Case {
    std::string user, password, expected_pass;
  };
  const std::vector<Case> cases = {
      {"", "", "PASS qftp@\r\n"},    {"anonymous", "", "PASS qftp@\r\n"},
      {"FTP", "", "PASS qftp@\r\n"}, {"", "me@example.com", "PASS me@example.com\r\n"},
      {"bob", "", "PASS \r\n"},
  };
  for (const Case& k : cases) {
    ASSERT_NO_FATAL_FAILURE(login(k.user, k.password));
    c.close(now);
    EXPECT_EQ(ops(), V{"send control QUIT\r\n"});
    reply("221 Bye\r\n");
    EXPECT_EQ(ops(), V{"close control"});
    EXPECT_EQ(events(), V{"Closed"});
  }
  // The password actually sent, checked separately so the helper can stay generic.
  for (const Case& k : cases) {
    c.open(now, OpenParams{"h", 21, k.user, k.password});
    ops();
    c.on_connected(now, Sock::control, "10.0.0.5");
    reply("220 hi\r\n331 pw\r\n");
    V sent = ops();
    ASSERT_EQ(sent.size(), 2u);
    EXPECT_EQ(sent[1], "send control " + k.expected_pass);
    c.close(now);
    EXPECT_EQ(ops(), V{"close control"});
    EXPECT_EQ(events(), (V{"OpenFailed(aborted)", "Closed"}));
  }
}

TEST_F(FtpClientTest, UserAcceptedWithoutPassword) {
  c.open(now, OpenParams{"h", 21, "guest", "secret"});
  ops();
  c.on_connected(now, Sock::control, "10.0.0.5");
  reply("220 hi\r\n");
  EXPECT_EQ(ops(), V{"send control USER guest\r\n"});
  reply("230 no password needed\r\n");
  EXPECT_EQ(ops(), V{"send control PWD\r\n"});
  reply("257 \"/\"\r\n");
  EXPECT_EQ(events(), V{"Opened"});
}

TEST_F(FtpClientTest, Pass202IsLoggedIn) {
  c.open(now, OpenParams{"h", 21, "u", "p"});
  ops();
  c.on_connected(now, Sock::control, "10.0.0.5");
  reply("220 hi\r\n331 pw\r\n202 superfluous\r\n");
  EXPECT_EQ(ops(),
            (V{"send control USER u\r\n", "send control PASS p\r\n", "send control PWD\r\n"}));
  reply("257 \"/\"\r\n");
  EXPECT_EQ(events(), V{"Opened"});
}

TEST_F(FtpClientTest, GreetingPreliminary120IsWaitedFor) {
  c.open(now, OpenParams{"h", 21, "", ""});
  ops();
  c.on_connected(now, Sock::control, "10.0.0.5");
  reply("120 Service ready in 1 minute\r\n");
  EXPECT_EQ(ops(), V{});
  EXPECT_EQ(events(), V{});
  reply("220 Ready now\r\n");
  EXPECT_EQ(ops(), V{"send control USER anonymous\r\n"});
}

TEST_F(FtpClientTest, MultiLineLfOnlyRepliesFedByteByByte) {
  c.open(now, OpenParams{"h", 21, "", ""});
  ops();
  c.on_connected(now, Sock::control, "10.0.0.5");
  auto feed = [&](std::string_view s) {
    for (char ch : s) {
      reply(std::string_view(&ch, 1));
    }
  };
  feed("220-Welcome\n220-This is a test\n123 not the end\n220 ready\n");
  EXPECT_EQ(ops(), V{"send control USER anonymous\r\n"});
  feed("331-Password\r\n331 please\r\n");
  EXPECT_EQ(ops(), V{"send control PASS qftp@\r\n"});
  feed("230-Hello\r\n230 ok\r\n");
  EXPECT_EQ(ops(), V{"send control PWD\r\n"});
  feed("257 \"/a\"\r\n");
  EXPECT_EQ(events(), V{"Opened"});
}

TEST_F(FtpClientTest, Greeting421) {
  c.open(now, OpenParams{"h", 21, "", ""});
  ops();
  c.on_connected(now, Sock::control, "10.0.0.5");
  reply("421 Too many connections\r\n");
  EXPECT_EQ(ops(), V{"close control"});
  EXPECT_EQ(events(), V{"OpenFailed(reply 421)"});
  EXPECT_FALSE(c.connected());
  EXPECT_TRUE(idle(c));
  EXPECT_EQ(c.deadline(), kNever);
  c.on_closed(now, Sock::control, SockError::eof);  // the server's close crossing ours
  EXPECT_EQ(events(), V{});
}

TEST_F(FtpClientTest, GreetingWithOtherCodeFails) {
  c.open(now, OpenParams{"h", 21, "", ""});
  ops();
  c.on_connected(now, Sock::control, "10.0.0.5");
  reply("500 what\r\n");
  EXPECT_EQ(ops(), V{"close control"});
  EXPECT_EQ(events(), V{"OpenFailed(reply 500)"});
}

TEST_F(FtpClientTest, LoginRejected) {
  struct Case {
    std::string user_reply, pass_reply, expected;
  };
  const std::vector<Case> cases = {
      {"331 pw\r\n", "530 Login incorrect\r\n", "OpenFailed(reply 530)"},
      {"530 No anonymous\r\n", "", "OpenFailed(reply 530)"},
      {"332 Need account\r\n", "", "OpenFailed(reply 332)"},
      {"331 pw\r\n", "332 Need account\r\n", "OpenFailed(reply 332)"},
      {"331 pw\r\n", "421 Bye\r\n", "OpenFailed(reply 421)"},
      {"500 Syntax\r\n", "", "OpenFailed(reply 500)"},
      {"331 pw\r\n", "350 odd\r\n", "OpenFailed(reply 350)"},
  };
  for (const Case& k : cases) {
    c.open(now, OpenParams{"h", 21, "u", "p"});
    c.on_connected(now, Sock::control, "10.0.0.5");
    reply("220 hi\r\n");
    reply(k.user_reply);
    if (!k.pass_reply.empty()) {
      reply(k.pass_reply);
    }
    V o = ops();
    ASSERT_FALSE(o.empty());
    EXPECT_EQ(o.back(), "close control") << k.expected;
    EXPECT_EQ(events(), V{k.expected});
    EXPECT_FALSE(c.connected());
    EXPECT_TRUE(idle(c));
  }
}

TEST_F(FtpClientTest, PwdFailureLeavesNoLoginDirectory) {
  c.open(now, OpenParams{"h", 21, "", ""});
  ops();
  c.on_connected(now, Sock::control, "10.0.0.5");
  reply("220 hi\r\n230 ok\r\n");
  EXPECT_EQ(ops(), (V{"send control USER anonymous\r\n", "send control PWD\r\n"}));
  reply("502 PWD not implemented\r\n");
  EXPECT_EQ(events(), V{"Opened"});
  c.cwd(now, "");
  EXPECT_EQ(ops(), V{});
  EXPECT_EQ(events(), V{"CwdDone"});
}

TEST_F(FtpClientTest, PwdUnquotedLeavesNoLoginDirectory) {
  c.open(now, OpenParams{"h", 21, "", ""});
  c.on_connected(now, Sock::control, "10.0.0.5");
  reply("220 hi\r\n230 ok\r\n257 /no/quotes\r\n");
  ops();
  EXPECT_EQ(events(), V{"Opened"});
  c.cwd(now, "");
  EXPECT_EQ(events(), V{"CwdDone"});
}

TEST_F(FtpClientTest, PwdWithDoubledQuotes) {
  c.open(now, OpenParams{"h", 21, "", ""});
  c.on_connected(now, Sock::control, "10.0.0.5");
  reply("220 hi\r\n230 ok\r\n257 \"/a \"\"b\"\" c\" is current\r\n");
  ops();
  EXPECT_EQ(events(), V{"Opened"});
  c.cwd(now, "");
  EXPECT_EQ(ops(), V{"send control CWD /a \"b\" c\r\n"});
  reply("250 ok\r\n");
  EXPECT_EQ(events(), V{"CwdDone"});
}

TEST_F(FtpClientTest, PwdUnterminatedQuote) {
  c.open(now, OpenParams{"h", 21, "", ""});
  c.on_connected(now, Sock::control, "10.0.0.5");
  reply("220 hi\r\n230 ok\r\n257 \"/half\r\n");
  ops();
  EXPECT_EQ(events(), V{"Opened"});
  c.cwd(now, "");
  EXPECT_EQ(events(), V{"CwdDone"});
}

TEST_F(FtpClientTest, RepliesAfterAFailureInTheSameSegmentAreDropped) {
  c.open(now, OpenParams{"h", 21, "", ""});
  c.on_connected(now, Sock::control, "10.0.0.5");
  reply("421 Too busy\r\n220 just kidding\r\n");
  EXPECT_EQ(ops(), (V{"connect control h:21", "close control"}));
  EXPECT_EQ(events(), V{"OpenFailed(reply 421)"});
}

TEST_F(FtpClientTest, Pwd421FailsTheOpen) {
  c.open(now, OpenParams{"h", 21, "", ""});
  c.on_connected(now, Sock::control, "10.0.0.5");
  reply("220 hi\r\n230 ok\r\n421 shutting down\r\n");
  V o = ops();
  EXPECT_EQ(o.back(), "close control");
  EXPECT_EQ(events(), V{"OpenFailed(reply 421)"});
  EXPECT_FALSE(c.connected());
}

TEST_F(FtpClientTest, ConnectFailuresMapToKinds) {
  const std::vector<std::pair<SockError, std::string>> cases = {
      {SockError::resolve, "OpenFailed(resolve)"}, {SockError::refused, "OpenFailed(connect)"},
      {SockError::reset, "OpenFailed(connect)"},   {SockError::unreachable, "OpenFailed(connect)"},
      {SockError::timeout, "OpenFailed(timeout)"}, {SockError::context, "OpenFailed(context)"},
      {SockError::eof, "OpenFailed(connect)"},
  };
  for (const auto& [why, expected] : cases) {
    c.open(now, OpenParams{"nowhere.invalid", 21, "", ""});
    EXPECT_EQ(ops(), V{"connect control nowhere.invalid:21"});
    c.on_closed(now, Sock::control, why);
    EXPECT_EQ(ops(), V{"close control"});
    EXPECT_EQ(events(), V{expected});
    EXPECT_TRUE(idle(c));
    EXPECT_FALSE(c.connected());
    EXPECT_EQ(c.deadline(), kNever);
  }
  ASSERT_NO_FATAL_FAILURE(login());  // usable afterwards
}

TEST_F(FtpClientTest, ControlClosedDuringLogin) {
  c.open(now, OpenParams{"h", 21, "", ""});
  c.on_connected(now, Sock::control, "10.0.0.5");
  c.on_closed(now, Sock::control, SockError::eof);
  EXPECT_EQ(ops(), (V{"connect control h:21", "close control"}));
  EXPECT_EQ(events(), V{"OpenFailed(control_closed)"});

  c.open(now, OpenParams{"h", 21, "", ""});
  c.on_connected(now, Sock::control, "10.0.0.5");
  reply("220 hi\r\n");
  c.on_closed(now, Sock::control, SockError::reset);
  EXPECT_EQ(ops(), (V{"connect control h:21", "send control USER anonymous\r\n", "close control"}));
  EXPECT_EQ(events(), V{"OpenFailed(control_closed)"});

  c.open(now, OpenParams{"h", 21, "", ""});
  c.on_connected(now, Sock::control, "10.0.0.5");
  reply("220 hi\r\n");
  c.on_closed(now, Sock::control, SockError::context);
  ops();
  EXPECT_EQ(events(), V{"OpenFailed(context)"});
}

TEST_F(FtpClientTest, OpenTimeouts) {
  // TCP connect never reported: the connect timeout from open().
  c.open(0, OpenParams{"h", 21, "", ""});
  EXPECT_EQ(c.deadline(), 1000);
  tick(999);
  EXPECT_EQ(events(), V{});
  tick(1000);
  EXPECT_EQ(ops(), (V{"connect control h:21", "close control"}));
  EXPECT_EQ(events(), V{"OpenFailed(timeout)"});
  c.on_connected(now, Sock::control, "10.0.0.5");  // too late: ignored
  EXPECT_EQ(ops(), V{});
  EXPECT_EQ(c.deadline(), kNever);

  // No greeting: connect timeout again, from on_connected.
  c.open(2000, OpenParams{"h", 21, "", ""});
  c.on_connected(2500, Sock::control, "10.0.0.5");
  EXPECT_EQ(c.deadline(), 3500);
  tick(3499);
  EXPECT_EQ(events(), V{});
  tick(3500);
  EXPECT_EQ(ops(), (V{"connect control h:21", "close control"}));
  EXPECT_EQ(events(), V{"OpenFailed(timeout)"});

  // No answer to USER, PASS, PWD: the reply timeout from each command.
  for (int step = 0; step < 3; ++step) {
    now = 10000;
    c.open(now, OpenParams{"h", 21, "", ""});
    c.on_connected(now, Sock::control, "10.0.0.5");
    now = 10100;
    reply("220 hi\r\n");
    if (step >= 1) {
      now = 10200;
      reply("331 pw\r\n");
    }
    if (step >= 2) {
      now = 10300;
      reply("230 ok\r\n");
    }
    EXPECT_EQ(c.deadline(), now + 2000);
    tick(now + 1999);
    EXPECT_EQ(events(), V{});
    tick(now + 1);
    EXPECT_EQ(ops().back(), "close control");
    EXPECT_EQ(events(), V{"OpenFailed(timeout)"});
    EXPECT_FALSE(c.connected());
  }
}

TEST_F(FtpClientTest, ReopenAfterClose) {
  ASSERT_NO_FATAL_FAILURE(login());
  c.close(now);
  reply("221 Bye\r\n");
  EXPECT_EQ(ops(), (V{"send control QUIT\r\n", "close control"}));
  EXPECT_EQ(events(), V{"Closed"});
  ASSERT_NO_FATAL_FAILURE(login("second", "pw"));
}

// --- CWD ---------------------------------------------------------------------------------------

TEST_F(FtpClientTest, CwdOk) {
  ASSERT_NO_FATAL_FAILURE(login());
  now = 50;
  c.cwd(now, "/pub/firmware");
  EXPECT_EQ(ops(), V{"send control CWD /pub/firmware\r\n"});
  EXPECT_FALSE(idle(c));
  EXPECT_EQ(c.deadline(), 2050);
  reply("250 Directory successfully changed.\r\n");
  EXPECT_EQ(events(), V{"CwdDone"});
  EXPECT_TRUE(idle(c));
  EXPECT_EQ(c.deadline(), kNever);

  c.cwd(now, "x");
  reply("200 any 2xx will do\r\n");
  EXPECT_EQ(ops(), V{"send control CWD x\r\n"});
  EXPECT_EQ(events(), V{"CwdDone"});
}

// The one-command operations of later firmware (docs/field-facts.md §5).
TEST_F(FtpClientTest, SizeSetsBinaryTypeThenReadsTheNumber) {
  ASSERT_NO_FATAL_FAILURE(login());
  c.file_op(now, FileOp::size, "fw.bin");
  EXPECT_EQ(ops(), V{"send control TYPE I\r\n"});
  reply("200 Type set to: Binary.\r\n");
  EXPECT_EQ(ops(), V{"send control SIZE fw.bin\r\n"});
  EXPECT_FALSE(idle(c));
  reply("213 1587\r\n");
  EXPECT_EQ(events(), V{"FileOpDone(1587)"});
  c.file_op(now, FileOp::size, "x");
  reply("200 ok\r\n");
  reply("213 not-a-number\r\n");
  EXPECT_EQ(ops(), (V{"send control TYPE I\r\n", "send control SIZE x\r\n"}));
  EXPECT_EQ(events(), V{"FileOpDone(0)(protocol)"});
  c.file_op(now, FileOp::size, "missing");
  reply("200 ok\r\n550 missing is not retrievable.\r\n");
  EXPECT_EQ(ops(), (V{"send control TYPE I\r\n", "send control SIZE missing\r\n"}));
  EXPECT_EQ(events(), V{"FileOpDone(0)(reply 550)"});
  ASSERT_NO_FATAL_FAILURE(expect_in_sync());
}

TEST_F(FtpClientTest, RenameNeeds350BeforeRnto) {
  ASSERT_NO_FATAL_FAILURE(login());
  c.file_op(now, FileOp::rename, "a", "b");
  EXPECT_EQ(ops(), V{"send control RNFR a\r\n"});
  reply("350 Ready for destination name.\r\n");
  EXPECT_EQ(ops(), V{"send control RNTO b\r\n"});
  reply("250 Renaming ok.\r\n");
  EXPECT_EQ(events(), V{"FileOpDone(0)"});
  c.file_op(now, FileOp::rename, "missing", "b");
  EXPECT_EQ(ops(), V{"send control RNFR missing\r\n"});
  reply("550 No such file or directory.\r\n");
  EXPECT_EQ(events(), V{"FileOpDone(0)(reply 550)"});
  ASSERT_NO_FATAL_FAILURE(expect_in_sync());
}

TEST_F(FtpClientTest, DeleMkdRmdAreOneCommandEach) {
  ASSERT_NO_FATAL_FAILURE(login());
  const std::pair<FileOp, std::string> cases[] = {
      {FileOp::dele, "DELE f"}, {FileOp::mkd, "MKD f"}, {FileOp::rmd, "RMD f"}};
  for (const auto& [op, line] : cases) {
    c.file_op(now, op, "f");
    EXPECT_EQ(ops(), V{"send control " + line + "\r\n"});
    reply(op == FileOp::mkd ? "257 \"/f\" directory created.\r\n" : "250 ok\r\n");
    EXPECT_EQ(events(), V{"FileOpDone(0)"});
  }
  c.file_op(now, FileOp::dele, "bad\r\nDELE other");
  EXPECT_EQ(events(), V{"FileOpDone(0)(protocol)"});
}

TEST_F(FtpClientTest, AFileOpWithoutAnswerLosesTheSessionAndCloseEndsIt) {
  ASSERT_NO_FATAL_FAILURE(login());
  now = 100;
  c.file_op(now, FileOp::mkd, "slow");
  EXPECT_EQ(ops(), V{"send control MKD slow\r\n"});
  c.close(now);
  EXPECT_EQ(events(), V{"FileOpDone(0)(aborted)"});
  EXPECT_EQ(ops(), V{"send control QUIT\r\n"});
  reply("257 late\r\n221 Bye\r\n");  // the MKD's reply is discarded, QUIT's closes
  EXPECT_EQ(ops(), V{"close control"});
  EXPECT_EQ(events(), V{"Closed"});
  ASSERT_NO_FATAL_FAILURE(login());
  c.file_op(now, FileOp::dele, "slow");
  EXPECT_EQ(ops(), V{"send control DELE slow\r\n"});
  tick(now + 2000);
  EXPECT_EQ(ops(), V{"close control"});
  EXPECT_EQ(events(), V{"FileOpDone(0)(timeout)"});
  EXPECT_FALSE(c.connected());
}

TEST_F(FtpClientTest, ListingsAreDownloadsOfListAndNlst) {
  ASSERT_NO_FATAL_FAILURE(login());
  TransferParams p = get_params("", 0, true, false);
  p.direction = Dir::nlst;
  c.transfer(now, p);
  EXPECT_EQ(ops(), V{"send control TYPE A\r\n"});
  reply("200 Type set\r\n");
  EXPECT_EQ(ops(), V{"send control PASV\r\n"});
  reply("227 Entering Passive Mode (127,0,0,1,4,1)\r\n");
  EXPECT_EQ(ops(), V{"connect data 127.0.0.1:1025"});
  c.on_connected(now, Sock::data, "127.0.0.1");
  EXPECT_EQ(ops(), V{"send control NLST\r\n"});
  reply("150 here\r\n");
  EXPECT_EQ(events(), V{"TransferReady"});
  data("a\r\nb\r\n");
  c.on_closed(now, Sock::data, SockError::eof);
  reply("226 done\r\n");
  EXPECT_EQ(events(), (V{"Data(a\r\nb\r\n)", "TransferDone(6)"}));
  EXPECT_EQ(ops(), V{"close data"});
  p.direction = Dir::list;
  p.remote_name = "pub";
  c.transfer(now, p);
  reply("200 Type set\r\n");
  reply("227 Entering Passive Mode (127,0,0,1,4,1)\r\n");
  c.on_connected(now, Sock::data, "127.0.0.1");
  EXPECT_EQ(ops(), (V{"send control TYPE A\r\n", "send control PASV\r\n",
                      "connect data 127.0.0.1:1025", "send control LIST pub\r\n"}));
  reply("550 No such file or directory.\r\n");
  EXPECT_EQ(ops(), V{"close data"});
  EXPECT_EQ(events(), V{"TransferDone(0, reply 550)"});
}

TEST_F(FtpClientTest, Cwd550) {
  ASSERT_NO_FATAL_FAILURE(login());
  c.cwd(now, "/missing");
  EXPECT_EQ(ops(), V{"send control CWD /missing\r\n"});
  reply("550 Failed to change directory.\r\n");
  EXPECT_EQ(events(), V{"CwdDone(reply 550)"});
  EXPECT_TRUE(c.connected());
  ASSERT_NO_FATAL_FAILURE(expect_in_sync());
}

TEST_F(FtpClientTest, CwdEmptyGoesToLoginDirectory) {
  ASSERT_NO_FATAL_FAILURE(login());
  c.cwd(now, "");
  EXPECT_EQ(ops(), V{"send control CWD /home/ftp\r\n"});
  reply("250 ok\r\n");
  EXPECT_EQ(events(), V{"CwdDone"});
}

TEST_F(FtpClientTest, CwdTimeoutLosesTheSession) {
  ASSERT_NO_FATAL_FAILURE(login());
  now = 100;
  c.cwd(now, "/slow");
  EXPECT_EQ(ops(), V{"send control CWD /slow\r\n"});
  tick(2099);
  EXPECT_EQ(events(), V{});
  tick(2100);
  EXPECT_EQ(ops(), V{"close control"});
  EXPECT_EQ(events(), V{"CwdDone(timeout)"});
  EXPECT_FALSE(c.connected());
  EXPECT_TRUE(idle(c));
  EXPECT_EQ(c.deadline(), kNever);
  reply("250 late\r\n");  // on the closed connection: nothing
  c.on_closed(now, Sock::control, SockError::eof);
  EXPECT_EQ(ops(), V{});
  EXPECT_EQ(events(), V{});
  ASSERT_NO_FATAL_FAILURE(login());  // a new session works
  ASSERT_NO_FATAL_FAILURE(expect_in_sync());
}

// The late answer to a timed-out CWD must not be taken as TYPE's, nor TYPE's as PASV's: the
// timeout ends the session, so there is no next command on it to confuse.
TEST_F(FtpClientTest, LateReplyAfterATimeoutAnswersNoLaterCommand) {
  ASSERT_NO_FATAL_FAILURE(login());
  now = 100;
  c.cwd(now, "/slow");
  tick(2100);
  EXPECT_EQ(ops(), (V{"send control CWD /slow\r\n", "close control"}));
  EXPECT_EQ(events(), V{"CwdDone(timeout)"});
  c.transfer(now, get_params());
  EXPECT_EQ(ops(), V{});  // no TYPE on a lost session
  EXPECT_EQ(events(), V{"TransferDone(0, control_closed)"});
  reply("250 late\r\n200 Type set\r\n");
  EXPECT_EQ(ops(), V{});
  EXPECT_EQ(events(), V{});
  // Each command of the new session gets its own answer.
  ASSERT_NO_FATAL_FAILURE(login());
  ASSERT_NO_FATAL_FAILURE(passive_ready(get_params()));
  data("ok");
  c.on_closed(now, Sock::data, SockError::eof);
  reply("226 done\r\n");
  EXPECT_EQ(ops(), V{"close data"});
  EXPECT_EQ(events(), (V{"Data(ok)", "TransferDone(2)"}));
}

TEST_F(FtpClientTest, CwdControlClosed) {
  ASSERT_NO_FATAL_FAILURE(login());
  c.cwd(now, "/x");
  c.on_closed(now, Sock::control, SockError::eof);
  EXPECT_EQ(ops(), (V{"send control CWD /x\r\n", "close control"}));
  EXPECT_EQ(events(), V{"CwdDone(control_closed)"});
  EXPECT_FALSE(c.connected());
  EXPECT_TRUE(idle(c));
}

// --- passive transfers -------------------------------------------------------------------------

TEST_F(FtpClientTest, PassiveDownloadWithRest226BeforeEof) {
  ASSERT_NO_FATAL_FAILURE(login());
  ASSERT_NO_FATAL_FAILURE(passive_ready(get_params("file.bin", 100)));
  data("hello");
  data(" world");
  EXPECT_EQ(events(), (V{"Data(hello)", "Data( world)"}));
  reply("226 Transfer complete\r\n");
  EXPECT_EQ(events(), V{});
  EXPECT_FALSE(idle(c));
  c.on_closed(now, Sock::data, SockError::eof);
  EXPECT_EQ(ops(), V{"close data"});
  EXPECT_EQ(events(), V{"TransferDone(11)"});
  ASSERT_NO_FATAL_FAILURE(expect_in_sync());
}

TEST_F(FtpClientTest, PassiveDownloadEofBefore226) {
  ASSERT_NO_FATAL_FAILURE(login());
  ASSERT_NO_FATAL_FAILURE(passive_ready(get_params()));
  data("abc");
  c.on_closed(now, Sock::data, SockError::eof);
  EXPECT_EQ(events(), V{"Data(abc)"});
  EXPECT_FALSE(idle(c));
  reply("226 Transfer complete\r\n");
  EXPECT_EQ(ops(), V{"close data"});
  EXPECT_EQ(events(), V{"TransferDone(3)"});
  ASSERT_NO_FATAL_FAILURE(expect_in_sync());
}

TEST_F(FtpClientTest, PassiveDownload250AndEmptyFile) {
  ASSERT_NO_FATAL_FAILURE(login());
  ASSERT_NO_FATAL_FAILURE(passive_ready(get_params("empty")));
  c.on_closed(now, Sock::data, SockError::eof);
  reply("250 done\r\n");
  EXPECT_EQ(ops(), V{"close data"});
  EXPECT_EQ(events(), V{"TransferDone(0)"});
}

TEST_F(FtpClientTest, PassiveUploadWithRestAsciiType) {
  ASSERT_NO_FATAL_FAILURE(login());
  ASSERT_NO_FATAL_FAILURE(passive_ready(put_params("sscom.ini", 1587, true, false)));
  EXPECT_EQ(c.deadline(), kNever);  // the engine paces an upload
  c.send_data(now, "abc");
  c.send_data(now, "");
  c.send_data(now, "de");
  EXPECT_EQ(ops(), (V{"send data abc", "send data de"}));
  now = 500;
  c.finish_upload(now);
  EXPECT_EQ(ops(), V{"close data"});
  EXPECT_EQ(c.deadline(), 2500);
  c.send_data(now, "late");  // after finish: dropped
  EXPECT_EQ(ops(), V{});
  reply("226 Transfer complete\r\n");
  EXPECT_EQ(events(), V{"TransferDone(5)"});
  ASSERT_NO_FATAL_FAILURE(expect_in_sync());
}

TEST_F(FtpClientTest, UploadWithoutRest) {
  ASSERT_NO_FATAL_FAILURE(login());
  ASSERT_NO_FATAL_FAILURE(passive_ready(put_params("a.txt")));
  c.finish_upload(now);
  reply("226 ok\r\n");
  EXPECT_EQ(ops(), V{"close data"});
  EXPECT_EQ(events(), V{"TransferDone(0)"});
}

// --- a download's data and its replies, in every order -----------------------------------------
// The data connection is read as soon as it is open: data before the 150 makes the transfer ready
// (TransferReady, then the data, so that CONNECT precedes it), and the late 150 changes nothing.
// The sizes are beyond any buffer a client could hold while it waited for the 150.

constexpr std::size_t kBigDownload = 200 * 1024;
constexpr std::size_t kChunk = 8192;

// The download's bytes in chunks, each chunk's contents distinct so that order is checked too.
std::string big_chunk(std::size_t i) {
  return std::string(kChunk, static_cast<char>('a' + i % 26));
}

class DownloadOrderTest : public FtpClientTest {
 protected:
  // Sends `count` chunks from chunk `first` on; each is delivered at once, in order.
  void send_chunks(std::size_t first, std::size_t count) {
    for (std::size_t i = first; i < first + count; ++i) {
      data(big_chunk(i));
      const std::vector<ClientEvent> got = take_events(c);
      ASSERT_EQ(got.size(), 1u) << "chunk " << i << " not delivered at once";
      const auto* d = std::get_if<DataReceived>(&got.front());
      ASSERT_NE(d, nullptr);
      ASSERT_EQ(d->bytes, big_chunk(i));
      ASSERT_EQ(c.deadline(), now + kTimeouts.data) << "a flowing download waits on its data";
    }
  }
  // The first `count` chunks with no 150 before them: the first chunk makes the transfer ready,
  // and TransferReady comes before its data (ruling 5: CONNECT first).
  void chunks_before_150(std::size_t count) {
    data(big_chunk(0));
    ASSERT_EQ(events(), (V{"TransferReady", "Data(" + big_chunk(0) + ")"}));
    ASSERT_NO_FATAL_FAILURE(send_chunks(1, count - 1));
  }
  static constexpr std::size_t kChunks = kBigDownload / kChunk;
  static std::string done_event() { return "TransferDone(" + std::to_string(kBigDownload) + ")"; }
};

TEST_F(DownloadOrderTest, DataBefore150FlowsAtOnce) {
  ASSERT_NO_FATAL_FAILURE(login());
  ASSERT_NO_FATAL_FAILURE(passive_setup(get_params()));
  ASSERT_NO_FATAL_FAILURE(chunks_before_150(kChunks / 2));
  reply("150 Opening\r\n");  // late: the transfer already flows
  EXPECT_EQ(events(), V{});
  EXPECT_EQ(ops(), V{});
  ASSERT_NO_FATAL_FAILURE(send_chunks(kChunks / 2, kChunks - kChunks / 2));
  c.on_closed(now, Sock::data, SockError::eof);
  EXPECT_EQ(events(), V{});
  EXPECT_EQ(c.deadline(), now + kTimeouts.reply);  // the 226 is owed
  reply("226 ok\r\n");
  EXPECT_EQ(ops(), V{"close data"});
  EXPECT_EQ(events(), V{done_event()});
  ASSERT_NO_FATAL_FAILURE(expect_in_sync());
}

TEST_F(DownloadOrderTest, PreliminaryAndFinalTogetherAfterAllData) {
  // The fixture's BURST: the 150 is held back and leaves with the 226, after the data's EOF.
  ASSERT_NO_FATAL_FAILURE(login());
  ASSERT_NO_FATAL_FAILURE(passive_setup(get_params()));
  ASSERT_NO_FATAL_FAILURE(chunks_before_150(kChunks));
  c.on_closed(now, Sock::data, SockError::eof);
  EXPECT_EQ(events(), V{});
  reply("150 Opening\r\n226 Transfer complete\r\n");
  EXPECT_EQ(ops(), V{"close data"});
  EXPECT_EQ(events(), V{done_event()});
  ASSERT_NO_FATAL_FAILURE(expect_in_sync());
}

TEST_F(DownloadOrderTest, FinalBeforeTheDataEnds) {
  for (const bool with_150 : {true, false}) {
    SCOPED_TRACE(with_150 ? "150 first" : "no 150 at all");
    ASSERT_NO_FATAL_FAILURE(login());
    ASSERT_NO_FATAL_FAILURE(passive_setup(get_params()));
    if (with_150) {
      reply("150 Opening\r\n");
      EXPECT_EQ(events(), V{"TransferReady"});
      ASSERT_NO_FATAL_FAILURE(send_chunks(0, kChunks / 2));
    } else {
      ASSERT_NO_FATAL_FAILURE(chunks_before_150(kChunks / 2));
    }
    reply("226 Transfer complete\r\n");  // overtakes the data still in flight
    EXPECT_EQ(events(), V{});
    ASSERT_NO_FATAL_FAILURE(send_chunks(kChunks / 2, kChunks - kChunks / 2));
    c.on_closed(now, Sock::data, SockError::eof);
    EXPECT_EQ(ops(), V{"close data"});
    EXPECT_EQ(events(), V{done_event()});
    ASSERT_NO_FATAL_FAILURE(expect_in_sync());
    c.close(now);
    reply("221 bye\r\n");
    ops();
    EXPECT_EQ(events(), V{"Closed"});
  }
}

TEST_F(DownloadOrderTest, EofBefore150) {
  // All the data, then its EOF, then the 150, then (separately) the 226.
  ASSERT_NO_FATAL_FAILURE(login());
  ASSERT_NO_FATAL_FAILURE(passive_setup(get_params()));
  ASSERT_NO_FATAL_FAILURE(chunks_before_150(kChunks));
  c.on_closed(now, Sock::data, SockError::eof);
  reply("150 Opening\r\n");
  EXPECT_EQ(events(), V{});
  reply("226 ok\r\n");
  EXPECT_EQ(ops(), V{"close data"});
  EXPECT_EQ(events(), V{done_event()});
}

TEST_F(DownloadOrderTest, EmptyFileEofBefore150) {
  // No data to imply the 150: the replies decide, whenever they come.
  ASSERT_NO_FATAL_FAILURE(login());
  ASSERT_NO_FATAL_FAILURE(passive_setup(get_params()));
  c.on_closed(now, Sock::data, SockError::eof);
  EXPECT_EQ(events(), V{});
  EXPECT_EQ(c.deadline(), now + kTimeouts.reply);
  reply("150 Opening\r\n226 Done\r\n");
  EXPECT_EQ(ops(), V{"close data"});
  EXPECT_EQ(events(), (V{"TransferReady", "TransferDone(0)"}));
}

TEST_F(DownloadOrderTest, RefusalAfterEofWithoutData) {
  // A server that opens and closes the data connection, then refuses: no CONNECT, the code.
  ASSERT_NO_FATAL_FAILURE(login());
  ASSERT_NO_FATAL_FAILURE(passive_setup(get_params()));
  c.on_closed(now, Sock::data, SockError::eof);
  reply("550 No such file\r\n");
  EXPECT_EQ(ops(), V{"close data"});
  EXPECT_EQ(events(), V{"TransferDone(0, reply 550)"});
  ASSERT_NO_FATAL_FAILURE(expect_in_sync());
}

TEST_F(DownloadOrderTest, CutAfterDataBefore150KeepsTheBytes) {
  // The data came without a 150, then the server gave up: the bytes count, the reply is the code.
  ASSERT_NO_FATAL_FAILURE(login());
  ASSERT_NO_FATAL_FAILURE(passive_setup(get_params()));
  ASSERT_NO_FATAL_FAILURE(chunks_before_150(kChunks));
  reply("150 Opening\r\n426 Connection closed; transfer aborted\r\n");
  EXPECT_EQ(events(), V{});
  c.on_closed(now, Sock::data, SockError::eof);
  EXPECT_EQ(ops(), V{"close data"});
  EXPECT_EQ(events(), V{"TransferDone(" + std::to_string(kBigDownload) + ", reply 426)"});
  ASSERT_NO_FATAL_FAILURE(expect_in_sync());
}

TEST_F(DownloadOrderTest, ActiveModeDataBefore150) {
  ASSERT_NO_FATAL_FAILURE(login());
  c.transfer(now, get_params("f", 0, /*passive=*/false));
  reply("200 ok\r\n");
  EXPECT_EQ(ops(), (V{"send control TYPE I\r\n", "listen data"}));
  c.on_listening(now, "10.0.0.5", 2000);
  EXPECT_EQ(ops(), V{"send control PORT 10,0,0,5,7,208\r\n"});
  reply("200 PORT ok\r\n");
  EXPECT_EQ(ops(), V{"send control RETR f\r\n"});
  c.on_connected(now, Sock::data, "10.0.0.5");
  EXPECT_EQ(events(), V{});
  ASSERT_NO_FATAL_FAILURE(chunks_before_150(kChunks));
  c.on_closed(now, Sock::data, SockError::eof);
  reply("150 connected\r\n226 ok\r\n");
  EXPECT_EQ(ops(), V{"close data"});
  EXPECT_EQ(events(), V{done_event()});
}

TEST_F(FtpClientTest, ServerThatSkips150) {
  ASSERT_NO_FATAL_FAILURE(login());
  ASSERT_NO_FATAL_FAILURE(passive_setup(get_params()));
  reply("226 Done\r\n");
  EXPECT_EQ(events(), V{"TransferReady"});
  data("q");
  EXPECT_EQ(events(), V{"Data(q)"});
  c.on_closed(now, Sock::data, SockError::eof);
  EXPECT_EQ(ops(), V{"close data"});
  EXPECT_EQ(events(), V{"TransferDone(1)"});
}

TEST_F(FtpClientTest, EpsvFallback) {
  for (int refusal : {500, 502}) {
    ASSERT_NO_FATAL_FAILURE(login());
    c.transfer(now, get_params("f"));
    reply("200 ok\r\n");
    EXPECT_EQ(ops(), (V{"send control TYPE I\r\n", "send control PASV\r\n"}));
    reply(std::to_string(refusal) + " PASV not understood\r\n");
    EXPECT_EQ(ops(), V{"send control EPSV\r\n"});
    reply("229 Entering Extended Passive Mode (|||6446|)\r\n");
    EXPECT_EQ(ops(), V{"connect data ftp.example.com:6446"});
    c.on_connected(now, Sock::data, "10.0.0.5");
    EXPECT_EQ(ops(), V{"send control RETR f\r\n"});
    reply("150 ok\r\n");
    data("1");
    c.on_closed(now, Sock::data, SockError::eof);
    reply("226 ok\r\n");
    EXPECT_EQ(ops(), V{"close data"});
    EXPECT_EQ(events(), (V{"TransferReady", "Data(1)", "TransferDone(1)"}));
    c.close(now);
    reply("221 bye\r\n");
    ops();
    EXPECT_EQ(events(), V{"Closed"});
  }
}

TEST_F(FtpClientTest, EpsvRefusedOrMalformed) {
  ASSERT_NO_FATAL_FAILURE(login());
  c.transfer(now, get_params("f"));
  reply("200 ok\r\n502 no PASV\r\n500 no EPSV either\r\n");
  EXPECT_EQ(ops(),
            (V{"send control TYPE I\r\n", "send control PASV\r\n", "send control EPSV\r\n"}));
  EXPECT_EQ(events(), V{"TransferDone(0, reply 500)"});
  ASSERT_NO_FATAL_FAILURE(expect_in_sync());

  c.transfer(now, get_params("f"));
  reply("200 ok\r\n502 no PASV\r\n229 Extended Passive Mode (|||0|)\r\n");
  ops();
  EXPECT_EQ(events(), V{"TransferDone(0, protocol)"});
  ASSERT_NO_FATAL_FAILURE(expect_in_sync());
}

TEST_F(FtpClientTest, PasvZeroHostUsesControlHost) {
  ASSERT_NO_FATAL_FAILURE(login());
  c.transfer(now, get_params("f"));
  reply("200 ok\r\n227 Entering Passive Mode (0,0,0,0,19,137)\r\n");
  EXPECT_EQ(ops(), (V{"send control TYPE I\r\n", "send control PASV\r\n",
                      "connect data ftp.example.com:5001"}));
  c.abort(now);
  EXPECT_EQ(ops(), V{"close data"});
  EXPECT_EQ(events(), V{"TransferDone(0, aborted)"});
}

TEST_F(FtpClientTest, PasvFailures) {
  ASSERT_NO_FATAL_FAILURE(login());
  c.transfer(now, get_params("f"));
  reply("200 ok\r\n227 Entering Passive Mode (300,0,0,1,4,1)\r\n");
  EXPECT_EQ(ops(), (V{"send control TYPE I\r\n", "send control PASV\r\n"}));
  EXPECT_EQ(events(), V{"TransferDone(0, protocol)"});
  EXPECT_TRUE(c.connected());

  c.transfer(now, get_params("f"));
  reply("200 ok\r\n530 not logged in\r\n");
  ops();
  EXPECT_EQ(events(), V{"TransferDone(0, reply 530)"});

  c.transfer(now, get_params("f"));
  reply("504 no such type\r\n");
  EXPECT_EQ(ops(), V{"send control TYPE I\r\n"});
  EXPECT_EQ(events(), V{"TransferDone(0, reply 504)"});
  ASSERT_NO_FATAL_FAILURE(expect_in_sync());
}

TEST_F(FtpClientTest, RestRefused) {
  ASSERT_NO_FATAL_FAILURE(login());
  c.transfer(now, put_params("f", 10));
  reply("200 ok\r\n227 (127,0,0,1,4,1)\r\n");
  c.on_connected(now, Sock::data, "127.0.0.1");
  EXPECT_EQ(ops(), (V{"send control TYPE I\r\n", "send control PASV\r\n",
                      "connect data 127.0.0.1:1025", "send control REST 10\r\n"}));
  reply("502 REST not implemented\r\n");
  EXPECT_EQ(ops(), V{"close data"});
  EXPECT_EQ(events(), V{"TransferDone(0, reply 502)"});
  ASSERT_NO_FATAL_FAILURE(expect_in_sync());
}

// --- active transfers --------------------------------------------------------------------------

TEST_F(FtpClientTest, ActiveDownload) {
  ASSERT_NO_FATAL_FAILURE(login());
  c.transfer(now, get_params("f.bin", 0, false));
  reply("200 ok\r\n");
  EXPECT_EQ(ops(), (V{"send control TYPE I\r\n", "listen data"}));
  c.on_listening(now, "10.0.0.5", 5001);
  EXPECT_EQ(ops(), V{"send control PORT 10,0,0,5,19,137\r\n"});
  reply("200 PORT command successful\r\n");
  EXPECT_EQ(ops(), V{"send control RETR f.bin\r\n"});
  now = 40;
  reply("150 Opening data connection\r\n");
  EXPECT_EQ(events(), V{});  // not connected yet
  EXPECT_EQ(c.deadline(), 1040);
  c.on_connected(now, Sock::data, "10.0.0.5");
  EXPECT_EQ(events(), V{"TransferReady"});
  data("payload");
  reply("226 ok\r\n");
  c.on_closed(now, Sock::data, SockError::eof);
  EXPECT_EQ(ops(), V{"close data"});
  EXPECT_EQ(events(), (V{"Data(payload)", "TransferDone(7)"}));
  ASSERT_NO_FATAL_FAILURE(expect_in_sync());
}

TEST_F(FtpClientTest, ActiveUploadWithRestAcceptBefore150) {
  ASSERT_NO_FATAL_FAILURE(login());
  c.transfer(now, put_params("u", 7, false));
  reply("200 ok\r\n");
  c.on_listening(now, "10.0.0.5", 256);
  reply("200 ok\r\n");
  EXPECT_EQ(ops(), (V{"send control TYPE I\r\n", "listen data",
                      "send control PORT 10,0,0,5,1,0\r\n", "send control REST 7\r\n"}));
  reply("350 ok\r\n");
  EXPECT_EQ(ops(), V{"send control STOR u\r\n"});
  c.on_connected(now, Sock::data, "10.0.0.5");
  EXPECT_EQ(events(), V{});
  reply("125 Data connection already open\r\n");
  EXPECT_EQ(events(), V{"TransferReady"});
  c.send_data(now, "0123456789");
  c.finish_upload(now);
  reply("226 ok\r\n");
  EXPECT_EQ(ops(), (V{"send data 0123456789", "close data"}));
  EXPECT_EQ(events(), V{"TransferDone(10)"});
}

TEST_F(FtpClientTest, ActiveListenAddressFallsBackToControlAddress) {
  ASSERT_NO_FATAL_FAILURE(login());
  for (const char* listen_ip : {"0.0.0.0", "::1"}) {
    c.transfer(now, get_params("f", 0, false));
    reply("200 ok\r\n");
    c.on_listening(now, listen_ip, 2000);
    EXPECT_EQ(ops(), (V{"send control TYPE I\r\n", "listen data",
                        "send control PORT 10,0,0,5,7,208\r\n"}));
    reply("500 PORT refused\r\n");
    EXPECT_EQ(ops(), V{"close data"});
    EXPECT_EQ(events(), V{"TransferDone(0, reply 500)"});
  }
}

TEST_F(FtpClientTest, ActiveWithoutIpv4AddressFails) {
  c.open(now, OpenParams{"h", 21, "", ""});
  c.on_connected(now, Sock::control, "::1");
  reply("220 hi\r\n230 ok\r\n257 \"/\"\r\n");
  ops();
  EXPECT_EQ(events(), V{"Opened"});
  c.transfer(now, get_params("f", 0, false));
  reply("200 ok\r\n");
  c.on_listening(now, "::1", 2000);
  EXPECT_EQ(ops(), (V{"send control TYPE I\r\n", "listen data", "close data"}));
  EXPECT_EQ(events(), V{"TransferDone(0, connect)"});
  EXPECT_TRUE(c.connected());
}

TEST_F(FtpClientTest, ActiveListenFails) {
  ASSERT_NO_FATAL_FAILURE(login());
  c.transfer(now, get_params("f", 0, false));
  reply("200 ok\r\n");
  c.on_closed(now, Sock::data, SockError::unreachable);
  EXPECT_EQ(ops(), (V{"send control TYPE I\r\n", "listen data", "close data"}));
  EXPECT_EQ(events(), V{"TransferDone(0, connect)"});
}

TEST_F(FtpClientTest, Active425AfterPreliminary) {
  ASSERT_NO_FATAL_FAILURE(login());
  c.transfer(now, get_params("f", 0, false));
  reply("200 ok\r\n");
  c.on_listening(now, "10.0.0.5", 2000);
  reply("200 ok\r\n150 connecting\r\n425 Can't open data connection\r\n");
  EXPECT_EQ(ops(),
            (V{"send control TYPE I\r\n", "listen data", "send control PORT 10,0,0,5,7,208\r\n",
               "send control RETR f\r\n", "close data"}));
  EXPECT_EQ(events(), V{"TransferDone(0, reply 425)"});
  ASSERT_NO_FATAL_FAILURE(expect_in_sync());
}

// --- error replies -----------------------------------------------------------------------------

TEST_F(FtpClientTest, ErrorRepliesToStorAndRetr) {
  ASSERT_NO_FATAL_FAILURE(login());
  for (int code : {425, 426, 450, 451, 452, 500, 501, 502, 530, 550, 551, 552, 553}) {
    for (Dir dir : {Dir::get, Dir::put}) {
      TransferParams p = dir == Dir::get ? get_params("f") : put_params("f");
      ASSERT_NO_FATAL_FAILURE(passive_setup(p));
      reply(std::to_string(code) + " refused\r\n");
      EXPECT_EQ(ops(), V{"close data"});
      EXPECT_EQ(events(), V{"TransferDone(0, reply " + std::to_string(code) + ")"});
      EXPECT_TRUE(c.connected());
      EXPECT_TRUE(idle(c));
      EXPECT_EQ(c.deadline(), kNever);
    }
  }
  ASSERT_NO_FATAL_FAILURE(expect_in_sync());
}

TEST_F(FtpClientTest, ErrorRepliesDuringTransfer) {
  ASSERT_NO_FATAL_FAILURE(login());
  for (int code : {426, 451, 552}) {
    ASSERT_NO_FATAL_FAILURE(passive_ready(get_params()));
    data("abcd");
    reply(std::to_string(code) + " aborted\r\n");
    // A download reads on to the data connection's end; even a reset there keeps the reply's code.
    EXPECT_EQ(ops(), V{});
    EXPECT_EQ(events(), V{"Data(abcd)"});
    c.on_closed(now, Sock::data, SockError::reset);
    EXPECT_EQ(ops(), V{"close data"});
    EXPECT_EQ(events(), V{"TransferDone(4, reply " + std::to_string(code) + ")"});

    ASSERT_NO_FATAL_FAILURE(passive_ready(put_params()));
    c.send_data(now, "xy");
    reply(std::to_string(code) + " no\r\n");
    EXPECT_EQ(ops(), (V{"send data xy", "close data"}));
    EXPECT_EQ(events(), V{"TransferDone(2, reply " + std::to_string(code) + ")"});
  }
  ASSERT_NO_FATAL_FAILURE(expect_in_sync());
}

TEST_F(FtpClientTest, DownloadEofThen426) {
  ASSERT_NO_FATAL_FAILURE(login());
  ASSERT_NO_FATAL_FAILURE(passive_ready(get_params()));
  data("part");
  c.on_closed(now, Sock::data, SockError::eof);
  reply("426 Connection closed; transfer aborted\r\n");
  EXPECT_EQ(ops(), V{"close data"});
  EXPECT_EQ(events(), (V{"Data(part)", "TransferDone(4, reply 426)"}));
}

// The server cut the transfer and said so before the client read what it had sent: those bytes
// are still delivered, and counted, before the failure.
TEST_F(FtpClientTest, DownloadFailureReplyBeforeTheDataIsRead) {
  ASSERT_NO_FATAL_FAILURE(login());
  ASSERT_NO_FATAL_FAILURE(passive_setup(get_params()));
  now = 100;
  reply("125 go\r\n426 cut\r\n");
  EXPECT_EQ(ops(), V{});
  EXPECT_EQ(events(), V{"TransferReady"});
  EXPECT_FALSE(idle(c));
  EXPECT_EQ(c.deadline(), 3100);  // the data timeout bounds the rest
  const std::string sent(1587, 'a');
  now = 200;
  data(sent);
  EXPECT_EQ(events(), V{"Data(" + sent + ")"});
  EXPECT_EQ(c.deadline(), 3200);
  c.on_closed(now, Sock::data, SockError::eof);
  EXPECT_EQ(ops(), V{"close data"});
  EXPECT_EQ(events(), V{"TransferDone(1587, reply 426)"});
  EXPECT_TRUE(idle(c));
  EXPECT_EQ(c.deadline(), kNever);
  data("after the end");
  EXPECT_EQ(events(), V{});
  ASSERT_NO_FATAL_FAILURE(expect_in_sync());
}

TEST_F(FtpClientTest, DownloadFailureReplyThenDataStalls) {
  ASSERT_NO_FATAL_FAILURE(login());
  ASSERT_NO_FATAL_FAILURE(passive_ready(get_params()));
  now = 100;
  data("ab");
  reply("451 local error\r\n");
  now = 1000;
  data("cd");
  EXPECT_EQ(events(), (V{"Data(ab)", "Data(cd)"}));
  EXPECT_EQ(c.deadline(), 4000);
  tick(3999);
  EXPECT_EQ(events(), V{});
  tick(4000);
  // The reply was had: the outcome is the reply's, and nothing is owed, so the session stays.
  EXPECT_EQ(ops(), V{"close data"});
  EXPECT_EQ(events(), V{"TransferDone(4, reply 451)"});
  EXPECT_TRUE(c.connected());
  ASSERT_NO_FATAL_FAILURE(expect_in_sync());
}

TEST_F(FtpClientTest, DownloadFailureReplyInActiveMode) {
  ASSERT_NO_FATAL_FAILURE(login());
  c.transfer(now, get_params("f", 0, false));
  reply("200 ok\r\n");
  c.on_listening(now, "10.0.0.5", 2000);
  reply("200 ok\r\n150 connecting\r\n");
  c.on_connected(now, Sock::data, "10.0.0.5");
  EXPECT_EQ(events(), V{"TransferReady"});
  reply("426 cut\r\n");
  data("xyz");
  c.on_closed(now, Sock::data, SockError::eof);
  EXPECT_EQ(ops(),
            (V{"send control TYPE I\r\n", "listen data", "send control PORT 10,0,0,5,7,208\r\n",
               "send control RETR f\r\n", "close data"}));
  EXPECT_EQ(events(), (V{"Data(xyz)", "TransferDone(3, reply 426)"}));
  ASSERT_NO_FATAL_FAILURE(expect_in_sync());
}

// The escape must not wait for the server: abort() ends the drain at once, with no ABOR (nothing
// is owed) and no data after it.
TEST_F(FtpClientTest, AbortWhileDrainingAfterAFailureReply) {
  ASSERT_NO_FATAL_FAILURE(login());
  ASSERT_NO_FATAL_FAILURE(passive_ready(get_params()));
  data("a");
  reply("426 cut\r\n");
  c.abort(now);
  EXPECT_EQ(ops(), V{"close data"});
  EXPECT_EQ(events(), (V{"Data(a)", "TransferDone(1, aborted)"}));
  data("b");
  c.on_closed(now, Sock::data, SockError::eof);
  EXPECT_EQ(events(), V{});
  ASSERT_NO_FATAL_FAILURE(expect_in_sync());
}

TEST_F(FtpClientTest, CloseWhileDrainingAfterAFailureReply) {
  ASSERT_NO_FATAL_FAILURE(login());
  ASSERT_NO_FATAL_FAILURE(passive_ready(get_params()));
  reply("426 cut\r\n");
  c.close(now);
  EXPECT_EQ(ops(), (V{"close data", "send control QUIT\r\n"}));
  EXPECT_EQ(events(), V{"TransferDone(0, aborted)"});
  reply("221 bye\r\n");
  EXPECT_EQ(ops(), V{"close control"});
  EXPECT_EQ(events(), V{"Closed"});
}

TEST_F(FtpClientTest, ControlLostWhileDrainingKeepsTheReply) {
  ASSERT_NO_FATAL_FAILURE(login());
  ASSERT_NO_FATAL_FAILURE(passive_ready(get_params()));
  data("ab");
  reply("426 cut\r\n");
  c.on_closed(now, Sock::control, SockError::eof);
  EXPECT_EQ(ops(), (V{"close control", "close data"}));
  EXPECT_EQ(events(), (V{"Data(ab)", "TransferDone(2, reply 426)"}));
  EXPECT_FALSE(c.connected());
}

// --- data socket failures ----------------------------------------------------------------------

TEST_F(FtpClientTest, DataConnectFails) {
  ASSERT_NO_FATAL_FAILURE(login());
  const std::vector<std::pair<SockError, std::string>> cases = {
      {SockError::refused, "TransferDone(0, connect)"},
      {SockError::timeout, "TransferDone(0, connect)"},
      {SockError::unreachable, "TransferDone(0, connect)"},
      {SockError::context, "TransferDone(0, context)"},
  };
  for (const auto& [why, expected] : cases) {
    c.transfer(now, get_params("f"));
    reply("200 ok\r\n227 (192,0,2,1,4,1)\r\n");
    EXPECT_EQ(ops(), (V{"send control TYPE I\r\n", "send control PASV\r\n",
                        "connect data 192.0.2.1:1025"}));
    c.on_closed(now, Sock::data, why);
    EXPECT_EQ(ops(), V{"close data"});
    EXPECT_EQ(events(), V{expected});
    EXPECT_TRUE(c.connected());
  }
  ASSERT_NO_FATAL_FAILURE(expect_in_sync());
}

TEST_F(FtpClientTest, DataResetDuringDownloadKeepsReplyOrder) {
  ASSERT_NO_FATAL_FAILURE(login());
  ASSERT_NO_FATAL_FAILURE(passive_ready(get_params()));
  data("12");
  c.on_closed(now, Sock::data, SockError::reset);
  EXPECT_EQ(ops(), V{"close data"});
  EXPECT_EQ(events(), (V{"Data(12)", "TransferDone(2, data_closed)"}));
  EXPECT_TRUE(idle(c));
  // The RETR's own reply arrives after the next command went out: it must not answer that one.
  c.transfer(now, get_params("g"));
  EXPECT_EQ(ops(), V{"send control TYPE I\r\n"});
  reply("426 Connection reset\r\n");
  EXPECT_EQ(ops(), V{});
  EXPECT_EQ(events(), V{});
  reply("200 Type set\r\n");
  EXPECT_EQ(ops(), V{"send control PASV\r\n"});
  c.abort(now);
  EXPECT_EQ(events(), V{"TransferDone(0, aborted)"});
  reply("227 (127,0,0,1,4,1)\r\n");
  EXPECT_EQ(ops(), V{});
  ASSERT_NO_FATAL_FAILURE(expect_in_sync());
}

// The server closed the data connection with the client's bytes unread (a reset, not a FIN): as
// for a FIN, its reply says why, and the transfer ends with it.
TEST_F(FtpClientTest, DataResetDuringUploadAwaitsTheServersReply) {
  ASSERT_NO_FATAL_FAILURE(login());
  ASSERT_NO_FATAL_FAILURE(passive_ready(put_params()));
  c.send_data(now, "abc");
  c.on_closed(now, Sock::data, SockError::reset);
  EXPECT_EQ(ops(), V{"send data abc"});
  EXPECT_EQ(events(), V{});
  reply("426 broken\r\n");
  EXPECT_EQ(ops(), V{"close data"});
  EXPECT_EQ(events(), V{"TransferDone(3, reply 426)"});
  ASSERT_NO_FATAL_FAILURE(expect_in_sync());
}

// ... and without a reply, the data connection's early end is the outcome (-7), at the reply
// timeout, with the session given up as for any missing reply.
TEST_F(FtpClientTest, DataResetDuringUploadWithoutAReplyIsDataClosed) {
  ASSERT_NO_FATAL_FAILURE(login());
  ASSERT_NO_FATAL_FAILURE(passive_ready(put_params()));
  c.send_data(now, "abc");
  c.on_closed(now, Sock::data, SockError::reset);
  EXPECT_EQ(ops(), V{"send data abc"});
  tick(now + 30000);
  EXPECT_EQ(ops(), (V{"close control", "close data"}));
  const auto e = events();
  ASSERT_FALSE(e.empty());
  EXPECT_EQ(e.front(), "TransferDone(3, data_closed)");
}

TEST_F(FtpClientTest, DataClosedBeforeCommandSent) {
  ASSERT_NO_FATAL_FAILURE(login());
  c.transfer(now, get_params("f", 5));
  reply("200 ok\r\n227 (127,0,0,1,4,1)\r\n");
  c.on_connected(now, Sock::data, "127.0.0.1");
  c.on_closed(now, Sock::data, SockError::eof);
  EXPECT_EQ(ops(), (V{"send control TYPE I\r\n", "send control PASV\r\n",
                      "connect data 127.0.0.1:1025", "send control REST 5\r\n", "close data"}));
  EXPECT_EQ(events(), V{"TransferDone(0, data_closed)"});
  reply("350 Restarting\r\n");  // the REST's answer: swallowed
  ASSERT_NO_FATAL_FAILURE(expect_in_sync());
}

TEST_F(FtpClientTest, UploadServerClosesDataEarly) {
  ASSERT_NO_FATAL_FAILURE(login());
  // Then explains with a reply: the reply wins.
  ASSERT_NO_FATAL_FAILURE(passive_ready(put_params()));
  c.send_data(now, "abc");
  c.on_closed(now, Sock::data, SockError::eof);
  c.send_data(now, "dropped");
  EXPECT_EQ(events(), V{});
  reply("552 Quota exceeded\r\n");
  EXPECT_EQ(ops(), (V{"send data abc", "close data"}));
  EXPECT_EQ(events(), V{"TransferDone(3, reply 552)"});

  // Then claims success: the data connection still ended early.
  ASSERT_NO_FATAL_FAILURE(passive_ready(put_params()));
  c.on_closed(now, Sock::data, SockError::eof);
  c.finish_upload(now);  // too late to matter
  reply("226 ok\r\n");
  EXPECT_EQ(ops(), V{"close data"});
  EXPECT_EQ(events(), V{"TransferDone(0, data_closed)"});

  // Then says nothing: data_closed when the reply timeout runs out, which costs the session.
  ASSERT_NO_FATAL_FAILURE(passive_ready(put_params()));
  now = 1000;
  c.on_closed(now, Sock::data, SockError::eof);
  EXPECT_EQ(c.deadline(), 3000);
  tick(3000);
  EXPECT_EQ(ops(), (V{"close control", "close data"}));
  EXPECT_EQ(events(), V{"TransferDone(0, data_closed)"});
  EXPECT_FALSE(c.connected());
}

TEST_F(FtpClientTest, Upload226BeforeFinishIsAnEarlyEnd) {
  ASSERT_NO_FATAL_FAILURE(login());
  ASSERT_NO_FATAL_FAILURE(passive_ready(put_params()));
  c.send_data(now, "ab");
  reply("226 ok?\r\n");
  EXPECT_EQ(ops(), (V{"send data ab", "close data"}));
  EXPECT_EQ(events(), V{"TransferDone(2, data_closed)"});
}

// --- control connection lost -------------------------------------------------------------------

TEST_F(FtpClientTest, ControlClosedMidDownload) {
  ASSERT_NO_FATAL_FAILURE(login());
  ASSERT_NO_FATAL_FAILURE(passive_ready(get_params()));
  data("abc");
  c.on_closed(now, Sock::control, SockError::eof);
  EXPECT_EQ(ops(), (V{"close control", "close data"}));
  EXPECT_EQ(events(), (V{"Data(abc)", "TransferDone(3, control_closed)"}));
  EXPECT_FALSE(c.connected());
  EXPECT_TRUE(idle(c));
  EXPECT_EQ(c.deadline(), kNever);
  data("more");  // the data socket was closed: nothing
  EXPECT_EQ(events(), V{});
  c.transfer(now, get_params());
  EXPECT_EQ(events(), V{"TransferDone(0, control_closed)"});
}

TEST_F(FtpClientTest, ControlClosedMidUpload) {
  ASSERT_NO_FATAL_FAILURE(login());
  ASSERT_NO_FATAL_FAILURE(passive_ready(put_params()));
  c.send_data(now, "abcd");
  c.finish_upload(now);
  c.on_closed(now, Sock::control, SockError::reset);
  EXPECT_EQ(ops(), (V{"send data abcd", "close data", "close control"}));
  EXPECT_EQ(events(), V{"TransferDone(4, control_closed)"});
  EXPECT_FALSE(c.connected());
}

TEST_F(FtpClientTest, ControlClosedDuringSetup) {
  ASSERT_NO_FATAL_FAILURE(login());
  c.transfer(now, get_params());
  reply("200 ok\r\n227 (127,0,0,1,4,1)\r\n");
  c.on_closed(now, Sock::control, SockError::eof);
  EXPECT_EQ(ops(), (V{"send control TYPE I\r\n", "send control PASV\r\n",
                      "connect data 127.0.0.1:1025", "close control", "close data"}));
  EXPECT_EQ(events(), V{"TransferDone(0, control_closed)"});
}

// --- abort -------------------------------------------------------------------------------------

TEST_F(FtpClientTest, AbortDuringDownload426Then226) {
  ASSERT_NO_FATAL_FAILURE(login());
  ASSERT_NO_FATAL_FAILURE(passive_ready(get_params()));
  data("abc");
  EXPECT_EQ(events(), V{"Data(abc)"});
  now = 100;
  c.abort(now);
  EXPECT_EQ(ops(), (V{"send control ABOR\r\n", "close data"}));
  EXPECT_EQ(c.deadline(), 2100);
  data("late data");  // on the closed socket: ignored
  c.on_closed(now, Sock::data, SockError::eof);
  EXPECT_EQ(events(), V{});
  reply("426 Transfer aborted\r\n");
  EXPECT_EQ(events(), V{});
  reply("226 ABOR command successful\r\n");
  EXPECT_EQ(events(), V{"TransferDone(3, aborted)"});
  EXPECT_TRUE(c.connected());
  ASSERT_NO_FATAL_FAILURE(expect_in_sync());
}

TEST_F(FtpClientTest, AbortAfterServerFinished226Then225) {
  ASSERT_NO_FATAL_FAILURE(login());
  ASSERT_NO_FATAL_FAILURE(passive_ready(get_params()));
  c.abort(now);
  EXPECT_EQ(ops(), (V{"send control ABOR\r\n", "close data"}));
  reply("226 Transfer complete\r\n225 No transfer to abort\r\n");
  EXPECT_EQ(events(), V{"TransferDone(0, aborted)"});
  ASSERT_NO_FATAL_FAILURE(expect_in_sync());
}

// The second reply may yet come and would answer the next command: the session is given up. The
// transfer still reports the abort it was asked for; the lost session follows as news.
TEST_F(FtpClientTest, AbortWithASingleReplyLosesTheSessionAtTheReplyTimeout) {
  ASSERT_NO_FATAL_FAILURE(login());
  ASSERT_NO_FATAL_FAILURE(passive_ready(get_params()));
  now = 10;
  c.abort(now);
  EXPECT_EQ(ops(), (V{"send control ABOR\r\n", "close data"}));
  reply("226 Abort successful\r\n");
  EXPECT_EQ(events(), V{});
  tick(2009);
  EXPECT_EQ(events(), V{});
  tick(2010);
  EXPECT_EQ(ops(), V{"close control"});
  EXPECT_EQ(events(), (V{"TransferDone(0, aborted)", "Unsolicited(timeout)"}));
  EXPECT_FALSE(c.connected());
  EXPECT_TRUE(idle(c));
  reply("225 late\r\n");
  EXPECT_EQ(events(), V{});
  ASSERT_NO_FATAL_FAILURE(login());
}

TEST_F(FtpClientTest, CloseDuringAnUnansweredAbortTimesOut) {
  ASSERT_NO_FATAL_FAILURE(login());
  ASSERT_NO_FATAL_FAILURE(passive_ready(get_params()));
  c.abort(now);
  c.close(now);
  tick(2000);
  EXPECT_EQ(ops(), (V{"send control ABOR\r\n", "close data", "close control"}));
  EXPECT_EQ(events(), (V{"TransferDone(0, aborted)", "Closed(timeout)"}));
  EXPECT_FALSE(c.connected());
  EXPECT_TRUE(idle(c));
}

TEST_F(FtpClientTest, AbortDuringUpload) {
  ASSERT_NO_FATAL_FAILURE(login());
  ASSERT_NO_FATAL_FAILURE(passive_ready(put_params()));
  c.send_data(now, "12345");
  c.abort(now);
  EXPECT_EQ(ops(), (V{"send data 12345", "send control ABOR\r\n", "close data"}));
  c.send_data(now, "more");
  c.finish_upload(now);
  EXPECT_EQ(ops(), V{});
  reply("226 Transfer complete\r\n");
  reply("225 ABOR ok\r\n");
  EXPECT_EQ(events(), V{"TransferDone(5, aborted)"});
  ASSERT_NO_FATAL_FAILURE(expect_in_sync());
}

TEST_F(FtpClientTest, AbortBeforeTheCommandIsImmediate) {
  ASSERT_NO_FATAL_FAILURE(login());
  c.transfer(now, get_params());
  reply("200 ok\r\n");
  EXPECT_EQ(ops(), (V{"send control TYPE I\r\n", "send control PASV\r\n"}));
  c.abort(now);
  EXPECT_EQ(ops(), V{});
  EXPECT_EQ(events(), V{"TransferDone(0, aborted)"});
  reply("227 Entering Passive Mode (127,0,0,1,4,1)\r\n");  // the PASV answer: swallowed
  EXPECT_EQ(ops(), V{});
  ASSERT_NO_FATAL_FAILURE(expect_in_sync());
}

TEST_F(FtpClientTest, AbortWhileDrainingAfter226) {
  ASSERT_NO_FATAL_FAILURE(login());
  ASSERT_NO_FATAL_FAILURE(passive_ready(get_params()));
  data("a");
  reply("226 done\r\n");
  c.abort(now);
  EXPECT_EQ(ops(), V{"close data"});
  EXPECT_EQ(events(), (V{"Data(a)", "TransferDone(1, aborted)"}));
  ASSERT_NO_FATAL_FAILURE(expect_in_sync());
}

TEST_F(FtpClientTest, AbortWithoutTransferDoesNothing) {
  c.abort(now);
  ASSERT_NO_FATAL_FAILURE(login());
  c.abort(now);
  c.cwd(now, "/d");
  c.abort(now);
  reply("250 ok\r\n");
  EXPECT_EQ(ops(), V{"send control CWD /d\r\n"});
  EXPECT_EQ(events(), V{"CwdDone"});
}

TEST_F(FtpClientTest, ControlClosedDuringAbort) {
  ASSERT_NO_FATAL_FAILURE(login());
  ASSERT_NO_FATAL_FAILURE(passive_ready(get_params()));
  c.abort(now);
  reply("426 aborted\r\n");
  c.on_closed(now, Sock::control, SockError::eof);
  EXPECT_EQ(ops(), (V{"send control ABOR\r\n", "close data", "close control"}));
  EXPECT_EQ(events(), (V{"TransferDone(0, aborted)", "Unsolicited(control_closed)"}));
  EXPECT_FALSE(c.connected());
}

// --- close -------------------------------------------------------------------------------------

TEST_F(FtpClientTest, Quit) {
  ASSERT_NO_FATAL_FAILURE(login());
  now = 7;
  c.close(now);
  EXPECT_EQ(ops(), V{"send control QUIT\r\n"});
  EXPECT_EQ(c.deadline(), 2007);
  EXPECT_FALSE(idle(c));
  reply("221 Goodbye.\r\n");
  EXPECT_EQ(ops(), V{"close control"});
  EXPECT_EQ(events(), V{"Closed"});
  EXPECT_FALSE(c.connected());
  EXPECT_TRUE(idle(c));
  EXPECT_EQ(c.deadline(), kNever);
  c.on_closed(now, Sock::control, SockError::eof);
  EXPECT_EQ(events(), V{});
}

TEST_F(FtpClientTest, QuitAnsweredByClosing) {
  ASSERT_NO_FATAL_FAILURE(login());
  c.close(now);
  c.on_closed(now, Sock::control, SockError::eof);
  EXPECT_EQ(ops(), (V{"send control QUIT\r\n", "close control"}));
  EXPECT_EQ(events(), V{"Closed"});
}

TEST_F(FtpClientTest, QuitRefusedOrUnanswered) {
  ASSERT_NO_FATAL_FAILURE(login());
  c.close(now);
  reply("500 QUIT? never heard of it\r\n");
  EXPECT_EQ(ops(), (V{"send control QUIT\r\n", "close control"}));
  EXPECT_EQ(events(), V{"Closed(reply 500)"});

  ASSERT_NO_FATAL_FAILURE(login());
  now = 100;
  c.close(now);
  tick(2099);
  EXPECT_EQ(events(), V{});
  tick(2100);
  EXPECT_EQ(ops(), (V{"send control QUIT\r\n", "close control"}));
  EXPECT_EQ(events(), V{"Closed(timeout)"});
  EXPECT_FALSE(c.connected());
}

TEST_F(FtpClientTest, CloseWhenNotConnected) {
  c.close(now);
  EXPECT_EQ(ops(), V{});
  EXPECT_EQ(events(), V{"Closed"});
}

TEST_F(FtpClientTest, CloseDuringTransferAbortsFirst) {
  ASSERT_NO_FATAL_FAILURE(login());
  ASSERT_NO_FATAL_FAILURE(passive_ready(get_params()));
  data("xy");
  c.close(now);
  EXPECT_EQ(ops(), (V{"send control ABOR\r\n", "close data"}));
  c.close(now);  // again: nothing new
  EXPECT_EQ(ops(), V{});
  reply("426 aborted\r\n226 ABOR ok\r\n");
  EXPECT_EQ(ops(), V{"send control QUIT\r\n"});
  reply("221 bye\r\n");
  EXPECT_EQ(ops(), V{"close control"});
  EXPECT_EQ(events(), (V{"Data(xy)", "TransferDone(2, aborted)", "Closed"}));
}

TEST_F(FtpClientTest, CloseDuringTransferSetup) {
  ASSERT_NO_FATAL_FAILURE(login());
  c.transfer(now, get_params());
  c.close(now);
  EXPECT_EQ(ops(), (V{"send control TYPE I\r\n", "send control QUIT\r\n"}));
  EXPECT_EQ(events(), V{"TransferDone(0, aborted)"});
  reply("200 Type set\r\n221 bye\r\n");
  EXPECT_EQ(ops(), V{"close control"});
  EXPECT_EQ(events(), V{"Closed"});
}

TEST_F(FtpClientTest, CloseDuringAbortWithControlLoss) {
  ASSERT_NO_FATAL_FAILURE(login());
  ASSERT_NO_FATAL_FAILURE(passive_ready(get_params()));
  c.abort(now);
  c.close(now);
  c.on_closed(now, Sock::control, SockError::reset);
  EXPECT_EQ(ops(), (V{"send control ABOR\r\n", "close data", "close control"}));
  EXPECT_EQ(events(), (V{"TransferDone(0, aborted)", "Closed"}));
}

TEST_F(FtpClientTest, CloseDuringOpen) {
  c.open(now, OpenParams{"h", 21, "", ""});
  c.close(now);
  EXPECT_EQ(ops(), (V{"connect control h:21", "close control"}));
  EXPECT_EQ(events(), (V{"OpenFailed(aborted)", "Closed"}));
  EXPECT_TRUE(idle(c));

  c.open(now, OpenParams{"h", 21, "", ""});
  c.on_connected(now, Sock::control, "10.0.0.5");
  reply("220 hi\r\n");
  c.close(now);
  EXPECT_EQ(ops(), (V{"connect control h:21", "send control USER anonymous\r\n", "close control"}));
  EXPECT_EQ(events(), (V{"OpenFailed(aborted)", "Closed"}));
}

TEST_F(FtpClientTest, CloseDuringCwd) {
  ASSERT_NO_FATAL_FAILURE(login());
  c.cwd(now, "/a");
  c.close(now);
  EXPECT_EQ(ops(), (V{"send control CWD /a\r\n", "send control QUIT\r\n"}));
  EXPECT_EQ(events(), V{"CwdDone(aborted)"});
  reply("250 ok\r\n");  // the CWD's answer, not the QUIT's
  EXPECT_EQ(ops(), V{});
  EXPECT_EQ(events(), V{});
  reply("221 bye\r\n");
  EXPECT_EQ(ops(), V{"close control"});
  EXPECT_EQ(events(), V{"Closed"});
}

// --- unsolicited -------------------------------------------------------------------------------

TEST_F(FtpClientTest, Unsolicited421ThenCloseWhileIdle) {
  ASSERT_NO_FATAL_FAILURE(login());
  reply("421 Timeout: closing control connection.\r\n");
  EXPECT_EQ(events(), V{"Unsolicited(reply 421)"});
  EXPECT_TRUE(c.connected());
  c.on_closed(now, Sock::control, SockError::eof);
  EXPECT_EQ(ops(), V{"close control"});
  EXPECT_EQ(events(), V{"Unsolicited(control_closed)"});
  EXPECT_FALSE(c.connected());
  EXPECT_TRUE(idle(c));
  ASSERT_NO_FATAL_FAILURE(login());
}

TEST_F(FtpClientTest, Unsolicited421AndCloseInOneBurst) {
  ASSERT_NO_FATAL_FAILURE(login());
  reply("200 stray\r\n421 Service closing\r\n");
  c.on_closed(now, Sock::control, SockError::reset);
  EXPECT_EQ(ops(), V{"close control"});
  EXPECT_EQ(events(), (V{"Unsolicited(reply 421)", "Unsolicited(control_closed)"}));
}

TEST_F(FtpClientTest, IdleContextLoss) {
  ASSERT_NO_FATAL_FAILURE(login());
  c.on_closed(now, Sock::control, SockError::context);
  EXPECT_EQ(ops(), V{"close control"});
  EXPECT_EQ(events(), V{"Unsolicited(context)"});
}

// --- the network lost (lose_network): each socket the client holds is closed exactly once, none
// that it never opened, and the running operation ends with `context` (the fixture's ops() fails
// a close without a connect, and TearDown a socket left open).

TEST_F(FtpClientTest, NetworkLostWhileOfflineDoesNothing) {
  c.lose_network(now);
  EXPECT_EQ(ops(), V{});
  EXPECT_EQ(events(), V{});
}

TEST_F(FtpClientTest, NetworkLostWhileConnecting) {
  c.open(now, OpenParams{"ftp.example.com", 21, "", ""});
  ASSERT_EQ(ops(), V{"connect control ftp.example.com:21"});
  c.lose_network(now);
  EXPECT_EQ(ops(), V{"close control"});
  EXPECT_EQ(events(), V{"OpenFailed(context)"});
  EXPECT_FALSE(c.connected());
  c.on_closed(now, Sock::control, SockError::context);  // the shell's late report changes nothing
  EXPECT_EQ(ops(), V{});
  EXPECT_EQ(events(), V{});
}

TEST_F(FtpClientTest, NetworkLostWhileLoggingIn) {
  c.open(now, OpenParams{"ftp.example.com", 21, "", ""});
  ASSERT_EQ(ops(), V{"connect control ftp.example.com:21"});
  c.on_connected(now, Sock::control, "10.0.0.5");
  reply("220 Welcome\r\n");
  ASSERT_EQ(ops(), V{"send control USER anonymous\r\n"});
  c.lose_network(now);
  EXPECT_EQ(ops(), V{"close control"});
  EXPECT_EQ(events(), V{"OpenFailed(context)"});
}

TEST_F(FtpClientTest, NetworkLostWhileIdle) {
  ASSERT_NO_FATAL_FAILURE(login());
  c.lose_network(now);
  EXPECT_EQ(ops(), V{"close control"});
  EXPECT_EQ(events(), V{"Unsolicited(context)"});
  EXPECT_FALSE(c.connected());
  EXPECT_EQ(c.deadline(), kNever);
}

TEST_F(FtpClientTest, NetworkLostDuringCwdReportsThePath) {
  ASSERT_NO_FATAL_FAILURE(login());
  c.cwd(now, "/pub");
  ASSERT_EQ(ops(), V{"send control CWD /pub\r\n"});
  c.lose_network(now);
  EXPECT_EQ(ops(), V{"close control"});
  std::vector<ClientEvent> done = take_events(c);
  ASSERT_EQ(done.size(), 1u);
  const auto* cwd = std::get_if<CwdDone>(&done[0]);
  ASSERT_NE(cwd, nullptr);
  EXPECT_EQ(cwd->path, "/pub");
  ASSERT_TRUE(cwd->failure);
  EXPECT_EQ(cwd->failure->kind, FailKind::context);
}

TEST_F(FtpClientTest, NetworkLostBeforeTheDataConnectionWasAskedFor) {
  ASSERT_NO_FATAL_FAILURE(login());
  c.transfer(now, get_params());
  ASSERT_EQ(ops(), V{"send control TYPE I\r\n"});
  c.lose_network(now);
  EXPECT_EQ(ops(), V{"close control"});  // no data socket was ever opened: none is closed
  EXPECT_EQ(events(), V{"TransferDone(0, context)"});
}

TEST_F(FtpClientTest, NetworkLostWhileTheDataConnectionConnects) {
  ASSERT_NO_FATAL_FAILURE(login());
  c.transfer(now, get_params());
  ASSERT_EQ(ops(), V{"send control TYPE I\r\n"});
  reply("200 Type set\r\n");
  ASSERT_EQ(ops(), V{"send control PASV\r\n"});
  reply("227 Entering Passive Mode (127,0,0,1,4,1)\r\n");
  ASSERT_EQ(ops(), V{"connect data 127.0.0.1:1025"});
  c.lose_network(now);
  EXPECT_EQ(ops(), (V{"close control", "close data"}));
  EXPECT_EQ(events(), V{"TransferDone(0, context)"});
}

TEST_F(FtpClientTest, NetworkLostMidDownloadCountsTheBytesReceived) {
  ASSERT_NO_FATAL_FAILURE(login());
  ASSERT_NO_FATAL_FAILURE(passive_ready(get_params()));
  data("abcde");
  ASSERT_EQ(events(), V{"Data(abcde)"});
  c.lose_network(now);
  EXPECT_EQ(ops(), (V{"close control", "close data"}));
  EXPECT_EQ(events(), V{"TransferDone(5, context)"});
  // The shell's late reports of both sockets change nothing.
  c.on_closed(now, Sock::data, SockError::context);
  c.on_closed(now, Sock::control, SockError::context);
  EXPECT_EQ(ops(), V{});
  EXPECT_EQ(events(), V{});
}

TEST_F(FtpClientTest, NetworkLostAfterTheDownloadDataEnded) {
  ASSERT_NO_FATAL_FAILURE(login());
  ASSERT_NO_FATAL_FAILURE(passive_ready(get_params()));
  data("xyz");
  c.on_closed(now, Sock::data, SockError::eof);  // the data ended; the 226 is still owed
  ASSERT_EQ(events(), V{"Data(xyz)"});
  c.lose_network(now);
  EXPECT_EQ(ops(), (V{"close control", "close data"}));  // the ended socket is released once
  EXPECT_EQ(events(), V{"TransferDone(3, context)"});
}

TEST_F(FtpClientTest, NetworkLostMidUploadCountsTheBytesSent) {
  ASSERT_NO_FATAL_FAILURE(login());
  ASSERT_NO_FATAL_FAILURE(passive_ready(put_params()));
  c.send_data(now, "1234");
  ASSERT_EQ(ops(), V{"send data 1234"});
  c.lose_network(now);
  EXPECT_EQ(ops(), (V{"close control", "close data"}));
  EXPECT_EQ(events(), V{"TransferDone(4, context)"});
}

TEST_F(FtpClientTest, NetworkLostWhileAnEscapeAborts) {
  ASSERT_NO_FATAL_FAILURE(login());
  ASSERT_NO_FATAL_FAILURE(passive_ready(get_params()));
  data("ab");
  ASSERT_EQ(events(), V{"Data(ab)"});
  c.abort(now);
  ASSERT_EQ(ops(), (V{"send control ABOR\r\n", "close data"}));
  c.lose_network(now);
  EXPECT_EQ(ops(), V{"close control"});  // the data socket was closed by the abort, not again
  // The transfer reports what the abort was for; the lost session follows as news.
  EXPECT_EQ(events(), (V{"TransferDone(2, aborted)", "Unsolicited(context)"}));
}

TEST_F(FtpClientTest, NetworkLostWhileACloseAborts) {
  ASSERT_NO_FATAL_FAILURE(login());
  ASSERT_NO_FATAL_FAILURE(passive_ready(get_params()));
  c.close(now);
  ASSERT_EQ(ops(), (V{"send control ABOR\r\n", "close data"}));
  c.lose_network(now);
  EXPECT_EQ(ops(), V{"close control"});
  EXPECT_EQ(events(), (V{"TransferDone(0, aborted)", "Closed"}));
}

TEST_F(FtpClientTest, NetworkLostWhileQuitting) {
  ASSERT_NO_FATAL_FAILURE(login());
  c.close(now);
  ASSERT_EQ(ops(), V{"send control QUIT\r\n"});
  c.lose_network(now);
  EXPECT_EQ(ops(), V{"close control"});
  EXPECT_EQ(events(), V{"Closed(context)"});
}

TEST_F(FtpClientTest, ReopenAfterTheNetworkWasLost) {
  ASSERT_NO_FATAL_FAILURE(login());
  ASSERT_NO_FATAL_FAILURE(passive_ready(get_params()));
  c.lose_network(now);
  EXPECT_EQ(ops(), (V{"close control", "close data"}));
  EXPECT_EQ(events(), V{"TransferDone(0, context)"});
  ASSERT_NO_FATAL_FAILURE(login());  // a fresh session: nothing of the old one carries over
  ASSERT_NO_FATAL_FAILURE(expect_in_sync());
}

TEST_F(FtpClientTest, Unsolicited421WhileDownloadDrains) {
  ASSERT_NO_FATAL_FAILURE(login());
  ASSERT_NO_FATAL_FAILURE(passive_ready(get_params()));
  reply("226 ok\r\n421 going down\r\n");
  EXPECT_EQ(ops(), V{"close data"});
  EXPECT_EQ(events(), V{"TransferDone(0, reply 421)"});
}

// --- transfer timeouts -------------------------------------------------------------------------

TEST_F(FtpClientTest, TransferReplyTimeouts) {
  // Step k: how far the server answers before going silent (TYPE, PASV, REST, RETR). Each
  // timeout ends the session.
  for (int step = 0; step < 4; ++step) {
    now = 1000 * (step + 1) * 10;
    ASSERT_NO_FATAL_FAILURE(login());
    c.transfer(now, get_params("f", 9));
    V expected_ops = {"send control TYPE I\r\n"};
    if (step >= 1) {
      reply("200 ok\r\n");
      expected_ops.push_back("send control PASV\r\n");
    }
    if (step >= 2) {
      reply("227 (127,0,0,1,4,1)\r\n");
      c.on_connected(now, Sock::data, "127.0.0.1");
      expected_ops.push_back("connect data 127.0.0.1:1025");
      expected_ops.push_back("send control REST 9\r\n");
    }
    if (step >= 3) {
      reply("350 ok\r\n");
      expected_ops.push_back("send control RETR f\r\n");
    }
    EXPECT_EQ(ops(), expected_ops);
    EXPECT_EQ(c.deadline(), now + 2000);
    tick(now + 1999);
    EXPECT_EQ(events(), V{});
    tick(now + 1);
    EXPECT_EQ(ops(), step >= 2 ? (V{"close control", "close data"}) : V{"close control"});
    EXPECT_EQ(events(), V{"TransferDone(0, timeout)"});
    EXPECT_FALSE(c.connected());
    EXPECT_TRUE(idle(c));
    EXPECT_EQ(c.deadline(), kNever);
  }
  // The upload's 226 after finish_upload() is a reply like any other.
  ASSERT_NO_FATAL_FAILURE(login());
  ASSERT_NO_FATAL_FAILURE(passive_setup(put_params()));
  tick(now + 2000);  // no 150 to STOR
  EXPECT_EQ(ops(), (V{"close control", "close data"}));
  EXPECT_EQ(events(), V{"TransferDone(0, timeout)"});
  EXPECT_FALSE(c.connected());
}

TEST_F(FtpClientTest, DataConnectAndListenTimeouts) {
  ASSERT_NO_FATAL_FAILURE(login());
  now = 100;
  c.transfer(now, get_params());
  reply("200 ok\r\n227 (127,0,0,1,4,1)\r\n");
  EXPECT_EQ(c.deadline(), 1100);
  tick(1100);
  EXPECT_EQ(ops(), (V{"send control TYPE I\r\n", "send control PASV\r\n",
                      "connect data 127.0.0.1:1025", "close data"}));
  EXPECT_EQ(events(), V{"TransferDone(0, timeout)"});

  now = 5000;
  c.transfer(now, get_params("f", 0, false));
  reply("200 ok\r\n");
  EXPECT_EQ(c.deadline(), 6000);
  tick(6000);
  EXPECT_EQ(ops(), (V{"send control TYPE I\r\n", "listen data", "close data"}));
  EXPECT_EQ(events(), V{"TransferDone(0, timeout)"});
  EXPECT_TRUE(c.connected());  // both times no reply was owed: the session is in step

  // Active: 150 came, the server never connects. The RETR's reply is owed: ABOR fetches it.
  now = 9000;
  c.transfer(now, get_params("f", 0, false));
  reply("200 ok\r\n");
  c.on_listening(now, "10.0.0.5", 2000);
  reply("200 ok\r\n");
  now = 9500;
  reply("150 connecting\r\n");
  EXPECT_EQ(c.deadline(), 10500);
  tick(10500);
  EXPECT_EQ(ops(),
            (V{"send control TYPE I\r\n", "listen data", "send control PORT 10,0,0,5,7,208\r\n",
               "send control RETR f\r\n", "send control ABOR\r\n", "close data"}));
  EXPECT_EQ(events(), V{});
  EXPECT_EQ(c.deadline(), 12500);
  c.on_connected(now, Sock::data, "10.0.0.5");  // too late: the listener is closed
  reply("425 Can't open data connection\r\n226 ABOR ok\r\n");
  EXPECT_EQ(ops(), V{});
  EXPECT_EQ(events(), V{"TransferDone(0, timeout)"});
  EXPECT_TRUE(c.connected());
  ASSERT_NO_FATAL_FAILURE(expect_in_sync());
}

TEST_F(FtpClientTest, DownloadDataTimeout) {
  ASSERT_NO_FATAL_FAILURE(login());
  now = 5000;
  ASSERT_NO_FATAL_FAILURE(passive_ready(get_params()));
  EXPECT_EQ(c.deadline(), 8000);
  now = 7000;
  data("abc");
  EXPECT_EQ(c.deadline(), 10000);
  tick(9999);
  EXPECT_EQ(events(), V{"Data(abc)"});
  // The RETR's reply is still owed: ABOR has the server send it, and its own.
  tick(10000);
  EXPECT_EQ(ops(), (V{"send control ABOR\r\n", "close data"}));
  EXPECT_EQ(events(), V{});
  EXPECT_EQ(c.deadline(), 12000);
  data("late");  // the data connection is closed
  c.abort(now);  // already ending: nothing more
  EXPECT_EQ(ops(), V{});
  reply("426 aborted\r\n");
  EXPECT_EQ(events(), V{});
  reply("226 ABOR ok\r\n");
  EXPECT_EQ(events(), V{"TransferDone(3, timeout)"});
  EXPECT_TRUE(c.connected());
  ASSERT_NO_FATAL_FAILURE(expect_in_sync());
}

TEST_F(FtpClientTest, DownloadDataTimeoutWithAnUnansweredAbor) {
  ASSERT_NO_FATAL_FAILURE(login());
  ASSERT_NO_FATAL_FAILURE(passive_ready(get_params()));
  data("abc");
  tick(3000);
  EXPECT_EQ(ops(), (V{"send control ABOR\r\n", "close data"}));
  EXPECT_EQ(events(), V{"Data(abc)"});
  tick(5000);
  // The timeout is the transfer's outcome; it needs no Unsolicited after it.
  EXPECT_EQ(ops(), V{"close control"});
  EXPECT_EQ(events(), V{"TransferDone(3, timeout)"});
  EXPECT_FALSE(c.connected());
  EXPECT_TRUE(idle(c));
}

TEST_F(FtpClientTest, CloseWhileADataTimeoutAborts) {
  ASSERT_NO_FATAL_FAILURE(login());
  ASSERT_NO_FATAL_FAILURE(passive_ready(get_params()));
  tick(3000);
  c.close(now);
  reply("426 aborted\r\n226 ABOR ok\r\n");
  EXPECT_EQ(ops(), (V{"send control ABOR\r\n", "close data", "send control QUIT\r\n"}));
  reply("221 bye\r\n");
  EXPECT_EQ(ops(), V{"close control"});
  EXPECT_EQ(events(), (V{"TransferDone(0, timeout)", "Closed"}));
}

TEST_F(FtpClientTest, ControlClosedWhileADataTimeoutAborts) {
  ASSERT_NO_FATAL_FAILURE(login());
  ASSERT_NO_FATAL_FAILURE(passive_ready(get_params()));
  tick(3000);
  c.on_closed(now, Sock::control, SockError::reset);
  EXPECT_EQ(ops(), (V{"send control ABOR\r\n", "close data", "close control"}));
  EXPECT_EQ(events(), V{"TransferDone(0, timeout)"});
  EXPECT_FALSE(c.connected());
}

TEST_F(FtpClientTest, DownloadWaitsBoundedForTheOtherHalf) {
  ASSERT_NO_FATAL_FAILURE(login());
  // EOF came, the 226 does not: reply timeout from the EOF, and the session is lost.
  ASSERT_NO_FATAL_FAILURE(passive_ready(get_params()));
  now = 300;
  c.on_closed(now, Sock::data, SockError::eof);
  EXPECT_EQ(c.deadline(), 2300);
  tick(2300);
  EXPECT_EQ(ops(), (V{"close control", "close data"}));
  EXPECT_EQ(events(), V{"TransferDone(0, timeout)"});
  EXPECT_FALSE(c.connected());

  // 226 came, the EOF does not: data timeout from the 226. Nothing is owed: the session stays.
  now = 5000;
  ASSERT_NO_FATAL_FAILURE(login());
  ASSERT_NO_FATAL_FAILURE(passive_ready(get_params()));
  now = 5100;
  reply("226 ok\r\n");
  EXPECT_EQ(c.deadline(), 8100);
  tick(8100);
  EXPECT_EQ(ops(), V{"close data"});
  EXPECT_EQ(events(), V{"TransferDone(0, timeout)"});
  ASSERT_NO_FATAL_FAILURE(expect_in_sync());
}

TEST_F(FtpClientTest, UploadFinalReplyTimeout) {
  ASSERT_NO_FATAL_FAILURE(login());
  ASSERT_NO_FATAL_FAILURE(passive_ready(put_params()));
  EXPECT_EQ(c.deadline(), kNever);
  c.send_data(now, "z");
  now = 40000;
  c.finish_upload(now);
  EXPECT_EQ(c.deadline(), 42000);
  EXPECT_EQ(ops(), (V{"send data z", "close data"}));
  tick(42000);
  EXPECT_EQ(ops(), V{"close control"});
  EXPECT_EQ(events(), V{"TransferDone(1, timeout)"});
  EXPECT_FALSE(c.connected());
}

TEST_F(FtpClientTest, EarlyTickDoesNothing) {
  ASSERT_NO_FATAL_FAILURE(login());
  tick(1000000);  // idle: no deadline
  EXPECT_EQ(events(), V{});
  c.cwd(now, "/x");
  tick(now + 1);
  EXPECT_EQ(events(), V{});
  reply("250 ok\r\n");
  EXPECT_EQ(ops(), V{"send control CWD /x\r\n"});
  EXPECT_EQ(events(), V{"CwdDone"});
}

// --- protocol errors ---------------------------------------------------------------------------

TEST_F(FtpClientTest, GarbageDuringLogin) {
  c.open(now, OpenParams{"h", 21, "", ""});
  c.on_connected(now, Sock::control, "10.0.0.5");
  reply("SSH-2.0-OpenSSH_9.2\r\n");
  EXPECT_EQ(ops(), (V{"connect control h:21", "close control"}));
  EXPECT_EQ(events(), V{"OpenFailed(protocol)"});
  EXPECT_FALSE(c.connected());
  ASSERT_NO_FATAL_FAILURE(login());  // the parser starts clean
}

TEST_F(FtpClientTest, GarbageDuringTransfer) {
  ASSERT_NO_FATAL_FAILURE(login());
  ASSERT_NO_FATAL_FAILURE(passive_ready(get_params()));
  data("ab");
  reply("226 Transfer complete\r\nHTTP/1.1 200 OK\r\n");
  EXPECT_EQ(ops(), (V{"close control", "close data"}));
  EXPECT_EQ(events(), (V{"Data(ab)", "TransferDone(2, protocol)"}));
  EXPECT_FALSE(c.connected());
}

TEST_F(FtpClientTest, GarbageWhileIdle) {
  ASSERT_NO_FATAL_FAILURE(login());
  reply(std::string(ReplyParser::kMaxLine + 10, '2'));
  EXPECT_EQ(ops(), V{"close control"});
  EXPECT_EQ(events(), V{"Unsolicited(protocol)"});
  EXPECT_FALSE(c.connected());
}

TEST_F(FtpClientTest, RepliesBeforeGarbageAreHonoured) {
  ASSERT_NO_FATAL_FAILURE(login());
  c.cwd(now, "/a");
  reply("250 ok\r\n!!\r\n");
  EXPECT_EQ(ops(), (V{"send control CWD /a\r\n", "close control"}));
  EXPECT_EQ(events(), (V{"CwdDone", "Unsolicited(protocol)"}));
}

TEST_F(FtpClientTest, GarbageDuringCwdAndQuit) {
  ASSERT_NO_FATAL_FAILURE(login());
  c.cwd(now, "/a");
  reply("25O ok\r\n");
  EXPECT_EQ(ops(), (V{"send control CWD /a\r\n", "close control"}));
  EXPECT_EQ(events(), V{"CwdDone(protocol)"});

  ASSERT_NO_FATAL_FAILURE(login());
  c.close(now);
  reply("bye\r\n");
  EXPECT_EQ(ops(), (V{"send control QUIT\r\n", "close control"}));
  EXPECT_EQ(events(), V{"Closed(protocol)"});
}

// --- calls in the wrong state --------------------------------------------------------------------

TEST_F(FtpClientTest, CallsWhileDisconnected) {
  c.transfer(now, get_params());
  c.cwd(now, "/x");
  c.cwd(now, "");
  c.send_data(now, "abc");
  c.finish_upload(now);
  c.abort(now);
  EXPECT_EQ(ops(), V{});
  EXPECT_EQ(events(), (V{"TransferDone(0, control_closed)", "CwdDone(control_closed)",
                         "CwdDone(control_closed)"}));
  EXPECT_TRUE(idle(c));
  EXPECT_EQ(c.deadline(), kNever);
}

TEST_F(FtpClientTest, OpenWhileConnectedOrOpening) {
  ASSERT_NO_FATAL_FAILURE(login());
  c.open(now, OpenParams{"other", 21, "", ""});
  EXPECT_EQ(ops(), V{});
  EXPECT_EQ(events(), V{"OpenFailed(protocol)"});
  EXPECT_TRUE(c.connected());
  c.close(now);
  reply("221 bye\r\n");
  ops();
  EXPECT_EQ(events(), V{"Closed"});

  c.open(now, OpenParams{"h", 21, "", ""});
  c.open(now, OpenParams{"other", 21, "", ""});
  EXPECT_EQ(events(), V{"OpenFailed(protocol)"});
  c.on_connected(now, Sock::control, "10.0.0.5");
  reply("220 hi\r\n230 ok\r\n257 \"/\"\r\n");
  EXPECT_EQ(ops(),
            (V{"connect control h:21", "send control USER anonymous\r\n", "send control PWD\r\n"}));
  EXPECT_EQ(events(), V{"Opened"});
}

TEST_F(FtpClientTest, OperationsWhileBusy) {
  ASSERT_NO_FATAL_FAILURE(login());
  ASSERT_NO_FATAL_FAILURE(passive_ready(get_params()));
  data("ok");
  c.transfer(now, put_params());
  c.cwd(now, "/x");
  EXPECT_EQ(ops(), V{});
  // The rejections cannot be told from the running transfer's own events: the engine must not
  // call out of turn, and these only keep a wrong call from leaving anything hanging.
  EXPECT_EQ(events(), (V{"Data(ok)", "TransferDone(0, protocol)", "CwdDone(protocol)"}));
  // The running download is untouched.
  c.on_closed(now, Sock::data, SockError::eof);
  reply("226 done\r\n");
  EXPECT_EQ(ops(), V{"close data"});
  EXPECT_EQ(events(), V{"TransferDone(2)"});
}

TEST_F(FtpClientTest, LineBreaksInArgumentsAreRefused) {
  c.open(now, OpenParams{"h", 21, "a\r\nDELE x", ""});
  EXPECT_EQ(events(), V{"OpenFailed(protocol)"});
  ASSERT_NO_FATAL_FAILURE(login());
  c.cwd(now, "/x\r\nDELE y");
  c.transfer(now, get_params("f\nDELE z"));
  c.transfer(now, get_params(std::string("f\0g", 3)));
  EXPECT_EQ(ops(), V{});
  EXPECT_EQ(events(),
            (V{"CwdDone(protocol)", "TransferDone(0, protocol)", "TransferDone(0, protocol)"}));
  ASSERT_NO_FATAL_FAILURE(expect_in_sync());
}

TEST_F(FtpClientTest, SpuriousSocketReportsAreIgnored) {
  c.on_connected(now, Sock::control, "1.2.3.4");
  c.on_connected(now, Sock::data, "1.2.3.4");
  c.on_listening(now, "1.2.3.4", 5);
  c.on_data(now, Sock::control, "220 hi\r\n");
  c.on_data(now, Sock::data, "x");
  c.on_closed(now, Sock::control, SockError::eof);
  c.on_closed(now, Sock::data, SockError::reset);
  EXPECT_EQ(ops(), V{});
  EXPECT_EQ(events(), V{});
  ASSERT_NO_FATAL_FAILURE(login());
  c.on_connected(now, Sock::data, "1.2.3.4");
  c.on_listening(now, "1.2.3.4", 5);
  c.on_data(now, Sock::data, "x");
  c.on_closed(now, Sock::data, SockError::reset);
  EXPECT_EQ(ops(), V{});
  EXPECT_EQ(events(), V{});
  ASSERT_NO_FATAL_FAILURE(expect_in_sync());
}

TEST_F(FtpClientTest, UploadCallsBeforeReady) {
  ASSERT_NO_FATAL_FAILURE(login());
  ASSERT_NO_FATAL_FAILURE(passive_setup(put_params()));
  c.send_data(now, "too early");  // dropped: not counted
  c.finish_upload(now);           // remembered
  EXPECT_EQ(ops(), V{});
  reply("150 go\r\n");
  EXPECT_EQ(ops(), V{"close data"});
  EXPECT_EQ(events(), V{"TransferReady"});
  reply("226 ok\r\n");
  EXPECT_EQ(events(), V{"TransferDone(0)"});
}

TEST_F(FtpClientTest, DownloadIgnoresUploadCalls) {
  ASSERT_NO_FATAL_FAILURE(login());
  ASSERT_NO_FATAL_FAILURE(passive_ready(get_params()));
  c.send_data(now, "x");
  c.finish_upload(now);
  EXPECT_EQ(ops(), V{});
  c.on_closed(now, Sock::data, SockError::eof);
  reply("226 ok\r\n");
  EXPECT_EQ(ops(), V{"close data"});
  EXPECT_EQ(events(), V{"TransferDone(0)"});
}

// --- every operation ends, whatever the peer does ------------------------------------------------

// A random walk of engine calls, server replies, socket reports and time. Afterwards each
// started operation must have completed exactly once, and the client must settle when time runs.
TEST(FtpClientRandom, EveryOperationCompletesExactlyOnce) {
  const std::vector<std::string> replies = {
      "120 wait\r\n",
      "125 open\r\n",
      "150 open\r\n",
      "200 ok\r\n",
      "202 ok\r\n",
      "220 hi\r\n",
      "221 bye\r\n",
      "225 ok\r\n",
      "226 done\r\n",
      "227 (127,0,0,1,4,1)\r\n",
      "227 (0,0,0,0,4,1)\r\n",
      "227 garbage\r\n",
      "229 (|||2000|)\r\n",
      "230 in\r\n",
      "250 ok\r\n",
      "257 \"/d\"\r\n",
      "331 pw\r\n",
      "332 acct\r\n",
      "350 rest\r\n",
      "421 bye\r\n",
      "425 no\r\n",
      "426 no\r\n",
      "450 no\r\n",
      "500 no\r\n",
      "502 no\r\n",
      "530 no\r\n",
      "550 no\r\n",
      "552 no\r\n",
      "230-a\r\n",
      "b\r\n",
      "230 c\r\n",
      "junk\r\n",
  };
  const std::array<SockError, 7> errors = {
      SockError::eof,         SockError::resolve, SockError::refused, SockError::reset,
      SockError::unreachable, SockError::timeout, SockError::context};
  std::mt19937 rng(20240607);
  auto pick = [&](std::size_t n) {
    return std::uniform_int_distribution<std::size_t>(0, n - 1)(rng);
  };

  for (int run = 0; run < 200; ++run) {
    FtpClient c(kTimeouts);
    TimeMs now = 0;
    int opens = 0, cwds = 0, transfers = 0;
    int opened = 0, cwd_done = 0, transfer_done = 0, closed = 0, closes = 0;
    bool ready = false;
    bool rejected = false;  // a transfer() out of turn: its TransferDone is not the running one's
    std::array<bool, 2> open{};
    auto drain = [&] {
      for (const Op& op : take_ops(c)) {
        std::visit(Overloaded{
                       [&](const OpConnect& o) {
                         ASSERT_FALSE(open[o.sock == Sock::data]);
                         open[o.sock == Sock::data] = true;
                       },
                       [&](const OpListen& o) {
                         ASSERT_FALSE(open[o.sock == Sock::data]);
                         open[o.sock == Sock::data] = true;
                       },
                       [&](const OpSend& o) { ASSERT_TRUE(open[o.sock == Sock::data]); },
                       [&](const OpClose& o) {
                         ASSERT_TRUE(open[o.sock == Sock::data]);
                         open[o.sock == Sock::data] = false;
                       },
                   },
                   op);
      }
      for (const ClientEvent& e : take_events(c)) {
        if (std::holds_alternative<Opened>(e) || std::holds_alternative<OpenFailed>(e)) {
          ++opened;
        } else if (std::holds_alternative<CwdDone>(e)) {
          ++cwd_done;
        } else if (std::holds_alternative<TransferReady>(e)) {
          ASSERT_FALSE(ready);
          ready = true;
        } else if (std::holds_alternative<DataReceived>(e)) {
          ASSERT_TRUE(ready);
        } else if (std::holds_alternative<TransferDone>(e)) {
          if (!rejected) {
            ready = false;
          }
          rejected = false;
          ++transfer_done;
        } else if (std::holds_alternative<Closed>(e)) {
          ++closed;
        }
      }
    };
    for (int step = 0; step < 300; ++step) {
      now += static_cast<TimeMs>(pick(400));
      switch (pick(14)) {
        case 0:
          ++opens;
          c.open(now, OpenParams{"h", 21, pick(2) ? "" : "u", ""});
          break;
        case 1:
          ++cwds;
          c.cwd(now, pick(2) ? "" : "/p");
          break;
        case 2: {
          ++transfers;
          rejected = !idle(c);
          TransferParams p = pick(2) ? get_params("f", pick(2) * 5, pick(3) != 0)
                                     : put_params("f", pick(2) * 5, pick(3) != 0);
          c.transfer(now, p);
          break;
        }
        case 3:
          c.send_data(now, "data");
          break;
        case 4:
          c.finish_upload(now);
          break;
        case 5:
          c.abort(now);
          break;
        case 6: {
          bool was_quiet = idle(c) && !c.connected();
          c.close(now);
          if (was_quiet) {
            ++closes;  // answered at once
          }
          break;
        }
        case 7:
        case 8:
          c.on_data(now, Sock::control, replies[pick(replies.size())]);
          break;
        case 9:
          c.on_connected(now, pick(2) ? Sock::control : Sock::data, "10.0.0.5");
          break;
        case 10:
          c.on_listening(now, pick(2) ? "10.0.0.5" : "::1", 4000);
          break;
        case 11:
          c.on_data(now, Sock::data, "bytes");
          break;
        case 12:
          c.on_closed(now, pick(2) ? Sock::control : Sock::data, errors[pick(errors.size())]);
          break;
        case 13:
          if (c.deadline() != kNever) {
            now = std::max(now, c.deadline());
          }
          c.on_tick(now);
          break;
      }
      ASSERT_NO_FATAL_FAILURE(drain());
    }
    // Let time run out: everything but an engine-paced upload settles by itself.
    for (int round = 0; round < 10 && !idle(c); ++round) {
      if (c.deadline() == kNever) {
        c.finish_upload(now);
      } else {
        now = c.deadline();
        c.on_tick(now);
      }
      ASSERT_NO_FATAL_FAILURE(drain());
    }
    EXPECT_TRUE(idle(c)) << "run " << run;
    EXPECT_EQ(c.deadline(), kNever) << "run " << run;
    EXPECT_EQ(opened, opens) << "run " << run;
    EXPECT_EQ(cwd_done, cwds) << "run " << run;
    EXPECT_EQ(transfer_done, transfers) << "run " << run;
    EXPECT_GE(closed, closes) << "run " << run;
  }
}

}  // namespace
}  // namespace qftp::ftp
