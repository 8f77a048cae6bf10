// Serial transports of qftp-emu: pty, TCP (one host at a time, later ones told BUSY) and stdio,
// with optional UART pacing.
#include "io/serial_port.h"

#include <fcntl.h>
#include <poll.h>
#include <termios.h>
#include <unistd.h>

#include <array>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <cerrno>
#include <cstdlib>
#include <cstring>

namespace qftp::io {
namespace asio = boost::asio;
using asio::ip::tcp;
using boost::system::error_code;

namespace {

// Calls, and forgets, the waiters whose count `total` has reached. They are called outside the
// list: one may well stop the program.
void call_due(std::vector<std::pair<std::uint64_t, std::function<void()>>>& waiters,
              std::uint64_t total) {
  std::vector<std::function<void()>> due;
  for (auto it = waiters.begin(); it != waiters.end();) {
    if (it->first <= total) {
      due.push_back(std::move(it->second));
      it = waiters.erase(it);
    } else {
      ++it;
    }
  }
  for (auto& done : due) done();
}

}  // namespace

void SerialPort::write(std::string bytes) {
  queued_total_ += bytes.size();
  std::size_t keep = bytes.size();
  if (!has_host()) {
    keep = std::min(keep, kHeldForNextHost - std::min(kHeldForNextHost, queue_.size()));
  }
  queue_.insert(queue_.end(), bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(keep));
  if (keep < bytes.size()) drop(bytes.size() - keep);
  if (!writing_) pump();
}

// Bytes that will never be written count as written, for when_drained.
void SerialPort::drop(std::size_t n) {
  written(n);
}

void SerialPort::received(std::string bytes) {
  if (baud_ <= 0) return pass_on(std::move(bytes));
  rx_queue_ += bytes;
  if (rx_pumping_) return;
  rx_next_ = std::chrono::steady_clock::now();
  rx_pump();
}

void SerialPort::input_ended(OnEnd on_end) {
  if (!on_end) return;
  if (rx_queue_.empty()) return on_end();
  rx_end_ = std::move(on_end);
}

// A millisecond's worth of the host's bytes now, the next once the line has carried these (on the
// line's clock, so that a late wake-up does not slow the line down).
void SerialPort::rx_pump() {
  if (rx_queue_.empty()) {
    rx_pumping_ = false;
    if (rx_end_) std::exchange(rx_end_, nullptr)();
    return;
  }
  rx_pumping_ = true;
  const std::size_t n = std::min<std::size_t>(rx_queue_.size(), std::max<long>(1, baud_ / 10 / 1000));
  std::string slice = rx_queue_.substr(0, n);
  rx_queue_.erase(0, n);
  rx_next_ += std::chrono::microseconds(static_cast<long long>(n) * 10'000'000 / baud_);
  rx_timer_.expires_at(rx_next_);
  rx_timer_.async_wait([this](error_code ec) {
    if (!ec) rx_pump();
  });
  pass_on(std::move(slice));
}

void SerialPort::rx_flush() {
  if (!rx_pumping_) return;
  rx_timer_.cancel();
  rx_pumping_ = false;
  if (!rx_queue_.empty()) pass_on(std::exchange(rx_queue_, std::string()));
}

void SerialPort::hung_up() {
  rx_flush();  // what the host sent before its link ended reaches the modem before the end
  const std::size_t pending = queue_.size();
  queue_.clear();
  drop(pending);
  if (on_hangup_) on_hangup_();
}

void SerialPort::host_arrived() {
  host_bytes_ = 0;
  if (!writing_) pump();
}

void SerialPort::when_host_bytes(std::uint64_t n, std::function<void()> done) {
  if (host_bytes_ >= n) return done();
  intake_waiters_.emplace_back(n, std::move(done));
}

void SerialPort::pass_on(std::string bytes) {
  const std::size_t n = bytes.size();
  receiver_(std::move(bytes));
  host_bytes_ += n;
  call_due(intake_waiters_, host_bytes_);
}

void SerialPort::when_drained(std::function<void()> done) {
  if (written_total_ >= queued_total_) return done();
  drain_waiters_.emplace_back(queued_total_, std::move(done));
}

// Unpaced: everything queued goes out at once. Paced: at most 10 ms worth of bytes, then a wait as
// long as they take on the line (10 bits a byte), so that a short answer is not held back longer
// than a UART would hold it.
void SerialPort::pump() {
  if (queue_.empty() || !has_host()) {
    writing_ = false;
    return;
  }
  writing_ = true;
  std::size_t n = queue_.size();
  if (baud_ > 0) n = std::min<std::size_t>(n, std::max<long>(1, baud_ / 10 / 100));
  std::string chunk(queue_.begin(), queue_.begin() + static_cast<std::ptrdiff_t>(n));
  queue_.erase(queue_.begin(), queue_.begin() + static_cast<std::ptrdiff_t>(n));
  write_chunk(std::move(chunk), [this, n] {
    written(n);
    if (baud_ <= 0) return pump();
    pace_timer_.expires_after(std::chrono::microseconds(static_cast<long long>(n) * 10'000'000 / baud_));
    pace_timer_.async_wait([this](error_code) { pump(); });
  });
}

void SerialPort::written(std::size_t n) {
  written_total_ += n;
  call_due(drain_waiters_, written_total_);
}

namespace {

// A byte stream on a file descriptor: the pty master or stdin/stdout.
class FdPort : public SerialPort {
 public:
  FdPort(asio::io_context& io, int in_fd, int out_fd, std::string description)
      : SerialPort(io), in_(io, in_fd), out_(io, out_fd), description_(std::move(description)) {}

  void start(OnBytes on_bytes, OnEnd on_end) override {
    set_receiver(std::move(on_bytes));
    on_end_ = std::move(on_end);
    read();
  }
  std::string describe() const override { return description_; }

 protected:
  void write_chunk(std::string chunk, std::function<void()> done) override {
    auto data = std::make_shared<std::string>(std::move(chunk));
    asio::async_write(out_, asio::buffer(*data), [data, done](error_code, std::size_t) { done(); });
  }

 private:
  // The end of input (or a read error, which no later read would get past) ends the host side.
  void read() {
    in_.async_read_some(asio::buffer(buf_), [this](error_code ec, std::size_t n) {
      if (n > 0) received(std::string(buf_.data(), n));
      if (!ec) return read();
      if (ec != asio::error::operation_aborted) input_ended(std::exchange(on_end_, nullptr));
    });
  }

  asio::posix::stream_descriptor in_;
  asio::posix::stream_descriptor out_;
  std::string description_;
  OnEnd on_end_;
  std::array<char, 4096> buf_{};
};

// The pty's master side. A host is there while some process has the slave open: the master then
// reads what it types, and once the last opener has closed it, reads fail (EIO) and poll reports
// POLLHUP. That end is the host's hang-up; then the port looks every kHostPoll for the next
// opener, as the kernel has no event for a slave being opened.
class PtyPort final : public SerialPort {
 public:
  PtyPort(asio::io_context& io, int master, int master_dup, std::string slave_name)
      : SerialPort(io),
        in_(io, master),
        out_(io, master_dup),
        poll_(io),
        slave_name_(std::move(slave_name)),
        description_("pty " + slave_name_) {}

  void start(OnBytes on_bytes, OnEnd) override {
    set_receiver(std::move(on_bytes));
    await_host();
  }
  std::string describe() const override { return description_; }

 protected:
  void write_chunk(std::string chunk, std::function<void()> done) override {
    auto data = std::make_shared<std::string>(std::move(chunk));
    asio::async_write(out_, asio::buffer(*data), [data, done](error_code, std::size_t) { done(); });
  }
  bool has_host() const override { return host_; }

 private:
  static constexpr auto kHostPoll = std::chrono::milliseconds(20);

  bool slave_open() {
    pollfd p{in_.native_handle(), POLLIN, 0};
    return ::poll(&p, 1, 0) >= 0 && (p.revents & POLLHUP) == 0;
  }

  void await_host() {
    if (slave_open()) {
      host_ = true;
      host_arrived();
      return read();
    }
    poll_.expires_after(kHostPoll);
    poll_.async_wait([this](error_code ec) {
      if (!ec) await_host();
    });
  }

  void read() {
    in_.async_read_some(asio::buffer(buf_), [this](error_code ec, std::size_t n) {
      if (n > 0) received(std::string(buf_.data(), n));
      if (!ec) return read();
      if (ec == asio::error::operation_aborted) return;
      host_ = false;  // EIO: the last opener closed the slave
      // A write in progress would go on filling the pty for nobody: it is cancelled. What it had
      // put in the pty waits in the slave's input, where the next opener would read it; the
      // slave side's flush drops it (the master's flush reaches only part of the way).
      error_code ignored;
      out_.cancel(ignored);
      const int slave = ::open(slave_name_.c_str(), O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
      if (slave >= 0) {
        ::tcflush(slave, TCIOFLUSH);
        ::close(slave);
      }
      hung_up();
      await_host();
    });
  }

  asio::posix::stream_descriptor in_;
  asio::posix::stream_descriptor out_;
  asio::steady_timer poll_;
  std::string slave_name_;
  std::string description_;
  bool host_ = false;
  std::array<char, 4096> buf_{};
};

// How long a refused host may take to read its BUSY line and hang up before it is cut off.
constexpr auto kRefusalLinger = std::chrono::seconds(5);
// After a failed accept (no descriptors left, say): when to try again, rather than never.
constexpr auto kAcceptRetry = std::chrono::milliseconds(100);

using SocketPtr = std::shared_ptr<tcp::socket>;

// A host that has shut down its sending side is leaving, even if its last bytes are still unread.
bool has_hung_up(tcp::socket& socket) {
  pollfd p{socket.native_handle(), POLLRDHUP, 0};
  return ::poll(&p, 1, 0) == 1 && (p.revents & (POLLRDHUP | POLLHUP | POLLERR)) != 0;
}

// BUSY, then the host's own hang-up awaited: closing a socket with unread input resets the
// connection, and a reset can destroy the line before the host has read it.
struct Refusal : std::enable_shared_from_this<Refusal> {
  explicit Refusal(SocketPtr s) : socket(std::move(s)), timer(socket->get_executor()) {}

  void start() {
    auto self = shared_from_this();
    asio::async_write(*socket, asio::buffer(kBusyLine), [self](error_code ec, std::size_t) {
      if (ec) return self->finish();
      error_code ignored;
      self->socket->shutdown(tcp::socket::shutdown_send, ignored);
      self->timer.expires_after(kRefusalLinger);
      self->timer.async_wait([self](error_code) { self->finish(); });
      self->discard();
    });
  }
  void discard() {
    auto self = shared_from_this();
    socket->async_read_some(asio::buffer(buf), [self](error_code ec, std::size_t) {
      if (ec) return self->finish();
      self->discard();
    });
  }
  void finish() {
    error_code ignored;
    timer.cancel();
    socket->close(ignored);
  }

  SocketPtr socket;
  asio::steady_timer timer;
  std::array<char, 512> buf{};
};

class TcpPort final : public SerialPort {
 public:
  TcpPort(asio::io_context& io, tcp::acceptor acceptor)
      : SerialPort(io), acceptor_(std::move(acceptor)), retry_(io) {}

  void start(OnBytes on_bytes, OnEnd) override {
    set_receiver(std::move(on_bytes));
    accept();
  }
  std::string describe() const override {
    const auto ep = acceptor_.local_endpoint();
    return "tcp " + format_endpoint(ep.address(), ep.port());
  }
  bool has_host() const override { return host_ != nullptr; }

 protected:
  void write_chunk(std::string chunk, std::function<void()> done) override {
    if (!host_) return done();  // no host: the bytes go nowhere, as on an open line
    auto data = std::make_shared<std::string>(std::move(chunk));
    asio::async_write(*host_, asio::buffer(*data),
                      [host = host_, data, done](error_code, std::size_t) { done(); });
  }

 private:
  // Always listening, so that a host arriving while another is served hears why it is not.
  void accept() {
    acceptor_.async_accept([this](error_code ec, tcp::socket socket) {
      if (ec == asio::error::operation_aborted) return;
      if (ec) {
        retry_.expires_after(kAcceptRetry);
        retry_.async_wait([this](error_code e) {
          if (!e) accept();
        });
        return;
      }
      admit(std::make_shared<tcp::socket>(std::move(socket)));
      accept();
    });
  }

  void admit(SocketPtr socket) {
    if (!host_) return serve(std::move(socket));
    // A host that reconnects at once may arrive before its old connection's end has been read:
    // it waits its turn instead of being told BUSY by a modem that is, in fact, free.
    if (!next_ && has_hung_up(*host_)) {
      next_ = std::move(socket);
      return;
    }
    std::make_shared<Refusal>(std::move(socket))->start();
  }

  void serve(SocketPtr socket) {
    error_code ignored;
    socket->set_option(tcp::no_delay(true), ignored);
    host_ = std::move(socket);
    host_arrived();
    read(host_);
  }

  void read(const SocketPtr& socket) {
    socket->async_read_some(asio::buffer(buf_), [this, socket](error_code ec, std::size_t n) {
      if (socket != host_) return;
      if (n > 0) received(std::string(buf_.data(), n));
      if (!ec) return read(socket);
      error_code ignored;
      host_->close(ignored);
      host_.reset();
      hung_up();  // ruling 15: the host's DTR drop
      if (next_) serve(std::exchange(next_, nullptr));
    });
  }

  tcp::acceptor acceptor_;
  asio::steady_timer retry_;
  SocketPtr host_;  // the host being served
  SocketPtr next_;  // a host that came as the served one was hanging up
  std::array<char, 4096> buf_{};
};

void make_raw(int fd) {
  termios tio{};
  if (::tcgetattr(fd, &tio) == 0) {
    ::cfmakeraw(&tio);
    ::tcsetattr(fd, TCSANOW, &tio);
  }
}

std::string errno_text(const std::string& what) {
  return what + ": " + std::strerror(errno);
}

}  // namespace

std::variant<OpenedPty, std::string> make_pty_port(asio::io_context& io) {
  const int master = ::posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
  if (master < 0) return errno_text("cannot create a pty");
  if (::grantpt(master) != 0 || ::unlockpt(master) != 0) {
    auto reason = errno_text("cannot create a pty");
    ::close(master);
    return reason;
  }
  const char* name = ::ptsname(master);
  if (name == nullptr) {
    ::close(master);
    return std::string("cannot name the pty");
  }
  std::string slave_name = name;
  const int slave = ::open(slave_name.c_str(), O_RDWR | O_NOCTTY | O_CLOEXEC);
  const int master_dup = slave < 0 ? -1 : ::fcntl(master, F_DUPFD_CLOEXEC, 0);
  if (slave < 0 || master_dup < 0) {
    auto reason = errno_text("cannot open " + slave_name);
    ::close(master);
    if (slave >= 0) ::close(slave);
    return reason;
  }
  make_raw(slave);  // the slave's settings outlive its openers while the master is open
  ::close(slave);
  auto port = std::make_unique<PtyPort>(io, master, master_dup, slave_name);
  return OpenedPty{std::move(port), std::move(slave_name)};
}

PortOrError make_tcp_port(asio::io_context& io, const Endpoint& endpoint) {
  tcp::acceptor acceptor(io);
  const tcp::endpoint where(endpoint.address, endpoint.port);
  error_code ec;
  acceptor.open(where.protocol(), ec);
  if (!ec) acceptor.set_option(tcp::acceptor::reuse_address(true), ec);
  if (!ec) acceptor.bind(where, ec);
  if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    return "cannot listen on " + format_endpoint(endpoint.address, endpoint.port) + ": " +
           ec.message();
  }
  return std::make_unique<TcpPort>(io, std::move(acceptor));
}

PortOrError make_stdio_port(asio::io_context& io) {
  const int in = ::fcntl(STDIN_FILENO, F_DUPFD_CLOEXEC, 0);
  const int out = in < 0 ? -1 : ::fcntl(STDOUT_FILENO, F_DUPFD_CLOEXEC, 0);
  if (in < 0 || out < 0) {
    auto reason = errno_text("cannot use stdin and stdout");
    if (in >= 0) ::close(in);
    return reason;
  }
  return std::make_unique<FdPort>(io, in, out, "stdio");
}

}  // namespace qftp::io
