// FTP reply parser (RFC 959 §4.2) and the PASV/EPSV/PORT argument helpers.
// Strict by design: a reply stream that does not parse is reported, never repaired.
#include "core/ftp/reply_parser.h"

#include <array>

namespace qftp::ftp {

namespace {

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

// The reply code at the start of `line` (first digit 1-5 per RFC 959 §4.2.1), or 0.
int leading_code(std::string_view line) {
  if (line.size() < 3 || line[0] < '1' || line[0] > '5' || !is_digit(line[1]) ||
      !is_digit(line[2])) {
    return 0;
  }
  return (line[0] - '0') * 100 + (line[1] - '0') * 10 + (line[2] - '0');
}

// A decimal number of at most `max_digits` digits at `s[pos]`; advances `pos` past it.
std::optional<unsigned> read_number(std::string_view s, std::size_t& pos, std::size_t max_digits) {
  std::size_t start = pos;
  unsigned value = 0;
  while (pos < s.size() && is_digit(s[pos])) {
    if (pos - start == max_digits) {
      return std::nullopt;
    }
    value = value * 10 + static_cast<unsigned>(s[pos] - '0');
    ++pos;
  }
  if (pos == start) {
    return std::nullopt;
  }
  return value;
}

void skip_spaces(std::string_view s, std::size_t& pos) {
  while (pos < s.size() && s[pos] == ' ') {
    ++pos;
  }
}

// Reads a maximal comma-separated list of numbers starting at `pos` (a digit). Returns how many
// numbers there were and stores the first six; `ok` is false if any number is over 255 or too long.
std::size_t read_number_list(std::string_view s, std::size_t& pos, std::array<unsigned, 6>& nums,
                             bool& ok) {
  std::size_t count = 0;
  ok = true;
  for (;;) {
    auto n = read_number(s, pos, 3);
    if (!n) {
      ok = false;
      while (pos < s.size() && is_digit(s[pos])) {
        ++pos;
      }
    } else {
      if (*n > 255) {
        ok = false;
      }
      if (count < nums.size()) {
        nums[count] = *n;
      }
    }
    ++count;
    std::size_t probe = pos;
    skip_spaces(s, probe);
    if (probe >= s.size() || s[probe] != ',') {
      return count;
    }
    ++probe;
    skip_spaces(s, probe);
    if (probe >= s.size() || !is_digit(s[probe])) {
      return count;
    }
    pos = probe;
  }
}

}  // namespace

void ReplyParser::reset() {
  line_.clear();
  multiline_code_ = 0;
  lines_ = 0;
  text_.clear();
  failed_ = false;
}

bool ReplyParser::feed(std::string_view bytes, std::vector<Reply>& out) {
  if (failed_) {
    return false;
  }
  // A line's bytes a run at a time: up to the next LF, or the end of the segment.
  while (!bytes.empty()) {
    const std::size_t lf = bytes.find('\n');
    const std::string_view run = bytes.substr(0, lf);
    // One byte of slack for the CR that may precede the LF; the limit is checked at the LF.
    if (line_.size() + run.size() > kMaxLine + 1) {
      failed_ = true;
      line_.clear();
      return false;
    }
    line_.append(run);
    if (lf == std::string_view::npos) {
      break;
    }
    bytes.remove_prefix(lf + 1);
    std::string_view line = line_;
    if (!line.empty() && line.back() == '\r') {
      line.remove_suffix(1);
    }
    if (line.size() > kMaxLine || !take_line(line, out)) {
      failed_ = true;
      line_.clear();
      return false;
    }
    line_.clear();
  }
  return true;
}

bool ReplyParser::take_line(std::string_view line, std::vector<Reply>& out) {
  if (multiline_code_ == 0) {
    int code = leading_code(line);
    if (code == 0) {
      return false;
    }
    if (line.size() == 3 || line[3] == ' ') {
      out.push_back(Reply{code, std::string(line.substr(line.size() == 3 ? 3 : 4))});
      return true;
    }
    if (line[3] != '-') {
      return false;
    }
    multiline_code_ = code;
    lines_ = 1;
    text_.assign(line.substr(4));
    return true;
  }

  if (++lines_ > kMaxLines) {
    return false;
  }
  int code = leading_code(line);
  bool same_code = code == multiline_code_;
  // RFC 959: only "CODE<SP>" ends the reply; a bare "CODE" is accepted as well, as for single
  // lines.
  if (same_code && (line.size() == 3 || line[3] == ' ')) {
    text_.push_back('\n');
    text_.append(line.substr(line.size() == 3 ? 3 : 4));
    out.push_back(Reply{multiline_code_, std::move(text_)});
    text_.clear();
    multiline_code_ = 0;
    lines_ = 0;
    return true;
  }
  text_.push_back('\n');
  // Many servers repeat "CODE-" on every line; that prefix is framing, not text.
  text_.append(same_code && line[3] == '-' ? line.substr(4) : line);
  return true;
}

std::optional<HostPort> parse_pasv(std::string_view reply_text) {
  std::size_t pos = 0;
  while (pos < reply_text.size()) {
    if (!is_digit(reply_text[pos])) {
      ++pos;
      continue;
    }
    std::array<unsigned, 6> nums{};
    bool ok = false;
    std::size_t count = read_number_list(reply_text, pos, nums, ok);
    if (count != 6) {
      continue;  // e.g. a version number in the text; the address is a list of exactly six
    }
    if (!ok) {
      return std::nullopt;
    }
    unsigned port = nums[4] * 256 + nums[5];
    if (port == 0) {
      return std::nullopt;
    }
    HostPort hp;
    hp.host = std::to_string(nums[0]) + '.' + std::to_string(nums[1]) + '.' +
              std::to_string(nums[2]) + '.' + std::to_string(nums[3]);
    hp.port = static_cast<std::uint16_t>(port);
    return hp;
  }
  return std::nullopt;
}

std::optional<std::uint16_t> parse_epsv(std::string_view reply_text) {
  for (std::size_t open = reply_text.find('('); open != std::string_view::npos;
       open = reply_text.find('(', open + 1)) {
    std::string_view rest = reply_text.substr(open + 1);
    if (rest.size() < 6) {
      return std::nullopt;
    }
    char d = rest[0];
    // A digit delimiter would make the port ambiguous, so RFC 2428's 33..126 minus the digits.
    if (d < 33 || d > 126 || is_digit(d) || rest[1] != d || rest[2] != d) {
      continue;
    }
    std::size_t pos = 3;
    auto port = read_number(rest, pos, 5);
    if (!port || *port == 0 || *port > 65535 || pos + 1 >= rest.size() || rest[pos] != d ||
        rest[pos + 1] != ')') {
      continue;
    }
    return static_cast<std::uint16_t>(*port);
  }
  return std::nullopt;
}

std::optional<std::string> format_port_argument(std::string_view ipv4, std::uint16_t port) {
  // An IPv4-mapped IPv6 address is still an IPv4 address (dual-stack sockets report them so).
  constexpr std::string_view kMapped = "::ffff:";
  if (ipv4.size() > kMapped.size()) {
    bool mapped = true;
    for (std::size_t i = 0; i < kMapped.size(); ++i) {
      char c = ipv4[i];
      if (c >= 'A' && c <= 'Z') {
        c = static_cast<char>(c - 'A' + 'a');
      }
      mapped = mapped && c == kMapped[i];
    }
    if (mapped) {
      ipv4.remove_prefix(kMapped.size());
    }
  }
  std::string out;
  std::size_t pos = 0;
  for (int i = 0; i < 4; ++i) {
    if (i > 0) {
      if (pos >= ipv4.size() || ipv4[pos] != '.') {
        return std::nullopt;
      }
      ++pos;
    }
    auto n = read_number(ipv4, pos, 3);
    if (!n || *n > 255) {
      return std::nullopt;
    }
    out += std::to_string(*n);
    out += ',';
  }
  if (pos != ipv4.size()) {
    return std::nullopt;
  }
  out += std::to_string(port / 256);
  out += ',';
  out += std::to_string(port % 256);
  return out;
}

}  // namespace qftp::ftp
