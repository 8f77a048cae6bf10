// Command parser: one command line body to its commands (layer 2 of the AT path).
// See command_parser.h for the V.250 §5.3/5.4 syntax it accepts.
#include "core/at/command_parser.h"

#include <algorithm>
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

char upper(char c) {
  return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c;
}

// Spaces outside quotes mean nothing (V.250 §5.1) and names are case-insensitive: the cursor
// skips the one and upper-cases the other as it reads, in one pass over the body without a copy.
// Only a quoted string is taken byte for byte. A quote anywhere but at the start of a parameter is
// a syntax error, so the quotes the grammar pairs are the only ones there are.
class Parser {
 public:
  Parser(std::string_view text, ParsedLine& out) : s_(text), out_(out) {}

  void run() {
    out_.syntax_error = false;
    // Every command takes at least one character; most lines hold one or two, and a line of
    // basic commands ("E0V1Q0X4") a handful.
    out_.commands.reserve(std::min<std::size_t>(s_.size(), 8));
    while (!at_end()) {
      // Empty commands (";;", a leading ';') are harmless; a trailing ';' is allowed by V.250.
      if (peek() == ';') {
        ++i_;
        continue;
      }
      if (!command()) {
        out_.syntax_error = true;
        break;
      }
    }
    out_.commands.resize(count_);
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

  // Appends digits to out, spaces between them ignored ("1 2" is 12): each run of digits at once.
  void digits(std::string& out) {
    while (is_digit(peek())) {
      const std::size_t start = i_;
      while (i_ < s_.size() && is_digit(s_[i_])) {
        ++i_;
      }
      out.append(s_, start, i_ - start);
    }
  }

  // A number parameter: its digits as typed, and its value when that fits in 64 bits.
  void number(Param& p) {
    p.kind = Param::Kind::number;
    digits(p.text);
    std::int64_t v = 0;
    const char* const end = p.text.data() + p.text.size();
    const auto [last, ec] = std::from_chars(p.text.data(), end, v);
    if (ec == std::errc{} && last == end) {
      p.value = v;
    }
  }

  // Each command is built in place in the output, in a slot an earlier parse left there when there
  // is one (its buffers kept), and given back if it turns out malformed, so that the output holds
  // only the commands before the first syntax error.
  Command& new_command() {
    if (count_ == out_.commands.size()) {
      out_.commands.emplace_back();
    }
    Command& cmd = out_.commands[count_++];
    cmd.name.clear();
    cmd.form = Form::execute;
    cmd.params.clear();
    return cmd;
  }
  void drop_command() { --count_; }

  bool command() {
    const char c = peek();
    if (c == '+') {
      return extended();
    }
    if (c == 'S') {
      return s_parameter();
    }
    if (c == '&' || is_upper(c)) {
      return basic();
    }
    return false;
  }

  // ATE1, ATI, AT&F0: a letter, maybe after '&', and an optional number.
  bool basic() {
    Command& cmd = new_command();
    if (peek() == '&') {
      cmd.name.push_back(take());
      if (!is_upper(peek())) {
        drop_command();
        return false;
      }
    }
    cmd.name.push_back(take());
    if (is_digit(peek())) {
      number(cmd.params.emplace_back());
    }
    return true;
  }

  // ATS3=13, ATS3?, ATS3. Leading zeros of the register number are dropped so "S03" names S3.
  bool s_parameter() {
    ++i_;
    if (!is_digit(peek())) {
      return false;
    }
    Command& cmd = new_command();
    cmd.name = "S";
    digits(cmd.name);
    const auto first = std::min(cmd.name.find_first_not_of('0', 1), cmd.name.size() - 1);
    cmd.name.erase(1, first - 1);  // "S003" to "S3", "S00" to "S0"
    if (peek() == '?') {
      ++i_;
      cmd.form = Form::read;
    } else if (peek() == '=') {
      ++i_;
      cmd.form = Form::write;
      Param& n = cmd.params.emplace_back();
      if (is_digit(peek())) {
        number(n);
      }
    }
    return true;
  }

  bool extended() {
    if (!command_body(new_command())) {
      drop_command();
      return false;
    }
    return true;
  }

  bool command_body(Command& cmd) {
    cmd.name.push_back(take());
    if (!is_upper(peek())) {
      return false;  // V.250 §5.4.1: the name starts with a letter
    }
    // The rest of the name a run of name characters at a time (spaces between them ignored),
    // upper-cased as it is stored.
    for (;;) {
      skip_spaces();
      std::size_t end = i_;
      while (end < s_.size() && is_name_char(upper(s_[end]))) {
        ++end;
      }
      if (end == i_) {
        break;
      }
      const std::size_t from = cmd.name.size();
      cmd.name.append(s_, i_, end - i_);
      for (std::size_t k = from; k < cmd.name.size(); ++k) {
        cmd.name[k] = upper(cmd.name[k]);
      }
      i_ = end;
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
    return end_of_command();
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
        Param& p = out.emplace_back();
        p.kind = Param::Kind::string;
        p.text.assign(s_, i_ + 1, close - i_ - 1);
        i_ = close + 1;
      } else if (is_digit(c)) {
        number(out.emplace_back());
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
  ParsedLine& out_;
  std::size_t count_ = 0;  // the commands in out_ so far
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
  ParsedLine out;
  parse_line(body, out);
  return out;
}

void parse_line(std::string_view body, ParsedLine& out) {
  Parser(body, out).run();
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
