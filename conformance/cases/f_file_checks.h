// f_file_checks.h: what the FILE commands' cases expect, computed on the suite's side: the
// checksum AT+QFDWL and AT+QFUPL report, a quoted name, and content of every byte value. The
// suite's expectation never comes from the reference modem's code it judges.
#pragma once

#include <cstdio>
#include <string>
#include <string_view>

namespace qftp::harness {

inline std::string quote(std::string_view s) { return "\"" + std::string(s) + "\""; }

// docs/field-facts.md §6: a 16-bit XOR of big-endian byte pairs (an odd last byte padded), in hex.
inline std::string file_checksum(std::string_view data) {
  unsigned sum = 0;
  for (std::size_t i = 0; i < data.size(); i += 2) {
    const unsigned hi = static_cast<unsigned char>(data[i]);
    const unsigned lo = i + 1 < data.size() ? static_cast<unsigned char>(data[i + 1]) : 0U;
    sum ^= (hi << 8) | lo;
  }
  char text[8];
  std::snprintf(text, sizeof text, "%x", sum & 0xFFFFU);
  return text;
}

// Every byte value once, and one more: an odd length, so that the checksum pads the last byte.
inline std::string every_byte_value() {
  std::string out;
  for (int b = 0; b < 256; ++b) out += static_cast<char>(b);
  return out + "\xA5";
}

}  // namespace qftp::harness
