// byte_link.cpp: a non-blocking descriptor polled with deadlines.
#include "byte_link.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <termios.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <utility>

#include "core/common/printable.h"
#include "deadline.h"

namespace qftp::e2e {

namespace {

std::runtime_error failure(const std::string& what) {
  return std::runtime_error(what + ": " + std::strerror(errno));
}

}  // namespace

ByteLink ByteLink::open_pty(const std::string& device) {
  const int fd = ::open(device.c_str(), O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) throw failure("cannot open " + device);
  ByteLink link(fd);
  termios tio{};
  if (::tcgetattr(fd, &tio) != 0) throw failure("tcgetattr " + device);
  ::cfmakeraw(&tio);
  tio.c_cflag |= CLOCAL | CREAD;
  if (::tcsetattr(fd, TCSANOW, &tio) != 0) throw failure("tcsetattr " + device);
  return link;
}

ByteLink ByteLink::connect_tcp(std::uint16_t port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) throw failure("socket");
  ByteLink link(fd);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0) {
    throw failure("cannot connect to 127.0.0.1:" + std::to_string(port));
  }
  ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK);
  return link;
}

ByteLink::ByteLink(ByteLink&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)),
      buf_(std::move(other.buf_)),
      error_(std::move(other.error_)),
      closed_(other.closed_) {}

ByteLink& ByteLink::operator=(ByteLink&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = std::exchange(other.fd_, -1);
    buf_ = std::move(other.buf_);
    error_ = std::move(other.error_);
    closed_ = other.closed_;
  }
  return *this;
}

ByteLink::~ByteLink() {
  if (fd_ >= 0) ::close(fd_);
}

bool ByteLink::send(std::string_view bytes) {
  const auto until = Clock::now() + std::chrono::seconds(30);
  while (!bytes.empty()) {
    const ssize_t n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    const ssize_t w = n < 0 && errno == ENOTSOCK ? ::write(fd_, bytes.data(), bytes.size()) : n;
    if (w > 0) {
      bytes.remove_prefix(static_cast<std::size_t>(w));
      continue;
    }
    if (w < 0 && (errno == EAGAIN || errno == EINTR)) {
      pollfd p{fd_, POLLOUT, 0};
      if (::poll(&p, 1, remaining_ms(until)) > 0) continue;
    }
    error_ = std::string("send: ") + std::strerror(errno);
    return false;
  }
  return true;
}

bool ByteLink::fill(Clock::time_point until) {
  for (;;) {
    std::array<char, 65536> chunk{};
    const ssize_t n = ::read(fd_, chunk.data(), chunk.size());
    if (n > 0) {
      buf_.append(chunk.data(), static_cast<std::size_t>(n));
      return true;
    }
    if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) {
      closed_ = true;
      error_ = "the link closed (after \"" + printable(buf_.substr(0, 200)) + "\")";
      return false;
    }
    pollfd p{fd_, POLLIN, 0};
    const int rc = ::poll(&p, 1, remaining_ms(until));
    if (rc == 0) {
      error_ = "nothing more by the deadline (so far \"" + printable(buf_.substr(0, 200)) + "\")";
      return false;
    }
  }
}

std::optional<std::string> ByteLink::read_until(std::string_view pattern,
                                                std::chrono::milliseconds timeout) {
  const auto until = Clock::now() + timeout;
  for (;;) {
    const auto at = buf_.find(pattern);
    if (at != std::string::npos) {
      std::string out = buf_.substr(0, at + pattern.size());
      buf_.erase(0, out.size());
      return out;
    }
    if (closed_ || !fill(until)) return std::nullopt;
  }
}

std::optional<std::string> ByteLink::read_exactly(std::size_t count,
                                                  std::chrono::milliseconds timeout) {
  const auto until = Clock::now() + timeout;
  while (buf_.size() < count) {
    if (closed_ || !fill(until)) return std::nullopt;
  }
  std::string out = buf_.substr(0, count);
  buf_.erase(0, count);
  return out;
}

std::string ByteLink::read_for(std::chrono::milliseconds window) {
  const auto until = Clock::now() + window;
  while (!closed_ && fill(until)) {
  }
  return std::exchange(buf_, {});
}

}  // namespace qftp::e2e
