// fake_dut.cpp: the scripted DUT's server thread: poll with short timeouts so that it stops
// promptly, line framing on <CR>, canned answers, and the misbehaviours.
#include "fake_dut.h"

#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace qftp::harness::testing {
namespace {

// Writes all of `bytes` unless the peer goes away or `stop` is set: a reader that stopped reading
// (a harness that gave up on a flood) must not block the fake for ever.
bool send_all(int fd, const std::string& bytes, const std::atomic<bool>& stop) {
  std::size_t done = 0;
  while (done < bytes.size() && !stop) {
    pollfd p{fd, POLLOUT, 0};
    if (::poll(&p, 1, 50) <= 0) continue;
    const ssize_t n =
        ::send(fd, bytes.data() + done, bytes.size() - done, MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n < 0 && (errno == EAGAIN || errno == EINTR)) continue;
    if (n <= 0) return false;
    done += static_cast<std::size_t>(n);
  }
  return done == bytes.size();
}

const char kNotAResponse[] = "\x01\x02\x03 not a response \x80\x81";
const char kGarbage[] = "\x00\xff\x1b[0m garbage ";

}  // namespace

FakeDut::FakeDut(Misbehaviour misbehaviour, std::string trigger)
    : misbehaviour_(misbehaviour), trigger_(std::move(trigger)) {
  listener_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  if (listener_ < 0 || ::bind(listener_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      ::listen(listener_, 4) != 0 ||
      ::getsockname(listener_, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    throw std::runtime_error(std::string("fake DUT: ") + std::strerror(errno));
  }
  port_ = ntohs(addr.sin_port);
  thread_ = std::thread([this] { serve(); });
}

FakeDut::~FakeDut() {
  stop_ = true;
  thread_.join();
  if (listener_ >= 0) ::close(listener_);
}

void FakeDut::serve() {
  while (!stop_) {
    pollfd p{listener_, POLLIN, 0};
    if (listener_ < 0 || ::poll(&p, 1, 50) <= 0) continue;
    const int fd = ::accept4(listener_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) continue;
    ++connections_;
    const bool go_on = serve_connection(fd);
    ::close(fd);
    if (!go_on) {
      // A closed port: nothing listens any more.
      ::close(listener_);
      listener_ = -1;
    }
  }
}

std::string FakeDut::answer(const std::string& line) {
  const auto starts = [&](const char* prefix) { return line.rfind(prefix, 0) == 0; };
  if (starts("AT+QFTPCLOSE")) return "\r\nOK\r\n\r\n+QFTPCLOSE:0\r\n";
  if (starts("AT+QFTPCFG=")) {
    return line.find(',') != std::string::npos ? "\r\nOK\r\n\r\n+QFTPCFG:0\r\n"
                                               : "\r\nOK\r\n\r\n+QFTPCFG:1\r\n";
  }
  if (starts("AT+QFTPSTAT")) return "\r\n+QFTPSTAT: IDLE\r\n\r\nOK\r\n";
  if (starts("ATI")) return "\r\nFake_Ltd\r\nFake_DUT\r\nRevision: FAKE\r\n\r\nOK\r\n";
  return "\r\nOK\r\n";
}

bool FakeDut::serve_connection(int fd) {
  std::string line;
  while (!stop_) {
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, 50) <= 0) continue;
    char buf[4096];
    const ssize_t n = ::read(fd, buf, sizeof buf);
    if (n <= 0) return true;
    for (ssize_t i = 0; i < n; ++i) {
      const char c = buf[i];
      if (c == '\n') continue;
      if (c != '\r') {
        line += c;
        continue;
      }
      const std::string cmd = std::move(line);
      line.clear();
      if (triggered_ && misbehaviour_ == Misbehaviour::silent) continue;
      if (triggered_ && misbehaviour_ == Misbehaviour::garbage) {
        if (!send_all(fd, std::string(kGarbage, sizeof kGarbage - 1) + cmd + "\x7f", stop_))
          return true;
        continue;
      }
      if (!triggered_ && cmd.rfind(trigger_, 0) == 0 && misbehaviour_ != Misbehaviour::none) {
        triggered_ = true;
        switch (misbehaviour_) {
          case Misbehaviour::silent:
            continue;
          case Misbehaviour::garbage:
            if (!send_all(fd, std::string(kNotAResponse, sizeof kNotAResponse - 1), stop_))
              return true;
            continue;
          case Misbehaviour::flood: {
            const std::string chunk(65536, 'x');
            while (!stop_ && send_all(fd, chunk, stop_)) {
            }
            return true;
          }
          case Misbehaviour::close:
            return false;
          case Misbehaviour::reset:
            // Mid-case: the line drops; the next connection is served normally.
            misbehaviour_ = Misbehaviour::none;
            return true;
          case Misbehaviour::none:
            break;
        }
      }
      if (!send_all(fd, answer(cmd), stop_)) return true;
    }
  }
  return true;
}

}  // namespace qftp::harness::testing
