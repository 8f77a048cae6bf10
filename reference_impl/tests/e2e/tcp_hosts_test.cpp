// tcp_hosts_test.cpp: qftp-emu --tcp serves one host at a time like a serial server's raw port: a
// host that connects while another is served reads one BUSY line and is closed, and the served
// host's session goes on untouched; once that host hangs up, the next one is served.
#include "e2e_fixture.h"

namespace qftp::e2e {
namespace {

constexpr std::string_view kBusy = "BUSY qftp-emu serves one host at a time\r\n";

class EmuTcpHosts : public ::testing::Test {
 protected:
  void SetUp() override {
    auto options = emulator_options();
    options.transport = Transport::tcp;
    emu.emplace(or_throw(EmulatorProcess::start(options)));
  }

  DutLink connect() { return or_throw(emu->link()); }

  // `line` + CR gets its echo and exactly `answer`.
  static ::testing::AssertionResult exchange(DutLink& link, const std::string& line,
                                             const std::string& answer) {
    const std::string sent = line + "\r";
    if (const auto st = link.send(sent); !st) return ::testing::AssertionFailure() << st.error();
    const std::string want = sent + answer;
    auto got = link.read_exactly(want.size(), kDeadline);
    if (!got) return ::testing::AssertionFailure() << got.error();
    if (*got != want) {
      return ::testing::AssertionFailure()
             << "got \"" << show(*got) << "\", want \"" << show(want) << "\"";
    }
    return ::testing::AssertionSuccess();
  }

  // The refused host reads exactly the BUSY line, then its connection ends.
  static void expect_refused(DutLink& link) {
    auto line = link.read_until("\r\n", kDeadline);
    ASSERT_TRUE(line.ok()) << line.error();
    EXPECT_EQ(show(*line), show(kBusy));
    auto after = link.read_until("never", kDeadline);
    ASSERT_FALSE(after.ok()) << "more after BUSY: " << show(*after);
    EXPECT_NE(after.error().find("closed"), std::string::npos) << after.error();
  }

  std::optional<EmulatorProcess> emu;
};

TEST_F(EmuTcpHosts, ASecondHostIsToldBusyAndTheFirstIsUntouched) {
  DutLink first = connect();
  ASSERT_TRUE(exchange(first, "AT+QFTPUSER=\"first\"", "\r\nOK\r\n"));
  {
    DutLink second = connect();
    // It talks at once, as a host that expects a modem does; none of it may reach the modem.
    ASSERT_TRUE(second.send("AT+QFTPUSER=\"intruder\"\r").ok());
    expect_refused(second);
  }
  EXPECT_TRUE(exchange(first, "AT+QFTPUSER?", "\r\n+QFTPUSER:\"first\"\r\n\r\nOK\r\n"));
  EXPECT_TRUE(exchange(first, "AT", "\r\nOK\r\n"));
}

TEST_F(EmuTcpHosts, EveryLaterHostIsRefusedWhileOneIsServed) {
  DutLink first = connect();
  ASSERT_TRUE(exchange(first, "AT", "\r\nOK\r\n"));
  std::vector<DutLink> others;
  for (int i = 0; i < 5; ++i) others.push_back(connect());
  for (auto& other : others) expect_refused(other);
  EXPECT_TRUE(exchange(first, "ATE1", "\r\nOK\r\n"));
}

// A host that reconnects at once must find the modem free, not busy with its own old connection.
TEST_F(EmuTcpHosts, TheNextHostIsServedOnceTheFirstHangsUp) {
  for (int i = 0; i < 20; ++i) {
    SCOPED_TRACE("connection " + std::to_string(i));
    DutLink link = connect();
    const std::string user = "AT+QFTPUSER=\"u" + std::to_string(i) + "\"";
    ASSERT_TRUE(exchange(link, user, "\r\nOK\r\n"));
    if (i > 0) {
      // Same modem: the previous host's setting is there.
      ASSERT_TRUE(exchange(link, "AT+QFTPUSER?",
                           "\r\n+QFTPUSER:\"u" + std::to_string(i) + "\"\r\n\r\nOK\r\n"));
    }
  }
}

TEST_F(EmuTcpHosts, AHostRefusedEarlierIsServedLater) {
  std::optional<DutLink> first(connect());
  ASSERT_TRUE(exchange(*first, "AT", "\r\nOK\r\n"));
  DutLink refused = connect();
  expect_refused(refused);
  first.reset();
  DutLink again = connect();
  EXPECT_TRUE(exchange(again, "AT", "\r\nOK\r\n"));
}

}  // namespace
}  // namespace qftp::e2e
