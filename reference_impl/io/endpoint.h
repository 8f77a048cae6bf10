// Listening endpoints of qftp-emu's command line (--tcp, --control): "HOST:PORT", ":PORT" or
// "PORT", parsed strictly so that a typo stops the emulator instead of serving some other port.
// Errors are values: the reason, without the text, for the caller to name the option and the text.
#pragma once

#include <boost/asio/ip/address.hpp>
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>

namespace qftp::io {

struct Endpoint {
  boost::asio::ip::address address;
  std::uint16_t port = 0;
};

// HOST is an IPv4 or IPv6 address (IPv6 may be bracketed: "[::1]:0") and defaults to 127.0.0.1;
// PORT is decimal digits only, 0..65535 (0: the system picks one). Anything else is the reason it
// is not an endpoint.
std::variant<Endpoint, std::string> parse_endpoint(std::string_view text);

// "127.0.0.1:5000", "[::1]:5000": the form parse_endpoint reads back.
std::string format_endpoint(const boost::asio::ip::address& address, std::uint16_t port);

}  // namespace qftp::io
