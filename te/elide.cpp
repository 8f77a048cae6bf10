// elide.cpp: shortening long data runs for logs (elide.h).
#include "te/elide.h"

#include <array>
#include <cstdio>

#include "core/common/printable.h"

namespace qftp::te {
namespace {

std::string gap(std::string_view left_out) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "[... %zu bytes, crc32 %08x ...]", left_out.size(),
                static_cast<unsigned>(crc32(left_out)));
  return buf;
}

bool is_space(char c) {
  return c == ' ' || c == '\n' || c == '\t';
}

}  // namespace

std::uint32_t crc32(std::string_view bytes) {
  static const auto table = [] {
    std::array<std::uint32_t, 256> t{};
    for (std::uint32_t i = 0; i < 256; ++i) {
      std::uint32_t c = i;
      for (int k = 0; k < 8; ++k) c = (c & 1U) != 0 ? 0xEDB88320U ^ (c >> 1) : c >> 1;
      t[i] = c;
    }
    return t;
  }();
  std::uint32_t c = 0xFFFFFFFFU;
  for (const char ch : bytes) c = table[(c ^ static_cast<unsigned char>(ch)) & 0xFFU] ^ (c >> 8);
  return c ^ 0xFFFFFFFFU;
}

std::string elide_bytes(std::string_view bytes, std::size_t keep) {
  if (bytes.size() <= keep) return printable(bytes);
  const std::size_t head = keep * 2 / 3;
  const std::size_t tail = keep - head;
  return printable(bytes.substr(0, head)) + gap(bytes.substr(head, bytes.size() - head - tail)) +
         printable(bytes.substr(bytes.size() - tail));
}

std::string elide_text(std::string_view text, std::size_t max_run, std::size_t max_total) {
  std::string out;
  std::size_t i = 0;
  while (i < text.size()) {
    std::size_t j = i;
    while (j < text.size() && !is_space(text[j])) ++j;
    const std::string_view run = text.substr(i, j - i);
    if (run.size() > max_run) {
      const std::size_t head = max_run / 2;
      const std::size_t tail = max_run / 4;
      out += run.substr(0, head);
      out += gap(run.substr(head, run.size() - head - tail));
      out += run.substr(run.size() - tail);
    } else {
      out += run;
    }
    if (j < text.size()) out += text[j];
    i = j + 1;
  }
  if (out.size() > max_total) {
    const std::size_t cut = out.size() - max_total;
    out.resize(max_total);
    out += "... (" + std::to_string(cut) + " more bytes)";
  }
  return out;
}

}  // namespace qftp::te
