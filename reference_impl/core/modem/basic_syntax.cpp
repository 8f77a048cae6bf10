// The table of basic_syntax.h and its check. Values a command takes beyond their range (the baud
// rates of +IPR) are the handler's; everything about the shape of a command is here.
#include "core/modem/basic_syntax.h"

#include <algorithm>
#include <array>

namespace qftp::modem {
namespace {

constexpr std::uint8_t kTestRead = kTest | kRead;

constexpr BasicSyntax entry(std::string_view name, std::uint8_t forms, std::string_view params = {},
                            std::uint8_t required = 0, std::int64_t lo = 0, std::int64_t hi = 0,
                            std::size_t max_string = 0) {
  return BasicSyntax{name, forms, params, required, lo, hi, max_string};
}

// clang-format off
constexpr std::array kTable = {
    // V/01, V/04, V/05: on or off.
    entry("E", kExecute, "n", 0, 0, 1),
    entry("V", kExecute, "n", 0, 0, 1),
    entry("Q", kExecute, "n", 0, 0, 1),
    // V/10, V/11; O and H: profile 0, identity 0, the one data connection.
    entry("Z", kExecute, "n", 0, 0, 0),
    entry("&F", kExecute, "n", 0, 0, 0),
    // Ruling 15: what DTR going off (the host's link ending) does in data mode.
    entry("&D", kExecute, "n", 0, 0, 2),
    entry("I", kExecute, "n", 0, 0, 0),
    entry("O", kExecute, "n", 0, 0, 0),
    entry("H", kExecute, "n", 0, 0, 0),
    // V.250 §6.2.1-6.2.4: S3, S4, S5 take 0..127.
    entry("S3", kRead | kWrite, "n", 1, 0, 127),
    entry("S4", kRead | kWrite, "n", 1, 0, 127),
    entry("S5", kRead | kWrite, "n", 1, 0, 127),
    // V/11: identity.
    entry("+GMR", kTest | kExecute),
    entry("+CGMR", kTest | kExecute),
    entry("+GSN", kTest | kExecute),
    entry("+CGSN", kTest | kExecute),
    entry("+CMEE", kTestRead | kExecute | kWrite, "n", 1, 0, 2),
    entry("+IFC", kTestRead | kWrite, "nn", 1, 0, 2),  // 2.2.3/13
    entry("+IPR", kTestRead | kWrite, "n", 1, 0, 115200),
    // SIM and network status.
    entry("+CPIN", kTestRead),
    entry("+CREG", kTestRead),
    entry("+CGREG", kTestRead),
    entry("+CGATT", kTestRead),
    entry("+CSQ", kTest | kExecute),
    // V/12, 4.1, 4.5: the PDP context; APN, user and password of at most 50 characters.
    entry("+QIFGCNT", kTestRead | kWrite, "n", 1, 0, 1),
    entry("+QICSGP", kTestRead | kWrite, "nsss", 1, 0, 1, 50),
    entry("+QIREGAPP", kTestRead | kExecute | kWrite, "sss", 1, 0, 0, 50),
    entry("+QIACT", kTest | kExecute),
    entry("+QIDEACT", kTest | kExecute),
};
// clang-format on

bool param_fits(const BasicSyntax& syntax, char kind, const at::Param& p) {
  if (kind == 'n') return p.is_number() && p.value && *p.value >= syntax.lo && *p.value <= syntax.hi;
  return p.is_string() && p.text.size() <= syntax.max_string;
}

}  // namespace

std::span<const BasicSyntax> basic_syntax_table() {
  return kTable;
}

const BasicSyntax* find_basic_syntax(std::string_view name) {
  const auto* it = std::find_if(kTable.begin(), kTable.end(),
                                [name](const BasicSyntax& s) { return s.name == name; });
  return it == kTable.end() ? nullptr : &*it;
}

bool accepts(const BasicSyntax& syntax, const at::Command& command) {
  if ((syntax.forms & (1U << static_cast<unsigned>(command.form))) == 0) return false;
  const std::size_t given = command.params.size();
  switch (command.form) {
    case at::Form::test:
    case at::Form::read:
      return given == 0;
    case at::Form::execute:
      break;  // a basic letter's optional number: "E", "E1"
    case at::Form::write:
      if (given < syntax.required) return false;
      break;
  }
  if (given > syntax.params.size()) return false;
  for (std::size_t i = 0; i < given; ++i) {
    if (!param_fits(syntax, syntax.params[i], command.params[i])) return false;
  }
  return true;
}

}  // namespace qftp::modem
