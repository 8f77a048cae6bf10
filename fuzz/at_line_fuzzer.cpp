// at_line_fuzzer: one AT command line body through the command parser (docs/architecture.md §2.1
// layer 2). Oracle: the canonical print-back, retyped as a host might type it, parses to the same
// commands, which shows both that the print-back is a fixed point and that case and spaces outside
// quotes do not matter.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/fuzz_check.h"
#include "common/plain_parser.h"
#include "core/at/command_parser.h"

namespace {

using qftp::at::Command;
using qftp::at::ParsedLine;

// The framer never passes on a body longer than its 256-character line less "AT"; longer inputs
// would only cost time.
constexpr std::size_t kMaxBody = 256;

std::string canonical(const std::vector<Command>& commands) {
  std::string text = qftp::at::to_text(commands);
#if QFTP_FUZZ_BREAK
  // The proof of the oracle: a printer that drops a trailing empty parameter ("+X=1," -> "+X=1").
  if (text.size() > 1 && text.back() == ',') {
    text.pop_back();
  }
#endif
  return text;
}

// The same line as a host might type it: letters outside quotes in the other case, and a space
// after each separator outside quotes. V.250 §5.1 makes both meaningless. This runs on every
// input, so it writes into the caller's buffer (twice the line) from tables, without branching on
// each byte.
struct RetypeTables {
  char flipped[256]{};    // the byte in the other case, or itself
  bool separator[256]{};  // ';', ',' and '=' take a space after them
  constexpr RetypeTables() {
    for (int c = 0; c < 256; ++c) {
      flipped[c] = static_cast<char>(c >= 'a' && c <= 'z'   ? c - 'a' + 'A'
                                     : c >= 'A' && c <= 'Z' ? c - 'A' + 'a'
                                                            : c);
      separator[c] = c == ';' || c == ',' || c == '=';
    }
  }
};
constexpr RetypeTables kRetype;

std::string_view retyped(std::string_view line, char* out) {
  std::size_t n = 0;
  bool quoted = false;
  for (const char c : line) {
    const auto byte = static_cast<unsigned char>(c);
    const bool quote = c == '"';
    quoted = quoted != quote;
    const bool plain = !quoted && !quote;  // a closing quote is taken as typed, too
    out[n++] = plain ? kRetype.flipped[byte] : c;
    out[n] = ' ';
    n += static_cast<std::size_t>(plain && kRetype.separator[byte]);
  }
  return {out, n};
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > kMaxBody) {
    return 0;
  }
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  // Parsed into the same ParsedLine input after input, as the engine parses line after line: the
  // parser's reuse of what an earlier line left is under test too.
  static ParsedLine parsed;
  qftp::at::parse_line(body, parsed);

  // Nothing is invented: every command and parameter came out of the body's bytes.
  QFTP_FUZZ_CHECK(parsed.commands.size() <= size);
  for (const Command& c : parsed.commands) {
    QFTP_FUZZ_CHECK(!c.name.empty() && c.name.size() <= size);
    QFTP_FUZZ_CHECK(c.params.size() <= size);
    for (const auto& p : c.params) {
      QFTP_FUZZ_CHECK(p.text.size() <= size);
      QFTP_FUZZ_CHECK(p.kind == qftp::at::Param::Kind::number || !p.value.has_value());
      QFTP_FUZZ_CHECK(!p.omitted() || p.text.empty());
    }
  }

  // Each command prints no longer than it was typed, plus a ';' before it.
  const std::string text = canonical(parsed.commands);
  QFTP_FUZZ_CHECK(text.size() <= 2 * size);

  // The print-back is a fixed point: retyped, it parses to the same commands without error (and
  // so prints the same again). One re-parse checks both properties: a parser that mishandled
  // either the canonical form or the retyping gives other commands back. The retyping varies the
  // canonical text, not the body as typed, which halves the oracle's cost; what it gives up is
  // retyping inside forms that never print ("; ;" between empty commands, "S03").
  char buffer[4 * kMaxBody];
  static ParsedLine again;
  qftp::at::plain_parse_line(retyped(text, buffer), again);
  QFTP_FUZZ_CHECK(!again.syntax_error);
  QFTP_FUZZ_CHECK(again.commands == parsed.commands);
  return 0;
}
