// The host side of qftp-emu: a byte stream to one host at a time over a pty, a TCP socket or
// stdin/stdout (docs/architecture.md §3). Writes are queued and, with --baud, paced like a real
// UART.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>

namespace qftp::io {

class SerialPort {
 public:
  using OnBytes = std::function<void(std::string)>;

  virtual ~SerialPort() = default;
  // Begins reading; `on_bytes` gets every chunk the host sends.
  virtual void start(OnBytes on_bytes) = 0;
  // The READY line's tail: "tcp 127.0.0.1:PORT", "pty /dev/pts/N", "stdio".
  virtual std::string describe() const = 0;
  // Queues bytes for the host (paced by `baud` when non-zero: 10 bits a byte).
  void write(std::string bytes);
  void set_baud(long baud) { baud_ = baud; }

 protected:
  explicit SerialPort(boost::asio::io_context& io) : io_(io), pace_timer_(io) {}
  // Writes one chunk to the transport; calls `done` when it is out (or dropped: no host).
  virtual void write_chunk(std::string chunk, std::function<void()> done) = 0;

  boost::asio::io_context& io_;

 private:
  void pump();
  boost::asio::steady_timer pace_timer_;
  std::deque<char> queue_;
  bool writing_ = false;
  long baud_ = 0;
};

// A pseudo-terminal whose slave side a host opens (raw mode). The emulator keeps a slave fd open so
// that a host closing and reopening the device does not end the session.
std::unique_ptr<SerialPort> make_pty_port(boost::asio::io_context& io,
                                          const std::optional<std::string>& link);
// A TCP listener serving one connection at a time, like a serial server's raw port.
std::unique_ptr<SerialPort> make_tcp_port(boost::asio::io_context& io, const std::string& host,
                                          std::uint16_t port);
std::unique_ptr<SerialPort> make_stdio_port(boost::asio::io_context& io);

}  // namespace qftp::io
