// child_process.cpp: Boost.Process spawn with a pre-exec set-up, stdout read with poll() under a
// deadline, and waits on a pidfd so that waiting for the child's end is an event, not a loop.
#include "te/child_process.h"

#include <fcntl.h>
#include <linux/close_range.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <boost/process.hpp>
#include <boost/process/extend.hpp>
#include <cerrno>
#include <charconv>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <system_error>
#include <thread>
#include <utility>

namespace qftp::te {

namespace bp = boost::process;
namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

constexpr int kExitSetupFailed = 127;  // our on_exec_setup: the tool died during the fork
constexpr std::size_t kMaxLine = 4096;

int remaining_ms(Clock::time_point until) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - Clock::now());
  return left.count() <= 0 ? 0 : static_cast<int>(std::min<long long>(left.count(), 1 << 30));
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

ExitStatus status_from_native(int native) {
  ExitStatus st;
  if (WIFSIGNALED(native)) {
    st.signaled = true;
    st.code = WTERMSIG(native);
  } else {
    st.code = WEXITSTATUS(native);
  }
  return st;
}

// Waits until the child has exited, then reaps it through Boost (which then knows the status).
std::optional<ExitStatus> wait_child(bp::child& child, std::chrono::milliseconds timeout) {
  const auto until = Clock::now() + timeout;
  std::error_code ec;
  // running() reaps an exited child. While it says "running" only we can reap it, so its pid
  // cannot be recycled before pidfd_open below.
  if (!child.running(ec)) {
    if (ec) return std::nullopt;
    child.wait(ec);
    return status_from_native(child.native_exit_code());
  }
  const int pidfd = static_cast<int>(::syscall(SYS_pidfd_open, child.id(), 0));
  if (pidfd >= 0) {
    pollfd p{pidfd, POLLIN, 0};
    int rc = 0;
    do {
      rc = ::poll(&p, 1, remaining_ms(until));
    } while (rc < 0 && errno == EINTR);
    ::close(pidfd);
    if (rc <= 0) return std::nullopt;
  } else {
    // No pidfd (kernel < 5.3): there is no event to wait on, so poll the child with a deadline.
    while (child.running(ec) && Clock::now() < until) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    if (child.running(ec)) return std::nullopt;
  }
  child.wait(ec);
  if (ec) return std::nullopt;
  return status_from_native(child.native_exit_code());
}

// In the child between fork and exec: only async-signal-safe calls.
struct ChildSetup {
  pid_t parent;
  template <class Executor>
  void operator()(Executor&) const {
    // The child must not outlive the tool, even when the tool is SIGKILLed.
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    // The parent may have died before prctl took effect; then nobody would ever kill us.
    if (::getppid() != parent) ::_exit(kExitSetupFailed);
    // An inherited pipe end or socket (another child's stdout, a DUT link) would hide EOF from
    // whoever waits on it. 0, 1, 2 are set by now.
    if (::syscall(SYS_close_range, 3U, ~0U, CLOSE_RANGE_CLOEXEC) != 0) {
      const long max_fd = ::sysconf(_SC_OPEN_MAX);
      for (int fd = 3; fd < (max_fd > 0 && max_fd < 65536 ? max_fd : 65536); ++fd) {
        const int flags = ::fcntl(fd, F_GETFD);
        if (flags >= 0) ::fcntl(fd, F_SETFD, flags | FD_CLOEXEC);
      }
    }
  }
};

}  // namespace

std::string ExitStatus::describe() const {
  if (signaled) {
    const char* name = ::sigabbrev_np(code);
    return std::string("was killed by SIG") + (name != nullptr ? name : std::to_string(code));
  }
  return "exited with code " + std::to_string(code);
}

struct ChildProcess::Impl {
  bp::pipe in;
  bp::pipe out;
  bp::pipe err;
  bool stdin_open = false;
  bool stderr_open = false;
  bp::child child;
  std::string pending;  // stdout bytes after the last line returned
  std::optional<ExitStatus> exit;

  std::optional<ExitStatus> wait(std::chrono::milliseconds timeout) {
    if (exit) return exit;
    if (!child.valid()) return std::nullopt;
    exit = wait_child(child, timeout);
    return exit;
  }

  Result<ExitStatus> stop(std::chrono::milliseconds grace) {
    if (exit) return *exit;
    if (!child.valid()) return make_error("the process was never started");
    std::error_code ec;
    if (child.running(ec)) ::kill(child.id(), SIGTERM);
    std::optional<ExitStatus> st = wait(grace);
    if (!st && child.running(ec)) {
      ::kill(child.id(), SIGKILL);
      st = wait(std::chrono::seconds(10));
    }
    if (!st)
      return make_error("the process (pid " + std::to_string(child.id()) + ") could not be reaped");
    return *st;
  }

  ~Impl() { (void)stop(std::chrono::seconds(5)); }
};

ChildProcess::ChildProcess(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
ChildProcess::ChildProcess(ChildProcess&&) noexcept = default;
ChildProcess& ChildProcess::operator=(ChildProcess&&) noexcept = default;
ChildProcess::~ChildProcess() = default;

Result<ChildProcess> ChildProcess::spawn(const fs::path& exe, const std::vector<std::string>& args,
                                         const fs::path& stderr_path) {
  Io io;
  io.stderr_path = stderr_path;
  return spawn(exe, args, io);
}

Result<ChildProcess> ChildProcess::spawn(const fs::path& exe, const std::vector<std::string>& args,
                                         const Io& io) {
  auto impl = std::make_unique<Impl>();
  std::error_code ec;
  const auto launch = [&](auto&& in, auto&& err) {
    return bp::child(bp::exe = exe.string(), bp::args = args, in, bp::std_out > impl->out, err,
                     ec, bp::extend::on_exec_setup(ChildSetup{::getpid()}));
  };
  const auto with_stderr = [&](auto&& in) {
    if (io.stderr_pipe) return launch(in, bp::std_err > impl->err);
    return launch(in, bp::std_err > (io.stderr_path.empty() ? std::string("/dev/null")
                                                            : io.stderr_path.string()));
  };
  if (io.stdin_pipe) {
    impl->child = with_stderr(bp::std_in < impl->in);
  } else if (!io.stdin_file.empty()) {
    impl->child = with_stderr(bp::std_in < io.stdin_file.string());
  } else {
    impl->child = with_stderr(bp::std_in < bp::null);
  }
  // Boost closes our copies of the child's pipe ends once it runs, so EOF reaches the reads.
  if (ec) return make_error("cannot start " + exe.string() + ": " + ec.message());
  impl->stdin_open = io.stdin_pipe;
  impl->stderr_open = io.stderr_pipe;
  return ChildProcess(std::move(impl));
}

ReadyLine ChildProcess::read_line(std::chrono::milliseconds timeout) {
  const auto until = Clock::now() + timeout;
  std::string& buf = impl_->pending;
  for (;;) {
    const auto nl = buf.find('\n');
    if (nl != std::string::npos || buf.size() >= kMaxLine) {
      const auto end = std::min(nl, kMaxLine);
      ReadyLine line{ReadyLine::Outcome::line, buf.substr(0, end)};
      buf.erase(0, nl == std::string::npos ? end : nl + 1);
      return line;
    }
    if (!readable(impl_->out.native_source(), until)) return {ReadyLine::Outcome::timeout, {}};
    std::array<char, 512> chunk{};
    const ssize_t n = ::read(impl_->out.native_source(), chunk.data(), chunk.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return {ReadyLine::Outcome::eof, {}};
    buf.append(chunk.data(), static_cast<std::size_t>(n));
  }
}

std::optional<std::string> ChildProcess::read_to_end(std::chrono::milliseconds timeout) {
  const auto until = Clock::now() + timeout;
  std::string& buf = impl_->pending;
  for (;;) {
    if (!readable(impl_->out.native_source(), until)) return std::nullopt;
    std::array<char, 4096> chunk{};
    const ssize_t n = ::read(impl_->out.native_source(), chunk.data(), chunk.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return std::exchange(buf, {});
    buf.append(chunk.data(), static_cast<std::size_t>(n));
  }
}

bool ChildProcess::write_stdin(std::string_view bytes) {
  if (!impl_->stdin_open) return false;
  const int fd = impl_->in.native_sink();
  while (!bytes.empty()) {
    const ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

void ChildProcess::close_stdin() {
  if (!impl_->stdin_open) return;
  impl_->in.close();
  impl_->stdin_open = false;
}

std::string ChildProcess::stderr_text() {
  std::string text;
  if (!impl_->stderr_open) return text;
  std::array<char, 4096> chunk{};
  // Whatever is in the pipe now: after the process ended that is everything, and then read()
  // reaches the end instead of blocking.
  while (readable(impl_->err.native_source(), Clock::now())) {
    const ssize_t n = ::read(impl_->err.native_source(), chunk.data(), chunk.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    text.append(chunk.data(), static_cast<std::size_t>(n));
  }
  return text;
}

std::optional<ExitStatus> ChildProcess::wait_exit(std::chrono::milliseconds timeout) {
  return impl_->wait(timeout);
}

Result<ExitStatus> ChildProcess::stop(std::chrono::milliseconds grace) {
  return impl_->stop(grace);
}

bool ChildProcess::signal(int signo) {
  if (!running()) return false;
  return ::kill(impl_->child.id(), signo) == 0;
}

bool ChildProcess::running() {
  if (impl_->exit) return false;
  std::error_code ec;
  const bool alive = impl_->child.running(ec);
  // running() reaps an exited child; remember how it ended, since nobody can ask again.
  if (!alive && !ec) impl_->exit = status_from_native(impl_->child.native_exit_code());
  return alive;
}

pid_t ChildProcess::pid() const {
  return impl_->child.id();
}

const std::optional<ExitStatus>& ChildProcess::exit_status() const {
  return impl_->exit;
}

std::string read_tail(const fs::path& path, std::size_t max_bytes) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return {};
  in.seekg(0, std::ios::end);
  const auto size = static_cast<std::size_t>(std::max<std::streamoff>(0, in.tellg()));
  const std::size_t start = size > max_bytes ? size - max_bytes : 0;
  in.seekg(static_cast<std::streamoff>(start));
  std::string out(size - start, '\0');
  in.read(out.data(), static_cast<std::streamsize>(out.size()));
  out.resize(static_cast<std::size_t>(in.gcount()));
  while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
  return out;
}

Result<fs::path> make_temp_dir(std::string_view prefix) {
  std::error_code ec;
  fs::path base = fs::temp_directory_path(ec);
  if (ec) base = "/tmp";
  std::string templ = (base / (std::string(prefix) + "XXXXXX")).string();
  if (::mkdtemp(templ.data()) == nullptr) {
    return make_error("cannot create a work directory under " + base.string() + ": " +
                      std::strerror(errno));
  }
  return fs::path(templ);
}

Result<WorkDir> WorkDir::make(const fs::path& given, std::string_view prefix, bool keep) {
  WorkDir dir;
  if (!given.empty()) {
    dir.path_ = given;
    return dir;
  }
  auto made = make_temp_dir(prefix);
  if (!made) return Error{made.error()};
  dir.path_ = made.value();
  dir.owned_ = !keep;
  return dir;
}

WorkDir::WorkDir(WorkDir&& other) noexcept
    : path_(std::move(other.path_)), owned_(std::exchange(other.owned_, false)) {}

WorkDir& WorkDir::operator=(WorkDir&& other) noexcept {
  if (this != &other) {
    remove();
    path_ = std::move(other.path_);
    owned_ = std::exchange(other.owned_, false);
  }
  return *this;
}

WorkDir::~WorkDir() { remove(); }

void WorkDir::remove() {
  if (!owned_) return;
  std::error_code ignored;
  fs::remove_all(path_, ignored);
  owned_ = false;
}

bool parse_port(std::string_view s, std::uint16_t& out) {
  unsigned value = 0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (ec != std::errc() || ptr != s.data() + s.size() || value == 0 || value > 65535) return false;
  out = static_cast<std::uint16_t>(value);
  return true;
}

}  // namespace qftp::te
