// dut_lock_test.cpp: the DUT lock in process: a pty and a TCP DUT held by another process (a fork)
// or by this one are refused with the holder named; links made and remade through the lock keep
// it; a device node replaced under the lock is locked afresh; the emulator needs none.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "te/dut_link.h"
#include "te/dut_lock.h"
#include "te/dut_spec.h"

namespace qftp::te {
namespace {

using namespace std::chrono_literals;

// A pty whose slave is the "serial device"; the test writes the modem's side on the master.
struct Pty {
  Pty() {
    master = ::posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
    EXPECT_GE(master, 0);
    EXPECT_EQ(::grantpt(master), 0);
    EXPECT_EQ(::unlockpt(master), 0);
    slave = ::ptsname(master);
  }
  ~Pty() { ::close(master); }
  int master = -1;
  std::string slave;
};

DutSpec spec_of(const std::string& text) {
  auto spec = parse_dut_spec(text);
  EXPECT_TRUE(spec.ok()) << text;
  return spec.value();
}

// Another process that holds the lock of `spec` until released, as a second run would.
class ForeignHolder {
 public:
  explicit ForeignHolder(const DutSpec& spec) {
    int ready[2];
    int release[2];
    EXPECT_EQ(::pipe2(ready, O_CLOEXEC), 0);
    EXPECT_EQ(::pipe2(release, O_CLOEXEC), 0);
    pid_ = ::fork();
    if (pid_ == 0) {
      ::close(ready[0]);
      ::close(release[1]);
      {
        auto lock = DutLock::acquire(spec);
        const char c = lock.ok() ? 'y' : 'n';
        (void)!::write(ready[1], &c, 1);
        char x = 0;
        (void)!::read(release[0], &x, 1);  // EOF when the parent lets go
      }
      ::_exit(0);
    }
    ::close(ready[1]);
    ::close(release[0]);
    release_ = release[1];
    char c = 0;
    EXPECT_EQ(::read(ready[0], &c, 1), 1);
    ::close(ready[0]);
    locked_ = c == 'y';
  }
  ~ForeignHolder() { stop(); }
  void stop() {
    if (release_ < 0) return;
    ::close(release_);
    release_ = -1;
    int status = 0;
    ::waitpid(pid_, &status, 0);
  }
  pid_t pid() const { return pid_; }
  bool locked() const { return locked_; }

 private:
  pid_t pid_ = -1;
  int release_ = -1;
  bool locked_ = false;
};

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST(DutLock, TheEmulatorNeedsNone) {
  auto lock = DutLock::acquire(spec_of("emulator"));
  ASSERT_TRUE(lock.ok()) << lock.error();
  EXPECT_TRUE(lock->path().empty());
}

TEST(DutLock, ASerialDeviceHeldByAnotherProcessIsRefusedWithItsHolder) {
  Pty pty;
  const DutSpec spec = spec_of("serial:" + pty.slave);
  ForeignHolder holder(spec);
  ASSERT_TRUE(holder.locked());
  auto second = DutLock::acquire(spec);
  ASSERT_FALSE(second.ok());
  EXPECT_TRUE(is_dut_busy(second.error())) << second.error();
  EXPECT_TRUE(contains(second.error(), "locked by pid " + std::to_string(holder.pid()) + " ("))
      << second.error();
  EXPECT_TRUE(contains(second.error(), pty.slave)) << second.error();
  holder.stop();
  auto third = DutLock::acquire(spec);
  EXPECT_TRUE(third.ok()) << third.error();
}

TEST(DutLock, ASerialLockIsExclusiveAndOutlivesEveryLinkMadeThroughIt) {
  Pty pty;
  const DutSpec spec = spec_of("serial:" + pty.slave);
  auto held = DutLock::acquire(spec);
  ASSERT_TRUE(held.ok()) << held.error();
  DutLock lock = std::move(held).value();
  // Links closed and made again, as the suite's reconnects do, all go through the lock's own
  // descriptor: a fresh open would conflict with our flock (and, for non-root, our TIOCEXCL).
  for (const std::string word : {"first", "second"}) {
    auto link = DutLink::open_serial(pty.slave, {115200, false, &lock});
    ASSERT_TRUE(link.ok()) << link.error();
    ASSERT_EQ(::write(pty.master, word.data(), word.size()), static_cast<ssize_t>(word.size()));
    auto got = link->read_until(word, 5s);
    EXPECT_TRUE(got.ok()) << (got.ok() ? "" : got.error());
  }
  auto fd = lock.open_device();
  ASSERT_TRUE(fd.ok()) << fd.error();
  int exclusive = 0;
  ASSERT_EQ(::ioctl(fd.value(), TIOCGEXCL, &exclusive), 0);
  EXPECT_EQ(exclusive, 1);
  // This process's second open of the device conflicts with its first: only the lock counts.
  auto again = DutLock::acquire(spec);
  ASSERT_FALSE(again.ok());
  EXPECT_TRUE(is_dut_busy(again.error()));
  EXPECT_TRUE(contains(again.error(), "locked by pid " + std::to_string(::getpid())))
      << again.error();
  { DutLock gone = std::move(lock); }
  ASSERT_EQ(::ioctl(fd.value(), TIOCGEXCL, &exclusive), 0);
  EXPECT_EQ(exclusive, 0) << "the exclusive mode must end with the lock";
  ::close(fd.value());
  auto after = DutLock::acquire(spec);
  EXPECT_TRUE(after.ok()) << after.error();
}

TEST(DutLock, ADeviceNodeReplacedUnderTheLockIsLockedAfresh) {
  Pty a;
  Pty b;
  const auto dir =
      std::filesystem::temp_directory_path() / ("qftp-dut-lock-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const auto link_path = dir / "modem";
  std::filesystem::create_symlink(a.slave, link_path);
  auto held = DutLock::acquire(spec_of("serial:" + link_path.string()));
  ASSERT_TRUE(held.ok()) << held.error();
  DutLock lock = std::move(held).value();
  EXPECT_FALSE(DutLock::acquire(spec_of("serial:" + a.slave)).ok());
  // The adapter comes back as another node under the same name.
  std::filesystem::remove(link_path);
  std::filesystem::create_symlink(b.slave, link_path);
  auto fd = lock.open_device();
  ASSERT_TRUE(fd.ok()) << fd.error();
  ::close(fd.value());
  EXPECT_FALSE(DutLock::acquire(spec_of("serial:" + b.slave)).ok());
  EXPECT_TRUE(DutLock::acquire(spec_of("serial:" + a.slave)).ok());
  std::filesystem::remove_all(dir);
}

TEST(DutLock, WhatIsNoSerialDeviceIsAnErrorButNotBusy) {
  for (const char* device : {"/dev/null", "/nonexistent/ttyUSB9"}) {
    auto lock = DutLock::acquire(spec_of(std::string("serial:") + device));
    ASSERT_FALSE(lock.ok()) << device;
    EXPECT_FALSE(is_dut_busy(lock.error())) << lock.error();
    EXPECT_TRUE(contains(lock.error(), device)) << lock.error();
  }
}

// A host of the reserved .invalid domain and a port of this process: no real run shares the key.
DutSpec test_tcp_spec(int offset) {
  return spec_of("tcp:dut-lock-test.invalid:" +
                 std::to_string(10000 + (::getpid() % 50000) + offset));
}

TEST(DutLock, ATcpDutHeldByAnotherProcessIsRefusedWithItsHolder) {
  const DutSpec spec = test_tcp_spec(0);
  const std::string path = tcp_lock_path(spec.host, spec.port);
  ForeignHolder holder(spec);
  ASSERT_TRUE(holder.locked());
  {
    std::ifstream in(path);
    std::string pid_line;
    std::getline(in, pid_line);
    EXPECT_EQ(pid_line, std::to_string(holder.pid()));
  }
  auto second = DutLock::acquire(spec);
  ASSERT_FALSE(second.ok());
  EXPECT_TRUE(is_dut_busy(second.error())) << second.error();
  EXPECT_TRUE(contains(second.error(), "in use by pid " + std::to_string(holder.pid()) + " ("))
      << second.error();
  EXPECT_TRUE(contains(second.error(), "lock file " + path)) << second.error();
  // Another port of the same host is another DUT.
  EXPECT_TRUE(DutLock::acquire(test_tcp_spec(1)).ok());
  holder.stop();
  EXPECT_FALSE(std::filesystem::exists(path)) << "the holder removes its lock file as it ends";
  auto third = DutLock::acquire(spec);
  ASSERT_TRUE(third.ok()) << third.error();
  EXPECT_EQ(third->path(), path);
  std::ifstream in(path);
  std::string pid_line;
  std::string command;
  std::getline(in, pid_line);
  std::getline(in, command);
  EXPECT_EQ(pid_line, std::to_string(::getpid()));
  EXPECT_TRUE(contains(command, "qftp_dut_transport_tests")) << command;
}

TEST(DutLock, ASecondTcpLockInTheSameProcessConflictsToo) {
  const DutSpec spec = test_tcp_spec(2);
  auto first = DutLock::acquire(spec);
  ASSERT_TRUE(first.ok()) << first.error();
  auto second = DutLock::acquire(spec);
  ASSERT_FALSE(second.ok());
  EXPECT_TRUE(contains(second.error(), "pid " + std::to_string(::getpid()))) << second.error();
}

TEST(DutLock, TheTcpKeyIsTheHostAndPortMadeSafeForAFileName) {
  const std::string path = tcp_lock_path("Rack-PC.lab", 4001);
  EXPECT_TRUE(path.ends_with("tcp-rack-pc.lab-4001.lock")) << path;
  EXPECT_TRUE(tcp_lock_path("::1", 4001).ends_with("tcp-__1-4001.lock"));
}

}  // namespace
}  // namespace qftp::te
