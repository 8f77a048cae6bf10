// emulator_control_test.cpp: the emulator control (--control) takes its commands in any letter
// case and they act on the modem; STATUS names every simulated condition; HOST waits for the host's
// bytes; a bad line of any kind gets one ERR line and the connection goes on, and a last line
// without its newline is answered.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <map>
#include <sstream>

#include "e2e_fixture.h"

namespace qftp::e2e {
namespace {

constexpr std::string_view kDefaults = "OK dns=OK link=UP activation=OK context_losses=0 latency=0";

// STATUS's reply as key=value pairs (nullopt unless it is "OK k=v k=v ...").
std::optional<std::map<std::string, std::string>> status_fields(const std::string& reply) {
  std::istringstream in(reply);
  std::string word;
  if (!(in >> word) || word != "OK") return std::nullopt;
  std::map<std::string, std::string> fields;
  while (in >> word) {
    const auto eq = word.find('=');
    if (eq == std::string::npos || eq == 0) return std::nullopt;
    fields[word.substr(0, eq)] = word.substr(eq + 1);
  }
  return fields;
}

// --- what the commands do to the modem, in any letter case ------------------------------------

class EmulatorControl : public ModemTest {
 protected:
  // Short FTP timeouts, so that LATENCY can show its -9 within a test's deadline.
  static void SetUpTestSuite() {
    start_env(emulator_options(
        "reply_timeout_ms = 1000\nconnect_timeout_ms = 1000\ndata_timeout_ms = 1000\n"));
  }
  static void TearDownTestSuite() { stop_env(); }

  void expect_open_fails_with(int code) {
    EXPECT_TRUE(command(open_line(), "\r\nOK\r\n"));
    EXPECT_TRUE(expect("\r\n+QFTPOPEN:" + std::to_string(code) + "\r\n"));
  }
};

TEST_F(EmulatorControl, DnsAndLinkCommandsInLowerAndMixedCaseAct) {
  ASSERT_EQ(emu_control("dns fail"), "OK");
  expect_open_fails_with(-4);
  ASSERT_EQ(emu_control("Dns Ok"), "OK");
  ASSERT_EQ(emu_control("link down"), "OK");
  expect_open_fails_with(-5);
  ASSERT_EQ(emu_control("Link Up"), "OK");
  expect_usable();
}

TEST_F(EmulatorControl, ActivationCommandsInLowerAndMixedCaseAct) {
  ASSERT_TRUE(command("AT+QIDEACT", "\r\nDEACT OK\r\n"));
  ASSERT_EQ(emu_control("activation fail"), "OK");
  EXPECT_TRUE(command("AT+QIACT", "\r\nERROR\r\n"));
  ASSERT_EQ(emu_control("Activation Ok"), "OK");
  EXPECT_TRUE(command("AT+QIACT", "\r\nOK\r\n"));
  expect_usable();
}

TEST_F(EmulatorControl, ContextLostInLowerCaseEndsTheSession) {
  ASSERT_TRUE(open_session());
  ASSERT_EQ(emu_control("context lost"), "OK");
  EXPECT_TRUE(expect("\r\n+QFTPERROR:-8\r\n"));
  EXPECT_EQ(stat(), "CLOSED");
  expect_usable();
}

TEST_F(EmulatorControl, LatencyAndResetInLowerCaseAct) {
  ASSERT_EQ(emu_control("latency 3000"), "OK");
  expect_open_fails_with(-9);
  ASSERT_EQ(emu_control("reset"), "OK");
  EXPECT_EQ(emu_control("status"), kDefaults);
  expect_usable();
}

// HOST n answers once the modem has taken in n bytes from the host now on its port. The TE's
// count of what it sent on its link is the modem's count: the suite asks HOST with it before it
// ends the host link (R/44), so that a serial server's flush on close cannot eat the last bytes.
TEST_F(EmulatorControl, HostAnswersWithTheBytesTheModemHasTakenIn) {
  ASSERT_TRUE(command("AT", "\r\nOK\r\n"));
  const std::uint64_t sent = te().sent_bytes();
  EXPECT_EQ(emu_control("HOST " + std::to_string(sent)), "OK host_bytes=" + std::to_string(sent));
  EXPECT_EQ(emu_control("host 0"), "OK host_bytes=" + std::to_string(sent));
  // A byte more than the host sent never comes: after its wait, ERR with the count so far.
  EXPECT_EQ(emu_control("HOST " + std::to_string(sent + 1)),
            "ERR the host now served has sent " + std::to_string(sent) + " bytes, not " +
                std::to_string(sent + 1) + ", within 2000 ms");
  EXPECT_EQ(emu_control("HOST many").substr(0, 28), "ERR HOST takes a byte count,");
  EXPECT_EQ(emu_control("HOST -1").substr(0, 28), "ERR HOST takes a byte count,");
  expect_usable();
}

// HOST's reply waits for the host's bytes, and a line sent after it is answered after it.
TEST_F(EmulatorControl, HostWaitsForTheBytesAndTheLinesAfterItWaitTheirTurn) {
  auto control = DutLink::connect_tcp("127.0.0.1", emulator().control_port());
  ASSERT_TRUE(control.ok()) << control.error();
  const std::uint64_t due = te().sent_bytes() + 3;  // "AT\r", not sent yet
  ASSERT_TRUE(control->send("HOST " + std::to_string(due) + "\nSTATUS\n").ok());
  EXPECT_EQ(control->read_for(Ms(300)), "") << "HOST answered before the host's bytes came";
  ASSERT_TRUE(command("AT", "\r\nOK\r\n"));
  auto replies = control->read_until(std::string(kDefaults) + "\n", kDeadline);
  ASSERT_TRUE(replies.ok()) << replies.error();
  EXPECT_EQ(replies.value(), "OK host_bytes=" + std::to_string(due) + "\n" + std::string(kDefaults) + "\n");
}

TEST_F(EmulatorControl, StatusReportsEverySimulatedCondition) {
  const std::string initial = emu_control("STATUS");
  EXPECT_EQ(initial, kDefaults);
  const auto fields = status_fields(initial);
  ASSERT_TRUE(fields.has_value()) << initial;
  std::vector<std::string> keys;
  for (const auto& [key, value] : *fields) keys.push_back(key);
  EXPECT_EQ(keys,
            (std::vector<std::string>{"activation", "context_losses", "dns", "latency", "link"}));

  ASSERT_EQ(emu_control("DNS FAIL"), "OK");
  ASSERT_EQ(emu_control("LINK DOWN"), "OK");
  ASSERT_EQ(emu_control("ACTIVATION FAIL"), "OK");
  ASSERT_EQ(emu_control("CONTEXT LOST"), "OK");
  ASSERT_EQ(emu_control("context lost"), "OK");
  ASSERT_EQ(emu_control("LATENCY 250"), "OK");
  EXPECT_EQ(emu_control("Status"),
            "OK dns=FAIL link=DOWN activation=FAIL context_losses=2 latency=250");
  ASSERT_EQ(emu_control("DNS OK"), "OK");
  ASSERT_EQ(emu_control("LINK UP"), "OK");
  ASSERT_EQ(emu_control("ACTIVATION OK"), "OK");
  EXPECT_EQ(emu_control("STATUS"), "OK dns=OK link=UP activation=OK context_losses=2 latency=250");
  ASSERT_EQ(emu_control("RESET"), "OK");
  EXPECT_EQ(emu_control("STATUS"), kDefaults);
}

// --- the protocol itself: one connection, many lines --------------------------------------------

class EmulatorControlProtocol : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto started = EmulatorProcess::start(emulator_options());
    if (started) {
      emu_ = std::make_unique<EmulatorProcess>(std::move(started).value());
    } else {
      start_error_ = started.error();
    }
  }
  static void TearDownTestSuite() { emu_.reset(); }

  void SetUp() override {
    ASSERT_TRUE(emu_ != nullptr) << start_error_;
    ASSERT_TRUE(emu_->running()) << "qftp-emu has ended";
    link_.emplace(or_throw(DutLink::connect_tcp("127.0.0.1", emu_->control_port())));
  }
  void TearDown() override {
    link_.reset();
    if (emu_) {
      EXPECT_TRUE(emu_->running()) << "qftp-emu has ended";
    }
  }

  // Sends `bytes` and returns the next reply line without its newline.
  std::string ask(std::string_view bytes) {
    const auto sent = link_->send(bytes);
    EXPECT_TRUE(sent.ok()) << sent.error();
    return next_reply();
  }
  std::string next_reply() {
    auto got = link_->read_until("\n", kDeadline);
    EXPECT_TRUE(got.ok()) << got.error();
    if (!got) return {};
    std::string line = std::move(got).value();
    line.pop_back();
    EXPECT_EQ(line.find('\n'), std::string::npos) << "one reply per line: " << show(line);
    return line;
  }

  static std::unique_ptr<EmulatorProcess> emu_;
  static std::string start_error_;
  std::optional<DutLink> link_;
};

std::unique_ptr<EmulatorProcess> EmulatorControlProtocol::emu_;
std::string EmulatorControlProtocol::start_error_;

TEST_F(EmulatorControlProtocol, EveryBadLineGetsOneErrAndTheConnectionGoesOn) {
  const std::vector<std::pair<std::string, std::string>> bad = {
      {"\n", "ERR empty line"},
      {"   \t \n", "ERR empty line"},
      {"FLY AWAY\n", "ERR unknown command 'FLY AWAY'"},
      {"DNS\n", "ERR unknown command 'DNS'"},
      {"DNS MAYBE\n", "ERR unknown command 'DNS MAYBE'"},
      {"STATUS now\n", "ERR unknown command 'STATUS now'"},
      {"RESET all\n", "ERR unknown command 'RESET all'"},
      {"CONTEXT LOST NOW\n", "ERR too many words"},
      {"LATENCY\n", "ERR LATENCY takes milliseconds 0..600000"},
      {"LATENCY abc\n", "ERR LATENCY takes milliseconds 0..600000"},
      {"LATENCY -1\n", "ERR LATENCY takes milliseconds 0..600000"},
      {"LATENCY 600001\n", "ERR LATENCY takes milliseconds 0..600000"},
      {"LATENCY 99999999999999999999\n", "ERR LATENCY takes milliseconds 0..600000"},
      {"LATENCY 5ms\n", "ERR LATENCY takes milliseconds 0..600000"},
      {std::string("\x00\xff\x01", 3) + "\n", "ERR unknown command '\\x00\\xff\\x01'"},
      {std::string(5000, 'S') + "\n", "ERR line too long"},
  };
  for (const auto& [line, want] : bad) {
    SCOPED_TRACE(show(line.substr(0, 40)));
    const std::string reply = ask(line);
    EXPECT_EQ(reply.substr(0, want.size()), want) << reply;
  }
  // None of it changed anything, and the connection still answers.
  EXPECT_EQ(ask("STATUS\n"), kDefaults);
}

TEST_F(EmulatorControlProtocol, LinesSentTogetherAreAnsweredInOrder) {
  const std::string reply_of_first = ask("latency 7\nSTATUS\r\nnonsense\nLATENCY 0\nstatus\n");
  EXPECT_EQ(reply_of_first, "OK");
  EXPECT_EQ(next_reply(), "OK dns=OK link=UP activation=OK context_losses=0 latency=7");
  EXPECT_EQ(next_reply().substr(0, 19), "ERR unknown command");
  EXPECT_EQ(next_reply(), "OK");
  EXPECT_EQ(next_reply(), kDefaults);
}

TEST_F(EmulatorControlProtocol, AnOverlongLineIsDroppedWholeAndTheNextLineRuns) {
  // The overlong line arrives in pieces; its tail must not run as a command of its own.
  ASSERT_TRUE(link_->send(std::string(3000, 'x')));
  ASSERT_TRUE(link_->send(" LINK DOWN").ok());
  EXPECT_EQ(ask("\nSTATUS\n").substr(0, 17), "ERR line too long");
  EXPECT_EQ(next_reply(), kDefaults);
}

// A client that sends its last command without a newline and then shuts down its sending side
// (printf STATUS | nc) still gets the answer.
TEST_F(EmulatorControlProtocol, ALastLineWithoutNewlineIsAnswered) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  ASSERT_GE(fd, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(emu_->control_port());
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  const std::string request = "dns ok\nstatus";
  ASSERT_EQ(::send(fd, request.data(), request.size(), MSG_NOSIGNAL),
            static_cast<ssize_t>(request.size()));
  ASSERT_EQ(::shutdown(fd, SHUT_WR), 0);
  std::string got;
  const auto until = std::chrono::steady_clock::now() + kDeadline;
  for (;;) {
    const auto left = std::chrono::duration_cast<Ms>(until - std::chrono::steady_clock::now());
    pollfd p{fd, POLLIN, 0};
    ASSERT_GT(::poll(&p, 1, static_cast<int>(std::max<long long>(0, left.count()))), 0)
        << "no end of the reply; so far: " << show(got);
    char buf[512];
    const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0) break;
    got.append(buf, static_cast<std::size_t>(n));
  }
  ::close(fd);
  EXPECT_EQ(show(got), show("OK\n" + std::string(kDefaults) + "\n"));
}

TEST_F(EmulatorControlProtocol, TwoClientsAtOnceEachGetTheirAnswers) {
  auto other = or_throw(DutLink::connect_tcp("127.0.0.1", emu_->control_port()));
  ASSERT_TRUE(other.send("STATUS\n").ok());
  EXPECT_EQ(ask("Status\n"), kDefaults);
  auto reply = other.read_until("\n", kDeadline);
  ASSERT_TRUE(reply.ok()) << reply.error();
  EXPECT_EQ(*reply, std::string(kDefaults) + "\n");
}

}  // namespace
}  // namespace qftp::e2e
