// elide.h: keeps logs readable and small: long runs of data shortened to their head and tail with
// the byte count and a CRC-32 of what was left out, so a 200 KB download never lands in a report.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace qftp::te {

std::uint32_t crc32(std::string_view bytes);

// Wire bytes as printable text (printable()); more than `keep` bytes keep their first and last
// bytes around "[... N bytes, crc32 XXXXXXXX ...]".
std::string elide_bytes(std::string_view bytes, std::size_t keep = 192);

// Text (a note, a failure message): every run without white space longer than `max_run` is
// shortened the same way, then the whole is cut at `max_total` with the count of what was cut.
std::string elide_text(std::string_view text, std::size_t max_run = 160,
                       std::size_t max_total = 1024);

}  // namespace qftp::te
