// Command parser: one command line body to its commands (layer 2 of the AT path).
// See command_parser.h for the V.250 §5.3/5.4 syntax it accepts.
#include "core/at/command_parser.h"

#include <algorithm>
#include <charconv>
#include <utility>

namespace qftp::at {

namespace {

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
bool is_upper(char c) {
  return c >= 'A' && c <= 'Z';
}

// V.250 §5.4.1: the characters an extended command name may contain after its '+'.
bool is_name_char(char c) {
  if (is_upper(c) || is_digit(c)) {
    return true;
  }
  switch (c) {
    case '!':
    case '%':
    case '-':
    case '.':
    case '/':
    case ':':
    case '_':
      return true;
    default:
      return false;
  }
}

char upper(char c) {
  return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c;
}

Param number_param(std::string digits) {
  Param p;
  p.kind = Param::Kind::number;
  std::int64_t v = 0;
  const char* const end = digits.data() + digits.size();
  const auto [last, ec] = std::from_chars(digits.data(), end, v);
  if (ec == std::errc{} && last == end) {
    p.value = v;
  }
  p.text = std::move(digits);
  return p;
}

// Spaces outside quotes mean nothing (V.250 §5.1) and names are case-insensitive: the cursor
// skips the one and upper-cases the other as it reads, in one pass over the body without a copy.
// Only a quoted string is taken byte for byte. A quote anywhere but at the start of a parameter is
// a syntax error, so the quotes the grammar pairs are the only ones there are.
class Parser {
 public:
  explicit Parser(std::string_view text) : s_(text) {}

  ParsedLine run() {
    ParsedLine out;
    // Every command takes at least one character; most lines hold one or two, and a line of
    // basic commands ("E0V1Q0X4") a handful.
    out.commands.reserve(std::min<std::size_t>(s_.size(), 8));
    while (!at_end()) {
      // Empty commands (";;", a leading ';') are harmless; a trailing ';' is allowed by V.250.
      if (peek() == ';') {
        ++i_;
        continue;
      }
      if (!command(out.commands)) {
        out.syntax_error = true;
        break;
      }
    }
    return out;
  }

 private:
  void skip_spaces() {
    while (i_ < s_.size() && s_[i_] == ' ') {
      ++i_;
    }
  }
  bool at_end() {
    skip_spaces();
    return i_ >= s_.size();
  }
  // The next meaningful character, upper-cased; '\0' at the end.
  char peek() {
    skip_spaces();
    return i_ < s_.size() ? upper(s_[i_]) : '\0';
  }
  char take() {
    const char c = peek();
    ++i_;
    return c;
  }
  bool end_of_command() { return at_end() || peek() == ';'; }

  // Digits, spaces between them ignored ("1 2" is 12).
  std::string digits() {
    std::string out;
    while (is_digit(peek())) {
      out.push_back(s_[i_++]);
    }
    return out;
  }

  bool command(std::vector<Command>& out) {
    const char c = peek();
    if (c == '+') {
      return extended(out);
    }
    if (c == 'S') {
      return s_parameter(out);
    }
    if (c == '&' || is_upper(c)) {
      return basic(out);
    }
    return false;
  }

  // ATE1, ATI, AT&F0: a letter, maybe after '&', and an optional number.
  bool basic(std::vector<Command>& out) {
    Command cmd;
    if (peek() == '&') {
      cmd.name.push_back(take());
      if (!is_upper(peek())) {
        return false;
      }
    }
    cmd.name.push_back(take());
    auto n = digits();
    if (!n.empty()) {
      cmd.params.push_back(number_param(std::move(n)));
    }
    out.push_back(std::move(cmd));
    return true;
  }

  // ATS3=13, ATS3?, ATS3. Leading zeros of the register number are dropped so "S03" names S3.
  bool s_parameter(std::vector<Command>& out) {
    ++i_;
    const auto reg = digits();
    if (reg.empty()) {
      return false;
    }
    const auto significant = std::min(reg.find_first_not_of('0'), reg.size() - 1);
    Command cmd;
    cmd.name = "S";
    cmd.name.append(reg, significant);
    if (peek() == '?') {
      ++i_;
      cmd.form = Form::read;
    } else if (peek() == '=') {
      ++i_;
      cmd.form = Form::write;
      auto n = digits();
      cmd.params.push_back(n.empty() ? Param{} : number_param(std::move(n)));
    }
    out.push_back(std::move(cmd));
    return true;
  }

  bool extended(std::vector<Command>& out) {
    Command cmd;
    cmd.name.push_back(take());
    if (!is_upper(peek())) {
      return false;  // V.250 §5.4.1: the name starts with a letter
    }
    while (is_name_char(peek())) {
      cmd.name.push_back(take());
    }

    if (peek() == '?') {
      ++i_;
      cmd.form = Form::read;
    } else if (peek() == '=') {
      ++i_;
      if (peek() == '?') {
        ++i_;
        cmd.form = Form::test;
      } else {
        cmd.form = Form::write;
        cmd.params.reserve(4);  // the most any QFTP command takes
        if (!params(cmd.params)) {
          return false;
        }
      }
    }
    // Unlike basic commands, an extended one needs a ';' before whatever follows it.
    if (!end_of_command()) {
      return false;
    }
    out.push_back(std::move(cmd));
    return true;
  }

  // Comma-separated values up to ';' or the end; an empty value is an omitted parameter.
  bool params(std::vector<Param>& out) {
    for (;;) {
      const char c = peek();
      if (c == '"') {
        const auto close = s_.find('"', i_ + 1);
        if (close == std::string_view::npos) {
          return false;
        }
        Param p;
        p.kind = Param::Kind::string;
        p.text.assign(s_.substr(i_ + 1, close - i_ - 1));
        out.push_back(std::move(p));
        i_ = close + 1;
      } else if (is_digit(c)) {
        out.push_back(number_param(digits()));
      } else {
        out.emplace_back();
      }
      if (end_of_command()) {
        return true;
      }
      if (peek() != ',') {
        return false;
      }
      ++i_;
    }
  }

  std::string_view s_;
  std::size_t i_ = 0;
};

void append_param(std::string& out, const Param& p) {
  switch (p.kind) {
    case Param::Kind::omitted:
      break;
    case Param::Kind::number:
      out += p.text;
      break;
    case Param::Kind::string:
      out += '"';
      out += p.text;
      out += '"';
      break;
  }
}

void append_command(std::string& out, const Command& command) {
  out += command.name;
  const bool extended = !command.name.empty() && command.name.front() == '+';
  const bool s_parameter = !command.name.empty() && command.name.front() == 'S';
  switch (command.form) {
    case Form::execute:
      // Basic commands carry their number directly ("E1"); an extended execute has none.
      if (!extended && !s_parameter && !command.params.empty()) {
        append_param(out, command.params[0]);
      }
      break;
    case Form::test:
      out += "=?";
      break;
    case Form::read:
      out += '?';
      break;
    case Form::write:
      out += '=';
      for (std::size_t k = 0; k < command.params.size(); ++k) {
        if (k > 0) {
          out += ',';
        }
        append_param(out, command.params[k]);
      }
      break;
  }
}

}  // namespace

ParsedLine parse_line(std::string_view body) {
  return Parser(body).run();
}

std::string to_text(const Command& command) {
  std::string out;
  append_command(out, command);
  return out;
}

std::string to_text(const std::vector<Command>& commands) {
  // Always ';' between commands: "E" followed by "1" glued together would read back as "E1".
  std::string out;
  for (std::size_t k = 0; k < commands.size(); ++k) {
    if (k > 0) {
      out += ';';
    }
    append_command(out, commands[k]);
  }
  return out;
}

}  // namespace qftp::at
