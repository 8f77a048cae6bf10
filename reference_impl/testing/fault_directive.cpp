// Parsing fault directives with the fixture's rules (fixtures/ftp_fixture.py, parse_directive):
// the same words, argument counts, ranges and defaults.
#include "testing/fault_directive.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <utility>
#include <vector>

namespace qftp::testing {

namespace {

using Parsed = std::variant<Directive, std::string>;

bool is_space(char c) {
  return c == ' ' || c == '\t';
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

std::vector<std::string_view> tokens(std::string_view s) {
  std::vector<std::string_view> out;
  while (true) {
    while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
    if (s.empty()) return out;
    std::size_t n = 0;
    while (n < s.size() && !is_space(s[n])) ++n;
    out.push_back(s.substr(0, n));
    s.remove_prefix(n);
  }
}

// Plain digits only (the fixture refuses "+5", " 5" and "1_000"), within [lo, hi].
std::optional<std::uint64_t> number(std::string_view token, std::uint64_t lo, std::uint64_t hi) {
  if (token.empty() || token.size() > 12) return std::nullopt;
  std::uint64_t value = 0;
  for (const char c : token) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + static_cast<std::uint64_t>(c - '0');
  }
  if (value < lo || value > hi) return std::nullopt;
  return value;
}

bool is_transfer(std::string_view cmd) {
  static constexpr std::array<std::string_view, 7> kTransfers = {"RETR", "STOR", "APPE", "STOU",
                                                                 "LIST", "NLST", "MLSD"};
  return std::find(kTransfers.begin(), kTransfers.end(), cmd) != kTransfers.end();
}

// A command name (2-12 letters, or "*") into `out`; `transfer_only` also asks for a transfer
// command. The reason when it is not one.
std::optional<std::string> read_command(std::string_view token, bool transfer_only,
                                        std::string& out) {
  const std::string cmd = upper(token);
  const bool letters =
      cmd.size() >= 2 && cmd.size() <= 12 &&
      std::all_of(cmd.begin(), cmd.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
  if (cmd != "*" && !letters) return "bad command name: " + std::string(token);
  if (transfer_only && cmd != "*" && !is_transfer(cmd)) return cmd + " is not a transfer command";
  out = cmd;
  return std::nullopt;
}

std::string text_or(std::string_view given, int code, std::string_view otherwise) {
  if (!given.empty()) return std::string(given);
  const std::string_view standard = standard_reply_text(code);
  return std::string(standard.empty() ? otherwise : standard);
}

}  // namespace

std::string upper(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return out;
}

bool Directive::about(std::string_view command) const {
  if (cmd == "*") return true;
  if (cmd.size() != command.size()) return false;
  for (std::size_t i = 0; i < cmd.size(); ++i) {
    if (cmd[i] != std::toupper(static_cast<unsigned char>(command[i]))) return false;
  }
  return true;
}

std::string_view standard_reply_text(int code) {
  switch (code) {
    case 421:
      return "Service not available, closing control connection.";
    case 425:
      return "Can't open data connection.";
    case 426:
      return "Connection closed; transfer aborted.";
    case 450:
      return "Requested file action not taken. File unavailable.";
    case 451:
      return "Requested action aborted: local error in processing.";
    case 452:
      return "Requested action not taken. Insufficient storage space in system.";
    case 500:
      return "Syntax error, command unrecognized.";
    case 501:
      return "Syntax error in parameters or arguments.";
    case 502:
      return "Command not implemented.";
    case 503:
      return "Bad sequence of commands.";
    case 504:
      return "Command not implemented for that parameter.";
    case 530:
      return "Not logged in.";
    case 532:
      return "Need account for storing files.";
    case 550:
      return "Requested action not taken. File unavailable.";
    case 551:
      return "Requested action aborted: page type unknown.";
    case 552:
      return "Requested file action aborted. Exceeded storage allocation.";
    case 553:
      return "Requested action not taken. File name not allowed.";
    default:
      return {};
  }
}

Parsed parse_directive(std::string_view line) {
  std::string_view text = trim(line);
  if (text.empty()) return "empty directive";
  if (text.size() > 1024) return "directive longer than 1024 characters";
  if (std::any_of(text.begin(), text.end(),
                  [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; })) {
    return "control character in directive";
  }
  Directive d;
  // A final "times=N" (any case), N in 1..10^9.
  if (const auto last_space = text.find_last_of(" \t");
      upper(text.substr(last_space == std::string_view::npos ? 0 : last_space + 1))
          .rfind("TIMES=", 0) == 0) {
    const std::size_t start = last_space == std::string_view::npos ? 0 : last_space + 1;
    const auto n = number(text.substr(start + 6), 1, 1000000000);
    if (!n) return "bad number for times: " + std::string(text.substr(start + 6));
    d.times = n;
    text = trim(text.substr(0, start));
    if (text.empty()) return "times= without a directive";
  }
  const auto words = tokens(text);
  const std::string kind = upper(words.front());
  const std::vector<std::string_view> args(words.begin() + 1, words.end());
  const auto expect = [&](std::size_t lo, std::size_t hi) -> std::optional<std::string> {
    if (args.size() >= lo && args.size() <= hi) return std::nullopt;
    return kind + " takes " +
           (lo == hi ? std::to_string(lo) : std::to_string(lo) + ".." + std::to_string(hi)) +
           " arguments, got " + std::to_string(args.size());
  };
  const auto set_command = [&](std::string_view token, bool transfer_only) {
    return read_command(token, transfer_only, d.cmd);
  };
  const auto set_code = [&](std::string_view token) -> std::optional<std::string> {
    const auto code = number(token, 100, 599);
    if (!code) return "bad reply code: " + std::string(token);
    d.code = static_cast<int>(*code);
    return std::nullopt;
  };

  std::optional<std::string> error;
  if (kind == "REPLY" || kind == "FINAL") {
    d.kind = kind == "REPLY" ? FaultKind::reply : FaultKind::final;
    if (args.size() < 2) return kind + " needs <CMD> <CODE> [text]";
    if ((error = set_command(args[0], d.kind == FaultKind::final))) return *error;
    if ((error = set_code(args[1]))) return *error;
    // The text is the rest of the line as written, spaces inside it kept.
    const std::size_t at = static_cast<std::size_t>(args[1].data() + args[1].size() - text.data());
    d.text = text_or(trim(text.substr(at)), d.code, "Reply injected by the QFTP fixture.");
  } else if (kind == "DELAY") {
    d.kind = FaultKind::delay;
    if ((error = expect(2, 2)) || (error = set_command(args[0], false))) return *error;
    const auto ms = number(args[1], 0, 3600000);
    if (!ms) return "bad number for delay ms: " + std::string(args[1]);
    d.amount = *ms;
  } else if (kind == "NODATACONN") {
    d.kind = FaultKind::nodataconn;
    if ((error = expect(0, 3))) return *error;
    d.code = 425;
    bool seen_code = false;
    for (const auto arg : args) {
      const std::string low = upper(arg);
      if (low == "AFTER150" && !d.after150) {
        d.after150 = true;
      } else if (low == "REFUSE" && !d.refuse) {
        d.refuse = true;
      } else if (!seen_code && !arg.empty() && std::isdigit(static_cast<unsigned char>(arg[0]))) {
        if ((error = set_code(arg))) return *error;
        seen_code = true;
      } else {
        return "NODATACONN: unexpected argument " + std::string(arg);
      }
    }
    d.text = text_or({}, d.code, "Data connection failed (fixture).");
  } else if (kind == "CUT") {
    d.kind = FaultKind::cut;
    if ((error = expect(2, 3)) || (error = set_command(args[0], true))) return *error;
    const auto bytes = number(args[1], 0, 1000000000000000ull);
    if (!bytes) return "bad number for byte count: " + std::string(args[1]);
    d.amount = *bytes;
    d.code = 426;
    if (args.size() == 3 && (error = set_code(args[2]))) return *error;
    d.text = text_or({}, d.code, "Transfer cut by the QFTP fixture.");
  } else if (kind == "STALL") {
    d.kind = FaultKind::stall;
    if ((error = expect(2, 2)) || (error = set_command(args[0], true))) return *error;
    const auto bytes = number(args[1], 0, 1000000000000000ull);
    if (!bytes) return "bad number for byte count: " + std::string(args[1]);
    d.amount = *bytes;
  } else if (kind == "CLOSE") {
    d.kind = FaultKind::close;
    if ((error = expect(1, 2)) || (error = set_command(args[0], false))) return *error;
    if (args.size() == 2) {
      if (upper(args[1]) != "RST") return "CLOSE: unexpected argument " + std::string(args[1]);
      d.rst = true;
    }
  } else if (kind == "IDLE") {
    d.kind = FaultKind::idle;
    if ((error = expect(1, 1))) return *error;
    const auto ms = number(args[0], 1, 86400000);
    if (!ms) return "bad number for idle ms: " + std::string(args[0]);
    d.amount = *ms;
  } else if (kind == "MULTILINE" || kind == "GARBAGE") {
    d.kind = kind == "MULTILINE" ? FaultKind::multiline : FaultKind::garbage;
    if ((error = expect(1, 1)) || (error = set_command(args[0], false))) return *error;
  } else if (kind == "LFONLY" || kind == "BURST") {
    d.kind = kind == "LFONLY" ? FaultKind::lfonly : FaultKind::burst;
    if ((error = expect(0, 1))) return *error;
    if (!args.empty() && (error = set_command(args[0], false))) return *error;
  } else if (kind == "SLOW") {
    d.kind = FaultKind::slow;
    if ((error = expect(1, 1))) return *error;
    const auto rate = number(args[0], 1, 1000000000000ull);
    if (!rate) return "bad number for bytes per second: " + std::string(args[0]);
    d.amount = *rate;
  } else if (kind == "REFUSE") {
    d.kind = FaultKind::refuse;
    if ((error = expect(0, 0))) return *error;
    if (d.times) return "REFUSE does not take times=";
  } else {
    return "unknown directive " + std::string(words.front());
  }
  return d;
}

}  // namespace qftp::testing
