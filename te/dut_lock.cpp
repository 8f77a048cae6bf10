// dut_lock.cpp: the serial device's TIOCEXCL and flock, the TCP DUT's lock file, and the names of
// the processes that hold a DUT (/proc/locks for the flock's owner, /proc/*/fd for everyone who
// has a device open, the lock file's own pid and command line).
#include "te/dut_lock.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <termios.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <optional>
#include <sstream>
#include <utility>
#include <vector>

namespace qftp::te {
namespace {

constexpr std::string_view kBusy = "DUT busy: ";

std::string errno_text(const std::string& what) {
  return what + ": " + std::strerror(errno);
}

// A command line is what tells two runs apart; a long one is cut, it only has to be recognised.
std::string command_line(int pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/cmdline", std::ios::binary);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::replace(text.begin(), text.end(), '\0', ' ');
  while (!text.empty() && text.back() == ' ') text.pop_back();
  if (text.empty()) {
    std::ifstream comm("/proc/" + std::to_string(pid) + "/comm");
    std::getline(comm, text);
  }
  constexpr std::size_t kMax = 300;
  if (text.size() > kMax) text = text.substr(0, kMax) + "...";
  return text.empty() ? "?" : text;
}

std::string name_pid(int pid) {
  return "pid " + std::to_string(pid) + " (" + command_line(pid) + ")";
}

// The owner of the flock on an inode, from /proc/locks: "1: FLOCK  ADVISORY  WRITE PID MAJ:MIN:INO
// 0 EOF" (a waiter's line has "->" after the number).
std::optional<int> flock_owner(const struct stat& st) {
  std::ifstream in("/proc/locks");
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream words(line);
    std::string number, kind, advisory, type, pid, where;
    words >> number >> kind;
    if (kind != "FLOCK") continue;
    words >> advisory >> type >> pid >> where;
    unsigned long maj = 0, min = 0, ino = 0;
    char c1 = 0, c2 = 0;
    std::istringstream w(where);
    w >> std::hex >> maj >> c1 >> min >> c2 >> std::dec >> ino;
    if (!w || c1 != ':' || c2 != ':') continue;
    if (maj == major(st.st_dev) && min == minor(st.st_dev) && ino == st.st_ino) {
      return std::atoi(pid.c_str());
    }
  }
  return std::nullopt;
}

// Every other process with a descriptor open on the character device `rdev`.
std::vector<int> device_openers(dev_t rdev) {
  std::vector<int> pids;
  DIR* proc = ::opendir("/proc");
  if (proc == nullptr) return pids;
  const int self = ::getpid();
  while (const dirent* e = ::readdir(proc)) {
    const int pid = std::atoi(e->d_name);
    if (pid <= 0 || pid == self) continue;
    const std::string fd_dir = "/proc/" + std::string(e->d_name) + "/fd";
    DIR* fds = ::opendir(fd_dir.c_str());
    if (fds == nullptr) continue;  // gone, or another user's
    while (const dirent* f = ::readdir(fds)) {
      struct stat st {};
      if (f->d_name[0] == '.' || ::stat((fd_dir + "/" + f->d_name).c_str(), &st) != 0) continue;
      if (S_ISCHR(st.st_mode) && st.st_rdev == rdev) {
        pids.push_back(pid);
        break;
      }
    }
    ::closedir(fds);
  }
  ::closedir(proc);
  std::sort(pids.begin(), pids.end());
  return pids;
}

// "locked by pid 12 (...); also open in pid 34 (...)", from what can be seen.
std::string device_holders(const std::string& device, std::optional<int> owner) {
  struct stat st {};
  std::vector<int> openers;
  if (::stat(device.c_str(), &st) == 0) openers = device_openers(st.st_rdev);
  std::string out;
  if (owner) {
    out = "locked by " + name_pid(*owner);
    openers.erase(std::remove(openers.begin(), openers.end(), *owner), openers.end());
    if (!openers.empty()) out += "; also open in";
  } else {
    out = openers.empty() ? "held by a process this user cannot see" : "open in";
  }
  for (std::size_t i = 0; i < openers.size(); ++i)
    out += (i == 0 ? " " : ", ") + name_pid(openers[i]);
  return out;
}

// The refusal of a device another process has: by its flock (ours, picocom's) or, for a tool that
// sets TIOCEXCL alone, by the exclusive mode that failed our open.
Error device_busy(const std::string& device, const std::string& dut, bool exclusive) {
  struct stat st {};
  const std::optional<int> owner =
      ::stat(device.c_str(), &st) == 0 ? flock_owner(st) : std::optional<int>();
  return make_error(std::string(kBusy) + dut + ": " + device + " is " +
                    (exclusive ? "in exclusive use (TIOCEXCL), " : "") +
                    device_holders(device, owner));
}

Result<int> lock_serial(const std::string& device, const std::string& dut) {
  // O_NONBLOCK: a line without carrier must not block the open of a port whose CLOCAL is off.
  const int fd = ::open(device.c_str(), O_RDWR | O_NOCTTY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0 && errno == EBUSY) return device_busy(device, dut, true);
  if (fd < 0) return make_error(errno_text("cannot open " + device));
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    const int err = errno;
    ::close(fd);
    if (err != EWOULDBLOCK) return make_error("cannot lock " + device + ": " + std::strerror(err));
    return device_busy(device, dut, false);
  }
  // Keeps out the tools that ignore flock, except root's: for root the flock is what counts.
  if (::ioctl(fd, TIOCEXCL) != 0) {
    const std::string why = errno_text(device + " is not a serial device (TIOCEXCL)");
    ::close(fd);
    return make_error(why);
  }
  return fd;
}

std::string sanitized(std::string_view host) {
  std::string out;
  for (const char c : host) {
    const auto u = static_cast<unsigned char>(c);
    out.push_back(std::isalnum(u) || c == '.' || c == '-' ? static_cast<char>(std::tolower(u))
                                                          : '_');
  }
  return out;
}

bool writable_dir(const std::string& dir) {
  // Sticky and open to all, as /run/lock itself: runs of different users meet in one place.
  if (::mkdir(dir.c_str(), 01777) == 0) ::chmod(dir.c_str(), 01777);
  return ::access(dir.c_str(), W_OK | X_OK) == 0;
}

// The holder as its lock file says, or as /proc/locks says while it has not written it yet.
std::string file_holder(int fd) {
  char buf[4096];
  const ssize_t n = ::pread(fd, buf, sizeof buf - 1, 0);
  const std::string text(buf, n > 0 ? static_cast<std::size_t>(n) : 0);
  const auto newline = text.find('\n');
  const int pid = std::atoi(text.substr(0, newline).c_str());
  if (pid > 0 && newline != std::string::npos) {
    std::string command = text.substr(newline + 1);
    while (!command.empty() && command.back() == '\n') command.pop_back();
    return "pid " + std::to_string(pid) + " (" + command + ")";
  }
  struct stat st {};
  if (::fstat(fd, &st) == 0) {
    if (auto owner = flock_owner(st)) return name_pid(*owner);
  }
  return "another process";
}

Result<int> lock_file(const std::string& path, const std::string& dut) {
  // The holder unlinks the file as it lets go, so the file we opened may be gone by the time we
  // hold its lock: then we start again on the new one.
  for (int attempt = 0; attempt < 20; ++attempt) {
    int fd = ::open(path.c_str(), O_RDWR | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0 && errno == ENOENT) {
      fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0666);
      if (fd < 0 && errno == EEXIST) continue;
      // Another user's run must be able to open it after us, whatever our umask.
      if (fd >= 0) ::fchmod(fd, 0666);
    }
    if (fd < 0) return make_error(errno_text("cannot open the lock file " + path));
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
      const int err = errno;
      const std::string holder = err == EWOULDBLOCK ? file_holder(fd) : std::string();
      ::close(fd);
      if (err != EWOULDBLOCK) return make_error("cannot lock " + path + ": " + std::strerror(err));
      std::string refusal(kBusy);
      refusal += dut;
      refusal += " is in use by " + holder;
      refusal += " (lock file " + path + ")";
      return make_error(std::move(refusal));
    }
    struct stat held {
    }, now{};
    if (::fstat(fd, &held) != 0 || ::stat(path.c_str(), &now) != 0 || held.st_ino != now.st_ino ||
        held.st_dev != now.st_dev) {
      ::close(fd);
      continue;
    }
    const std::string content = std::to_string(::getpid()) + "\n" + command_line(::getpid()) + "\n";
    if (::ftruncate(fd, 0) != 0 ||
        ::pwrite(fd, content.data(), content.size(), 0) != static_cast<ssize_t>(content.size())) {
      const std::string why = errno_text("cannot write the lock file " + path);
      ::unlink(path.c_str());
      ::close(fd);
      return make_error(why);
    }
    return fd;
  }
  return make_error("cannot take the lock file " + path + ": it keeps changing");
}

}  // namespace

bool is_dut_busy(std::string_view error) {
  return error.substr(0, kBusy.size()) == kBusy;
}

std::string tcp_lock_path(const std::string& host, std::uint16_t port) {
  const std::string name = "tcp-" + sanitized(host) + "-" + std::to_string(port) + ".lock";
  if (writable_dir("/run/lock/qftp-kit")) return "/run/lock/qftp-kit/" + name;
  const char* tmp = std::getenv("TMPDIR");
  const std::string dir = tmp != nullptr && *tmp != '\0' ? tmp : "/tmp";
  return dir + "/qftp-kit-" + name;
}

DutLock::DutLock(Kind kind, int fd, std::string path, std::string dut)
    : kind_(kind), fd_(fd), path_(std::move(path)), dut_(std::move(dut)) {}

DutLock::DutLock(DutLock&& other) noexcept
    : kind_(std::exchange(other.kind_, Kind::none)),
      fd_(std::exchange(other.fd_, -1)),
      path_(std::move(other.path_)),
      dut_(std::move(other.dut_)) {}

DutLock& DutLock::operator=(DutLock&& other) noexcept {
  if (this != &other) {
    release();
    kind_ = std::exchange(other.kind_, Kind::none);
    fd_ = std::exchange(other.fd_, -1);
    path_ = std::move(other.path_);
    dut_ = std::move(other.dut_);
  }
  return *this;
}

DutLock::~DutLock() {
  release();
}

void DutLock::release() {
  close_fd();
  kind_ = Kind::none;
}

void DutLock::close_fd() {
  if (fd_ < 0) return;
  if (kind_ == Kind::serial) {
    // The exclusive mode outlives us while others (an emulator's own end) keep the tty open.
    ::ioctl(fd_, TIOCNXCL);
  } else if (kind_ == Kind::file) {
    // Unlinked while still locked, so that nobody can lock a file on its way out.
    ::unlink(path_.c_str());
  }
  ::close(fd_);
  fd_ = -1;
}

Result<DutLock> DutLock::acquire(const DutSpec& spec) {
  switch (spec.kind) {
    case DutSpec::Kind::emulator:
      return DutLock(Kind::none, -1, {}, spec.describe());
    case DutSpec::Kind::serial: {
      auto fd = lock_serial(spec.device, spec.describe());
      if (!fd) return make_error(fd.error());
      return DutLock(Kind::serial, fd.value(), spec.device, spec.describe());
    }
    case DutSpec::Kind::tcp: {
      const std::string path = tcp_lock_path(spec.host, spec.port);
      auto fd = lock_file(path, spec.describe());
      if (!fd) return make_error(fd.error());
      return DutLock(Kind::file, fd.value(), path, spec.describe());
    }
  }
  return make_error("unknown DUT kind");
}

Result<int> DutLock::open_device() {
  if (kind_ != Kind::serial) return make_error("no serial device is locked");
  struct stat held {
  }, now{};
  termios tio{};
  const bool same = fd_ >= 0 && ::fstat(fd_, &held) == 0 && ::stat(path_.c_str(), &now) == 0 &&
                    held.st_rdev == now.st_rdev && held.st_ino == now.st_ino &&
                    held.st_dev == now.st_dev && ::tcgetattr(fd_, &tio) == 0;
  if (!same) {
    // Ours is no longer the device at that path: let it go (our own flock would conflict with a
    // new one on the same inode) and lock what is there now; a failure leaves the next reconnect
    // to try again.
    close_fd();
    auto fd = lock_serial(path_, dut_);
    if (!fd) return make_error(fd.error());
    fd_ = fd.value();
  }
  const int fd = ::fcntl(fd_, F_DUPFD_CLOEXEC, 0);
  if (fd < 0) return make_error(errno_text("cannot duplicate the descriptor of " + path_));
  return fd;
}

}  // namespace qftp::te
