// fixture_launcher.cpp: Boost.Process start of the fixture, READY parsing under a deadline, and a
// stop that escalates from SIGTERM to SIGKILL. Waits on the child use a pidfd, so they are events.
#include "harness/fixture_launcher.h"

#include <fcntl.h>
#include <linux/close_range.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

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

#include "harness/fixture_control.h"

namespace qftp::harness {

namespace bp = boost::process;
namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

constexpr int kExitUsage = 2;         // ftp_fixture.py: bad options or --fault
constexpr int kExitNoPyftpdlib = 3;   // ftp_fixture.py: pyftpdlib not importable
constexpr int kExitBind = 4;          // ftp_fixture.py: a port could not be bound
constexpr int kExitSetupFailed = 127; // our on_exec_setup: the harness died during the fork

int remaining_ms(Clock::time_point until) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - Clock::now());
  return left.count() <= 0 ? 0 : static_cast<int>(std::min<long long>(left.count(), 1 << 30));
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
std::optional<ExitStatus> wait_exit(bp::child& child, std::chrono::milliseconds timeout) {
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

bool parse_port(std::string_view s, std::uint16_t& out) {
  unsigned value = 0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (ec != std::errc() || ptr != s.data() + s.size() || value == 0 || value > 65535) return false;
  out = static_cast<std::uint16_t>(value);
  return true;
}

// "READY ftp=PORT control=PORT"
bool parse_ready(std::string_view line, std::uint16_t& ftp, std::uint16_t& control) {
  constexpr std::string_view kFtp = "READY ftp=";
  constexpr std::string_view kControl = " control=";
  if (line.substr(0, kFtp.size()) != kFtp) return false;
  line.remove_prefix(kFtp.size());
  const auto sep = line.find(kControl);
  if (sep == std::string_view::npos) return false;
  return parse_port(line.substr(0, sep), ftp) && parse_port(line.substr(sep + kControl.size()), control);
}

Result<fs::path> make_work_dir() {
  std::error_code ec;
  fs::path base = fs::temp_directory_path(ec);
  if (ec) base = "/tmp";
  std::string templ = (base / "qftp-fixture-XXXXXX").string();
  if (::mkdtemp(templ.data()) == nullptr) {
    return make_error("cannot create a fixture work directory under " + base.string() + ": " +
                      std::strerror(errno));
  }
  return fs::path(templ);
}

// In the child between fork and exec: only async-signal-safe calls.
struct ChildSetup {
  pid_t parent;
  template <class Executor>
  void operator()(Executor&) const {
    // The fixture must not outlive the harness, even when the harness is SIGKILLed.
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    // The parent may have died before prctl took effect; then nobody would ever kill us.
    if (::getppid() != parent) ::_exit(kExitSetupFailed);
    // Do not leak the harness's descriptors (other fixtures' pipes, DUT sockets) into Python:
    // an inherited pipe end would hide EOF from whoever waits on it. 0, 1, 2 are set by now.
    if (::syscall(SYS_close_range, 3U, ~0U, CLOSE_RANGE_CLOEXEC) != 0) {
      const long max_fd = ::sysconf(_SC_OPEN_MAX);
      for (int fd = 3; fd < (max_fd > 0 && max_fd < 65536 ? max_fd : 65536); ++fd) {
        const int flags = ::fcntl(fd, F_GETFD);
        if (flags >= 0) ::fcntl(fd, F_SETFD, flags | FD_CLOEXEC);
      }
    }
  }
};

std::string explain_early_exit(const ExitStatus& st, const FixtureOptions& options,
                               const std::string& stderr_tail) {
  std::string msg;
  if (!st.signaled && st.code == kExitNoPyftpdlib) {
    msg = "pyftpdlib is not importable by " + options.python.string() +
          ": install Debian's python3-pyftpdlib and use /usr/bin/python3";
  } else if (!st.signaled && st.code == kExitUsage) {
    msg = "the fixture rejected its options";
  } else if (!st.signaled && st.code == kExitBind) {
    msg = "the fixture could not bind its ports";
  } else {
    msg = "the fixture " + st.describe() + " before it was ready";
  }
  if (!stderr_tail.empty()) msg += "; fixture stderr: " + stderr_tail;
  return msg;
}

}  // namespace

fs::path default_fixture_script() {
#ifdef QFTP_SOURCE_DIR
  return fs::path(QFTP_SOURCE_DIR) / "fixtures" / "ftp_fixture.py";
#else
  return fs::path("fixtures") / "ftp_fixture.py";
#endif
}

std::string ExitStatus::describe() const {
  if (signaled) {
    const char* name = ::sigabbrev_np(code);
    return std::string("was killed by SIG") + (name != nullptr ? name : std::to_string(code));
  }
  return "exited with code " + std::to_string(code);
}

struct FixtureProcess::Impl {
  FixtureOptions options;
  fs::path work_dir;
  bool created_work_dir = false;
  fs::path root;
  fs::path stderr_path;
  std::string host;
  bp::pipe out;
  bp::child child;
  std::uint16_t ftp_port = 0;
  std::uint16_t control_port = 0;
  std::optional<ExitStatus> exit;

  Result<ExitStatus> stop() {
    if (exit) return *exit;
    if (!child.valid()) return make_error("the fixture process was never started");
    std::error_code ec;
    if (child.running(ec)) ::kill(child.id(), SIGTERM);
    std::optional<ExitStatus> st = wait_exit(child, options.stop_timeout);
    if (!st && child.running(ec)) {
      ::kill(child.id(), SIGKILL);
      st = wait_exit(child, std::chrono::seconds(10));
    }
    if (!st) return make_error("the fixture (pid " + std::to_string(child.id()) + ") could not be reaped");
    exit = st;
    remove_work_dir();
    return *exit;
  }

  void remove_work_dir() {
    if (created_work_dir && !options.keep_work_dir) {
      std::error_code ignored;
      fs::remove_all(work_dir, ignored);
      created_work_dir = false;
    }
  }

  ~Impl() {
    (void)stop();
    remove_work_dir();
  }
};

FixtureProcess::FixtureProcess(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
FixtureProcess::FixtureProcess(FixtureProcess&&) noexcept = default;
FixtureProcess& FixtureProcess::operator=(FixtureProcess&&) noexcept = default;
FixtureProcess::~FixtureProcess() = default;

Status check_fixture_prerequisites(const FixtureOptions& options) {
  if (::access(options.python.c_str(), X_OK) != 0) {
    return make_error("python interpreter " + options.python.string() + " is not usable (" +
                      std::strerror(errno) + "): install Debian's python3");
  }
  std::vector<std::string> args = options.python_args;
  args.insert(args.end(), {"-c", "import pyftpdlib"});
  std::error_code ec;
  bp::child probe(bp::exe = options.python.string(), bp::args = args, bp::std_in < bp::null,
                  bp::std_out > bp::null, bp::std_err > bp::null, ec);
  if (ec) return make_error("cannot run " + options.python.string() + ": " + ec.message());
  auto st = wait_exit(probe, std::chrono::seconds(30));
  if (!st) {
    ::kill(probe.id(), SIGKILL);
    (void)wait_exit(probe, std::chrono::seconds(10));
    return make_error(options.python.string() + " did not finish `import pyftpdlib` within 30 s");
  }
  if (!st->clean()) {
    return make_error("pyftpdlib is not importable by " + options.python.string() +
                      ": install Debian's python3-pyftpdlib and use /usr/bin/python3");
  }
  if (!fs::exists(options.script)) {
    return make_error("fixture script not found: " + options.script.string());
  }
  return {};
}

Result<FixtureProcess> FixtureProcess::start(FixtureOptions options) {
  if (::access(options.python.c_str(), X_OK) != 0) {
    return make_error("python interpreter " + options.python.string() + " is not usable (" +
                      std::strerror(errno) + "): install Debian's python3");
  }
  if (!fs::exists(options.script)) {
    return make_error("fixture script not found: " + options.script.string());
  }

  auto impl = std::make_unique<Impl>();
  if (options.work_dir.empty()) {
    auto dir = make_work_dir();
    if (!dir) return Error{dir.error()};
    impl->work_dir = dir.value();
    impl->created_work_dir = true;
  } else {
    impl->work_dir = options.work_dir;
  }
  impl->root = options.root.empty() ? impl->work_dir / "root" : options.root;
  impl->stderr_path = impl->work_dir / "fixture.stderr";
  std::error_code ec;
  fs::create_directories(impl->root, ec);
  if (ec) return make_error("cannot create the fixture root " + impl->root.string() + ": " + ec.message());
  impl->host = (options.bind.empty() || options.bind == "0.0.0.0") ? "127.0.0.1" : options.bind;

  std::vector<std::string> args = options.python_args;
  args.insert(args.end(), {options.script.string(), "--root", impl->root.string(), "--bind",
                           options.bind, "--port", std::to_string(options.port), "--control-port",
                           std::to_string(options.control_port), "--user", options.user,
                           "--password", options.password});
  if (options.masquerade) args.insert(args.end(), {"--masquerade", *options.masquerade});
  if (options.passive_ports) {
    args.insert(args.end(), {"--passive-ports", std::to_string(options.passive_ports->first) + "-" +
                                                    std::to_string(options.passive_ports->second)});
  }
  for (const auto& fault : options.faults) args.insert(args.end(), {"--fault", fault});

  impl->options = std::move(options);
  const FixtureOptions& opts = impl->options;
  impl->child = bp::child(bp::exe = opts.python.string(), bp::args = args, bp::std_in < bp::null,
                          bp::std_out > impl->out, bp::std_err > impl->stderr_path.string(), ec,
                          bp::extend::on_exec_setup(ChildSetup{::getpid()}));
  if (ec) {
    return make_error("cannot start " + opts.python.string() + " " + opts.script.string() + ": " +
                      ec.message());
  }

  // Read the first stdout line under the readiness deadline.
  const auto until = Clock::now() + opts.ready_timeout;
  std::string line;
  bool eof = false;
  bool timed_out = false;
  while (line.find('\n') == std::string::npos) {
    pollfd p{impl->out.native_source(), POLLIN, 0};
    const int rc = ::poll(&p, 1, remaining_ms(until));
    if (rc < 0 && errno == EINTR) continue;
    if (rc <= 0) {
      timed_out = true;
      break;
    }
    std::array<char, 512> buf{};
    const ssize_t n = ::read(impl->out.native_source(), buf.data(), buf.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      eof = true;
      break;
    }
    line.append(buf.data(), static_cast<std::size_t>(n));
    if (line.size() > 4096) break;
  }
  line = line.substr(0, line.find('\n'));

  if (timed_out || eof) {
    std::string why;
    if (timed_out) {
      why = "no READY line from the fixture within " + std::to_string(opts.ready_timeout.count()) + " ms";
      const auto tail = read_tail(impl->stderr_path, 1500);
      auto st = impl->stop();
      if (st) why += " (it " + st.value().describe() + " when stopped)";
      if (!tail.empty()) why += "; fixture stderr: " + tail;
    } else {
      auto st = wait_exit(impl->child, std::chrono::seconds(10));
      if (!st) {
        why = "the fixture closed its stdout without a READY line";
        (void)impl->stop();
      } else {
        impl->exit = st;
        why = explain_early_exit(*st, opts, read_tail(impl->stderr_path, 1500));
      }
    }
    return make_error(why);
  }
  if (!parse_ready(line, impl->ftp_port, impl->control_port)) {
    (void)impl->stop();
    return make_error("the fixture printed \"" + line + "\" instead of READY ftp=PORT control=PORT");
  }
  return FixtureProcess(std::move(impl));
}

const std::string& FixtureProcess::host() const { return impl_->host; }
std::uint16_t FixtureProcess::ftp_port() const { return impl_->ftp_port; }
std::uint16_t FixtureProcess::control_port() const { return impl_->control_port; }
const fs::path& FixtureProcess::root() const { return impl_->root; }
const fs::path& FixtureProcess::stderr_path() const { return impl_->stderr_path; }
pid_t FixtureProcess::pid() const { return impl_->child.id(); }

bool FixtureProcess::running() {
  if (impl_->exit) return false;
  std::error_code ec;
  return impl_->child.running(ec);
}

Result<FixtureControl> FixtureProcess::control(std::chrono::milliseconds timeout) const {
  return FixtureControl::connect(impl_->control_port, timeout);
}

Result<ExitStatus> FixtureProcess::stop() { return impl_->stop(); }

std::string FixtureProcess::stderr_tail(std::size_t max_bytes) const {
  return read_tail(impl_->stderr_path, max_bytes);
}

}  // namespace qftp::harness
