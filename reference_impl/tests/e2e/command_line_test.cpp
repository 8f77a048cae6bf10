// command_line_test.cpp: qftp-emu as a user starts it: malformed --tcp and --control values and a
// --link onto someone else's file are refused with exit code 2 and nothing touched; --stdio ends at
// the end of input once its answers are out; SIGTERM, SIGINT and SIGHUP all end it cleanly.
#include <signal.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include <fstream>

#include "e2e_fixture.h"

namespace qftp::e2e {
namespace {

namespace fs = std::filesystem;

constexpr int kExitUsage = 2;

std::string slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

// The run was refused as bad usage before anything started: exit 2, no READY line, and a message
// on stderr that contains each of `mentions`. A READY line fails at once: it started.
void expect_usage_error(const std::vector<std::string>& args,
                        const std::vector<std::string>& mentions) {
  std::string shown;
  for (const auto& a : args) shown += " '" + a + "'";
  SCOPED_TRACE("qftp-emu" + shown);
  auto p = spawn_emulator(args);
  p.close_stdin();
  const auto line = p.read_line(kDeadline);
  ASSERT_NE(line.outcome, te::ReadyLine::Outcome::line) << "it started: " << show(line.text);
  const auto exit = p.wait_exit(kDeadline);
  const std::string err = p.stderr_text();
  ASSERT_TRUE(exit.has_value()) << "qftp-emu did not end; stderr: " << err;
  EXPECT_FALSE(exit->signaled) << exit->describe();
  EXPECT_EQ(exit->code, kExitUsage) << exit->describe() << "; stderr: " << err;
  for (const auto& m : mentions) {
    EXPECT_NE(err.find(m), std::string::npos) << "stderr does not mention '" << m << "': " << err;
  }
}

// --- endpoints ---------------------------------------------------------------------------------

const std::vector<std::string> kBadEndpoints = {
    "127.0.0.1:12abc",  // the case that used to listen on port 12
    "12abc",
    "127.0.0.1:",
    ":",
    "",
    "65536",
    "127.0.0.1:99999999999999999999",
    "-1",
    "+80",
    " 80",
    "80 ",
    "0x50",
    "localhost:0",
    "1.2.3:0",
    "127.0.0.1:0:",
    "[::1]",
};

TEST(EmuCommandLine, RefusesMalformedTcpEndpoints) {
  for (const auto& bad : kBadEndpoints) {
    expect_usage_error({"--tcp", bad}, {"--tcp", "'" + bad + "'"});
  }
}

TEST(EmuCommandLine, RefusesMalformedControlEndpoints) {
  for (const auto& bad : kBadEndpoints) {
    expect_usage_error({"--pty", "--control", bad}, {"--control", "'" + bad + "'"});
  }
}

TEST(EmuCommandLine, ControlListensOnLoopbackOnly) {
  for (const std::string_view address : {"0.0.0.0:0", "[::]:0", "192.0.2.1:0"}) {
    const std::string text(address);
    expect_usage_error({"--pty", "--control", text}, {"--control", text, "loopback"});
  }
}

// Each accepted form listens where it says, and port 0 picks a real port.
TEST(EmuCommandLine, AcceptsEachEndpointForm) {
  for (const std::string_view view : {"0", ":0", "127.0.0.1:0", "00000"}) {
    const std::string form(view);
    SCOPED_TRACE("--tcp " + form + " --control " + form);
    auto p = spawn_emulator({"--tcp", form, "--control", form});
    const auto ready = p.read_line(kDeadline);
    ASSERT_EQ(ready.outcome, te::ReadyLine::Outcome::line)
        << "no READY line; stderr: " << p.stderr_text();
    auto parsed = te::parse_emulator_ready(ready.text);
    ASSERT_TRUE(parsed.ok()) << ready.text << ": " << parsed.error();
    EXPECT_EQ(parsed->host, "127.0.0.1");
    EXPECT_NE(parsed->port, 0);
    EXPECT_NE(parsed->control_port, 0);
    auto link = or_throw(DutLink::connect_tcp("127.0.0.1", parsed->port));
    ASSERT_TRUE(link.send("AT\r").ok());
    auto got = link.read_exactly(9, kDeadline);
    ASSERT_TRUE(got.ok()) << got.error();
    EXPECT_EQ(show(*got), show("AT\r\r\nOK\r\n"));
    ASSERT_TRUE(p.signal(SIGTERM));
    const auto st = p.wait_exit(kDeadline);
    ASSERT_TRUE(st.has_value());
    EXPECT_TRUE(st->clean()) << st->describe();
  }
}

TEST(EmuCommandLine, UnknownOptionsAndBadValuesAreUsageErrors) {
  expect_usage_error({}, {"--tcp", "--pty", "--stdio"});
  expect_usage_error({"--pty", "--no-such-option"}, {"--no-such-option"});
  expect_usage_error({"--pty", "--baud", "fast"}, {"--baud"});
  expect_usage_error({"--pty", "--defect", "no_such_defect"}, {"no_such_defect"});
  expect_usage_error({"--link", "/tmp/x"}, {"--link"});  // without --pty
  expect_usage_error({"--pty", "--stdio"}, {"--stdio"});
}

TEST(EmuCommandLine, AnUnreadableProfileIsAUsageError) {
  const te::WorkDir dir = temp_dir();
  ASSERT_FALSE(dir.path().empty());
  const fs::path profile = dir.path() / "bad.profile";
  std::ofstream(profile) << "guard_ms = soon\n";
  expect_usage_error({"--pty", "--profile", profile.string()}, {profile.string(), "line 1"});
}

// --- --link --------------------------------------------------------------------------------------

class EmuPtyLink : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_FALSE(dir.path().empty()); }
  fs::path at(const std::string& name) const { return dir.path() / name; }
  te::WorkDir dir = temp_dir();
};

TEST_F(EmuPtyLink, RefusesToReplaceARegularFile) {
  const fs::path path = at("notes.txt");
  std::ofstream(path) << "precious";
  expect_usage_error({"--pty", "--link", path.string()}, {path.string(), "regular file"});
  EXPECT_TRUE(fs::is_regular_file(fs::symlink_status(path)));
  EXPECT_EQ(slurp(path), "precious");
}

TEST_F(EmuPtyLink, RefusesToReplaceADirectory) {
  const fs::path path = at("sub");
  fs::create_directory(path);
  std::ofstream(path / "inside") << "kept";
  expect_usage_error({"--pty", "--link", path.string()}, {path.string(), "directory"});
  EXPECT_TRUE(fs::is_directory(fs::symlink_status(path)));
  EXPECT_EQ(slurp(path / "inside"), "kept");
}

TEST_F(EmuPtyLink, RefusesToReplaceASymlinkToAnythingButAPty) {
  std::ofstream(at("target")) << "x";
  const std::vector<std::string> targets = {
      at("target").string(), "/dev/null",  "/dev/pts/ptmx", "/dev/pts/",
      "/dev/pts/1x",         "/dev/ttyS0", "pts/3",         "/dev/pts/../null"};
  for (const auto& target : targets) {
    const fs::path path = at("modem");
    std::error_code ec;
    fs::remove(path, ec);
    fs::create_symlink(target, path);
    expect_usage_error({"--pty", "--link", path.string()}, {path.string(), target});
    EXPECT_EQ(fs::read_symlink(path, ec).string(), target) << "the link was touched";
  }
  EXPECT_EQ(slurp(at("target")), "x");
}

// A device node cannot be made without privileges; a FIFO and a socket stand for the other
// special files.
TEST_F(EmuPtyLink, RefusesToReplaceAFifoOrASocket) {
  const fs::path fifo = at("fifo");
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  expect_usage_error({"--pty", "--link", fifo.string()}, {fifo.string(), "FIFO"});
  EXPECT_TRUE(fs::is_fifo(fs::symlink_status(fifo)));
}

TEST_F(EmuPtyLink, RefusesAPathItCannotCreate) {
  const fs::path path = at("no-such-dir") / "modem";
  expect_usage_error({"--pty", "--link", path.string()}, {path.string()});
  EXPECT_FALSE(fs::exists(fs::symlink_status(at("no-such-dir"))));
}

// An earlier qftp-emu's link whose pty is gone (it was killed) is replaced, and removed at the end.
TEST_F(EmuPtyLink, ReplacesADanglingLinkOfAnEarlierEmulator) {
  const fs::path path = at("modem");
  fs::create_symlink("/dev/pts/999999", path);
  auto options = emulator_options();
  options.link = path;
  auto emu = or_throw(EmulatorProcess::start(options));
  std::error_code ec;
  EXPECT_EQ(fs::read_symlink(path, ec).string(), emu.device());
  auto link = or_throw(DutLink::open_serial(path.string(), {}));
  ASSERT_TRUE(link.send("AT\r").ok());
  auto got = link.read_exactly(9, kDeadline);
  ASSERT_TRUE(got.ok()) << got.error();
  EXPECT_EQ(show(*got), show("AT\r\r\nOK\r\n"));
  const auto st = emu.stop();
  ASSERT_TRUE(st.ok()) << st.error();
  EXPECT_TRUE(st->clean()) << st->describe();
  EXPECT_FALSE(fs::exists(fs::symlink_status(path))) << "the link outlived qftp-emu";
}

// A second emulator takes the link over from a running one; the first, ending, leaves it alone.
TEST_F(EmuPtyLink, AnEmulatorRemovesOnlyItsOwnLink) {
  const fs::path path = at("modem");
  auto options = emulator_options();
  options.link = path;
  auto first = or_throw(EmulatorProcess::start(options));
  auto second = or_throw(EmulatorProcess::start(options));
  std::error_code ec;
  ASSERT_EQ(fs::read_symlink(path, ec).string(), second.device());
  EXPECT_TRUE(or_throw(first.stop()).clean());
  EXPECT_EQ(fs::read_symlink(path, ec).string(), second.device())
      << "the first emulator removed the second one's link";
  EXPECT_TRUE(or_throw(second.stop()).clean());
  EXPECT_FALSE(fs::exists(fs::symlink_status(path)));
}

// --- signals -------------------------------------------------------------------------------------

TEST(EmuSignals, EachStopSignalEndsThePtyEmulatorCleanlyAndRemovesItsLink) {
  for (const int signo : {SIGTERM, SIGINT, SIGHUP}) {
    SCOPED_TRACE(std::string("SIG") + ::sigabbrev_np(signo));
    const te::WorkDir dir = temp_dir();
    ASSERT_FALSE(dir.path().empty());
    auto options = emulator_options();
    options.link = dir.path() / "modem";
    auto emu = or_throw(EmulatorProcess::start(options));
    ASSERT_TRUE(fs::is_symlink(fs::symlink_status(options.link)));
    ASSERT_TRUE(emu.signal(signo));
    const auto st = emu.wait_exit(kDeadline);
    ASSERT_TRUE(st.has_value()) << "qftp-emu did not end";
    EXPECT_TRUE(st->clean()) << st->describe();
    EXPECT_FALSE(fs::exists(fs::symlink_status(options.link))) << "the link outlived qftp-emu";
  }
}

// --- --stdio -------------------------------------------------------------------------------------

const std::string kAtAnswer = "AT\r\r\nOK\r\n";
const std::string kAtiAnswer =
    "ATI\r\r\nQuectel_Ltd\r\nQuectel_M95\r\nRevision: M95FAR02A08\r\n\r\nOK\r\n";

TEST(EmuStdio, EndsAtTheEndOfInputWithEveryAnswerWritten) {
  auto p = spawn_emulator({"--stdio"});
  ASSERT_EQ(p.read_line(kDeadline).text, "READY stdio");
  ASSERT_TRUE(p.write_stdin("AT\rATI\r"));
  p.close_stdin();
  const auto out = p.read_to_end(kDeadline);
  ASSERT_TRUE(out.has_value()) << "stdout did not end";
  EXPECT_EQ(show(*out), show(kAtAnswer + kAtiAnswer));
  const auto st = p.wait_exit(kDeadline);
  ASSERT_TRUE(st.has_value()) << "qftp-emu did not end at the end of its input";
  EXPECT_TRUE(st->clean()) << st->describe() << "; stderr: " << p.stderr_text();
}

// With --baud the answers trickle out: the end of input must not cut them short.
TEST(EmuStdio, EndsOnlyOnceThePacedAnswersAreOut) {
  auto p = spawn_emulator({"--stdio", "--baud", "2400"});
  ASSERT_EQ(p.read_line(kDeadline).text, "READY stdio");
  std::string in, want;
  for (int i = 0; i < 4; ++i) {
    in += "ATI\r";
    want += kAtiAnswer;
  }
  ASSERT_TRUE(p.write_stdin(in));
  p.close_stdin();
  const auto out = p.read_to_end(kDeadline);
  ASSERT_TRUE(out.has_value()) << "stdout did not end";
  EXPECT_EQ(show(*out), show(want));
  const auto st = p.wait_exit(kDeadline);
  ASSERT_TRUE(st.has_value());
  EXPECT_TRUE(st->clean()) << st->describe();
}

// With --baud the host's bytes reach the modem as a UART takes them in, however fast the host
// wrote them: 60 bytes written at once at 1200 baud (8.3 ms a byte) arrive over at least 490 ms,
// as the wire log's times show, and every answer still comes before the end.
TEST(EmuStdio, TheHostsBytesArriveAtTheLineRate) {
  const fs::path log = fs::temp_directory_path() / ("qftp-rx-pacing-" + std::to_string(::getpid()) + ".log");
  fs::remove(log);
  auto p = spawn_emulator({"--stdio", "--baud", "1200", "--log", log.string()});
  ASSERT_EQ(p.read_line(kDeadline).text, "READY stdio");
  const std::string in = "AT" + std::string(57, ' ') + "\r";  // one line of 60 bytes: AT
  ASSERT_TRUE(p.write_stdin(in));
  p.close_stdin();
  const auto out = p.read_to_end(std::chrono::seconds(30));
  ASSERT_TRUE(out.has_value()) << "stdout did not end";
  EXPECT_EQ(show(*out), show(in + "\r\nOK\r\n"));
  std::ifstream lines(log);
  std::vector<long long> arrived;  // the times of the "TE>" entries, in ms
  std::string received;
  for (std::string l; std::getline(lines, l);) {
    const auto sp = l.find(' ');
    if (sp == std::string::npos || l.compare(sp + 1, 4, "TE> ") != 0) continue;
    arrived.push_back(std::stoll(l.substr(0, sp)));
    received += l.substr(sp + 5);
  }
  fs::remove(log);
  EXPECT_EQ(received, "AT" + std::string(57, ' ') + "\\r");  // the log writes <CR> as \r
  ASSERT_GE(arrived.size(), 2u);
  EXPECT_GE(arrived.back() - arrived.front(), 490) << arrived.size() << " pieces";
}

TEST(EmuStdio, EndsAtOnceOnEmptyInput) {
  auto p = spawn_emulator({"--stdio"});
  p.close_stdin();
  const auto out = p.read_to_end(kDeadline);
  const auto st = p.wait_exit(kDeadline);
  ASSERT_TRUE(st.has_value()) << "qftp-emu did not end on empty input";
  EXPECT_TRUE(st->clean()) << st->describe() << "; stderr: " << p.stderr_text();
  EXPECT_EQ(show(out.value_or("(no end of stdout)")), show("READY stdio\n"));
}

// `qftp-emu --stdio < script`: a regular file as input, read to its end.
TEST(EmuStdio, ReadsAScriptFromARegularFile) {
  const te::WorkDir dir = temp_dir();
  ASSERT_FALSE(dir.path().empty());
  const fs::path script = dir.path() / "script.at";
  std::ofstream(script, std::ios::binary) << "AT\rATI\r";
  auto p = spawn_emulator({"--stdio"}, script);
  const auto out = p.read_to_end(kDeadline);
  ASSERT_TRUE(out.has_value()) << "stdout did not end";
  EXPECT_EQ(show(*out), show("READY stdio\n" + kAtAnswer + kAtiAnswer));
  const auto st = p.wait_exit(kDeadline);
  ASSERT_TRUE(st.has_value());
  EXPECT_TRUE(st->clean()) << st->describe() << "; stderr: " << p.stderr_text();
}

// A line cut off by the end of input is not a command, and its bytes were still echoed.
TEST(EmuStdio, AnUnfinishedLastLineIsEchoedAndNotRun) {
  auto p = spawn_emulator({"--stdio"});
  ASSERT_TRUE(p.write_stdin("AT\rAT+QFTPSTAT"));
  p.close_stdin();
  const auto out = p.read_to_end(kDeadline);
  ASSERT_TRUE(out.has_value()) << "stdout did not end";
  EXPECT_EQ(show(*out), show("READY stdio\n" + kAtAnswer + "AT+QFTPSTAT"));
  const auto st = p.wait_exit(kDeadline);
  ASSERT_TRUE(st.has_value());
  EXPECT_TRUE(st->clean()) << st->describe();
}

}  // namespace
}  // namespace qftp::e2e
