// Decoding the fuzz input's server decisions into fault directives. Each table's first entry is
// the well-behaved answer, so that zeros (an exhausted input) give a prompt, correct server.
#include "session/fuzz_fault_plan.h"

#include <algorithm>
#include <array>
#include <stdexcept>
#include <variant>

namespace qftp::fuzz {

namespace {

using testing::CommandFaults;
using testing::ConnectFate;
using testing::Directive;
using testing::TransferFaults;

// Delays a decision byte's high nibble picks: half of them none, the rest around the guard time
// and the client's 30 s / 60 s timeouts.
constexpr std::array<TimeMs, 16> kDelays = {0, 0,  0,   0,   0,    0,     0,     0,
                                            1, 19, 100, 499, 1000, 29999, 30000, 60000};
// A DELAY no timeout of the modem outlasts: the server never answers.
constexpr TimeMs kNeverMs = 3600000;

// Codes a faulty server answers instead: every code of spec chapter 3, and codes that are legal
// but out of place for the command.
constexpr std::array<int, 32> kOddCodes = {421, 425, 426, 450, 451, 452, 500, 501, 502, 504, 530,
                                           532, 550, 551, 552, 553, 120, 125, 150, 200, 226, 227,
                                           229, 230, 250, 257, 331, 332, 350, 221, 225, 554};

constexpr std::array<ftp::SockError, 7> kSockErrors = {
    ftp::SockError::eof,    ftp::SockError::resolve,     ftp::SockError::refused,
    ftp::SockError::reset,  ftp::SockError::unreachable, ftp::SockError::timeout,
    ftp::SockError::context};

constexpr std::array<std::string_view, 4> kLocalIps = {"10.0.0.2", "0.0.0.0", "::ffff:10.0.0.2",
                                                       "fe80::2"};

// File sizes: the spec's example first, and small ones (a session's cost grows with its data).
constexpr std::array<std::uint64_t, 8> kFileSizes = {1587, 0, 1, 3, 100, 600, 10, 513};
constexpr std::array<std::uint64_t, 8> kUploadLimits = {0, 1, 2, 5, 10, 100, 1000, 1u << 20};
constexpr std::array<int, 4> kCutCodes = {426, 226, 150, 451};
constexpr std::array<int, 4> kFinalCodes = {552, 451, 150, 226};

Directive directive(std::string_view text) {
  auto parsed = testing::parse_directive(text);
  if (const auto* why = std::get_if<std::string>(&parsed)) throw std::logic_error(*why);
  return std::get<Directive>(std::move(parsed));
}

// The directives the decisions pick, parsed once from their fixture spelling.
struct Tables {
  std::array<Directive, kOddCodes.size()> odd_replies;
  Directive close = directive("CLOSE *");
  Directive close_rst = directive("CLOSE * rst");
  Directive garbage = directive("GARBAGE *");
  std::array<Directive, 4> nodata = {directive("NODATACONN"), directive("NODATACONN after150"),
                                     directive("NODATACONN refuse"), directive("NODATACONN 421")};
  // Odd texts of well-formed replies; [0] is none: the server's own.
  std::array<Directive, 4> pwd = {Directive{},
                                  directive("REPLY PWD 257 / is the current directory"),
                                  directive("REPLY PWD 257 \"/pub\"\"x\" is the current directory"),
                                  directive("REPLY PWD 257 \"/unterminated")};
  std::array<Directive, 8> pasv = {
      Directive{},
      directive("REPLY PASV 227 Entering Passive Mode 127,0,0,1,156,64"),
      directive("REPLY PASV 227 Entering Passive Mode (0,0,0,0,156,64)"),
      directive("REPLY PASV 227 =127,0,0,1,156,65"),
      directive("REPLY PASV 227 Entering Passive Mode (127,0,0,1,0,0)"),
      directive("REPLY PASV 227 Entering Passive Mode (300,0,0,1,1,1)"),
      directive("REPLY PASV 227 Version 1.2.3 ready (10,0,0,2,4,1)"),
      directive("REPLY PASV 227 Entering Passive Mode")};
  std::array<Directive, 5> epsv = {
      Directive{}, directive("REPLY EPSV 229 Entering Extended Passive Mode (!!!40001!)"),
      directive("REPLY EPSV 229 Entering Extended Passive Mode (|||0|)"),
      directive("REPLY EPSV 229 Entering Extended Passive Mode (|||65536|)"),
      directive("REPLY EPSV 229 Entering Extended Passive Mode ()")};

  Tables() {
    for (std::size_t i = 0; i < kOddCodes.size(); ++i) {
      odd_replies[i] = directive("REPLY * " + std::to_string(kOddCodes[i]));
    }
  }
};

const Tables& tables() {
  static const Tables t;
  return t;
}

// Download contents never hold a byte below 0x80; they repeat every 128 bytes.
std::string file_bytes(std::uint8_t seed, std::uint64_t size) {
  constexpr std::size_t kPeriod = 128;
  std::array<char, kPeriod> period;
  for (std::size_t i = 0; i < kPeriod; ++i) {
    period[i] = static_cast<char>(0x80 | ((seed * 7u + i * 37u) & 0x7f));
  }
  std::string bytes;
  bytes.reserve(size);
  while (bytes.size() < size) {
    bytes.append(period.data(), std::min<std::uint64_t>(kPeriod, size - bytes.size()));
  }
  return bytes;
}

template <std::size_t N>
const Directive* text_variant(const std::array<Directive, N>& table, std::uint8_t b) {
  const std::size_t i = b % N;
  return i == 0 ? nullptr : &table[i];
}

}  // namespace

CommandFaults FuzzFaultPlan::command(std::string_view cmd) {
  const Tables& t = tables();
  const std::uint8_t b = script_.back();
  const unsigned shape = b & 15;
  CommandFaults f;
  f.delay = kDelays[b >> 4];
  switch (shape) {
    case 8:
      f.instead = &t.odd_replies[script_.back() % t.odd_replies.size()];
      break;
    case 9:
      f.multiline = true;
      break;
    case 10:
      f.burst = true;
      break;
    case 11:
      f.delay = kNeverMs;
      break;
    case 12:
      f.instead = &t.close;
      break;
    case 13:
      f.instead = &t.close_rst;
      break;
    case 14:
      f.instead = &t.garbage;
      break;
    case 15:
      f.lfonly = true;
      break;
    default:
      break;
  }
  const bool passive = cmd == "PASV" || cmd == "EPSV";
  if (passive || cmd == "PORT" || cmd == "EPRT") {
    nodata_ = shape >= 4 && shape < 8 ? &t.nodata[shape - 4] : nullptr;
  }
  if (cmd == "PWD" || passive) {
    const std::uint8_t v = script_.back();
    if (f.instead == nullptr) {
      f.instead = cmd == "PWD"    ? text_variant(t.pwd, v)
                  : cmd == "PASV" ? text_variant(t.pasv, v)
                                  : text_variant(t.epsv, v);
    }
  }
  return f;
}

const Directive* FuzzFaultPlan::data_setup() {
  const Directive* d = nodata_;
  nodata_ = nullptr;
  return d;
}

TransferFaults FuzzFaultPlan::transfer(std::string_view cmd, std::uint64_t size) {
  const std::uint8_t b = script_.back();
  TransferFaults f;
  const unsigned mode = b & 3;  // none, CUT, STALL, FINAL
  const bool download = cmd != "STOR";  // RETR, or a listing's LIST or NLST
  if (mode == 1 || mode == 2) {
    limit_.kind = mode == 1 ? testing::FaultKind::cut : testing::FaultKind::stall;
    limit_.cmd = std::string(cmd);
    if (download) {
      const std::array<std::uint64_t, 4> where = {size / 2, 0, size, 1};
      limit_.amount = where[(b >> 2) & 3];
    } else {
      limit_.amount = kUploadLimits[(b >> 2) & 7];
    }
    limit_.code = kCutCodes[(b >> 5) & 3];
    limit_.text = std::string(testing::standard_reply_text(limit_.code));
    (mode == 1 ? f.cut : f.stall) = &limit_;
  } else if (mode == 3) {
    final_.kind = testing::FaultKind::final;
    final_.cmd = std::string(cmd);
    final_.code = kFinalCodes[(b >> 4) & 3];
    final_.text = std::string(testing::standard_reply_text(final_.code));
    f.final = &final_;
  }
  if (download) {
    // SLOW: 512-byte or 64-byte segments every 100 ms; a byte at a time only for small files,
    // since every segment costs an engine call.
    switch (b >> 6) {
      case 1:
        f.slow = 5120;
        break;
      case 2:
        f.slow = size <= 64 ? 10 : 640;
        break;
      case 3:
        f.slow = 640;
        break;
      default:
        break;
    }
  }
  return f;
}

ConnectFate FuzzFaultPlan::connect(ftp::Sock sock) {
  const std::uint8_t v = script_.back();
  ConnectFate fate;
  fate.latency = kDelays[v >> 4];
  fate.local_ip = kLocalIps[0];
  switch (v & 7) {
    case 4:
      fate.local_ip = kLocalIps[2];
      break;
    case 5:
      fate.error = sock == ftp::Sock::control ? kSockErrors[script_.back() % kSockErrors.size()]
                                              : ftp::SockError::reset;
      break;
    case 6:
      if (sock == ftp::Sock::control) {
        fate.unanswered = true;  // the SYN goes unanswered
      } else {
        fate.error = ftp::SockError::refused;
      }
      break;
    case 7:
      if (sock == ftp::Sock::control) {
        fate.local_ip = kLocalIps[3];
      } else {
        fate.unanswered = true;
      }
      break;
    default:
      break;
  }
  return fate;
}

std::string_view FuzzFaultPlan::listen_ip() {
  return kLocalIps[script_.back() % kLocalIps.size()];
}

std::optional<std::string> FuzzFaultPlan::absent_file(std::string_view) {
  const std::uint8_t v = script_.back();
  if (((v >> 3) & 7) == 7) return std::nullopt;  // no such file: 550
  return file_bytes(script_.back(), kFileSizes[v & 7]);
}

}  // namespace qftp::fuzz
