// ftp_reply_fuzzer: FTP control-connection bytes through the reply parser, and reply texts through
// the PASV/EPSV/PORT helpers (layer 5). Oracles: segmentation never matters, bounds hold, round
// trips.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/fuzz_check.h"
#include "core/ftp/reply_parser.h"

namespace {

using qftp::ftp::HostPort;
using qftp::ftp::Reply;
using qftp::ftp::ReplyParser;

// Input layout: [segment size][port hi][port lo][bytes]. The bytes are the control stream, the
// reply text for PASV/EPSV and the address for PORT all at once; missing header bytes are 0.
constexpr std::size_t kHeader = 3;
constexpr std::size_t kMaxInput = 16384;

struct Parsed {
  std::vector<Reply> replies;
  bool ok = true;
  bool partial = false;

  bool operator==(const Parsed& o) const {
    if (ok != o.ok || partial != o.partial || replies.size() != o.replies.size()) {
      return false;
    }
    for (std::size_t i = 0; i < replies.size(); ++i) {
      if (replies[i].code != o.replies[i].code || replies[i].text != o.replies[i].text) {
        return false;
      }
    }
    return true;
  }
};

// Feeds `bytes` in segments of `segment` bytes (0: all at once) until the parser fails.
Parsed parse(std::string_view bytes, std::size_t segment) {
  ReplyParser parser;
  Parsed out;
  const std::size_t step = segment == 0 ? std::max<std::size_t>(bytes.size(), 1) : segment;
  for (std::size_t pos = 0; pos < bytes.size() && out.ok; pos += step) {
    out.ok = parser.feed(bytes.substr(pos, step), out.replies);
  }
  QFTP_FUZZ_CHECK(parser.failed() == !out.ok);
  if (!out.ok) {
    // A failed parser stays failed and adds nothing.
    const std::size_t before = out.replies.size();
    QFTP_FUZZ_CHECK(!parser.feed("200 ok\r\n", out.replies));
    QFTP_FUZZ_CHECK(out.replies.size() == before);
  }
  out.partial = out.ok && parser.partial();
  return out;
}

void check_replies(std::string_view bytes, const Parsed& p) {
  // A reply needs at least one line, so there are never more replies than line ends.
  QFTP_FUZZ_CHECK(p.replies.size() <=
                  static_cast<std::size_t>(std::count(bytes.begin(), bytes.end(), '\n')));
  for (const Reply& r : p.replies) {
    QFTP_FUZZ_CHECK(r.code >= 100 && r.code <= 599);
    QFTP_FUZZ_CHECK(r.text.size() <= bytes.size());
    QFTP_FUZZ_CHECK(r.text.size() <= (ReplyParser::kMaxLine + 1) * ReplyParser::kMaxLines);
  }
}

// Dotted IPv4 with every part 0..255 and no leading zeros, as parse_pasv must produce it.
bool canonical_ipv4(std::string_view host) {
  int parts = 0;
  std::size_t pos = 0;
  while (pos <= host.size()) {
    const std::size_t dot = std::min(host.find('.', pos), host.size());
    const std::string_view part = host.substr(pos, dot - pos);
    if (part.empty() || part.size() > 3 || (part.size() > 1 && part.front() == '0') ||
        part.find_first_not_of("0123456789") != std::string_view::npos ||
        std::stoi(std::string(part)) > 255) {
      return false;
    }
    ++parts;
    pos = dot + 1;
  }
  return parts == 4;
}

std::optional<std::string> port_argument(const std::string& host, std::uint16_t port) {
#if QFTP_FUZZ_BREAK
  // The proof of the oracle: a PORT formatter with the two port bytes swapped.
  auto arg =
      qftp::ftp::format_port_argument(host, static_cast<std::uint16_t>((port >> 8) | (port << 8)));
  return arg;
#else
  return qftp::ftp::format_port_argument(host, port);
#endif
}

bool same(const std::optional<HostPort>& a, const std::optional<HostPort>& b) {
  return a.has_value() == b.has_value() && (!a || (a->host == b->host && a->port == b->port));
}

void check_pasv(std::string_view text) {
  const auto hp = qftp::ftp::parse_pasv(text);
  if (!hp) {
    return;
  }
  QFTP_FUZZ_CHECK(hp->port != 0);
  QFTP_FUZZ_CHECK(canonical_ipv4(hp->host));
  // What PORT would send for it reads back as the same address, in a 227 reply's usual shape.
  const auto arg = port_argument(hp->host, hp->port);
  QFTP_FUZZ_CHECK(arg.has_value());
  QFTP_FUZZ_CHECK(same(qftp::ftp::parse_pasv("Entering Passive Mode (" + *arg + ")"), hp));
}

void check_epsv(std::string_view text) {
  const auto port = qftp::ftp::parse_epsv(text);
  if (!port) {
    return;
  }
  QFTP_FUZZ_CHECK(*port != 0);
  QFTP_FUZZ_CHECK(qftp::ftp::parse_epsv("Entering Extended Passive Mode (|||" +
                                        std::to_string(*port) + "|)") == port);
}

void check_port(std::string_view address, std::uint16_t port) {
  const auto arg = qftp::ftp::format_port_argument(address, port);
  if (!arg) {
    return;
  }
  QFTP_FUZZ_CHECK(arg->size() <= 23);  // "255,255,255,255,255,255"
  const auto hp = qftp::ftp::parse_pasv(*arg);
  if (port == 0) {
    QFTP_FUZZ_CHECK(!hp);  // a PASV port of 0 is refused
    return;
  }
  QFTP_FUZZ_CHECK(hp && hp->port == port);
  QFTP_FUZZ_CHECK(port_argument(hp->host, hp->port) == arg);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > kMaxInput) {
    return 0;
  }
  // A header cut short reads as zeros, with no stream: every input, the empty one that starts an
  // empty corpus included, reaches the parser, or libFuzzer would find no coverage to start from.
  const auto header = [&](std::size_t i) -> std::uint8_t { return i < size ? data[i] : 0; };
  const std::size_t segment = header(0);
  const auto port = static_cast<std::uint16_t>((header(1) << 8) | header(2));
  const std::size_t skip = std::min(size, kHeader);
  const std::string_view bytes(reinterpret_cast<const char*>(data) + skip, size - skip);

  const Parsed whole = parse(bytes, 0);
  check_replies(bytes, whole);
  QFTP_FUZZ_CHECK(parse(bytes, 1) == whole);
  if (segment > 1) {
    QFTP_FUZZ_CHECK(parse(bytes, segment) == whole);
  }

  check_pasv(bytes);
  check_epsv(bytes);
  check_port(bytes, port);
  return 0;
}
