// fixture_launcher.cpp: the fixture's command line, its READY line and what its exit codes mean;
// spawning, the readiness deadline and stopping are ChildProcess's.
#include "te/fixture_launcher.h"

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <system_error>

#include "te/fixture_control.h"
#include "te/kit_layout.h"

namespace qftp::te {

namespace fs = std::filesystem;

namespace {

constexpr int kExitUsage = 2;        // ftp_fixture.py: bad options or --fault
constexpr int kExitNoPyftpdlib = 3;  // ftp_fixture.py: pyftpdlib not importable
constexpr int kExitBind = 4;         // ftp_fixture.py: a port could not be bound

// "READY ftp=PORT control=PORT"
bool parse_ready(std::string_view line, std::uint16_t& ftp, std::uint16_t& control) {
  constexpr std::string_view kFtp = "READY ftp=";
  constexpr std::string_view kControl = " control=";
  if (line.substr(0, kFtp.size()) != kFtp) return false;
  line.remove_prefix(kFtp.size());
  const auto sep = line.find(kControl);
  if (sep == std::string_view::npos) return false;
  return parse_port(line.substr(0, sep), ftp) &&
         parse_port(line.substr(sep + kControl.size()), control);
}

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

Status check_python(const FixtureOptions& options) {
  if (::access(options.python.c_str(), X_OK) != 0) {
    return make_error("python interpreter " + options.python.string() + " is not usable (" +
                      std::strerror(errno) + "): install Debian's python3");
  }
  return {};
}

}  // namespace

fs::path default_fixture_script() { return sibling_tool("qftp-fixture"); }

struct FixtureProcess::Impl {
  FixtureOptions options;
  WorkDir work_dir;  // declared before the child, so it outlives it
  fs::path root;
  fs::path stderr_path;
  std::string host;
  std::optional<ChildProcess> child;
  std::uint16_t ftp_port = 0;
  std::uint16_t control_port = 0;

  Result<ExitStatus> stop() {
    if (!child) return make_error("the fixture process was never started");
    auto st = child->stop(options.stop_timeout);
    if (!st) return make_error("the fixture: " + st.error());
    work_dir.remove();
    return st;
  }

  ~Impl() {
    if (child) (void)stop();
  }
};

FixtureProcess::FixtureProcess(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
FixtureProcess::FixtureProcess(FixtureProcess&&) noexcept = default;
FixtureProcess& FixtureProcess::operator=(FixtureProcess&&) noexcept = default;
FixtureProcess::~FixtureProcess() = default;

Status check_fixture_prerequisites(const FixtureOptions& options) {
  if (auto st = check_python(options); !st) return st;
  std::vector<std::string> args = options.python_args;
  args.insert(args.end(), {"-c", "import pyftpdlib"});
  auto probe = ChildProcess::spawn(options.python, args);
  if (!probe) return Error{probe.error()};
  auto st = probe->wait_exit(std::chrono::seconds(30));
  if (!st) {
    (void)probe->stop(std::chrono::milliseconds(0));
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
  if (auto st = check_python(options); !st) return Error{st.error()};
  if (!fs::exists(options.script)) {
    return make_error("fixture script not found: " + options.script.string());
  }

  auto impl = std::make_unique<Impl>();
  auto work_dir = WorkDir::make(options.work_dir, "qftp-fixture-", options.keep_work_dir);
  if (!work_dir) return Error{work_dir.error()};
  impl->work_dir = std::move(work_dir.value());
  impl->root = options.root.empty() ? impl->work_dir.path() / "root" : options.root;
  impl->stderr_path = impl->work_dir.path() / "fixture.stderr";
  std::error_code ec;
  fs::create_directories(impl->root, ec);
  if (ec)
    return make_error("cannot create the fixture root " + impl->root.string() + ": " +
                      ec.message());
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
  auto child = ChildProcess::spawn(opts.python, args, impl->stderr_path);
  if (!child) {
    return make_error("cannot start " + opts.python.string() + " " + opts.script.string() + ": " +
                      child.error());
  }
  impl->child.emplace(std::move(child).value());

  const ReadyLine ready = impl->child->read_line(opts.ready_timeout);
  if (ready.outcome == ReadyLine::Outcome::timeout) {
    std::string why = "no READY line from the fixture within " +
                      std::to_string(opts.ready_timeout.count()) + " ms";
    const auto tail = read_tail(impl->stderr_path, 1500);
    auto st = impl->stop();
    if (st) why += " (it " + st.value().describe() + " when stopped)";
    if (!tail.empty()) why += "; fixture stderr: " + tail;
    return make_error(why);
  }
  if (ready.outcome == ReadyLine::Outcome::eof) {
    auto st = impl->child->wait_exit(std::chrono::seconds(10));
    if (!st) {
      (void)impl->stop();
      return make_error("the fixture closed its stdout without a READY line");
    }
    return make_error(explain_early_exit(*st, opts, read_tail(impl->stderr_path, 1500)));
  }
  if (!parse_ready(ready.text, impl->ftp_port, impl->control_port)) {
    (void)impl->stop();
    return make_error("the fixture printed \"" + ready.text +
                      "\" instead of READY ftp=PORT control=PORT");
  }
  return FixtureProcess(std::move(impl));
}

const std::string& FixtureProcess::host() const {
  return impl_->host;
}
std::uint16_t FixtureProcess::ftp_port() const {
  return impl_->ftp_port;
}
std::uint16_t FixtureProcess::control_port() const {
  return impl_->control_port;
}
const fs::path& FixtureProcess::root() const {
  return impl_->root;
}
const fs::path& FixtureProcess::stderr_path() const {
  return impl_->stderr_path;
}
pid_t FixtureProcess::pid() const {
  return impl_->child->pid();
}

bool FixtureProcess::running() {
  return impl_->child->running();
}

Result<FixtureControl> FixtureProcess::control(std::chrono::milliseconds timeout) const {
  return FixtureControl::connect(impl_->control_port, timeout);
}

Result<ExitStatus> FixtureProcess::stop() {
  return impl_->stop();
}

std::string FixtureProcess::stderr_tail(std::size_t max_bytes) const {
  return read_tail(impl_->stderr_path, max_bytes);
}

}  // namespace qftp::te
