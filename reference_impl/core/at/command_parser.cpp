// Command parser: one command line body to its commands (layer 2 of the AT path).
// See command_parser.h for the V.250 §5.3/5.4 syntax it accepts.
#include "core/at/command_parser.h"

#include <charconv>

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

// Spaces outside quotes mean nothing (V.250 §5.1) and names are case-insensitive, so both are
// normalised up front; the quote boundaries found here are the ones the grammar below uses.
std::string normalise(std::string_view body) {
  std::string out;
  out.reserve(body.size());
  bool quoted = false;
  for (char c : body) {
    if (c == '"') {
      quoted = !quoted;
    }
    if (quoted || c == '"') {
      out.push_back(c);
    } else if (c != ' ') {
      out.push_back(c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c);
    }
  }
  return out;
}

Param number_param(std::string_view digits) {
  Param p;
  p.kind = Param::Kind::number;
  p.text = std::string(digits);
  std::int64_t v = 0;
  const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), v);
  if (ec == std::errc{} && end == digits.data() + digits.size()) {
    p.value = v;
  }
  return p;
}

class Parser {
 public:
  explicit Parser(std::string_view text) : s_(text) {}

  ParsedLine run() {
    ParsedLine out;
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
  bool at_end() const { return i_ >= s_.size(); }
  char peek() const { return at_end() ? '\0' : s_[i_]; }
  bool end_of_command() const { return at_end() || peek() == ';'; }

  std::string_view digits() {
    const std::size_t from = i_;
    while (!at_end() && is_digit(peek())) {
      ++i_;
    }
    return s_.substr(from, i_ - from);
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
      cmd.name.push_back(s_[i_++]);
      if (!is_upper(peek())) {
        return false;
      }
    }
    cmd.name.push_back(s_[i_++]);
    const auto n = digits();
    if (!n.empty()) {
      cmd.params.push_back(number_param(n));
    }
    out.push_back(std::move(cmd));
    return true;
  }

  // ATS3=13, ATS3?, ATS3. Leading zeros of the register number are dropped so "S03" names S3.
  bool s_parameter(std::vector<Command>& out) {
    ++i_;
    auto reg = digits();
    if (reg.empty()) {
      return false;
    }
    while (reg.size() > 1 && reg.front() == '0') {
      reg.remove_prefix(1);
    }
    Command cmd;
    cmd.name = "S" + std::string(reg);
    if (peek() == '?') {
      ++i_;
      cmd.form = Form::read;
    } else if (peek() == '=') {
      ++i_;
      cmd.form = Form::write;
      const auto n = digits();
      cmd.params.push_back(n.empty() ? Param{} : number_param(n));
    }
    out.push_back(std::move(cmd));
    return true;
  }

  bool extended(std::vector<Command>& out) {
    Command cmd;
    cmd.name.push_back(s_[i_++]);
    if (!is_upper(peek())) {
      return false;  // V.250 §5.4.1: the name starts with a letter
    }
    while (!at_end() && is_name_char(peek())) {
      cmd.name.push_back(s_[i_++]);
    }

    if (peek() == '=' && i_ + 1 < s_.size() && s_[i_ + 1] == '?') {
      i_ += 2;
      cmd.form = Form::test;
    } else if (peek() == '?') {
      ++i_;
      cmd.form = Form::read;
    } else if (peek() == '=') {
      ++i_;
      cmd.form = Form::write;
      if (!params(cmd.params)) {
        return false;
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
      if (peek() == '"') {
        const auto close = s_.find('"', i_ + 1);
        if (close == std::string_view::npos) {
          return false;
        }
        Param p;
        p.kind = Param::Kind::string;
        p.text = std::string(s_.substr(i_ + 1, close - i_ - 1));
        out.push_back(std::move(p));
        i_ = close + 1;
      } else if (is_digit(peek())) {
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

}  // namespace

ParsedLine parse_line(std::string_view body) {
  const std::string text = normalise(body);
  return Parser(text).run();
}

std::string to_text(const Command& command) {
  std::string out = command.name;
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
  return out;
}

std::string to_text(const std::vector<Command>& commands) {
  // Always ';' between commands: "E" followed by "1" glued together would read back as "E1".
  std::string out;
  for (std::size_t k = 0; k < commands.size(); ++k) {
    if (k > 0) {
      out += ';';
    }
    out += to_text(commands[k]);
  }
  return out;
}

}  // namespace qftp::at
