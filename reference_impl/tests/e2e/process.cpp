// piped_process.cpp: fork and exec with three pipes; poll() on the pipes and on a pidfd gives every
// wait an event and a deadline.
#include "piped_process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <utility>

namespace qftp::e2e {
namespace {

using Clock = std::chrono::steady_clock;

int remaining_ms(Clock::time_point until) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - Clock::now());
  return left.count() <= 0 ? 0 : static_cast<int>(left.count());
}

// Waits until `fd` is readable (data or its end) or the deadline passes.
bool readable(int fd, Clock::time_point until) {
  for (;;) {
    pollfd p{fd, POLLIN, 0};
    const int rc = ::poll(&p, 1, remaining_ms(until));
    if (rc < 0 && errno == EINTR) continue;
    return rc > 0;
  }
}

harness::ExitStatus status_from(int native) {
  harness::ExitStatus st;
  st.signaled = WIFSIGNALED(native);
  st.code = st.signaled ? WTERMSIG(native) : WEXITSTATUS(native);
  return st;
}

void close_fd(int& fd) {
  if (fd >= 0) ::close(fd);
  fd = -1;
}

std::string emulator_path() {
  const char* other = std::getenv("QFTP_EMU");
  return other != nullptr && *other != '\0' ? other : QFTP_EMU_PATH;
}

}  // namespace

harness::Result<PipedProcess> PipedProcess::start(const std::vector<std::string>& args,
                                                  const std::filesystem::path& stdin_file) {
  std::array<int, 2> in{-1, -1}, out{-1, -1}, err{-1, -1};
  int file = -1;
  if (!stdin_file.empty()) {
    file = ::open(stdin_file.c_str(), O_RDONLY | O_CLOEXEC);
    if (file < 0) return harness::make_error("cannot open " + stdin_file.string());
  } else if (::pipe2(in.data(), O_CLOEXEC) != 0) {
    return harness::make_error(std::string("pipe: ") + std::strerror(errno));
  }
  if (::pipe2(out.data(), O_CLOEXEC) != 0 || ::pipe2(err.data(), O_CLOEXEC) != 0) {
    return harness::make_error(std::string("pipe: ") + std::strerror(errno));
  }
  const std::string exe = emulator_path();
  std::vector<std::string> argv_text{exe};
  argv_text.insert(argv_text.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : argv_text) argv.push_back(a.data());
  argv.push_back(nullptr);
  const pid_t parent = ::getpid();
  const pid_t pid = ::fork();
  if (pid < 0) return harness::make_error(std::string("fork: ") + std::strerror(errno));
  if (pid == 0) {
    // Only async-signal-safe calls until exec. The child dies with the test.
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent) ::_exit(127);
    ::dup2(file >= 0 ? file : in[0], STDIN_FILENO);
    ::dup2(out[1], STDOUT_FILENO);
    ::dup2(err[1], STDERR_FILENO);
    ::execv(exe.c_str(), argv.data());
    ::_exit(127);
  }
  PipedProcess p;
  p.pid_ = pid;
  p.in_ = in[1];
  p.out_ = out[0];
  p.err_ = err[0];
  for (int fd : {in[0], out[1], err[1], file}) {
    if (fd >= 0) ::close(fd);
  }
  return p;
}

PipedProcess::PipedProcess(PipedProcess&& other) noexcept
    : pid_(std::exchange(other.pid_, -1)),
      in_(std::exchange(other.in_, -1)),
      out_(std::exchange(other.out_, -1)),
      err_(std::exchange(other.err_, -1)),
      out_buf_(std::move(other.out_buf_)),
      exit_(std::move(other.exit_)) {}

PipedProcess::~PipedProcess() {
  close_fd(in_);
  if (pid_ > 0 && !exit_) {
    ::kill(pid_, SIGKILL);
    int native = 0;
    ::waitpid(pid_, &native, 0);
  }
  close_fd(out_);
  close_fd(err_);
}

bool PipedProcess::write_stdin(std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t n = ::write(in_, bytes.data(), bytes.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

void PipedProcess::close_stdin() {
  close_fd(in_);
}

std::optional<std::string> PipedProcess::read_line(std::chrono::milliseconds timeout) {
  const auto until = Clock::now() + timeout;
  for (;;) {
    const auto nl = out_buf_.find('\n');
    if (nl != std::string::npos) {
      std::string line = out_buf_.substr(0, nl);
      out_buf_.erase(0, nl + 1);
      return line;
    }
    if (!readable(out_, until)) return std::nullopt;
    std::array<char, 4096> chunk{};
    const ssize_t n = ::read(out_, chunk.data(), chunk.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return std::nullopt;
    out_buf_.append(chunk.data(), static_cast<std::size_t>(n));
  }
}

std::optional<std::string> PipedProcess::read_to_end(std::chrono::milliseconds timeout) {
  const auto until = Clock::now() + timeout;
  for (;;) {
    if (!readable(out_, until)) return std::nullopt;
    std::array<char, 4096> chunk{};
    const ssize_t n = ::read(out_, chunk.data(), chunk.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return std::exchange(out_buf_, {});
    out_buf_.append(chunk.data(), static_cast<std::size_t>(n));
  }
}

std::optional<harness::ExitStatus> PipedProcess::wait_exit(std::chrono::milliseconds timeout) {
  if (exit_) return exit_;
  // A pidfd turns the child's end into an event that poll() can wait for.
  const int pidfd = static_cast<int>(::syscall(SYS_pidfd_open, pid_, 0));
  if (pidfd < 0) return std::nullopt;
  const bool ended = readable(pidfd, Clock::now() + timeout);
  ::close(pidfd);
  if (!ended) return std::nullopt;
  int native = 0;
  if (::waitpid(pid_, &native, 0) != pid_) return std::nullopt;
  exit_ = status_from(native);
  return exit_;
}

std::string PipedProcess::stderr_text() {
  std::string text;
  std::array<char, 4096> chunk{};
  // Whatever is in the pipe now: after the process ended that is everything, and then read()
  // reaches the end instead of blocking.
  while (readable(err_, Clock::now())) {
    const ssize_t n = ::read(err_, chunk.data(), chunk.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    text.append(chunk.data(), static_cast<std::size_t>(n));
  }
  return text;
}

bool PipedProcess::signal(int signo) {
  return !exit_ && ::kill(pid_, signo) == 0;
}

Finished run_to_end(const std::vector<std::string>& args, std::chrono::milliseconds timeout) {
  Finished f;
  auto p = PipedProcess::start(args);
  if (!p) {
    f.err = p.error();
    return f;
  }
  p->close_stdin();
  f.out = p->read_to_end(timeout).value_or("");
  f.exit = p->wait_exit(timeout);
  f.err = p->stderr_text();
  return f;
}

}  // namespace qftp::e2e
