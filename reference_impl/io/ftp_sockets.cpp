// Boost.Asio execution of the FTP client's socket operations, reported back as engine events.
#include "io/ftp_sockets.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/write.hpp>

namespace qftp::io {
namespace asio = boost::asio;
using asio::ip::tcp;
using boost::system::error_code;

// The TCP connect is bounded here; the FTP client's own timeouts bound everything after it.
constexpr auto kConnectTimeout = std::chrono::seconds(20);

struct FtpSockets::Conn {
  Conn(asio::io_context& io, ftp::Sock s) : sock(s), resolver(io), socket(io), timer(io) {}
  ftp::Sock sock;
  tcp::resolver resolver;
  tcp::socket socket;
  asio::steady_timer timer;
  std::deque<std::string> out;
  bool writing = false;
  bool close_after_flush = false;  // the client closed it while bytes were still going out
  bool connected = false;
  bool dead = false;  // closed by the client or failed: no further events
  std::array<char, 16384> buf{};
};

namespace {

ftp::SockError classify(const error_code& ec) {
  namespace e = asio::error;
  if (ec == e::eof) return ftp::SockError::eof;
  if (ec == e::connection_refused) return ftp::SockError::refused;
  if (ec == e::connection_reset || ec == e::broken_pipe) return ftp::SockError::reset;
  if (ec == e::timed_out || ec == e::operation_aborted) return ftp::SockError::timeout;
  return ftp::SockError::unreachable;
}

}  // namespace

FtpSockets::FtpSockets(asio::io_context& io, NetworkSim& sim, Clock clock, Sink sink)
    : io_(io), sim_(sim), clock_(std::move(clock)), sink_(std::move(sink)) {}

FtpSockets::~FtpSockets() {
  for (auto& c : conns_) {
    if (c) c->dead = true;
  }
}

void FtpSockets::execute(const ftp::Op& op) {
  std::visit(
      [this](const auto& o) {
        using T = std::decay_t<decltype(o)>;
        if constexpr (std::is_same_v<T, ftp::OpConnect>) connect(o.sock, o.host, o.port);
        if constexpr (std::is_same_v<T, ftp::OpListen>) listen();
        if constexpr (std::is_same_v<T, ftp::OpSend>) send(o.sock, o.bytes);
        if constexpr (std::is_same_v<T, ftp::OpClose>) close(o.sock);
      },
      op);
}

// Socket events reach the modem after the simulated latency, in order, and never from inside
// execute(): the engine's actions are carried out in the order it gave them. An event still on its
// way when the client closed or replaced its connection is dropped: it is about a socket the
// client no longer has.
void FtpSockets::report(const std::shared_ptr<Conn>& conn, modem::Event event) {
  auto deliver = [this, conn, event = std::move(event)]() mutable {
    if (conns_[static_cast<std::size_t>(conn->sock)] != conn) return;
    std::visit([this](auto& e) { e.t = clock_(); }, event);
    sink_(std::move(event));
  };
  if (sim_.latency_ms <= 0) {
    asio::post(io_, std::move(deliver));
    return;
  }
  auto timer = std::make_shared<asio::steady_timer>(io_, std::chrono::milliseconds(sim_.latency_ms));
  timer->async_wait([timer, deliver = std::move(deliver)](error_code) mutable { deliver(); });
}

void FtpSockets::fail(const std::shared_ptr<Conn>& conn, ftp::SockError why) {
  if (conn->dead) return;
  conn->dead = true;
  error_code ignored;
  conn->socket.close(ignored);
  conn->timer.cancel();
  report(conn, modem::SocketClosed{clock_(), conn->sock, why});
}

void FtpSockets::connect(ftp::Sock sock, const std::string& host, std::uint16_t port) {
  close(sock);
  auto& slot = conns_[static_cast<std::size_t>(sock)];
  auto conn = std::make_shared<Conn>(io_, sock);
  slot = conn;
  if (sim_.link_down) {
    asio::post(io_, [this, conn] { fail(conn, ftp::SockError::unreachable); });
    return;
  }
  conn->timer.expires_after(kConnectTimeout);
  conn->timer.async_wait([this, conn](error_code ec) {
    if (!ec && !conn->connected) fail(conn, ftp::SockError::timeout);
  });
  auto on_resolved = [this, conn](error_code ec, const tcp::resolver::results_type& results) {
    if (conn->dead) return;
    if (ec || sim_.dns_fails) return fail(conn, ftp::SockError::resolve);
    asio::async_connect(conn->socket, results, [this, conn](error_code cec, const tcp::endpoint&) {
      if (conn->dead) return;
      conn->timer.cancel();
      if (cec) return fail(conn, classify(cec));
      conn->connected = true;
      error_code ignored;
      const auto local = conn->socket.local_endpoint(ignored);
      report(conn, modem::SocketConnected{clock_(), conn->sock, local.address().to_string()});
      start_reading(conn);
    });
  };
  if (sim_.dns_fails) {
    asio::post(io_, [this, conn] { fail(conn, ftp::SockError::resolve); });
    return;
  }
  conn->resolver.async_resolve(host, std::to_string(port), on_resolved);
}

// Active mode: listen on the control connection's local address; the server connects to us.
void FtpSockets::listen() {
  close(ftp::Sock::data);
  auto& slot = conns_[static_cast<std::size_t>(ftp::Sock::data)];
  auto conn = std::make_shared<Conn>(io_, ftp::Sock::data);
  slot = conn;
  const auto& control = conns_[static_cast<std::size_t>(ftp::Sock::control)];
  error_code ec;
  const auto local = control ? control->socket.local_endpoint(ec) : tcp::endpoint();
  if (!control || ec) {
    asio::post(io_, [this, conn] { fail(conn, ftp::SockError::unreachable); });
    return;
  }
  auto acceptor = std::make_shared<tcp::acceptor>(io_, tcp::endpoint(local.address(), 0));
  acceptor_ = acceptor;
  const auto bound = acceptor->local_endpoint();
  report(conn, modem::SocketListening{clock_(), bound.address().to_string(), bound.port()});
  acceptor->async_accept(conn->socket, [this, conn, acceptor](error_code aec) {
    error_code ignored;
    acceptor->close(ignored);
    if (conn->dead) return;
    if (aec) return fail(conn, classify(aec));
    conn->connected = true;
    report(conn, modem::SocketConnected{clock_(), conn->sock,
                                       conn->socket.local_endpoint(ignored).address().to_string()});
    start_reading(conn);
  });
}

void FtpSockets::start_reading(const std::shared_ptr<Conn>& conn) {
  conn->socket.async_read_some(asio::buffer(conn->buf), [this, conn](error_code ec, std::size_t n) {
    if (conn->dead) return;
    if (n > 0) report(conn, modem::SocketData{clock_(), conn->sock, std::string(conn->buf.data(), n)});
    if (ec) return fail(conn, classify(ec));
    start_reading(conn);
  });
}

void FtpSockets::send(ftp::Sock sock, std::string bytes) {
  const auto& conn = conns_[static_cast<std::size_t>(sock)];
  if (!conn || conn->dead || bytes.empty()) return;
  conn->out.push_back(std::move(bytes));
  if (!conn->writing) flush(conn);
}

void FtpSockets::flush(const std::shared_ptr<Conn>& conn) {
  if (conn->out.empty()) {
    conn->writing = false;
    if (conn->close_after_flush) {
      error_code ignored;
      conn->socket.shutdown(tcp::socket::shutdown_both, ignored);
      conn->socket.close(ignored);
    }
    return;
  }
  conn->writing = true;
  asio::async_write(conn->socket, asio::buffer(conn->out.front()),
                    [this, conn](error_code ec, std::size_t) {
                      if (ec) {
                        conn->out.clear();
                        conn->writing = false;
                        if (conn->close_after_flush) {
                          error_code ignored;
                          return conn->socket.close(ignored);
                        }
                        return fail(conn, classify(ec));
                      }
                      conn->out.pop_front();
                      flush(conn);
                    });
}

// Graceful: what the client sent before closing still reaches the server (an upload's last bytes).
void FtpSockets::close(ftp::Sock sock) {
  auto& slot = conns_[static_cast<std::size_t>(sock)];
  if (sock == ftp::Sock::data && acceptor_) {
    error_code ignored;
    acceptor_->close(ignored);
    acceptor_.reset();
  }
  if (!slot) return;
  auto conn = slot;
  slot.reset();
  conn->dead = true;
  conn->resolver.cancel();
  conn->timer.cancel();
  if (conn->writing) {
    conn->close_after_flush = true;  // flush() closes it once the last byte is out
    return;
  }
  error_code ignored;
  conn->socket.shutdown(tcp::socket::shutdown_both, ignored);
  conn->socket.close(ignored);
}

void FtpSockets::break_all() {
  for (auto& c : conns_) {
    if (c) fail(c, ftp::SockError::unreachable);
  }
}

}  // namespace qftp::io
