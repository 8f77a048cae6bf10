// Wire bytes as one printable line for logs and failure messages: \r, \n, \\ and \xNN for the rest
// of the control and non-ASCII bytes, so that every byte can be read back exactly.
#pragma once

#include <cstdio>
#include <string>
#include <string_view>

namespace qftp {

inline std::string printable(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size());
  for (const char c : bytes) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '\r') {
      out += "\\r";
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\\') {
      out += "\\\\";
    } else if (u < 0x20 || u > 0x7e) {
      char buf[5];
      std::snprintf(buf, sizeof buf, "\\x%02x", u);
      out += buf;
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace qftp
