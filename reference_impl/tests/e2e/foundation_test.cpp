// foundation_test.cpp: qftp-emu as a process: a real client on its pty and on its TCP port gets
// the exact bytes (echo included) for basic lines, junk, overlong lines and 8-bit bytes, a
// mebibyte both ways, and its --log records both directions; SIGTERM.
#include <signal.h>
#include <unistd.h>

#include <sstream>

#include "e2e_fixture.h"

namespace qftp::e2e {
namespace {

class Foundation : public ModemTest {
 protected:
  // Exchanges shared by the pty and the TCP suite.
  void basics() {
    EXPECT_TRUE(command("AT", "\r\nOK\r\n"));
    EXPECT_TRUE(
        command("ATI", "\r\nQuectel_Ltd\r\nQuectel_M95\r\nRevision: M95FAR02A08\r\n\r\nOK\r\n"));
    EXPECT_TRUE(command("at+qftpstat", "\r\n+QFTPSTAT: IDLE\r\n\r\nOK\r\n"));
  }

  void junk_before_at() {
    // docs/field-facts.md §2: a space, an ESC, a stray CR LF before the command; all echoed, then
    // ignored.
    EXPECT_TRUE(command(" \x1b\r\nAT", "\r\nOK\r\n"));
    EXPECT_TRUE(command("xyzAT", "\r\nOK\r\n"));
  }

  void overlong_line() {
    // docs/field-facts.md §1: more than 256 characters executes nothing and answers ERROR.
    const std::string line = "AT+QFTPUSER=\"" + std::string(286, 'u') + "\"";
    ASSERT_EQ(line.size(), 300U);
    EXPECT_TRUE(command(line, "\r\nERROR\r\n"));
    EXPECT_TRUE(command("AT+QFTPUSER?", "\r\n+QFTPUSER:\"quectel\"\r\n\r\nOK\r\n"))
        << "nothing executed";
    EXPECT_TRUE(command("AT", "\r\nOK\r\n"));
  }

  void eight_bit_and_nul() {
    // NUL and bytes above 127 outside a command are junk; echoed as they came.
    EXPECT_TRUE(command(std::string("\x00\xff\x80", 3) + "AT", "\r\nOK\r\n"));
    // Inside a quoted string bytes above 127 are kept (a user name is bytes to the server).
    EXPECT_TRUE(command("AT+QFTPUSER=\"\xe9t\xe9\"", "\r\nOK\r\n"));
    EXPECT_TRUE(command("AT+QFTPUSER?", "\r\n+QFTPUSER:\"\xe9t\xe9\"\r\n\r\nOK\r\n"));
    EXPECT_TRUE(command("AT", "\r\nOK\r\n"));
  }
};

TEST_F(Foundation, PtyAnswersAtWithEchoAndOk) {
  basics();
}
TEST_F(Foundation, PtyIgnoresJunkBeforeAt) {
  junk_before_at();
}
TEST_F(Foundation, PtyRefusesALineOver256Characters) {
  overlong_line();
}
TEST_F(Foundation, PtyCarriesNulAndEightBitBytes) {
  eight_bit_and_nul();
}

// --log: every exchange, both directions, in the file the emulator was given (the bytes of one
// direction may come in several records).
TEST_F(Foundation, TheWireLogRecordsBothDirections) {
  ASSERT_TRUE(command("AT+QFTPUSER=\"logged\"", "\r\nOK\r\n"));
  std::istringstream log(emulator().log_tail(1 << 20));
  std::string from_te, to_te;
  for (std::string time, direction, bytes; log >> time >> direction && std::getline(log, bytes);) {
    if (direction == "TE>") from_te += bytes.substr(1);
    if (direction == "TA<") to_te += bytes.substr(1);
  }
  EXPECT_NE(from_te.find(show("AT+QFTPUSER=\"logged\"\r")), std::string::npos) << from_te;
  EXPECT_NE(to_te.find(show("AT+QFTPUSER=\"logged\"\r\r\nOK\r\n")), std::string::npos) << to_te;
}

// The emulator's I/O under load: a mebibyte of every byte value up and down its pty.
TEST_F(Foundation, PtyCarriesAMebibyteBothWays) {
  const std::string content = pseudo_random_bytes(1 << 20, 20);
  const std::string n = std::to_string(content.size());
  ASSERT_TRUE(open_session());
  ASSERT_TRUE(command("AT+QFTPPUT=\"big.bin\"," + n + ",60", "\r\nOK\r\n\r\nCONNECT\r\n"));
  ASSERT_TRUE(send(content));
  ASSERT_TRUE(expect("\r\n+QFTPPUT:" + n + "\r\n"));
  EXPECT_TRUE(same_bytes(server_file("big.bin"), content));
  ASSERT_TRUE(command("AT+QFTPGET=\"big.bin\"",
                      "\r\nOK\r\n\r\nCONNECT\r\n" + content + "\r\n+QFTPGET:" + n + "\r\n"));
}

TEST_F(Foundation, PtyHostCanCloseAndReopenTheDevice) {
  ASSERT_TRUE(command("AT+QFTPUSER=\"again\"", "\r\nOK\r\n"));
  ASSERT_TRUE(relink());
  EXPECT_TRUE(command("AT+QFTPUSER?", "\r\n+QFTPUSER:\"again\"\r\n\r\nOK\r\n"));
}

TEST_F(Foundation, PtyLineEndingsCrLfAndLf) {
  // docs/field-facts.md §2: most hosts end lines with CR, some with LF, some with CR LF; every byte
  // is echoed.
  EXPECT_TRUE(send("AT\n") && expect("AT\n\r\nOK\r\n"));
  EXPECT_TRUE(send("AT\r\n") && expect("AT\r\r\nOK\r\n\n"));
  EXPECT_TRUE(command("AT", "\r\nOK\r\n"));
}

class FoundationTcp : public Foundation {
 protected:
  static void SetUpTestSuite() {
    auto options = emulator_options();
    options.transport = Transport::tcp;
    start_env(std::move(options));
  }
  static void TearDownTestSuite() { stop_env(); }
};

TEST_F(FoundationTcp, TcpAnswersAtWithEchoAndOk) {
  basics();
}
TEST_F(FoundationTcp, TcpIgnoresJunkBeforeAt) {
  junk_before_at();
}
TEST_F(FoundationTcp, TcpRefusesALineOver256Characters) {
  overlong_line();
}
TEST_F(FoundationTcp, TcpCarriesNulAndEightBitBytes) {
  eight_bit_and_nul();
}

TEST_F(FoundationTcp, TcpServesTheNextHostAfterTheFirstHangsUp) {
  ASSERT_TRUE(command("AT+QFTPUSER=\"next\"", "\r\nOK\r\n"));
  ASSERT_TRUE(relink());
  EXPECT_TRUE(command("AT+QFTPUSER?", "\r\n+QFTPUSER:\"next\"\r\n\r\nOK\r\n"))
      << "same modem, next host";
}

// SIGTERM ends qftp-emu cleanly (docs/architecture.md §3), and a --link symlink goes with it.
TEST(FoundationProcess, SigtermEndsThePtyEmulatorAndRemovesItsLink) {
  const te::WorkDir dir = temp_dir();
  ASSERT_FALSE(dir.path().empty());
  auto options = emulator_options();
  options.link = dir.path() / "modem";
  auto emu = or_throw(EmulatorProcess::start(options));
  std::error_code ec;
  ASSERT_TRUE(std::filesystem::is_symlink(options.link, ec));
  EXPECT_EQ(std::filesystem::read_symlink(options.link, ec).string(), emu.device());
  {
    // The link is a device a host can open by its name.
    auto link = or_throw(DutLink::open_serial(options.link.string(), {}));
    ASSERT_TRUE(link.send("AT\r").ok());
    const auto got = link.read_exactly(9, kDeadline);
    ASSERT_TRUE(got.ok()) << got.error();
    EXPECT_EQ(show(*got), show("AT\r\r\nOK\r\n"));
  }
  ASSERT_TRUE(emu.signal(SIGTERM));
  const auto st = emu.wait_exit(kDeadline);
  ASSERT_TRUE(st.has_value()) << "qftp-emu did not end on SIGTERM";
  EXPECT_TRUE(st->clean()) << st->describe();
  EXPECT_FALSE(std::filesystem::exists(std::filesystem::symlink_status(options.link, ec)))
      << "the --link symlink outlived qftp-emu";
}

// SIGTERM and SIGHUP (a closed terminal, a CI runner) end it cleanly with a host connected.
TEST(FoundationProcess, StopSignalsEndTheTcpEmulatorWhileAHostIsConnected) {
  for (const int signo : {SIGTERM, SIGHUP}) {
    SCOPED_TRACE(signo == SIGTERM ? "SIGTERM" : "SIGHUP");
    auto options = emulator_options();
    options.transport = Transport::tcp;
    auto emu = or_throw(EmulatorProcess::start(options));
    auto link = or_throw(emu.link());
    ASSERT_TRUE(link.send("AT\r").ok());
    const auto got = link.read_exactly(9, kDeadline);
    ASSERT_TRUE(got.ok()) << got.error();
    EXPECT_EQ(show(*got), show("AT\r\r\nOK\r\n"));
    ASSERT_TRUE(emu.signal(signo));
    const auto st = emu.wait_exit(kDeadline);
    ASSERT_TRUE(st.has_value()) << "qftp-emu did not end on the signal";
    EXPECT_TRUE(st->clean()) << st->describe();
    // The host sees its line close.
    const auto after = link.read_until("never", kDeadline);
    ASSERT_FALSE(after.ok()) << "more after the end: " << show(*after);
    EXPECT_NE(after.error().find("closed"), std::string::npos) << after.error();
  }
}

}  // namespace
}  // namespace qftp::e2e
