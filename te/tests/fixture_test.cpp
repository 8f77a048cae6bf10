// fixture_harness_test.cpp: the fixture launcher and control client against the real fixture:
// start, fault, a raw FTP exchange that meets the fault, reset, log, stop, and no orphans.
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <boost/process.hpp>
#include <boost/process/extend.hpp>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <iostream>
#include <optional>
#include <string>
#include <thread>

#include "te/fixture_control.h"
#include "te/fixture_launcher.h"

namespace qftp::te {
namespace {

namespace fs = std::filesystem;
namespace bp = boost::process;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

constexpr const char* kHelperFlag = "--qftp-helper-start-fixture";

int remaining_ms(Clock::time_point until) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - Clock::now());
  return left.count() <= 0 ? 0 : static_cast<int>(left.count());
}

// A minimal FTP control connection over a raw socket: the test sees exactly what is on the wire.
class RawFtp {
 public:
  explicit RawFtp(std::uint16_t port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = ::connect(fd_, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) == 0;
  }
  ~RawFtp() { ::close(fd_); }
  RawFtp(const RawFtp&) = delete;
  RawFtp& operator=(const RawFtp&) = delete;

  bool connected() const { return connected_; }

  void send_line(const std::string& line) {
    const std::string data = line + "\r\n";
    ASSERT_EQ(::send(fd_, data.data(), data.size(), MSG_NOSIGNAL), static_cast<ssize_t>(data.size()));
  }

  // One reply line ("ddd text"); "" on EOF, "<timeout>" when the deadline passes.
  std::string read_line(std::chrono::milliseconds timeout = 10s) {
    const auto until = Clock::now() + timeout;
    for (;;) {
      const auto nl = buf_.find("\r\n");
      if (nl != std::string::npos) {
        std::string line = buf_.substr(0, nl);
        buf_.erase(0, nl + 2);
        return line;
      }
      pollfd p{fd_, POLLIN, 0};
      if (::poll(&p, 1, remaining_ms(until)) <= 0) return "<timeout>";
      std::array<char, 4096> chunk{};
      const ssize_t n = ::recv(fd_, chunk.data(), chunk.size(), 0);
      if (n <= 0) return "";
      buf_.append(chunk.data(), static_cast<std::size_t>(n));
    }
  }

  std::string command(const std::string& line) {
    send_line(line);
    return read_line();
  }

  void login() {
    ASSERT_EQ(read_line().substr(0, 4), "220 ");
    ASSERT_EQ(command("USER quectel").substr(0, 4), "331 ");
    ASSERT_EQ(command("PASS 123456").substr(0, 4), "230 ");
  }

 private:
  int fd_ = -1;
  bool connected_ = false;
  std::string buf_;
};

bool process_gone(pid_t pid) {
  if (::kill(pid, 0) != 0) return errno == ESRCH;
  // A zombie nobody has reaped yet is gone for our purposes: it runs no code and holds no port.
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string content;
  std::getline(stat, content);
  const auto close_paren = content.rfind(')');
  return close_paren != std::string::npos && close_paren + 2 < content.size() &&
         (content[close_paren + 2] == 'Z' || content[close_paren + 2] == 'X');
}

// Waits for a process that is not our child to end: a pidfd is the event; without one (old
// kernels) there is none, so poll kill(pid, 0) under the deadline.
bool wait_gone(pid_t pid, std::chrono::milliseconds timeout) {
  const auto until = Clock::now() + timeout;
  const int pidfd = static_cast<int>(::syscall(SYS_pidfd_open, pid, 0));
  if (pidfd >= 0) {
    pollfd p{pidfd, POLLIN, 0};
    const int rc = ::poll(&p, 1, remaining_ms(until));
    ::close(pidfd);
    return rc > 0;
  }
  if (errno == ESRCH) return true;
  while (!process_gone(pid)) {
    if (Clock::now() >= until) return false;
    std::this_thread::sleep_for(5ms);
  }
  return true;
}

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

fs::path write_script(const fs::path& dir, const std::string& name, const std::string& text) {
  fs::create_directories(dir);
  const fs::path path = dir / name;
  std::ofstream(path) << text;
  return path;
}

class TempDir {
 public:
  TempDir() {
    std::string templ = (fs::temp_directory_path() / "qftp-harness-test-XXXXXX").string();
    if (::mkdtemp(templ.data()) != nullptr) path_ = templ;
  }
  ~TempDir() {
    std::error_code ignored;
    fs::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

TEST(FixtureHarness, StartSetFaultSeeItHitResetReadLogStop) {
  auto fixture = FixtureProcess::start({});
  ASSERT_TRUE(fixture.ok()) << fixture.error();
  EXPECT_EQ(fixture->host(), "127.0.0.1");
  EXPECT_NE(fixture->ftp_port(), fixture->control_port());
  EXPECT_TRUE(fs::is_directory(fixture->root()));
  EXPECT_TRUE(fixture->running());

  auto control = fixture->control();
  ASSERT_TRUE(control.ok()) << control.error();
  ASSERT_TRUE(control->ping().ok());
  auto id = control->set("REPLY PWD 550 Injected by the harness test");
  ASSERT_TRUE(id.ok()) << id.error();

  {
    RawFtp ftp(fixture->ftp_port());
    ASSERT_TRUE(ftp.connected());
    ftp.login();
    EXPECT_EQ(ftp.command("PWD"), "550 Injected by the harness test");
    EXPECT_EQ(ftp.command("NOOP").substr(0, 4), "200 ");
  }

  auto faults = control->faults();
  ASSERT_TRUE(faults.ok()) << faults.error();
  ASSERT_EQ(faults->size(), 1U);
  EXPECT_EQ(faults->at(0).id, id.value());
  EXPECT_EQ(faults->at(0).hits, 1U);
  EXPECT_EQ(faults->at(0).left, -1);
  EXPECT_EQ(faults->at(0).directive, "REPLY PWD 550 Injected by the harness test");

  auto log = control->log();
  ASSERT_TRUE(log.ok()) << log.error();
  const auto has = [&](const std::string& kind, const std::string& text) {
    return std::any_of(log->begin(), log->end(), [&](const FixtureLogEntry& e) {
      return e.kind == kind && e.text == text;
    });
  };
  EXPECT_TRUE(has("CMD", "USER quectel"));
  EXPECT_TRUE(has("CMD", "PWD"));
  EXPECT_TRUE(has("REPLY", "550 Injected by the harness test"));
  EXPECT_TRUE(has("FAULT", std::to_string(id.value()) + " REPLY PWD"));
  EXPECT_TRUE(std::is_sorted(log->begin(), log->end(),
                             [](const auto& a, const auto& b) { return a.t < b.t; }));

  ASSERT_TRUE(control->reset().ok());
  faults = control->faults();
  ASSERT_TRUE(faults.ok());
  EXPECT_TRUE(faults->empty());
  {
    RawFtp ftp(fixture->ftp_port());
    ftp.login();
    EXPECT_EQ(ftp.command("PWD").substr(0, 4), "257 ");
  }
  log = control->log();
  ASSERT_TRUE(log.ok());
  EXPECT_FALSE(has("REPLY", "550 Injected by the harness test"));
  EXPECT_TRUE(has("CMD", "PWD"));

  const pid_t pid = fixture->pid();
  const fs::path work = fixture->root().parent_path();
  auto status = fixture->stop();
  ASSERT_TRUE(status.ok()) << status.error();
  EXPECT_TRUE(status->clean()) << status->describe();
  EXPECT_FALSE(fixture->running());
  EXPECT_TRUE(process_gone(pid));
  EXPECT_FALSE(fs::exists(work)) << "the launcher's work directory must go with the fixture";
  auto again = fixture->stop();
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->clean());
}

TEST(FixtureHarness, ResetDropsSessionsAndEmptiesTheRoot) {
  auto fixture = FixtureProcess::start({});
  ASSERT_TRUE(fixture.ok()) << fixture.error();
  auto control = fixture->control();
  ASSERT_TRUE(control.ok()) << control.error();
  fs::create_directories(fixture->root() / "sub");
  std::ofstream(fixture->root() / "sub" / "a.bin") << "12345";
  auto files = control->files();
  ASSERT_TRUE(files.ok()) << files.error();
  ASSERT_EQ(files->size(), 2U);
  EXPECT_TRUE(files->at(0).is_dir);
  EXPECT_EQ(files->at(0).path, "sub");
  EXPECT_FALSE(files->at(1).is_dir);
  EXPECT_EQ(files->at(1).size, 5U);
  EXPECT_EQ(files->at(1).path, "sub/a.bin");

  RawFtp ftp(fixture->ftp_port());
  ftp.login();
  ASSERT_TRUE(control->reset().ok());
  EXPECT_EQ(ftp.read_line(), "") << "RESET closes open FTP sessions";
  files = control->files();
  ASSERT_TRUE(files.ok());
  EXPECT_TRUE(files->empty());
  EXPECT_TRUE(fs::is_empty(fixture->root()));
}

TEST(FixtureHarness, AwaitSessionsIsAnsweredByTheSessionsClose) {
  auto fixture = FixtureProcess::start({});
  ASSERT_TRUE(fixture.ok()) << fixture.error();
  auto control = fixture->control();
  ASSERT_TRUE(control.ok()) << control.error();
  auto none = control->await_sessions(0, 0ms);
  ASSERT_TRUE(none.ok()) << none.error();
  EXPECT_EQ(*none, 0U);
  {
    RawFtp ftp(fixture->ftp_port());
    ftp.login();
    auto open = control->await_sessions(0, 50ms);
    ASSERT_TRUE(open.ok()) << open.error();
    EXPECT_EQ(*open, 1U) << "a session is open: the wait ends at its deadline";
    auto one = control->await_sessions(1, 0ms);
    ASSERT_TRUE(one.ok()) << one.error();
    EXPECT_EQ(*one, 1U);
  }  // the client closes its control connection
  auto closed = control->await_sessions(0, 30s);
  ASSERT_TRUE(closed.ok()) << closed.error();
  EXPECT_EQ(*closed, 0U) << "the session's close answers the wait";
  EXPECT_TRUE(control->ping().ok()) << "the connection stays usable after AWAIT";
}

TEST(FixtureHarness, FaultsGivenAtStartAndTimesLimit) {
  FixtureOptions options;
  options.faults = {"REPLY USER 530 times=1"};
  auto fixture = FixtureProcess::start(options);
  ASSERT_TRUE(fixture.ok()) << fixture.error();
  {
    RawFtp ftp(fixture->ftp_port());
    ASSERT_EQ(ftp.read_line().substr(0, 4), "220 ");
    EXPECT_EQ(ftp.command("USER quectel").substr(0, 4), "530 ");
    EXPECT_EQ(ftp.command("USER quectel").substr(0, 4), "331 ");
  }
  auto control = fixture->control();
  ASSERT_TRUE(control.ok());
  auto faults = control->faults();
  ASSERT_TRUE(faults.ok());
  ASSERT_EQ(faults->size(), 1U);
  EXPECT_EQ(faults->at(0).left, 0);
  EXPECT_TRUE(control->clear(faults->at(0).id).ok());
  EXPECT_FALSE(control->clear(faults->at(0).id).ok());
  EXPECT_TRUE(control->clear_all().ok());
}

TEST(FixtureHarness, BadDirectiveIsAnErrorAndNothingChanges) {
  auto fixture = FixtureProcess::start({});
  ASSERT_TRUE(fixture.ok()) << fixture.error();
  auto control = fixture->control();
  ASSERT_TRUE(control.ok());
  ASSERT_TRUE(control->set("DELAY PWD 1").ok());
  for (const char* bad : {"BOGUS", "DELAY PWD -5", "REPLY PWD 1000", "CUT MKD 5", "REFUSE times=2"}) {
    auto id = control->set(bad);
    ASSERT_FALSE(id.ok()) << bad;
    EXPECT_EQ(id.error().substr(0, 4), "ERR ") << id.error();
  }
  auto multi = control->set("REPLY PWD 550\nSET REPLY USER 530");
  EXPECT_FALSE(multi.ok());
  auto faults = control->faults();
  ASSERT_TRUE(faults.ok()) << faults.error();
  EXPECT_EQ(faults->size(), 1U);
  EXPECT_TRUE(control->ping().ok());
  EXPECT_TRUE(control->quit().ok());
  EXPECT_FALSE(control->ping().ok());
}

TEST(FixtureHarness, MissingPythonIsAClearError) {
  FixtureOptions options;
  options.python = "/nonexistent/python3";
  auto fixture = FixtureProcess::start(options);
  ASSERT_FALSE(fixture.ok());
  EXPECT_NE(fixture.error().find("/nonexistent/python3 is not usable"), std::string::npos)
      << fixture.error();
  auto check = check_fixture_prerequisites(options);
  ASSERT_FALSE(check.ok());
  EXPECT_NE(check.error().find("install Debian's python3"), std::string::npos) << check.error();
}

TEST(FixtureHarness, MissingPyftpdlibIsAClearError) {
  EXPECT_TRUE(check_fixture_prerequisites().ok());
  FixtureOptions options;
  // -S skips site.py, which is what puts Debian's dist-packages (and pyftpdlib) on sys.path.
  options.python_args = {"-S"};
  auto check = check_fixture_prerequisites(options);
  ASSERT_FALSE(check.ok());
  EXPECT_NE(check.error().find("pyftpdlib is not importable"), std::string::npos) << check.error();
  auto fixture = FixtureProcess::start(options);
  ASSERT_FALSE(fixture.ok());
  EXPECT_NE(fixture.error().find("pyftpdlib is not importable by /usr/bin/python3"), std::string::npos)
      << fixture.error();
  EXPECT_NE(fixture.error().find("python3-pyftpdlib"), std::string::npos) << fixture.error();
}

TEST(FixtureHarness, BadStartFaultShowsTheFixturesMessage) {
  FixtureOptions options;
  options.faults = {"NOSUCH 1"};
  auto fixture = FixtureProcess::start(options);
  ASSERT_FALSE(fixture.ok());
  EXPECT_NE(fixture.error().find("rejected its options"), std::string::npos) << fixture.error();
  EXPECT_NE(fixture.error().find("unknown directive"), std::string::npos) << fixture.error();
}

TEST(FixtureHarness, ReadyDeadlineStopsASilentProcess) {
  TempDir dir;
  FixtureOptions options;
  options.script = write_script(dir.path(), "silent.py", "import signal\nsignal.pause()\n");
  options.work_dir = dir.path() / "work";
  options.ready_timeout = 300ms;
  const auto t0 = Clock::now();
  auto fixture = FixtureProcess::start(options);
  ASSERT_FALSE(fixture.ok());
  EXPECT_GE(Clock::now() - t0, 300ms);
  EXPECT_NE(fixture.error().find("no READY line from the fixture within 300 ms"), std::string::npos)
      << fixture.error();
  EXPECT_NE(fixture.error().find("killed by SIGTERM"), std::string::npos) << fixture.error();
}

TEST(FixtureHarness, StopEscalatesToSigkill) {
  TempDir dir;
  FixtureOptions options;
  options.script = write_script(dir.path(), "stubborn.py",
                                "import signal, sys\n"
                                "signal.signal(signal.SIGTERM, signal.SIG_IGN)\n"
                                "sys.stdout.write('READY ftp=1 control=2\\n')\n"
                                "sys.stdout.flush()\n"
                                "while True:\n"
                                "    signal.pause()\n");
  options.stop_timeout = 200ms;
  auto fixture = FixtureProcess::start(options);
  ASSERT_TRUE(fixture.ok()) << fixture.error();
  EXPECT_EQ(fixture->ftp_port(), 1);
  EXPECT_EQ(fixture->control_port(), 2);
  const pid_t pid = fixture->pid();
  auto status = fixture->stop();
  ASSERT_TRUE(status.ok()) << status.error();
  EXPECT_TRUE(status->signaled);
  EXPECT_EQ(status->code, SIGKILL);
  EXPECT_EQ(status->describe(), "was killed by SIGKILL");
  EXPECT_TRUE(process_gone(pid));
}

TEST(FixtureHarness, MalformedReadyLineIsAnError) {
  TempDir dir;
  FixtureOptions options;
  options.script = write_script(dir.path(), "chatty.py", "print('hello', flush=True)\n");
  auto fixture = FixtureProcess::start(options);
  ASSERT_FALSE(fixture.ok());
  EXPECT_NE(fixture.error().find("printed \"hello\""), std::string::npos) << fixture.error();
}

TEST(FixtureHarness, TwoFixturesAreIndependent) {
  auto a = FixtureProcess::start({});
  auto b = FixtureProcess::start({});
  ASSERT_TRUE(a.ok()) << a.error();
  ASSERT_TRUE(b.ok()) << b.error();
  EXPECT_NE(a->ftp_port(), b->ftp_port());
  EXPECT_NE(a->root(), b->root());
  auto ca = a->control();
  auto cb = b->control();
  ASSERT_TRUE(ca.ok() && cb.ok());
  ASSERT_TRUE(ca->set("REPLY NOOP 502").ok());
  RawFtp fa(a->ftp_port());
  RawFtp fb(b->ftp_port());
  fa.login();
  fb.login();
  EXPECT_EQ(fa.command("NOOP").substr(0, 4), "502 ");
  EXPECT_EQ(fb.command("NOOP").substr(0, 4), "200 ");
}

TEST(FixtureHarness, DestructorStopsTheFixture) {
  pid_t pid = 0;
  fs::path root;
  {
    auto fixture = FixtureProcess::start({});
    ASSERT_TRUE(fixture.ok()) << fixture.error();
    pid = fixture->pid();
    root = fixture->root();
    ASSERT_FALSE(process_gone(pid));
  }
  EXPECT_TRUE(process_gone(pid));
  EXPECT_FALSE(fs::exists(root));
}

TEST(FixtureHarness, ControlDeadlineMarksTheConnectionBroken) {
  // A listener that never answers: the kernel completes the handshake, nobody replies.
  const int listener = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::bind(listener, reinterpret_cast<const sockaddr*>(&addr), sizeof addr), 0);
  ASSERT_EQ(::listen(listener, 4), 0);
  socklen_t len = sizeof addr;
  ASSERT_EQ(::getsockname(listener, reinterpret_cast<sockaddr*>(&addr), &len), 0);
  const auto port = ntohs(addr.sin_port);

  auto control = FixtureControl::connect(port, 2s);
  ASSERT_TRUE(control.ok()) << control.error();
  control->set_timeout(200ms);
  const auto t0 = Clock::now();
  auto ping = control->ping();
  ASSERT_FALSE(ping.ok());
  EXPECT_GE(Clock::now() - t0, 200ms);
  EXPECT_NE(ping.error().find("timed out"), std::string::npos) << ping.error();
  auto again = control->ping();
  ASSERT_FALSE(again.ok());
  EXPECT_NE(again.error().find("unusable"), std::string::npos) << again.error();
  ::close(listener);

  auto refused = FixtureControl::connect(port, 2s);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.error().find("cannot connect"), std::string::npos) << refused.error();
}

TEST(FixtureControlParsers, DocumentedFormats) {
  auto entry = parse_log_line("12.345 7 CMD RETR a b.bin");
  ASSERT_TRUE(entry.ok()) << entry.error();
  EXPECT_DOUBLE_EQ(entry->t, 12.345);
  EXPECT_EQ(entry->session, 7);
  EXPECT_EQ(entry->kind, "CMD");
  EXPECT_EQ(entry->text, "RETR a b.bin");
  auto bare = parse_log_line("0.001 3 DISCONNECT");
  ASSERT_TRUE(bare.ok());
  EXPECT_EQ(bare->text, "");
  EXPECT_FALSE(parse_log_line("x 1 CMD").ok());
  EXPECT_FALSE(parse_log_line("1.0 y CMD").ok());
  EXPECT_FALSE(parse_log_line("1.0 1").ok());

  auto file = parse_files_line("FILE 42 dir one/a b.txt");
  ASSERT_TRUE(file.ok());
  EXPECT_FALSE(file->is_dir);
  EXPECT_EQ(file->size, 42U);
  EXPECT_EQ(file->path, "dir one/a b.txt");
  auto dir = parse_files_line("DIR dir one");
  ASSERT_TRUE(dir.ok());
  EXPECT_TRUE(dir->is_dir);
  EXPECT_EQ(dir->path, "dir one");
  EXPECT_FALSE(parse_files_line("FILE x a").ok());
  EXPECT_FALSE(parse_files_line("FILE 1").ok());
  EXPECT_FALSE(parse_files_line("LINK a").ok());

  auto fault = parse_faults_line("FAULT 3 hits=2 left=0 REPLY RETR 450 times=2");
  ASSERT_TRUE(fault.ok());
  EXPECT_EQ(fault->id, 3);
  EXPECT_EQ(fault->hits, 2U);
  EXPECT_EQ(fault->left, 0);
  EXPECT_EQ(fault->directive, "REPLY RETR 450 times=2");
  auto unlimited = parse_faults_line("FAULT 4 hits=0 left=inf BURST");
  ASSERT_TRUE(unlimited.ok());
  EXPECT_EQ(unlimited->left, -1);
  EXPECT_FALSE(parse_faults_line("FAULT 4 hits=0 left=many BURST").ok());
  EXPECT_FALSE(parse_faults_line("FAULT 4 hits=0 left=1").ok());
}

TEST(ResultType, ValueAndErrorAccess) {
  Result<int> good = 5;
  Result<int> bad = make_error("broken");
  EXPECT_TRUE(good.ok());
  EXPECT_EQ(*good, 5);
  EXPECT_FALSE(bad.ok());
  EXPECT_EQ(bad.error(), "broken");
  EXPECT_THROW((void)bad.value(), std::logic_error);
  EXPECT_THROW((void)good.error(), std::logic_error);
  Status fine;
  EXPECT_TRUE(fine.ok());
  EXPECT_THROW((void)fine.error(), std::logic_error);
}

// The harness process is SIGKILLed while its fixture runs: PR_SET_PDEATHSIG must take the
// fixture with it. The "harness" is this binary in helper mode (see main below).
TEST(FixtureHarness, FixtureDiesWhenTheHarnessIsKilled) {
  TempDir dir;
  bp::pipe out;
  std::error_code ec;
  bp::child helper(bp::exe = "/proc/self/exe", bp::args = {kHelperFlag, (dir.path() / "work").string()},
                   bp::std_in < bp::null, bp::std_out > out, ec,
                   bp::extend::on_exec_setup([](auto&) { ::prctl(PR_SET_PDEATHSIG, SIGKILL); }));
  ASSERT_FALSE(ec) << ec.message();

  // The helper prints "FIXTURE <pid> <ftp port>" once its fixture is ready.
  std::string line;
  const auto until = Clock::now() + 20s;
  while (line.find('\n') == std::string::npos) {
    pollfd p{out.native_source(), POLLIN, 0};
    ASSERT_GT(::poll(&p, 1, remaining_ms(until)), 0) << "helper never reported its fixture";
    std::array<char, 256> buf{};
    const ssize_t n = ::read(out.native_source(), buf.data(), buf.size());
    ASSERT_GT(n, 0) << "helper exited before reporting its fixture";
    line.append(buf.data(), static_cast<std::size_t>(n));
  }
  int fixture_pid = 0;
  int ftp_port = 0;
  ASSERT_EQ(std::sscanf(line.c_str(), "FIXTURE %d %d", &fixture_pid, &ftp_port), 2) << line;
  ASSERT_FALSE(process_gone(fixture_pid));
  EXPECT_NE(read_file("/proc/" + std::to_string(fixture_pid) + "/cmdline")
                .find(default_fixture_script().filename().string()),
            std::string::npos);
  {
    RawFtp ftp(static_cast<std::uint16_t>(ftp_port));
    ASSERT_TRUE(ftp.connected());
    EXPECT_EQ(ftp.read_line().substr(0, 4), "220 ");
  }

  ASSERT_EQ(::kill(helper.id(), SIGKILL), 0);
  helper.wait(ec);
  EXPECT_TRUE(wait_gone(fixture_pid, 10s)) << "fixture " << fixture_pid << " outlived its harness";
  RawFtp late(static_cast<std::uint16_t>(ftp_port));
  EXPECT_FALSE(late.connected()) << "the dead fixture's port still accepts connections";
}

// Helper mode: start a fixture in WORK_DIR, report it, then wait to be killed.
int run_helper(const char* work_dir) {
  FixtureOptions options;
  options.work_dir = work_dir;
  auto fixture = FixtureProcess::start(options);
  if (!fixture) {
    std::cerr << "helper: " << fixture.error() << "\n";
    return 1;
  }
  std::cout << "FIXTURE " << fixture->pid() << " " << fixture->ftp_port() << std::endl;
  for (;;) ::pause();
}

}  // namespace
}  // namespace qftp::te

int main(int argc, char** argv) {
  if (argc == 3 && std::string(argv[1]) == qftp::te::kHelperFlag) {
    return qftp::te::run_helper(argv[2]);
  }
  ::testing::InitGoogleTest(&argc, argv);
  return RUN_ALL_TESTS();
}
