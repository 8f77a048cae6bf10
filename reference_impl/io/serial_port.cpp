// Serial transports of qftp-emu: pty, TCP (one host at a time) and stdio, with optional UART pacing.
#include "io/serial_port.h"

#include <fcntl.h>
#include <termios.h>
#include <unistd.h>

#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <stdexcept>

namespace qftp::io {
namespace asio = boost::asio;
using boost::system::error_code;

void SerialPort::write(std::string bytes) {
  queue_.insert(queue_.end(), bytes.begin(), bytes.end());
  if (!writing_) pump();
}

// Unpaced: everything queued goes out at once. Paced: 10 ms worth of bytes, then wait 10 ms.
void SerialPort::pump() {
  if (queue_.empty()) {
    writing_ = false;
    return;
  }
  writing_ = true;
  std::size_t n = queue_.size();
  if (baud_ > 0) n = std::min<std::size_t>(n, std::max<long>(1, baud_ / 10 / 100));
  std::string chunk(queue_.begin(), queue_.begin() + static_cast<std::ptrdiff_t>(n));
  queue_.erase(queue_.begin(), queue_.begin() + static_cast<std::ptrdiff_t>(n));
  write_chunk(std::move(chunk), [this] {
    if (baud_ <= 0) return pump();
    pace_timer_.expires_after(std::chrono::milliseconds(10));
    pace_timer_.async_wait([this](error_code) { pump(); });
  });
}

namespace {

// A byte stream on a file descriptor: the pty master or stdin/stdout.
class FdPort : public SerialPort {
 public:
  FdPort(asio::io_context& io, int in_fd, int out_fd, std::string description)
      : SerialPort(io), in_(io, in_fd), out_(io, out_fd == in_fd ? ::dup(out_fd) : out_fd),
        description_(std::move(description)) {}

  void start(OnBytes on_bytes) override {
    on_bytes_ = std::move(on_bytes);
    read();
  }
  std::string describe() const override { return description_; }

 protected:
  void write_chunk(std::string chunk, std::function<void()> done) override {
    auto data = std::make_shared<std::string>(std::move(chunk));
    asio::async_write(out_, asio::buffer(*data), [data, done](error_code, std::size_t) { done(); });
  }

 private:
  void read() {
    in_.async_read_some(asio::buffer(buf_), [this](error_code ec, std::size_t n) {
      if (n > 0) on_bytes_(std::string(buf_.data(), n));
      if (!ec) read();
    });
  }

  asio::posix::stream_descriptor in_;
  asio::posix::stream_descriptor out_;
  std::string description_;
  OnBytes on_bytes_;
  std::array<char, 4096> buf_{};
};

class PtyPort final : public FdPort {
 public:
  PtyPort(asio::io_context& io, int master, int slave, std::string slave_name,
          std::optional<std::string> link)
      : FdPort(io, master, master, "pty " + slave_name), slave_(slave), link_(std::move(link)) {}
  ~PtyPort() override {
    if (link_) ::unlink(link_->c_str());
    ::close(slave_);
  }

 private:
  int slave_;
  std::optional<std::string> link_;
};

class TcpPort final : public SerialPort {
 public:
  TcpPort(asio::io_context& io, const std::string& host, std::uint16_t port)
      : SerialPort(io), acceptor_(io, {asio::ip::make_address(host), port}), socket_(io) {}

  void start(OnBytes on_bytes) override {
    on_bytes_ = std::move(on_bytes);
    accept();
  }
  std::string describe() const override {
    const auto ep = acceptor_.local_endpoint();
    return "tcp " + ep.address().to_string() + ":" + std::to_string(ep.port());
  }

 protected:
  void write_chunk(std::string chunk, std::function<void()> done) override {
    if (!socket_.is_open()) return done();  // no host: the bytes go nowhere, as on an open line
    auto data = std::make_shared<std::string>(std::move(chunk));
    asio::async_write(socket_, asio::buffer(*data), [data, done](error_code, std::size_t) { done(); });
  }

 private:
  void accept() {
    acceptor_.async_accept(socket_, [this](error_code ec) {
      if (ec) return;
      socket_.set_option(asio::ip::tcp::no_delay(true));
      read();
    });
  }
  void read() {
    socket_.async_read_some(asio::buffer(buf_), [this](error_code ec, std::size_t n) {
      if (n > 0) on_bytes_(std::string(buf_.data(), n));
      if (!ec) return read();
      error_code ignored;
      socket_.close(ignored);
      accept();  // the next host
    });
  }

  asio::ip::tcp::acceptor acceptor_;
  asio::ip::tcp::socket socket_;
  OnBytes on_bytes_;
  std::array<char, 4096> buf_{};
};

void make_raw(int fd) {
  termios tio{};
  if (::tcgetattr(fd, &tio) == 0) {
    ::cfmakeraw(&tio);
    ::tcsetattr(fd, TCSANOW, &tio);
  }
}

}  // namespace

std::unique_ptr<SerialPort> make_pty_port(asio::io_context& io, const std::optional<std::string>& link) {
  const int master = ::posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
  if (master < 0 || ::grantpt(master) != 0 || ::unlockpt(master) != 0) {
    throw std::runtime_error(std::string("cannot create a pty: ") + std::strerror(errno));
  }
  const char* name = ::ptsname(master);
  if (name == nullptr) throw std::runtime_error("cannot name the pty");
  const std::string slave_name = name;
  const int slave = ::open(slave_name.c_str(), O_RDWR | O_NOCTTY | O_CLOEXEC);
  if (slave < 0) throw std::runtime_error("cannot open " + slave_name);
  make_raw(slave);
  if (link) {
    ::unlink(link->c_str());
    if (::symlink(slave_name.c_str(), link->c_str()) != 0) {
      throw std::runtime_error("cannot link " + *link + " to " + slave_name);
    }
  }
  return std::make_unique<PtyPort>(io, master, slave, slave_name, link);
}

std::unique_ptr<SerialPort> make_tcp_port(asio::io_context& io, const std::string& host,
                                          std::uint16_t port) {
  return std::make_unique<TcpPort>(io, host, port);
}

std::unique_ptr<SerialPort> make_stdio_port(asio::io_context& io) {
  return std::make_unique<FdPort>(io, ::dup(STDIN_FILENO), ::dup(STDOUT_FILENO), "stdio");
}

}  // namespace qftp::io
