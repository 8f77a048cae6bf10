// Layer 2 of the AT path (docs/architecture.md §2.1): one command line body (after "AT") to the
// commands it holds. V.250 §5.3/5.4: basic commands (E1, V0, S3=13, &F) may follow each other
// directly, extended commands (+NAME) are separated by ';'. Spaces outside quotes are ignored,
// names are case-insensitive, quotes protect ';', ',' and spaces. Parsing stops at the first syntax
// error.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace qftp::at {

enum class Form {
  execute,  // AT+NAME, ATE1, ATI
  test,     // AT+NAME=?
  read,     // AT+NAME?, ATS3?
  write,    // AT+NAME=<params>, ATS3=<n>
};

struct Param {
  enum class Kind { omitted, number, string };
  Kind kind = Kind::omitted;
  // For string: the contents between the quotes. For number: the digits as typed.
  std::string text;
  // For number: the value when it fits in 64 bits; nullopt for an overlong number (30 digits).
  std::optional<std::int64_t> value;

  bool omitted() const { return kind == Kind::omitted; }
  bool is_number() const { return kind == Kind::number; }
  bool is_string() const { return kind == Kind::string; }
};

struct Command {
  // Upper-cased name: "+QFTPOPEN" for extended commands; "E", "V", "I", "&F", "S3" for basic ones.
  std::string name;
  Form form = Form::execute;
  // Extended write commands: the parameters. Basic commands: at most one number ("E1" -> {1}).
  std::vector<Param> params;

  bool operator==(const Command&) const = default;
};

inline bool operator==(const Param& a, const Param& b) {
  return a.kind == b.kind && a.text == b.text && a.value == b.value;
}

struct ParsedLine {
  std::vector<Command> commands;  // the commands before the first syntax error, in order
  bool syntax_error = false;      // true when the line has a syntax error after commands[]
};

ParsedLine parse_line(std::string_view body);
// The same into `out`, whatever it held before; what it allocated for earlier lines is reused, so
// a caller that parses line after line into one ParsedLine rarely allocates.
void parse_line(std::string_view body, ParsedLine& out);

// The canonical text of a command (uppercase name, no spaces, quoted strings, numbers as digits),
// such that parse_line(to_text(cmds)) gives the same commands back. Used by tests and fuzzers.
std::string to_text(const Command& command);
std::string to_text(const std::vector<Command>& commands);

}  // namespace qftp::at
