// FTP control-connection replies (RFC 959 §4.2): segments of any size to complete replies.
// Multi-line replies ("123-" ... "123 "), lines ending in CRLF or LF alone, several replies in one
// segment. Anything that is not a reply is a protocol error, reported rather than guessed at.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace qftp::ftp {

struct Reply {
  int code = 0;      // 100..599
  std::string text;  // every line's text after the code and separator, joined with '\n'
};

class ReplyParser {
 public:
  static constexpr std::size_t kMaxLine = 2048;    // a longer line is a protocol error
  static constexpr std::size_t kMaxLines = 256;    // a longer multi-line reply is a protocol error

  // Appends the replies completed by `bytes` to `out`. Returns false on a protocol error (a line
  // that is not a reply, a bad code, a line or reply too long); the parser then stays failed.
  bool feed(std::string_view bytes, std::vector<Reply>& out);

  bool failed() const { return failed_; }
  // True while part of a reply has been received.
  bool partial() const { return !line_.empty() || multiline_code_ != 0; }
  void reset();

 private:
  bool take_line(std::string_view line, std::vector<Reply>& out);

  std::string line_;
  int multiline_code_ = 0;
  std::size_t lines_ = 0;
  std::string text_;
  bool failed_ = false;
};

struct HostPort {
  std::string host;  // dotted IPv4 for PASV; empty for EPSV (use the control connection's peer)
  std::uint16_t port = 0;
};

// "227 Entering Passive Mode (h1,h2,h3,h4,p1,p2)": the six numbers anywhere in the text.
std::optional<HostPort> parse_pasv(std::string_view reply_text);
// "229 Entering Extended Passive Mode (|||port|)": RFC 2428 §3, any delimiter in 33..126.
std::optional<std::uint16_t> parse_epsv(std::string_view reply_text);
// The argument of "PORT" for an IPv4 address and port: "h1,h2,h3,h4,p1,p2"; nullopt if not IPv4.
std::optional<std::string> format_port_argument(std::string_view ipv4, std::uint16_t port);

}  // namespace qftp::ftp
