// The emulator control's line protocol: CONTEXT LOST, ACTIVATION FAIL|OK, DNS FAIL|OK,
// LINK DOWN|UP, LATENCY <ms>, RESET, STATUS.
#include "io/network_control.h"

#include <boost/asio/read_until.hpp>
#include <boost/asio/streambuf.hpp>
#include <boost/asio/write.hpp>
#include <charconv>
#include <istream>
#include <memory>
#include <sstream>
#include <stdexcept>

namespace qftp::io {
namespace asio = boost::asio;
using asio::ip::tcp;
using boost::system::error_code;

constexpr std::size_t kMaxLine = 1024;

NetworkControl::NetworkControl(asio::io_context& io, Emulator& emulator, const std::string& host,
                               std::uint16_t port)
    : io_(io), emulator_(emulator), acceptor_(io) {
  const auto address = asio::ip::make_address(host);
  if (!address.is_loopback()) {
    throw std::runtime_error("the emulator control binds loopback addresses only, not " + host);
  }
  acceptor_.open(address.is_v4() ? tcp::v4() : tcp::v6());
  acceptor_.set_option(tcp::acceptor::reuse_address(true));
  acceptor_.bind({address, port});
  acceptor_.listen();
  accept();
}

namespace {

struct Session : std::enable_shared_from_this<Session> {
  Session(tcp::socket s, NetworkControl& c) : socket(std::move(s)), control(c), buf(kMaxLine) {}
  void read() {
    auto self = shared_from_this();
    asio::async_read_until(socket, buf, '\n', [self](error_code ec, std::size_t) {
      if (ec == asio::error::not_found) {  // a line over the limit: refuse it and drop the session
        self->reply("ERR line too long\n", false);
        return;
      }
      if (ec) return;
      std::istream in(&self->buf);
      std::string line;
      std::getline(in, line);
      if (!line.empty() && line.back() == '\r') line.pop_back();
      self->reply(self->control.execute(line) + "\n", true);
    });
  }
  void reply(std::string text, bool more) {
    auto self = shared_from_this();
    auto data = std::make_shared<std::string>(std::move(text));
    asio::async_write(socket, asio::buffer(*data), [self, data, more](error_code ec, std::size_t) {
      if (!ec && more) self->read();
    });
  }
  tcp::socket socket;
  NetworkControl& control;
  asio::streambuf buf;
};

}  // namespace

void NetworkControl::accept() {
  acceptor_.async_accept([this](error_code ec, tcp::socket socket) {
    if (ec) return;
    std::make_shared<Session>(std::move(socket), *this)->read();
    accept();
  });
}

std::string NetworkControl::execute(const std::string& line) {
  std::istringstream in(line);
  std::string verb, arg, extra;
  in >> verb >> arg >> extra;
  if (!extra.empty()) return "ERR too many words";
  NetworkSim& sim = emulator_.network();
  using Kind = modem::NetworkEvent::Kind;
  if (verb == "CONTEXT" && arg == "LOST") {
    emulator_.feed(modem::NetworkEvent{emulator_.now(), Kind::context_lost});
  } else if (verb == "ACTIVATION" && (arg == "FAIL" || arg == "OK")) {
    emulator_.feed(modem::NetworkEvent{emulator_.now(), arg == "FAIL" ? Kind::activation_fails
                                                                      : Kind::activation_works});
  } else if (verb == "DNS" && (arg == "FAIL" || arg == "OK")) {
    sim.dns_fails = arg == "FAIL";
  } else if (verb == "LINK" && (arg == "DOWN" || arg == "UP")) {
    sim.link_down = arg == "DOWN";
    if (sim.link_down) emulator_.sockets().break_all();
  } else if (verb == "LATENCY") {
    int ms = -1;
    const auto [end, ec] = std::from_chars(arg.data(), arg.data() + arg.size(), ms);
    if (ec != std::errc() || end != arg.data() + arg.size() || ms < 0 || ms > 600000) {
      return "ERR LATENCY takes milliseconds 0..600000";
    }
    sim.latency_ms = ms;
  } else if (verb == "RESET" && arg.empty()) {
    sim = NetworkSim{};
    emulator_.feed(modem::NetworkEvent{emulator_.now(), Kind::activation_works});
  } else if (verb == "STATUS" && arg.empty()) {
    return "OK dns=" + std::string(sim.dns_fails ? "FAIL" : "OK") +
           " link=" + (sim.link_down ? "DOWN" : "UP") + " latency=" + std::to_string(sim.latency_ms);
  } else {
    return "ERR unknown command: " + line.substr(0, 64);
  }
  return "OK";
}

}  // namespace qftp::io
