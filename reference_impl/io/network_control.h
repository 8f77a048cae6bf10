// The emulator control (qftp-emu --control HOST:PORT, loopback only, off by default): a line
// protocol that simulates what a real network does to a modem, for the error codes -4, -5, -6, -8
// and -9 that a plain FTP server cannot cause. See README "Emulator control".
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "io/emulator.h"
#include "io/endpoint.h"

namespace qftp::io {

class NetworkControl {
 public:
  // Listens on `endpoint`, which must be a loopback address (the control can break the modem's
  // network, so nothing off this machine may reach it); otherwise the reason it cannot.
  static std::variant<std::unique_ptr<NetworkControl>, std::string> open(
      boost::asio::io_context& io, Emulator& emulator, const Endpoint& endpoint);
  // Why the control may not listen on `endpoint` (not a loopback address), if it may not: for a
  // command line to check before it starts anything.
  static std::optional<std::string> refuses(const Endpoint& endpoint);

  std::uint16_t port() const { return acceptor_.local_endpoint().port(); }
  std::string describe() const;  // "127.0.0.1:PORT" for the READY line

  // One command line (any letter case) to its reply: "OK", "OK key=value ..." or "ERR reason",
  // passed to `reply` at once or, for HOST, once the host's bytes are in (or its wait is over).
  void execute(std::string_view line, const std::function<void(std::string)>& reply);

 private:
  std::string execute_now(std::string_view line);
  void await_host_bytes(const std::string& arg, const std::function<void(std::string)>& reply);
  NetworkControl(boost::asio::io_context& io, Emulator& emulator,
                 boost::asio::ip::tcp::acceptor acceptor);
  void accept();

  Emulator& emulator_;
  boost::asio::ip::tcp::acceptor acceptor_;
  boost::asio::steady_timer retry_;
  // What the control did that the modem cannot be asked about: the engine keeps these conditions
  // to itself, and the control is the only one that sets them.
  bool activation_fails_ = false;
  unsigned long context_losses_ = 0;
};

}  // namespace qftp::io
