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
    options.tcp = true;
    emu.emplace(options);
  }

  ByteLink connect() { return emu->link(); }

  // `line` + CR gets its echo and exactly `answer`.
  static ::testing::AssertionResult exchange(ByteLink& link, const std::string& line,
                                             const std::string& answer) {
    const std::string sent = line + "\r";
    if (!link.send(sent)) return ::testing::AssertionFailure() << link.error();
    const std::string want = sent + answer;
    auto got = link.read_exactly(want.size(), kDeadline);
    if (!got) return ::testing::AssertionFailure() << link.error();
    if (*got != want) {
      return ::testing::AssertionFailure()
             << "got \"" << show(*got) << "\", want \"" << show(want) << "\"";
    }
    return ::testing::AssertionSuccess();
  }

  // The refused host reads exactly the BUSY line, then its connection ends.
  static void expect_refused(ByteLink& link) {
    auto line = link.read_until("\r\n", kDeadline);
    ASSERT_TRUE(line.has_value()) << link.error();
    EXPECT_EQ(show(*line), show(kBusy));
    auto after = link.read_until("never", kDeadline);
    ASSERT_FALSE(after.has_value()) << "more after BUSY: " << show(*after);
    EXPECT_NE(link.error().find("closed"), std::string::npos) << link.error();
  }

  std::optional<Emulator> emu;
};

TEST_F(EmuTcpHosts, ASecondHostIsToldBusyAndTheFirstIsUntouched) {
  ByteLink first = connect();
  ASSERT_TRUE(exchange(first, "AT+QFTPUSER=\"first\"", "\r\nOK\r\n"));
  {
    ByteLink second = connect();
    // It talks at once, as a host that expects a modem does; none of it may reach the modem.
    ASSERT_TRUE(second.send("AT+QFTPUSER=\"intruder\"\r"));
    expect_refused(second);
  }
  EXPECT_TRUE(exchange(first, "AT+QFTPUSER?", "\r\n+QFTPUSER:\"first\"\r\n\r\nOK\r\n"));
  EXPECT_TRUE(exchange(first, "AT", "\r\nOK\r\n"));
}

TEST_F(EmuTcpHosts, EveryLaterHostIsRefusedWhileOneIsServed) {
  ByteLink first = connect();
  ASSERT_TRUE(exchange(first, "AT", "\r\nOK\r\n"));
  std::vector<ByteLink> others;
  for (int i = 0; i < 5; ++i) others.push_back(connect());
  for (auto& other : others) expect_refused(other);
  EXPECT_TRUE(exchange(first, "ATE1", "\r\nOK\r\n"));
}

// A host that reconnects at once must find the modem free, not busy with its own old connection.
TEST_F(EmuTcpHosts, TheNextHostIsServedOnceTheFirstHangsUp) {
  for (int i = 0; i < 20; ++i) {
    SCOPED_TRACE("connection " + std::to_string(i));
    ByteLink link = connect();
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
  std::optional<ByteLink> first(connect());
  ASSERT_TRUE(exchange(*first, "AT", "\r\nOK\r\n"));
  ByteLink refused = connect();
  expect_refused(refused);
  first.reset();
  ByteLink again = connect();
  EXPECT_TRUE(exchange(again, "AT", "\r\nOK\r\n"));
}

}  // namespace
}  // namespace qftp::e2e
