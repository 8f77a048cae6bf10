// host_hangup_test.cpp: ruling 15 on the real emulator. A host whose link ends (a TCP host closes
// its connection, the last opener of the pty closes it) has dropped DTR: data mode ends as the
// escape ends it, the half-typed line is forgotten, and the next host finds the modem in command
// mode: its first AT gets OK within a second and it reads nothing of the old transfer, only the
// old transfer's final URC, which waits for it.
#include <fstream>
#include <sstream>
#include <thread>

#include "e2e_fixture.h"

namespace qftp::e2e {
namespace {

constexpr Ms kFirstAnswer{1000};  // the new host's first AT: OK within a second

class HangupTest : public ModemTest {
 protected:
  // The TE's link ends and a new host opens one. On a pty the emulator notices the hang-up when
  // its read of the master fails; a host that opened the device again before that would be the
  // same host, so the new one waits for the emulator's log to show the hang-up.
  void new_host() {
    const std::size_t before = hangups();
    drop_link();
    const auto until = std::chrono::steady_clock::now() + kDeadline;
    while (hangups() == before) {
      ASSERT_TRUE(std::chrono::steady_clock::now() < until)
          << "the emulator never logged the hang-up";
      std::this_thread::sleep_for(10ms);  // a file has no event to wait for
    }
    ASSERT_TRUE(relink());
  }

  // The new host's first AT: within a second its OK, and before it nothing but the old
  // transfer's final URC `urc_name` (when it came first) and the echo. Returns the URC's value,
  // waiting for it after the OK if it did not come first; with no `urc_name` none is due.
  std::optional<std::string> first_at(std::string_view urc_name = {}) {
    EXPECT_TRUE(te().send("AT\r").ok());
    auto got = te().read_until("\r\nOK\r\n", kFirstAnswer);
    EXPECT_TRUE(got.ok()) << "no OK within a second: " << show(got.error());
    if (!got) return std::nullopt;
    std::string text = *got;
    std::optional<std::string> value;
    const std::string head = "\r\n" + std::string(urc_name) + ":";
    if (!urc_name.empty() && text.compare(0, head.size(), head) == 0) {
      const auto end = text.find("\r\n", head.size());
      value = text.substr(head.size(), end - head.size());
      text.erase(0, end + 2);
    }
    EXPECT_EQ(show(text), show("AT\r\r\nOK\r\n")) << "the new host read more than its answer";
    if (!value && !urc_name.empty()) {
      auto later = urc(urc_name);
      if (later) value = *later;
    }
    return value;
  }

  std::size_t hangups() const {
    std::ifstream in(emulator().log_path());
    std::stringstream all;
    all << in.rdbuf();
    const std::string s = all.str();
    std::size_t n = 0;
    for (auto at = s.find("TE hang-up"); at != std::string::npos; at = s.find("TE hang-up", at + 1))
      ++n;
    return n;
  }

  void mid_upload() {
    ASSERT_TRUE(open_session());
    const std::string data = pseudo_random_bytes(100000, 15);
    ASSERT_TRUE(command("AT+QFTPPUT=\"gone.bin\",100000,60", "\r\nOK\r\n\r\nCONNECT\r\n"));
    ASSERT_TRUE(send(std::string_view(data).substr(0, 30000)));
    new_host();
    const auto value = first_at("+QFTPPUT");
    ASSERT_TRUE(value.has_value());
    // The upload kept what arrived (ruling 6's escape): all 30000 bytes the old host sent.
    EXPECT_EQ(*value, "30000");
    EXPECT_TRUE(same_bytes(server_file("gone.bin"), std::string_view(data).substr(0, 30000)));
    EXPECT_EQ(stat(), "OPENED");
  }

  void mid_download() {
    ASSERT_TRUE(open_session());
    put_server_file("big.bin", pseudo_random_bytes(1 << 20, 16));
    fault("SLOW 200000");  // five seconds: the hang-up lands in the middle
    ASSERT_TRUE(command("AT+QFTPGET=\"big.bin\"", "\r\nOK\r\n\r\nCONNECT\r\n"));
    const auto head = te().read_exactly(10000, kDeadline);
    ASSERT_TRUE(head.ok()) << head.error();
    new_host();
    const auto value = first_at("+QFTPGET");
    ASSERT_TRUE(value.has_value());
    EXPECT_LT(std::stoll(*value), 1 << 20) << "the download was not abandoned";
    EXPECT_TRUE(expect_silence(300ms)) << "bytes of the old download reached the new host";
    EXPECT_TRUE(command("AT+QFTPSTAT", "\r\n+QFTPSTAT: OPENED\r\n\r\nOK\r\n"));
  }

  void mid_line() {
    ASSERT_TRUE(send("AT+QFTPUSER=\"half"));
    ASSERT_TRUE(expect("AT+QFTPUSER=\"half"));
    new_host();
    first_at();  // "AT\r" alone: joined to the old line it would have been an ERROR
    EXPECT_TRUE(command("AT+QFTPUSER?", "\r\n+QFTPUSER:\"quectel\"\r\n\r\nOK\r\n"));
  }
};

// Over TCP: the host closes its connection; the next one connects.
class EmuHangupTcp : public HangupTest {
 protected:
  static void SetUpTestSuite() {
    auto options = emulator_options();
    options.transport = Transport::tcp;
    start_env(options);
  }
};

// Over the pty: the host closes the device; the next one opens it.
class EmuHangupPty : public HangupTest {};

TEST_F(EmuHangupTcp, MidUpload) { mid_upload(); }
TEST_F(EmuHangupTcp, MidDownload) { mid_download(); }
TEST_F(EmuHangupTcp, MidLine) { mid_line(); }
TEST_F(EmuHangupPty, MidUpload) { mid_upload(); }
TEST_F(EmuHangupPty, MidDownload) { mid_download(); }
TEST_F(EmuHangupPty, MidLine) { mid_line(); }

}  // namespace
}  // namespace qftp::e2e
