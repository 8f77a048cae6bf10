// dut_link_telnet_test.cpp: the tcp:…,telnet link against a scripted RFC 2217 server on loopback:
// negotiation and port settings as ser2net answers them, IAC both ways, a raw port, a server
// without RFC 2217 or with another baud rate, flow control; and the --dut forms that ask for it.
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <functional>
#include <future>
#include <string>
#include <thread>

#include "loopback_listener.h"
#include "te/dut_link.h"
#include "te/dut_spec.h"

namespace qftp::te {
namespace {

using namespace std::chrono_literals;
using namespace std::string_literals;

std::string bytes(std::initializer_list<int> values) {
  std::string out;
  for (const int v : values) out.push_back(static_cast<char>(v));
  return out;
}

constexpr int kIac = 255, kDont = 254, kDo = 253, kWill = 251, kSb = 250, kSe = 240;
constexpr int kBinary = 0, kEcho = 1, kSga = 3, kCom = 44;

// ser2net 4.3's first words on a telnet(rfc2217) port, as captured.
std::string ser2net_greeting() {
  return bytes({kIac,  kWill, kSga, kIac,    kDo,  kSga,  kIac,    kWill, kEcho, kIac, kDont,
                kEcho, kIac,  kDo,  kBinary, kIac, kWill, kBinary, kIac,  kDo,   kCom});
}

// The server's side of one connection, written plainly so that it checks the codec rather than
// sharing its code: reads raw bytes, finds the COM-PORT-OPTION subnegotiations the client sent.
class ServerConn {
 public:
  explicit ServerConn(int fd) : fd_(fd) {}
  ~ServerConn() { ::close(fd_); }
  void send(const std::string& b) const {
    ASSERT_EQ(::send(fd_, b.data(), b.size(), MSG_NOSIGNAL), static_cast<ssize_t>(b.size()));
  }
  // Reads until `done(received)` holds or the client closes; the received bytes so far.
  const std::string& read_until(const std::function<bool(const std::string&)>& done) {
    char buf[4096];
    while (!done(received_)) {
      const ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
      if (n <= 0) break;
      received_.append(buf, static_cast<std::size_t>(n));
    }
    return received_;
  }
  // The payloads of IAC SB COM-PORT-OPTION ... IAC SE in what the client sent, IAC IAC undone.
  std::vector<std::string> com_port_commands() const {
    std::vector<std::string> out;
    const std::string start = bytes({kIac, kSb, kCom});
    for (auto at = received_.find(start); at != std::string::npos;
         at = received_.find(start, at + 1)) {
      std::string payload;
      for (std::size_t i = at + 3; i + 1 < received_.size(); ++i) {
        if (received_[i] == '\xff' && received_[i + 1] == '\xf0') {
          out.push_back(payload);
          break;
        }
        if (received_[i] == '\xff') ++i;
        payload.push_back(received_[i]);
      }
    }
    return out;
  }

 private:
  int fd_;
  std::string received_;
};

// A loopback listener whose one connection is handled by `script` on its own thread.
class ScriptedServer {
 public:
  explicit ScriptedServer(std::function<void(ServerConn&)> script) {
    listener_ = testing::listen_loopback(port_);
    EXPECT_GE(listener_, 0) << "no loopback listener";
    thread_ = std::thread([this, script = std::move(script)] {
      const int fd = ::accept4(listener_, nullptr, nullptr, SOCK_CLOEXEC);
      if (fd < 0) return;
      ServerConn conn(fd);
      script(conn);
    });
  }
  ~ScriptedServer() { join(); }
  void join() {
    if (thread_.joinable()) {
      ::shutdown(listener_, SHUT_RDWR);  // a script never connected to must still end
      thread_.join();
    }
    if (listener_ >= 0) ::close(listener_);
    listener_ = -1;
  }
  std::uint16_t port() const { return port_; }

 private:
  int listener_ = -1;
  std::uint16_t port_ = 0;
  std::thread thread_;
};

bool has_all_set_commands(const std::string& r) {
  // SET-CONTROL is the last of the five the client sends.
  return r.find(bytes({kIac, kSb, kCom, 5})) != std::string::npos &&
         r.find(bytes({kIac, kSe}), r.find(bytes({kIac, kSb, kCom, 5}))) != std::string::npos;
}

// Answers every SET-* command with its own value, as ser2net does when the port takes it.
void acknowledge(ServerConn& conn, const std::vector<std::string>& commands) {
  std::string acks;
  for (const auto& c : commands) {
    std::string reply = c;
    reply[0] = static_cast<char>(static_cast<unsigned char>(c[0]) + 100);
    std::string escaped;
    for (const char ch : reply) {
      escaped.push_back(ch);
      if (ch == '\xff') escaped.push_back(ch);
    }
    acks += bytes({kIac, kSb, kCom}) + escaped + bytes({kIac, kSe});
  }
  conn.send(acks);
}

DutLink::TcpOptions telnet_at(long baud, bool rtscts) {
  return {true, {baud, rtscts}};
}

TEST(DutLinkTelnet, NegotiatesSetsThePortAndEscapesIacBothWays) {
  std::promise<std::vector<std::string>> commands;
  std::promise<std::string> heard;
  ScriptedServer server([&](ServerConn& conn) {
    conn.send(ser2net_greeting());
    conn.read_until(has_all_set_commands);
    commands.set_value(conn.com_port_commands());
    acknowledge(conn, conn.com_port_commands());
    // A modem state notice, then data with an IAC in it and a NOP in between.
    conn.send(bytes({kIac, kSb, kCom, 107, 0x30, kIac, kSe}) + "OK" + bytes({kIac, kIac}) +
              bytes({kIac, 241}) + "\r\n");
    const auto& all = conn.read_until([](const std::string& r) { return r.find("END") != r.npos; });
    heard.set_value(all.substr(all.rfind(bytes({kIac, kSe})) + 2));
  });
  auto link = DutLink::connect_tcp("127.0.0.1", server.port(), 5s, telnet_at(9600, true));
  ASSERT_TRUE(link.ok()) << link.error();
  const auto sent = commands.get_future().get();
  ASSERT_EQ(sent.size(), 5U);
  EXPECT_EQ(sent[0], bytes({1, 0, 0, 0x25, 0x80}));  // SET-BAUDRATE 9600
  EXPECT_EQ(sent[1], bytes({2, 8}));
  EXPECT_EQ(sent[2], bytes({3, 1}));
  EXPECT_EQ(sent[3], bytes({4, 1}));
  EXPECT_EQ(sent[4], bytes({5, 3}));  // hardware flow control
  auto got = link->read_until("\r\n", 5s);
  ASSERT_TRUE(got.ok()) << got.error();
  EXPECT_EQ(got.value(), "OK\xff\r\n"s);
  ASSERT_TRUE(link->send("AT\xff\r"
                         "END"s)
                  .ok());
  // The refusal of ECHO came before the data; after the last subnegotiation only the data.
  EXPECT_EQ(heard.get_future().get(),
            "AT\xff\xff\r"
            "END"s);
  // The wire log holds the modem's conversation, not telnet's.
  ASSERT_GE(link->wire_log().size(), 2U);
  EXPECT_EQ(link->wire_log().back().bytes,
            "AT\xff\r"
            "END"s);
}

TEST(DutLinkTelnet, TheClientRefusesEchoAndAnswersTheServersRequests) {
  std::promise<std::string> replies;
  ScriptedServer server([&](ServerConn& conn) {
    conn.send(ser2net_greeting());
    const auto& r = conn.read_until(has_all_set_commands);
    replies.set_value(r.substr(0, r.find(bytes({kIac, kSb}))));
    acknowledge(conn, conn.com_port_commands());
    conn.read_until([](const std::string&) { return false; });
  });
  auto link = DutLink::connect_tcp("127.0.0.1", server.port(), 5s, telnet_at(115200, false));
  ASSERT_TRUE(link.ok()) << link.error();
  // Our five requests, then the one answer the greeting needs: DONT ECHO.
  EXPECT_EQ(replies.get_future().get(),
            bytes({kIac, kWill, kBinary, kIac, kDo, kBinary, kIac, kWill, kSga, kIac, kDo, kSga,
                   kIac, kWill, kCom, kIac, kDont, kEcho}));
}

TEST(DutLinkTelnet, ARawPortIsNoTelnetServer) {
  ScriptedServer server([](ServerConn& conn) {
    conn.read_until([](const std::string&) { return false; });  // says nothing, ever
  });
  auto link = DutLink::connect_tcp("127.0.0.1", server.port(), 300ms, telnet_at(115200, false));
  ASSERT_FALSE(link.ok());
  EXPECT_NE(link.error().find("is it a raw port?"), std::string::npos) << link.error();
}

TEST(DutLinkTelnet, AServerWithoutRfc2217IsRefused) {
  ScriptedServer server([](ServerConn& conn) {
    conn.read_until([](const std::string& r) { return r.size() >= 15; });
    conn.send(bytes({kIac, kDo, kBinary, kIac, kWill, kBinary, kIac, kDo, kSga, kIac, kWill, kSga,
                     kIac, kDont, kCom}));
    conn.read_until([](const std::string&) { return false; });
  });
  auto link = DutLink::connect_tcp("127.0.0.1", server.port(), 5s, telnet_at(115200, false));
  ASSERT_FALSE(link.ok());
  EXPECT_NE(link.error().find("RFC 2217"), std::string::npos) << link.error();
}

TEST(DutLinkTelnet, AServerThatRefusesBinaryIsRefused) {
  ScriptedServer server([](ServerConn& conn) {
    conn.read_until([](const std::string& r) { return r.size() >= 15; });
    conn.send(bytes({kIac, 254, kBinary, kIac, 252, kBinary, kIac, kDo, kSga, kIac, kWill, kSga,
                     kIac, kDo, kCom}));
    conn.read_until([](const std::string&) { return false; });
  });
  auto link = DutLink::connect_tcp("127.0.0.1", server.port(), 5s, telnet_at(115200, false));
  ASSERT_FALSE(link.ok());
  EXPECT_NE(link.error().find("BINARY"), std::string::npos) << link.error();
}

TEST(DutLinkTelnet, APortThatRunsAtAnotherBaudRateIsAnError) {
  ScriptedServer server([](ServerConn& conn) {
    conn.send(ser2net_greeting());
    conn.read_until(has_all_set_commands);
    auto commands = conn.com_port_commands();
    commands[0] = bytes({1, 0, 0, 0x12, 0xc0});  // 4800
    acknowledge(conn, commands);
    conn.read_until([](const std::string&) { return false; });
  });
  auto link = DutLink::connect_tcp("127.0.0.1", server.port(), 5s, telnet_at(9600, false));
  ASSERT_FALSE(link.ok());
  EXPECT_NE(link.error().find("SET-BAUDRATE 9600 with 4800"), std::string::npos) << link.error();
}

TEST(DutLinkTelnet, SendingWaitsWhileTheServerSuspendsIt) {
  std::promise<void> client_blocked;
  std::promise<std::string> heard;
  ScriptedServer server([&](ServerConn& conn) {
    conn.send(ser2net_greeting());
    conn.read_until(has_all_set_commands);
    acknowledge(conn, conn.com_port_commands());
    const std::size_t mark = conn.read_until([](const std::string&) { return true; }).size();
    conn.send(bytes({kIac, kSb, kCom, 108, kIac, kSe}) + "stop");  // FLOWCONTROL-SUSPEND
    client_blocked.get_future().wait();
    conn.send(bytes({kIac, kSb, kCom, 109, kIac, kSe}) + "go");  // FLOWCONTROL-RESUME
    const auto& all =
        conn.read_until([&](const std::string& r) { return r.find('y', mark) != r.npos; });
    heard.set_value(all.substr(all.rfind(bytes({kIac, kSe})) + 2));
  });
  auto link = DutLink::connect_tcp("127.0.0.1", server.port(), 5s, telnet_at(115200, false));
  ASSERT_TRUE(link.ok()) << link.error();
  ASSERT_TRUE(link->read_until("stop", 5s).ok());
  // The server never resumes within this send's deadline: the bytes are not sent.
  const auto held = link->send("x", 200ms);
  ASSERT_FALSE(held.ok());
  EXPECT_NE(held.error().find("suspended"), std::string::npos) << held.error();
  client_blocked.set_value();
  ASSERT_TRUE(link->read_until("go", 5s).ok());
  EXPECT_TRUE(link->send("y", 5s).ok());
  EXPECT_EQ(heard.get_future().get(), "y");
}

TEST(DutSpecTelnet, ParsesTheTelnetFormsAndRefusesLineSettingsOnARawPort) {
  auto raw = parse_dut_spec("tcp:192.0.2.7:4001");
  ASSERT_TRUE(raw.ok()) << raw.error();
  EXPECT_FALSE(raw->telnet);
  EXPECT_EQ(raw->describe(), "tcp:192.0.2.7:4001");

  auto telnet = parse_dut_spec("tcp:rack.lab:4001,telnet");
  ASSERT_TRUE(telnet.ok()) << telnet.error();
  EXPECT_TRUE(telnet->telnet);
  EXPECT_EQ(telnet->host, "rack.lab");
  EXPECT_EQ(telnet->port, 4001);
  EXPECT_EQ(telnet->baud, 115200);
  EXPECT_FALSE(telnet->rtscts);
  EXPECT_EQ(telnet->describe(), "tcp:rack.lab:4001,telnet,baud=115200");

  auto full = parse_dut_spec("tcp:127.0.0.1:4002,telnet,baud=9600,rtscts");
  ASSERT_TRUE(full.ok()) << full.error();
  EXPECT_TRUE(full->telnet);
  EXPECT_EQ(full->baud, 9600);
  EXPECT_TRUE(full->rtscts);
  EXPECT_EQ(full->describe(), "tcp:127.0.0.1:4002,telnet,baud=9600,rtscts");
  EXPECT_EQ(parse_dut_spec(full->describe())->describe(), full->describe());

  for (const char* bad : {"tcp:h:4001,baud=9600", "tcp:h:4001,rtscts", "tcp:h:4001,telnet,baud=0",
                          "tcp:h:4001,telnet,parity=even", "tcp:h:4001,", "tcp:h,telnet",
                          "serial:/dev/ttyUSB0,telnet"}) {
    EXPECT_FALSE(parse_dut_spec(bad).ok()) << bad;
  }
  EXPECT_NE(parse_dut_spec("tcp:h:4001,rtscts").error().find("need ,telnet"), std::string::npos);
}

}  // namespace
}  // namespace qftp::te
