// The strict HOST:PORT parser of qftp-emu's --tcp and --control: every accepted form, and the
// near misses that once slipped through (a port with trailing junk listened on its digits).
#include "io/endpoint.h"

#include <gtest/gtest.h>

namespace {

using qftp::io::Endpoint;
using qftp::io::format_endpoint;
using qftp::io::parse_endpoint;

Endpoint accepted(std::string_view text) {
  auto parsed = parse_endpoint(text);
  if (const auto* reason = std::get_if<std::string>(&parsed)) {
    ADD_FAILURE() << "'" << text << "' refused: " << *reason;
    return {};
  }
  return std::get<Endpoint>(parsed);
}

std::string refused(std::string_view text) {
  auto parsed = parse_endpoint(text);
  if (const auto* reason = std::get_if<std::string>(&parsed)) return *reason;
  const auto& ep = std::get<Endpoint>(parsed);
  ADD_FAILURE() << "'" << text << "' accepted as " << format_endpoint(ep.address, ep.port);
  return {};
}

TEST(Endpoint, AcceptsHostPortColonPortAndPort) {
  EXPECT_EQ(format_endpoint(accepted("127.0.0.1:5000").address, 5000), "127.0.0.1:5000");
  EXPECT_EQ(accepted("127.0.0.1:5000").port, 5000);
  EXPECT_EQ(accepted("10.1.2.3:0").address.to_string(), "10.1.2.3");
  EXPECT_EQ(accepted(":7").address.to_string(), "127.0.0.1");
  EXPECT_EQ(accepted(":7").port, 7);
  EXPECT_EQ(accepted("65535").port, 65535);
  EXPECT_EQ(accepted("0").port, 0);
  EXPECT_EQ(accepted("0080").port, 80);
  EXPECT_EQ(accepted("[::1]:9").address.to_string(), "::1");
  EXPECT_EQ(accepted("::1:9").address.to_string(), "::1");
}

TEST(Endpoint, RefusesAPortThatIsNotAllDigits) {
  EXPECT_EQ(refused("127.0.0.1:12abc"), "the port is not all decimal digits");
  EXPECT_EQ(refused("12abc"), "the port is not all decimal digits");
  EXPECT_EQ(refused("-1"), "the port is not all decimal digits");
  EXPECT_EQ(refused("+80"), "the port is not all decimal digits");
  EXPECT_EQ(refused(" 80"), "the port is not all decimal digits");
  EXPECT_EQ(refused("80 "), "the port is not all decimal digits");
  EXPECT_EQ(refused("0x50"), "the port is not all decimal digits");
  EXPECT_EQ(refused(std::string_view("80\0", 3)), "the port is not all decimal digits");
}

TEST(Endpoint, RefusesAPortOutOfRange) {
  EXPECT_EQ(refused("65536"), "the port is over 65535");
  EXPECT_EQ(refused(":4294967376"), "the port is over 65535");  // 2^32 + 80: no wrap-around
  EXPECT_EQ(refused("99999999999999999999999999"), "the port is over 65535");
}

TEST(Endpoint, RefusesAMissingPortOrABadHost) {
  EXPECT_EQ(refused(""), "the value is empty");
  EXPECT_EQ(refused("127.0.0.1:"), "the port is missing");
  EXPECT_EQ(refused(":"), "the port is missing");
  EXPECT_NE(refused("localhost:80").find("not an IP address"), std::string::npos);
  EXPECT_NE(refused("1.2.3:80").find("not an IP address"), std::string::npos);
  EXPECT_NE(refused("[]:80").find("not an IP address"), std::string::npos);
  EXPECT_NE(refused("[::1]").find("not an IP address"), std::string::npos);
  EXPECT_FALSE(refused("127.0.0.1:80:").empty());
}

TEST(Endpoint, FormatsIpv6InBrackets) {
  EXPECT_EQ(format_endpoint(accepted("[::1]:0").address, 4000), "[::1]:4000");
  const auto again = accepted(format_endpoint(accepted("[::1]:0").address, 4000));
  EXPECT_EQ(again.port, 4000);
}

}  // namespace
