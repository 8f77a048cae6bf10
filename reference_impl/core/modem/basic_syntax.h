// The one table of what each basic command accepts (the V.250 commands and the commands a host
// sends around FTP, handled in basic_commands.cpp): its forms, its parameters and their ranges.
// A command outside its entry answers ERROR before its handler runs (V/14).
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

#include "core/at/command_parser.h"

namespace qftp::modem {

// One bit per at::Form.
enum FormBits : std::uint8_t {
  kExecute = 1U << static_cast<unsigned>(at::Form::execute),
  kTest = 1U << static_cast<unsigned>(at::Form::test),
  kRead = 1U << static_cast<unsigned>(at::Form::read),
  kWrite = 1U << static_cast<unsigned>(at::Form::write),
};

struct BasicSyntax {
  std::string_view name;  // as the parser gives it: "E", "&F", "S3", "+QIDEACT"
  std::uint8_t forms = kExecute;
  // The parameters an execute form (a basic letter's number: "E1") or a write form takes, in
  // order: 'n' a number within [lo, hi], 's' a quoted string of at most max_string characters.
  std::string_view params;
  std::uint8_t required = 0;  // how many of them a write form must give
  std::int64_t lo = 0;
  std::int64_t hi = 0;
  std::size_t max_string = 0;
};

// Every entry; the names are unique.
std::span<const BasicSyntax> basic_syntax_table();

// The entry for a command name, or nullptr for a name that is no basic command.
const BasicSyntax* find_basic_syntax(std::string_view name);

// Whether `command` is one of the shapes its entry allows: form, parameter count and kinds, numbers
// in range, strings within their limit. Omitted parameters are never accepted.
bool accepts(const BasicSyntax& syntax, const at::Command& command);

}  // namespace qftp::modem
