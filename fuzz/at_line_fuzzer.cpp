// at_line_fuzzer: one AT command line body through the command parser (DESIGN §2.1 layer 2).
// Oracles: the canonical print-back parses to the same commands; case and spaces outside quotes do
// not matter.
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
// after each separator outside quotes. V.250 §5.1 makes both meaningless.
std::string retyped(std::string_view body) {
  std::string out;
  out.reserve(body.size() + body.size() / 2);
  bool quoted = false;
  for (const char c : body) {
    if (c == '"') {
      quoted = !quoted;
    }
    if (quoted || c == '"') {
      out.push_back(c);
    } else if (c >= 'a' && c <= 'z') {
      out.push_back(static_cast<char>(c - 'a' + 'A'));
    } else if (c >= 'A' && c <= 'Z') {
      out.push_back(static_cast<char>(c - 'A' + 'a'));
    } else {
      out.push_back(c);
      if (c == ';' || c == ',' || c == '=') {
        out.push_back(' ');
      }
    }
  }
  return out;
}

bool same(const ParsedLine& a, const ParsedLine& b) {
  return a.syntax_error == b.syntax_error && a.commands == b.commands;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > kMaxBody) {
    return 0;
  }
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  const ParsedLine parsed = qftp::at::parse_line(body);

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

  // The canonical print-back is a fixed point: it parses to the same commands, without error
  // (and so prints the same again).
  const std::string text = canonical(parsed.commands);
  const ParsedLine again = qftp::at::plain_parse_line(text);
  QFTP_FUZZ_CHECK(!again.syntax_error);
  QFTP_FUZZ_CHECK(again.commands == parsed.commands);

  QFTP_FUZZ_CHECK(same(qftp::at::plain_parse_line(retyped(body)), parsed));
  return 0;
}
