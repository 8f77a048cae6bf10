// emulator_process.cpp: qftp-emu's command line, its READY line, links to its serial side and
// requests on its control port; spawning, the readiness deadline and stopping are ChildProcess's.
#include "te/emulator_process.h"

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <system_error>

namespace qftp::te {

namespace fs = std::filesystem;
using Transport = EmulatorOptions::Transport;

namespace {

// "HOST:PORT" with a numeric port.
bool split_endpoint(std::string_view text, std::string& host, std::uint16_t& port) {
  const auto colon = text.rfind(':');
  if (colon == std::string_view::npos || colon == 0) return false;
  host = std::string(text.substr(0, colon));
  return parse_port(text.substr(colon + 1), port);
}

}  // namespace

Result<EmulatorReady> parse_emulator_ready(std::string_view line) {
  const auto bad = [&] {
    return make_error("qftp-emu printed \"" + std::string(line) +
                      "\" instead of READY pty DEVICE / READY tcp HOST:PORT [control=HOST:PORT]");
  };
  constexpr std::string_view kReady = "READY ";
  if (line.substr(0, kReady.size()) != kReady) return bad();
  std::string_view rest = line.substr(kReady.size());
  EmulatorReady ready;
  constexpr std::string_view kControl = " control=";
  if (const auto c = rest.find(kControl); c != std::string_view::npos) {
    std::string control_host;
    if (!split_endpoint(rest.substr(c + kControl.size()), control_host, ready.control_port))
      return bad();
    rest = rest.substr(0, c);
  }
  if (rest.substr(0, 4) == "pty ") {
    ready.transport = Transport::pty;
    ready.device = std::string(rest.substr(4));
    if (ready.device.empty() || ready.device.find(' ') != std::string::npos) return bad();
    return ready;
  }
  if (rest.substr(0, 4) == "tcp ") {
    ready.transport = Transport::tcp;
    if (!split_endpoint(rest.substr(4), ready.host, ready.port)) return bad();
    return ready;
  }
  return bad();
}

struct EmulatorProcess::Impl {
  EmulatorOptions options;
  WorkDir work_dir;  // declared before the child, so it outlives it
  fs::path ufs_dir;
  fs::path log_path;
  fs::path stderr_path;
  EmulatorReady ready;
  std::optional<ChildProcess> child;

  Result<ExitStatus> stop() {
    if (!child) return make_error("qftp-emu was never started");
    auto st = child->stop(options.stop_timeout);
    if (!st) return make_error("qftp-emu: " + st.error());
    work_dir.remove();
    return st;
  }

  ~Impl() {
    if (child) (void)stop();
  }
};

EmulatorProcess::EmulatorProcess(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
EmulatorProcess::EmulatorProcess(EmulatorProcess&&) noexcept = default;
EmulatorProcess& EmulatorProcess::operator=(EmulatorProcess&&) noexcept = default;
EmulatorProcess::~EmulatorProcess() = default;

Result<EmulatorProcess> EmulatorProcess::start(EmulatorOptions options) {
  if (options.exe.empty()) return make_error("no qftp-emu binary given (EmulatorOptions::exe)");
  if (::access(options.exe.c_str(), X_OK) != 0) {
    return make_error("qftp-emu " + options.exe.string() + " is not executable (" +
                      std::strerror(errno) + "): build it first");
  }
  auto impl = std::make_unique<Impl>();
  auto work_dir = WorkDir::make(options.work_dir, "qftp-emu-", options.keep_work_dir);
  if (!work_dir) return Error{work_dir.error()};
  impl->work_dir = std::move(work_dir.value());
  impl->ufs_dir = options.ufs_dir.empty() ? impl->work_dir.path() / "ufs" : options.ufs_dir;
  impl->log_path = impl->work_dir.path() / "wire.log";
  impl->stderr_path = impl->work_dir.path() / "emu.stderr";
  std::error_code ec;
  fs::create_directories(impl->ufs_dir, ec);
  if (ec)
    return make_error("cannot create the UFS directory " + impl->ufs_dir.string() + ": " +
                      ec.message());

  fs::path profile = options.profile;
  if (profile.empty() && !options.profile_text.empty()) {
    profile = impl->work_dir.path() / "device.profile";
    std::ofstream out(profile, std::ios::binary);
    out << options.profile_text;
    if (!out) return make_error("cannot write " + profile.string());
  }

  std::vector<std::string> args;
  if (options.transport == Transport::pty) {
    args.emplace_back("--pty");
    if (!options.link.empty()) args.insert(args.end(), {"--link", options.link.string()});
  } else {
    args.insert(args.end(), {"--tcp", "127.0.0.1:0"});
  }
  if (!profile.empty()) args.insert(args.end(), {"--profile", profile.string()});
  args.insert(args.end(), {"--ufs-dir", impl->ufs_dir.string(), "--log", impl->log_path.string()});
  for (const auto& d : options.defects) args.insert(args.end(), {"--defect", d});
  if (options.control) args.insert(args.end(), {"--control", "127.0.0.1:0"});
  if (options.baud > 0) args.insert(args.end(), {"--baud", std::to_string(options.baud)});
  args.insert(args.end(), options.args.begin(), options.args.end());

  impl->options = std::move(options);
  const EmulatorOptions& opts = impl->options;
  auto child = ChildProcess::spawn(opts.exe, args, impl->stderr_path);
  if (!child) return Error{child.error()};
  impl->child.emplace(std::move(child).value());

  const ReadyLine line = impl->child->read_line(opts.ready_timeout);
  if (line.outcome != ReadyLine::Outcome::line) {
    std::string why = line.outcome == ReadyLine::Outcome::timeout
                          ? "no READY line from qftp-emu within " +
                                std::to_string(opts.ready_timeout.count()) + " ms"
                          : "qftp-emu closed its stdout without a READY line";
    const auto tail = read_tail(impl->stderr_path, 1500);
    auto st = line.outcome == ReadyLine::Outcome::eof
                  ? impl->child->wait_exit(std::chrono::seconds(5))
                  : std::nullopt;
    if (!st) {
      auto stopped = impl->stop();
      if (stopped) st = stopped.value();
    }
    if (st) why += " (it " + st->describe() + ")";
    if (!tail.empty()) why += "; stderr: " + tail;
    return make_error(why);
  }
  auto ready = parse_emulator_ready(line.text);
  if (!ready) {
    (void)impl->stop();
    return Error{ready.error()};
  }
  if (ready->transport != opts.transport || (opts.control && ready->control_port == 0)) {
    (void)impl->stop();
    return make_error("qftp-emu is ready on something else than asked: \"" + line.text + "\"");
  }
  impl->ready = std::move(ready).value();
  return EmulatorProcess(std::move(impl));
}

Result<DutLink> EmulatorProcess::link(std::chrono::milliseconds timeout) const {
  if (impl_->ready.transport == Transport::pty) {
    // qftp-emu's pty has no UART behind it: the speed is only recorded, raw mode is what counts.
    return DutLink::open_serial(impl_->ready.device, DutLink::SerialOptions{});
  }
  return DutLink::connect_tcp(impl_->ready.host, impl_->ready.port, timeout);
}

// The control protocol is one line each way; a DutLink is a byte link with deadlines, which is
// all that needs. A connection per request keeps a broken one from spoiling the next.
Result<std::string> EmulatorProcess::control(std::string_view line,
                                             std::chrono::milliseconds timeout) {
  if (impl_->ready.control_port == 0) return make_error("qftp-emu was started without --control");
  auto conn = DutLink::connect_tcp("127.0.0.1", impl_->ready.control_port, timeout);
  if (!conn) return make_error("emulator control: " + conn.error());
  if (auto st = conn->send(std::string(line) + "\n"); !st)
    return make_error("emulator control: " + st.error());
  auto reply = conn->read_until("\n", timeout);
  if (!reply) return make_error("emulator control: " + reply.error());
  std::string text = std::move(reply).value();
  text.pop_back();
  if (!text.empty() && text.back() == '\r') text.pop_back();
  return text;
}

Transport EmulatorProcess::transport() const {
  return impl_->ready.transport;
}
const std::string& EmulatorProcess::device() const {
  return impl_->ready.device;
}
std::uint16_t EmulatorProcess::tcp_port() const {
  return impl_->ready.port;
}
std::uint16_t EmulatorProcess::control_port() const {
  return impl_->ready.control_port;
}
const fs::path& EmulatorProcess::ufs_dir() const {
  return impl_->ufs_dir;
}
const fs::path& EmulatorProcess::log_path() const {
  return impl_->log_path;
}
const fs::path& EmulatorProcess::stderr_path() const {
  return impl_->stderr_path;
}
const fs::path& EmulatorProcess::work_dir() const {
  return impl_->work_dir.path();
}
pid_t EmulatorProcess::pid() const {
  return impl_->child->pid();
}
bool EmulatorProcess::running() {
  return impl_->child->running();
}
bool EmulatorProcess::signal(int signo) {
  return impl_->child->signal(signo);
}

std::optional<ExitStatus> EmulatorProcess::wait_exit(std::chrono::milliseconds timeout) {
  return impl_->child->wait_exit(timeout);
}

Result<ExitStatus> EmulatorProcess::stop() {
  return impl_->stop();
}

std::string EmulatorProcess::stderr_tail(std::size_t max_bytes) const {
  return read_tail(impl_->stderr_path, max_bytes);
}

std::string EmulatorProcess::log_tail(std::size_t max_bytes) const {
  return read_tail(impl_->log_path, max_bytes);
}

}  // namespace qftp::te
