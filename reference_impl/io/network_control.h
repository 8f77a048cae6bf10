// The emulator control (qftp-emu --control HOST:PORT, loopback only, off by default): a line
// protocol that simulates what a real network does to a modem, for the error codes -4, -5, -6, -8
// and -9 that a plain FTP server cannot cause. See README "Emulator control".
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <cstdint>
#include <string>

#include "io/emulator.h"

namespace qftp::io {

class NetworkControl {
 public:
  // Throws std::runtime_error for a non-loopback address (a start-up failure).
  NetworkControl(boost::asio::io_context& io, Emulator& emulator, const std::string& host,
                 std::uint16_t port);
  std::uint16_t port() const { return acceptor_.local_endpoint().port(); }

  // One command line to its reply ("OK ..." or "ERR reason"); public for unit tests.
  std::string execute(const std::string& line);

 private:
  void accept();

  boost::asio::io_context& io_;
  Emulator& emulator_;
  boost::asio::ip::tcp::acceptor acceptor_;
};

}  // namespace qftp::io
