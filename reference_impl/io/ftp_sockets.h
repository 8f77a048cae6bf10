// The FTP client's sockets on real networks (docs/architecture.md §2.1: io/ owns the control and
// data sockets and the resolver). Executes the client's operations and reports what happened as
// engine events, through the simulated network of the emulator control (name resolution, link,
// latency).
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <array>
#include <deque>
#include <functional>
#include <memory>
#include <string>

#include "core/ftp/ftp_client.h"
#include "core/modem/events.h"

namespace qftp::io {

// What the emulator control can do to the network between the modem and the FTP server.
struct NetworkSim {
  bool dns_fails = false;   // every resolution fails: -4
  bool link_down = false;   // connects fail, open sockets break: -5 / -6
  int latency_ms = 0;       // added before every socket event reaches the modem
};

class FtpSockets {
 public:
  using Sink = std::function<void(modem::Event)>;
  using Clock = std::function<TimeMs()>;

  FtpSockets(boost::asio::io_context& io, NetworkSim& sim, Clock clock, Sink sink);
  ~FtpSockets();

  void execute(const ftp::Op& op);
  // The emulator control took the link down: break every open socket.
  void break_all();

 private:
  struct Conn;
  void connect(ftp::Sock sock, const std::string& host, std::uint16_t port);
  void listen();
  void send(ftp::Sock sock, std::string bytes);
  void close(ftp::Sock sock);
  void start_reading(const std::shared_ptr<Conn>& conn);
  void flush(const std::shared_ptr<Conn>& conn);
  void report(const std::shared_ptr<Conn>& conn, modem::Event event);
  void fail(const std::shared_ptr<Conn>& conn, ftp::SockError why);

  boost::asio::io_context& io_;
  NetworkSim& sim_;
  Clock clock_;
  Sink sink_;
  std::array<std::shared_ptr<Conn>, 2> conns_;
  std::shared_ptr<boost::asio::ip::tcp::acceptor> acceptor_;
};

}  // namespace qftp::io
