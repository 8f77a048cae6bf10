// process.cpp: fork and exec with pipes; poll() on the pipes and on a pidfd gives every wait an
// event and a deadline.
#include "process.h"

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
#include <stdexcept>
#include <utility>

#include "deadline.h"

namespace qftp::e2e {
namespace {

// Waits until `fd` is readable (data or its end) or the deadline passes.
bool readable(int fd, Clock::time_point until) {
  for (;;) {
    pollfd p{fd, POLLIN, 0};
    const int rc = ::poll(&p, 1, remaining_ms(until));
    if (rc < 0 && errno == EINTR) continue;
    return rc > 0;
  }
}

ExitStatus status_from(int native) {
  ExitStatus st;
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

std::string ExitStatus::describe() const {
  if (signaled) {
    const char* name = ::sigabbrev_np(code);
    return std::string("was killed by SIG") + (name != nullptr ? name : std::to_string(code));
  }
  return "exited with code " + std::to_string(code);
}

Process::Process(const std::filesystem::path& exe, const std::vector<std::string>& args,
                 const Options& options) {
  const auto failed = [](const std::string& what) {
    return std::runtime_error(what + ": " + std::strerror(errno));
  };
  std::array<int, 2> in{-1, -1}, out{-1, -1}, err{-1, -1};
  int in_file = -1;
  int err_file = -1;
  if (!options.stdin_file.empty()) {
    in_file = ::open(options.stdin_file.c_str(), O_RDONLY | O_CLOEXEC);
    if (in_file < 0) throw failed("cannot open " + options.stdin_file.string());
  } else if (::pipe2(in.data(), O_CLOEXEC) != 0) {
    throw failed("pipe");
  }
  if (!options.stderr_file.empty()) {
    err_file = ::open(options.stderr_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (err_file < 0) throw failed("cannot create " + options.stderr_file.string());
  } else if (::pipe2(err.data(), O_CLOEXEC) != 0) {
    throw failed("pipe");
  }
  if (::pipe2(out.data(), O_CLOEXEC) != 0) throw failed("pipe");
  std::vector<std::string> argv_text{exe.string()};
  argv_text.insert(argv_text.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : argv_text) argv.push_back(a.data());
  argv.push_back(nullptr);
  const pid_t parent = ::getpid();
  const pid_t pid = ::fork();
  if (pid < 0) throw failed("fork");
  if (pid == 0) {
    // Only async-signal-safe calls until exec. The child dies with the test.
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent) ::_exit(127);
    ::dup2(in_file >= 0 ? in_file : in[0], STDIN_FILENO);
    ::dup2(out[1], STDOUT_FILENO);
    ::dup2(err_file >= 0 ? err_file : err[1], STDERR_FILENO);
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  pid_ = pid;
  in_ = in[1];
  out_ = out[0];
  err_ = err[0];
  for (int fd : {in[0], out[1], err[1], in_file, err_file}) {
    if (fd >= 0) ::close(fd);
  }
}

Process Process::emulator(const std::vector<std::string>& args, const Options& options) {
  return Process(emulator_path(), args, options);
}

Process::Process(Process&& other) noexcept
    : pid_(std::exchange(other.pid_, -1)),
      in_(std::exchange(other.in_, -1)),
      out_(std::exchange(other.out_, -1)),
      err_(std::exchange(other.err_, -1)),
      out_buf_(std::move(other.out_buf_)),
      exit_(std::move(other.exit_)) {}

Process::~Process() {
  close_fd(in_);
  if (pid_ > 0 && !exit_) {
    ::kill(pid_, SIGKILL);
    int native = 0;
    ::waitpid(pid_, &native, 0);
  }
  close_fd(out_);
  close_fd(err_);
}

bool Process::write_stdin(std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t n = ::write(in_, bytes.data(), bytes.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

void Process::close_stdin() {
  close_fd(in_);
}

std::optional<std::string> Process::read_line(std::chrono::milliseconds timeout) {
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

std::optional<std::string> Process::read_to_end(std::chrono::milliseconds timeout) {
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

std::optional<ExitStatus> Process::wait_exit(std::chrono::milliseconds timeout) {
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

ExitStatus Process::stop(std::chrono::milliseconds timeout) {
  if (signal(SIGTERM)) {
    if (auto st = wait_exit(timeout)) return *st;
  }
  if (auto st = wait_exit(std::chrono::milliseconds(0))) return *st;
  ::kill(pid_, SIGKILL);
  int native = 0;
  ::waitpid(pid_, &native, 0);
  exit_ = status_from(native);
  return *exit_;
}

bool Process::running() {
  return !wait_exit(std::chrono::milliseconds(0)).has_value();
}

std::string Process::stderr_text() {
  std::string text;
  if (err_ < 0) return text;
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

bool Process::signal(int signo) {
  return !exit_ && ::kill(pid_, signo) == 0;
}

Finished run_to_end(const std::vector<std::string>& args, std::chrono::milliseconds timeout) {
  Finished f;
  auto p = Process::emulator(args);
  p.close_stdin();
  f.out = p.read_to_end(timeout).value_or("");
  f.exit = p.wait_exit(timeout);
  f.err = p.stderr_text();
  return f;
}

}  // namespace qftp::e2e
