// Strict HOST:PORT parsing for qftp-emu's listening options, and the matching printed form.
#include "io/endpoint.h"

#include <boost/system/error_code.hpp>

namespace qftp::io {
namespace {

std::variant<std::uint16_t, std::string> parse_port(std::string_view text) {
  if (text.empty()) return std::string("the port is missing");
  unsigned long value = 0;
  for (const char c : text) {
    if (c < '0' || c > '9') return std::string("the port is not all decimal digits");
    value = value * 10 + static_cast<unsigned long>(c - '0');
    // Checked per digit, so that a long run of digits cannot wrap around into range.
    if (value > 65535) return std::string("the port is over 65535");
  }
  return static_cast<std::uint16_t>(value);
}

}  // namespace

std::variant<Endpoint, std::string> parse_endpoint(std::string_view text) {
  if (text.empty()) return std::string("the value is empty");
  Endpoint ep;
  ep.address = boost::asio::ip::make_address_v4("127.0.0.1");
  std::string_view port_text = text;
  const auto colon = text.rfind(':');
  if (colon != std::string_view::npos) {
    port_text = text.substr(colon + 1);
    std::string_view host = text.substr(0, colon);
    if (!host.empty()) {
      if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
        host = host.substr(1, host.size() - 2);
      }
      boost::system::error_code ec;
      ep.address = boost::asio::ip::make_address(std::string(host), ec);
      if (ec || host.empty()) {
        return std::string("the host is not an IP address (such as 127.0.0.1 or [::1])");
      }
    }
  }
  auto port = parse_port(port_text);
  if (auto* reason = std::get_if<std::string>(&port)) return std::move(*reason);
  ep.port = std::get<std::uint16_t>(port);
  return ep;
}

std::string format_endpoint(const boost::asio::ip::address& address, std::uint16_t port) {
  const std::string host = address.to_string();
  return (address.is_v6() ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

}  // namespace qftp::io
