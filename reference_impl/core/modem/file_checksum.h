// The FILE commands' checksum (AT+QFUPL, AT+QFDWL; docs/field-facts.md §6): a 16-bit XOR of the
// data taken as big-endian byte pairs, an odd last byte padded with 0x00, printed in hex. Fed in
// pieces, as data mode receives or sends them.
#pragma once

#include <cstdio>
#include <string>
#include <string_view>

namespace qftp::modem {

class FileChecksum {
 public:
  void add(std::string_view data) {
    for (const char ch : data) {
      const unsigned byte = static_cast<unsigned char>(ch);
      sum_ ^= odd_ ? byte : byte << 8;
      odd_ = !odd_;
    }
  }
  std::string hex() const {
    char text[8];
    std::snprintf(text, sizeof text, "%x", sum_ & 0xFFFFU);
    return text;
  }

 private:
  unsigned sum_ = 0;
  bool odd_ = false;  // the next byte is the low byte of a pair
};

inline std::string file_checksum(std::string_view data) {
  FileChecksum sum;
  sum.add(data);
  return sum.hex();
}

}  // namespace qftp::modem
