// The emulator control's line protocol: CONTEXT LOST, ACTIVATION FAIL|OK, DNS FAIL|OK,
// LINK DOWN|UP, LATENCY <ms>, RESET, STATUS, and the bench's HOST <bytes>, in any letter case; one
// reply line per request line.
#include "io/network_control.h"

#include <array>
#include <boost/asio/write.hpp>
#include <cctype>
#include <charconv>
#include <sstream>
#include <vector>

#include "core/common/printable.h"

namespace qftp::io {
namespace asio = boost::asio;
using asio::ip::tcp;
using boost::system::error_code;

namespace {

constexpr std::size_t kMaxLine = 1024;
constexpr std::size_t kMaxQuoted = 64;  // how much of a bad line an error quotes
constexpr auto kAcceptRetry = std::chrono::milliseconds(100);
constexpr std::string_view kCommands =
    "CONTEXT LOST, ACTIVATION FAIL|OK, REGISTRATION LOST|BACK, DNS FAIL|OK, LINK DOWN|UP, LATENCY <ms>, "
    "RESET, STATUS, HOST <bytes>";
// How long HOST waits for the host's bytes: a link on this machine delivers them in far less.
constexpr auto kHostWait = std::chrono::seconds(2);

// One connection: bytes in, each complete line executed in order and its reply written before the
// next line is looked at (a HOST line's reply waits for the host's bytes), then more bytes.
// Reading waits for the writes, so a client that never reads cannot make replies pile up here.
struct Session : std::enable_shared_from_this<Session> {
  Session(tcp::socket s, NetworkControl& c) : socket(std::move(s)), control(c) {}

  void read() {
    auto self = shared_from_this();
    socket.async_read_some(asio::buffer(buf), [self](error_code ec, std::size_t n) {
      self->unread.assign(self->buf.data(), n);
      self->pos = 0;
      self->ended = static_cast<bool>(ec);
      self->next();
    });
  }

  // On through what was read, up to the end of a line; once its reply is written, on again.
  void next() {
    while (pos < unread.size()) {
      const char c = unread[pos++];
      if (c == '\n') return run_line();
      if (line.size() < kMaxLine) {
        line += c;
      } else {
        overlong = true;  // the rest of this line is dropped, the next one is read as usual
      }
    }
    if (!ended) return read();
    // The client is done sending: a last line without its newline is still a command.
    if (!line.empty() || overlong) run_line();
  }

  void run_line() {
    std::string text = std::exchange(line, std::string());
    auto self = shared_from_this();
    auto reply = [self](const std::string& r) { self->write(r + "\n"); };
    if (std::exchange(overlong, false)) {
      return reply("ERR line too long (at most " + std::to_string(kMaxLine) + " bytes)");
    }
    if (!text.empty() && text.back() == '\r') text.pop_back();
    control.execute(text, reply);
  }

  void write(std::string text) {
    auto self = shared_from_this();
    auto data = std::make_shared<std::string>(std::move(text));
    asio::async_write(socket, asio::buffer(*data), [self, data](error_code ec, std::size_t) {
      if (!ec) self->next();
    });
  }

  tcp::socket socket;
  NetworkControl& control;
  std::string line;
  bool overlong = false;
  std::string unread;   // what the last read brought
  std::size_t pos = 0;  // how far into it the lines have been taken
  bool ended = false;   // the client has sent all it will
  std::array<char, 1024> buf{};
};

std::vector<std::string> upper_words(std::string_view line) {
  std::istringstream in{std::string(line)};
  std::vector<std::string> words;
  for (std::string word; in >> word;) {
    for (auto& c : word) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    words.push_back(std::move(word));
  }
  return words;
}

std::string quoted(std::string_view line) {
  return "'" + printable(line.substr(0, kMaxQuoted)) + (line.size() > kMaxQuoted ? "...'" : "'");
}

}  // namespace

std::variant<std::unique_ptr<NetworkControl>, std::string> NetworkControl::open(
    asio::io_context& io, Emulator& emulator, const Endpoint& endpoint) {
  if (auto refused = refuses(endpoint)) return std::move(*refused);
  const std::string where = format_endpoint(endpoint.address, endpoint.port);
  tcp::acceptor acceptor(io);
  const tcp::endpoint at(endpoint.address, endpoint.port);
  error_code ec;
  acceptor.open(at.protocol(), ec);
  if (!ec) acceptor.set_option(tcp::acceptor::reuse_address(true), ec);
  if (!ec) acceptor.bind(at, ec);
  if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) return "cannot listen on " + where + ": " + ec.message();
  std::unique_ptr<NetworkControl> control(new NetworkControl(io, emulator, std::move(acceptor)));
  control->accept();
  return control;
}

std::optional<std::string> NetworkControl::refuses(const Endpoint& endpoint) {
  if (endpoint.address.is_loopback()) return std::nullopt;
  return "the emulator control listens on loopback addresses only (127.0.0.0/8, ::1), not " +
         format_endpoint(endpoint.address, endpoint.port);
}

NetworkControl::NetworkControl(asio::io_context& io, Emulator& emulator, tcp::acceptor acceptor)
    : emulator_(emulator), acceptor_(std::move(acceptor)), retry_(io) {}

std::string NetworkControl::describe() const {
  const auto ep = acceptor_.local_endpoint();
  return format_endpoint(ep.address(), ep.port());
}

void NetworkControl::accept() {
  acceptor_.async_accept([this](error_code ec, tcp::socket socket) {
    if (ec == asio::error::operation_aborted) return;
    if (ec) {  // out of descriptors, say: try again shortly rather than never again
      retry_.expires_after(kAcceptRetry);
      retry_.async_wait([this](error_code e) {
        if (!e) accept();
      });
      return;
    }
    std::make_shared<Session>(std::move(socket), *this)->read();
    accept();
  });
}

void NetworkControl::execute(std::string_view line, const std::function<void(std::string)>& reply) {
  const auto words = upper_words(line);
  if (words.size() == 2 && words[0] == "HOST") return await_host_bytes(words[1], reply);
  reply(execute_now(line));
}

// HOST <n>: the bench is about to end the host link, and must know first that the n bytes it sent
// on it have reached the engine (a serial server flushes the pty it closes). The reply waits for
// them: "OK host_bytes=N", or after kHostWait "ERR ..." with the count so far.
void NetworkControl::await_host_bytes(const std::string& arg,
                                      const std::function<void(std::string)>& reply) {
  std::uint64_t n = 0;
  const auto [end, ec] = std::from_chars(arg.data(), arg.data() + arg.size(), n);
  if (ec != std::errc() || end != arg.data() + arg.size()) {
    return reply("ERR HOST takes a byte count, not " + quoted(arg));
  }
  struct Wait {
    Wait(std::function<void(std::string)> r, asio::steady_timer t)
        : reply(std::move(r)), timer(std::move(t)) {}
    std::function<void(std::string)> reply;
    asio::steady_timer timer;
    bool answered = false;
  };
  auto wait = std::make_shared<Wait>(reply, asio::steady_timer(acceptor_.get_executor()));
  SerialPort& port = emulator_.serial();
  wait->timer.expires_after(kHostWait);
  wait->timer.async_wait([wait, &port, n](error_code) {
    if (std::exchange(wait->answered, true)) return;
    wait->reply("ERR the host now served has sent " + std::to_string(port.host_bytes()) +
                " bytes, not " + std::to_string(n) + ", within " +
                std::to_string(std::chrono::milliseconds(kHostWait).count()) + " ms");
  });
  port.when_host_bytes(n, [wait, &port] {
    if (std::exchange(wait->answered, true)) return;
    wait->timer.cancel();
    wait->reply("OK host_bytes=" + std::to_string(port.host_bytes()));
  });
}

std::string NetworkControl::execute_now(std::string_view line) {
  const auto words = upper_words(line);
  if (words.empty()) return "ERR empty line; commands: " + std::string(kCommands);
  if (words.size() > 2) return "ERR too many words in " + quoted(line);
  const std::string& verb = words[0];
  const std::string arg = words.size() > 1 ? words[1] : std::string();
  NetworkSim& sim = emulator_.network();
  using Kind = modem::NetworkEvent::Kind;
  if (verb == "CONTEXT" && arg == "LOST") {
    ++context_losses_;
    emulator_.feed(modem::NetworkEvent{emulator_.now(), Kind::context_lost});
  } else if (verb == "ACTIVATION" && (arg == "FAIL" || arg == "OK")) {
    activation_fails_ = arg == "FAIL";
    emulator_.feed(modem::NetworkEvent{
        emulator_.now(), activation_fails_ ? Kind::activation_fails : Kind::activation_works});
  } else if (verb == "REGISTRATION" && (arg == "LOST" || arg == "BACK")) {
    // docs/field-facts.md §7: +CREG/+CGREG URCs where the profile has the start-up commands.
    emulator_.feed(modem::NetworkEvent{
        emulator_.now(), arg == "LOST" ? Kind::registration_lost : Kind::registration_back});
  } else if (verb == "DNS" && (arg == "FAIL" || arg == "OK")) {
    sim.dns_fails = arg == "FAIL";
  } else if (verb == "LINK" && (arg == "DOWN" || arg == "UP")) {
    sim.link_down = arg == "DOWN";
    if (sim.link_down) emulator_.sockets().break_all();
  } else if (verb == "LATENCY") {
    int ms = -1;
    const auto [end, ec] = std::from_chars(arg.data(), arg.data() + arg.size(), ms);
    if (ec != std::errc() || end != arg.data() + arg.size() || ms < 0 || ms > 600000) {
      return "ERR LATENCY takes milliseconds 0..600000, not " + quoted(arg);
    }
    sim.latency_ms = ms;
  } else if (verb == "RESET" && arg.empty()) {
    sim = NetworkSim{};
    activation_fails_ = false;
    context_losses_ = 0;
    emulator_.feed(modem::NetworkEvent{emulator_.now(), Kind::activation_works});
  } else if (verb == "STATUS" && arg.empty()) {
    return "OK dns=" + std::string(sim.dns_fails ? "FAIL" : "OK") +
           " link=" + (sim.link_down ? "DOWN" : "UP") +
           " activation=" + (activation_fails_ ? "FAIL" : "OK") +
           " context_losses=" + std::to_string(context_losses_) +
           " latency=" + std::to_string(sim.latency_ms);
  } else {
    return "ERR unknown command " + quoted(line) + "; commands: " + std::string(kCommands);
  }
  return "OK";
}

}  // namespace qftp::io
