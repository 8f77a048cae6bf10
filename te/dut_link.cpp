// dut_link.cpp: raw serial (termios) and TCP links to a DUT, read with poll() and deadlines; a
// telnet port's framing and negotiation through TelnetCodec and ComPortSetup.
#include "te/dut_link.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <termios.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <optional>
#include <utility>

#include "te/dut_lock.h"
#include "te/telnet_codec.h"

namespace qftp::te {
namespace {

using Clock = std::chrono::steady_clock;

speed_t speed_for(long baud) {
  switch (baud) {
    case 9600: return B9600;
    case 19200: return B19200;
    case 38400: return B38400;
    case 57600: return B57600;
    case 115200: return B115200;
    case 230400: return B230400;
    case 460800: return B460800;
    case 921600: return B921600;
    default: return B0;
  }
}

}  // namespace

bool is_supported_baud(long baud) { return speed_for(baud) != B0; }

namespace {

std::string errno_text(const std::string& what) { return what + ": " + std::strerror(errno); }

// Error messages quote what arrived; a megabyte of download would drown the point.
std::string quote_tail(std::string_view bytes) {
  constexpr std::size_t kMax = 2000;
  if (bytes.size() <= kMax) return printable(bytes);
  return "[" + std::to_string(bytes.size() - kMax) + " bytes before] " +
         printable(bytes.substr(bytes.size() - kMax));
}

int poll_ms(Clock::time_point until) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - Clock::now());
  return static_cast<int>(std::clamp<long long>(left.count(), 0, 1 << 30));
}

// Non-blocking, so that neither a read nor a write can outlast its deadline.
bool set_nonblocking(int fd) {
  const int flags = ::fcntl(fd, F_GETFL);
  return flags >= 0 && ::fcntl(fd, F_SETFL, flags | O_NONBLOCK) == 0;
}

}  // namespace

struct DutLink::Impl {
  Impl(int f, bool sock) : fd(f), is_socket(sock) {}
  ~Impl() {
    if (fd >= 0) ::close(fd);
  }
  // Waits for bytes until `until`; false on timeout or a closed link. Over telnet, bytes that
  // were all commands add nothing to `pending` and still count as progress.
  bool fill(Clock::time_point until, std::string& why) {
    pollfd p{fd, POLLIN, 0};
    const int rc = ::poll(&p, 1, poll_ms(until));
    if (rc < 0 && errno == EINTR) return true;
    if (rc <= 0) {
      why = "timeout";
      return false;
    }
    char buf[65536];
    const ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && (errno == EAGAIN || errno == EINTR)) return true;
    if (n <= 0) {
      why = n == 0 ? "the DUT closed the link" : errno_text("read");
      closed = true;
      return false;
    }
    const std::string_view bytes(buf, static_cast<std::size_t>(n));
    if (!telnet) {
      pending.append(bytes);
      record(false, bytes);
      return true;
    }
    const std::size_t before = pending.size();
    telnet->receive(bytes, pending);
    if (pending.size() > before) record(false, std::string_view(pending).substr(before));
    telnet_commands(until);
    return true;
  }

  // Answers the server's negotiation and takes in its RFC 2217 notices.
  void telnet_commands(Clock::time_point until) {
    // A failed answer shows as a broken link at the next read; the data already read stays valid.
    if (const std::string out = telnet->take_output(); !out.empty()) (void)write_raw(out, until);
    for (const auto& sb : telnet->take_subnegotiations()) {
      if (sb.option != telnet::kComPortOption) continue;
      if (setup) setup->on_reply(sb.payload);
      if (const auto stop = com_port_suspends(sb.payload)) suspended = *stop;
    }
  }

  // Writes all of `bytes` as they are (already escaped over telnet) by `until`.
  Status write_raw(std::string_view bytes, Clock::time_point until) {
    std::size_t done = 0;
    while (done < bytes.size()) {
      // A socket whose peer has gone must give EPIPE, not a SIGPIPE that kills the tool.
      const char* from = bytes.data() + done;
      const std::size_t left = bytes.size() - done;
      const ssize_t n = is_socket ? ::send(fd, from, left, MSG_NOSIGNAL) : ::write(fd, from, left);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0 && errno == EAGAIN) {
        pollfd p{fd, POLLOUT, 0};
        const int rc = ::poll(&p, 1, poll_ms(until));
        if (rc == 0) {
          return make_error("timeout writing to the DUT after " + std::to_string(done) + " of " +
                            std::to_string(bytes.size()) + " bytes");
        }
        continue;
      }
      if (n <= 0) return make_error(errno_text("write"));
      done += static_cast<std::size_t>(n);
    }
    return {};
  }

  // Telnet's options, then the remote serial port's settings, each answered before the deadline.
  Status negotiate(const ComPortSettings& line, Clock::time_point until) {
    telnet.emplace();
    if (auto st = write_raw(telnet->start(true), until); !st) return st;
    std::string why;
    while (telnet->negotiating()) {
      if (!fill(until, why)) {
        return make_error("no answer to the telnet negotiation (" + why +
                          "); is it a raw port? (then leave out ,telnet)");
      }
    }
    if (!telnet->local_enabled(telnet::kBinary) || !telnet->remote_enabled(telnet::kBinary)) {
      return make_error(
          "the server refuses telnet BINARY both ways; the modem's data needs 8 bits");
    }
    if (!telnet->local_enabled(telnet::kComPortOption) &&
        !telnet->remote_enabled(telnet::kComPortOption)) {
      return make_error(
          "the server refuses COM-PORT-OPTION (RFC 2217), so the baud rate and flow control cannot "
          "be set; ser2net needs accepter telnet(rfc2217),...");
    }
    setup.emplace(line);
    if (auto st = write_raw(setup->requests(), until); !st) return st;
    while (!setup->done()) {
      if (!fill(until, why)) {
        return make_error("the serial server did not answer " + setup->unanswered() + " (" + why +
                          ")");
      }
    }
    auto st = setup->result();
    setup.reset();
    return st;
  }

  // The wire log keeps the first kMaxLogged bytes of a link's life: enough to reproduce any case,
  // bounded against a DUT that floods.
  void record(bool to_dut, std::string_view bytes) {
    static constexpr std::size_t kMaxLogged = 1 << 20;
    if (logged >= kMaxLogged) return;
    std::string kept(bytes.substr(0, kMaxLogged - logged));
    logged += kept.size();
    if (logged >= kMaxLogged) kept += "...(wire log full)";
    log.push_back({Clock::now(), to_dut, std::move(kept)});
  }

  int fd;
  bool is_socket;
  bool closed = false;
  std::optional<TelnetCodec> telnet;
  std::optional<ComPortSetup> setup;  // while the RFC 2217 settings await their answers
  bool suspended = false;             // the server's FLOWCONTROL-SUSPEND, until its RESUME
  std::string pending;
  std::uint64_t sent = 0;  // the TE's bytes written, before telnet's escaping
  std::vector<WireRecord> log;
  std::size_t logged = 0;
};

DutLink::DutLink(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
DutLink::DutLink(DutLink&&) noexcept = default;
DutLink& DutLink::operator=(DutLink&&) noexcept = default;
DutLink::~DutLink() = default;

Result<DutLink> DutLink::open_serial(const std::string& device, SerialOptions options) {
  int fd = -1;
  if (options.lock != nullptr) {
    auto locked = options.lock->open_device();
    if (!locked) return make_error(locked.error());
    fd = locked.value();
  } else {
    fd = ::open(device.c_str(), O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (fd < 0) return make_error(errno_text("cannot open " + device));
  }
  auto impl = std::make_unique<Impl>(fd, false);
  termios tio{};
  if (::tcgetattr(fd, &tio) != 0) return make_error(errno_text("tcgetattr " + device));
  ::cfmakeraw(&tio);
  const speed_t speed = speed_for(options.baud);
  if (speed == B0) return make_error("unsupported baud rate " + std::to_string(options.baud));
  ::cfsetispeed(&tio, speed);
  ::cfsetospeed(&tio, speed);
  tio.c_cflag |= CLOCAL | CREAD;
  if (options.rtscts) {
    tio.c_cflag |= CRTSCTS;
  } else {
    tio.c_cflag &= ~static_cast<tcflag_t>(CRTSCTS);
  }
  tio.c_cc[VMIN] = 1;
  tio.c_cc[VTIME] = 0;
  if (::tcsetattr(fd, TCSANOW, &tio) != 0) return make_error(errno_text("tcsetattr " + device));
  if (!set_nonblocking(fd)) return make_error(errno_text("fcntl " + device));
  return DutLink(std::move(impl));
}

Result<DutLink> DutLink::connect_tcp(const std::string& host, std::uint16_t port,
                                     std::chrono::milliseconds timeout) {
  return connect_tcp(host, port, timeout, TcpOptions{});
}

Result<DutLink> DutLink::connect_tcp(const std::string& host, std::uint16_t port,
                                     std::chrono::milliseconds timeout, TcpOptions options) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* res = nullptr;
  if (const int rc = ::getaddrinfo(host.c_str(), std::to_string(port).c_str(), &hints, &res); rc != 0) {
    return make_error("cannot resolve " + host + ": " + ::gai_strerror(rc));
  }
  std::string why = "no address";
  for (addrinfo* a = res; a != nullptr; a = a->ai_next) {
    const int fd = ::socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK, a->ai_protocol);
    if (fd < 0) continue;
    auto impl = std::make_unique<Impl>(fd, true);
    if (::connect(fd, a->ai_addr, a->ai_addrlen) != 0 && errno != EINPROGRESS) {
      why = errno_text("connect");
      continue;
    }
    pollfd p{fd, POLLOUT, 0};
    int err = 0;
    socklen_t len = sizeof err;
    if (::poll(&p, 1, static_cast<int>(timeout.count())) != 1 ||
        ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) != 0 || err != 0) {
      why = err != 0 ? std::string("connect: ") + std::strerror(err) : "connect timeout";
      continue;
    }
    ::freeaddrinfo(res);
    if (options.telnet) {
      if (auto st = impl->negotiate(options.line, Clock::now() + timeout); !st) {
        return make_error("telnet to " + host + ":" + std::to_string(port) + ": " + st.error());
      }
    }
    return DutLink(std::move(impl));
  }
  ::freeaddrinfo(res);
  return make_error("cannot connect to " + host + ":" + std::to_string(port) + ": " + why);
}

Result<DutLink> DutLink::open_dut(const DutSpec& spec, DutLock* lock) {
  switch (spec.kind) {
    case DutSpec::Kind::serial:
      return open_serial(spec.device, {spec.baud, spec.rtscts, lock});
    case DutSpec::Kind::tcp:
      return connect_tcp(spec.host, spec.port, std::chrono::seconds(5),
                         {spec.telnet, {spec.baud, spec.rtscts}});
    case DutSpec::Kind::emulator:
      break;
  }
  return make_error("the spawned emulator's link comes from EmulatorProcess::link()");
}

Status DutLink::send(std::string_view bytes, std::chrono::milliseconds timeout) {
  impl_->record(true, bytes);
  const auto until = Clock::now() + timeout;
  if (!impl_->telnet) {
    auto st = impl_->write_raw(bytes, until);
    if (st) impl_->sent += bytes.size();
    return st;
  }
  // The serial server's buffer towards the modem is full (RFC 2217 FLOWCONTROL-SUSPEND): wait for
  // its RESUME as a stopped CTS would make us wait.
  std::string why;
  while (impl_->suspended) {
    if (!impl_->fill(until, why)) {
      return make_error("the serial server suspended our sending and did not resume it (" + why +
                        ")");
    }
  }
  std::string wire;
  TelnetCodec::escape(bytes, wire);
  auto st = impl_->write_raw(wire, until);
  if (st) impl_->sent += bytes.size();
  return st;
}

std::uint64_t DutLink::sent_bytes() const {
  return impl_->sent;
}

Result<std::string> DutLink::read_until(std::string_view pattern, std::chrono::milliseconds timeout) {
  const auto until = Clock::now() + timeout;
  std::string why;
  while (impl_->pending.find(pattern) == std::string::npos) {
    if (!impl_->fill(until, why)) {
      return make_error(why + " waiting for \"" + printable(pattern) + "\"; received \"" +
                        quote_tail(impl_->pending) + "\"");
    }
  }
  const auto end = impl_->pending.find(pattern) + pattern.size();
  std::string out = impl_->pending.substr(0, end);
  impl_->pending.erase(0, end);
  return out;
}

Result<std::string> DutLink::read_exactly(std::size_t count, std::chrono::milliseconds timeout) {
  const auto until = Clock::now() + timeout;
  std::string why;
  while (impl_->pending.size() < count) {
    if (!impl_->fill(until, why)) {
      return make_error(why + " after " + std::to_string(impl_->pending.size()) + " of " +
                        std::to_string(count) + " bytes");
    }
  }
  std::string out = impl_->pending.substr(0, count);
  impl_->pending.erase(0, count);
  return out;
}

std::string DutLink::read_for(std::chrono::milliseconds window) {
  const auto until = Clock::now() + window;
  std::string why;
  while (Clock::now() < until && impl_->fill(until, why)) {
  }
  std::string out;
  out.swap(impl_->pending);
  return out;
}

Result<std::string> DutLink::read_some(std::chrono::milliseconds timeout) {
  const auto until = Clock::now() + timeout;
  std::string why;
  while (impl_->pending.empty()) {
    if (!impl_->fill(until, why)) {
      if (impl_->closed) return make_error(why);
      break;
    }
  }
  std::string out;
  out.swap(impl_->pending);
  return out;
}

Status DutLink::has_dtr() const {
  if (impl_->is_socket) return make_error("a TCP link has no DTR line");
  int lines = 0;
  if (::ioctl(impl_->fd, TIOCMGET, &lines) != 0) {
    return make_error(errno_text("the serial device has no modem-control lines (TIOCMGET)") +
                      "; a pty has none");
  }
  return {};
}

Status DutLink::set_dtr(bool on) {
  if (auto st = has_dtr(); !st) return st;
  int dtr = TIOCM_DTR;
  if (!on) {
    // What was written reaches the modem before DTR goes: it was sent while the TE was there.
    if (::tcdrain(impl_->fd) != 0) return make_error(errno_text("tcdrain"));
  }
  if (::ioctl(impl_->fd, on ? TIOCMBIS : TIOCMBIC, &dtr) != 0) {
    return make_error(errno_text(on ? "DTR on (TIOCMBIS)" : "DTR off (TIOCMBIC)"));
  }
  if (!on) {
    ::tcflush(impl_->fd, TCIFLUSH);
    impl_->pending.clear();
  }
  impl_->log.push_back({Clock::now(), true, on ? "DTR on" : "DTR off", true});
  return {};
}

const std::vector<WireRecord>& DutLink::wire_log() const { return impl_->log; }

std::vector<WireRecord> DutLink::take_wire_log() { return std::exchange(impl_->log, {}); }

}  // namespace qftp::te
