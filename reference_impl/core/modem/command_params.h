// The parameter checks and limits every AT+QFTP* and AT+QF* handler shares (spec 2.2.1-2.2.8,
// ruling 4): a string within its limit, a number within its range, a quoted value.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/at/command_parser.h"
#include "core/modem/service_state.h"

namespace qftp::modem::params {

// Spec 2.2.1-2.2.7: parameter length limits.
inline constexpr std::size_t kHostMax = 100;
inline constexpr std::size_t kFileMax = 50;
inline constexpr std::size_t kPathMax = 100;
inline constexpr std::size_t kUserMax = 30;
inline constexpr std::size_t kPassMax = 30;
inline constexpr std::size_t kFileNameMax = 80;  // a FILE command's <filename>, "RAM:"/"SD:" included
inline constexpr std::int64_t kFileSizeMax = 0xFFFFFFFFLL;  // the spec gives no limit: 32 bits
inline constexpr std::int64_t kTimeDefault = 900;           // spec 2.2.3

inline const std::string* string_param(const at::Command& c, std::size_t i, std::size_t max) {
  if (i >= c.params.size() || !c.params[i].is_string() || c.params[i].text.size() > max) return nullptr;
  return &c.params[i].text;
}

// A number in [lo, hi]; ruling 4 accepts a quoted number where `quoted_ok`.
inline std::optional<std::int64_t> number_param(const at::Command& c, std::size_t i, std::int64_t lo,
                                                std::int64_t hi, bool quoted_ok = false) {
  if (i >= c.params.size()) return std::nullopt;
  const at::Param& p = c.params[i];
  std::optional<std::int64_t> v;
  if (p.is_number()) {
    v = p.value;
  } else if (p.is_string() && quoted_ok && !p.text.empty() && p.text.size() <= 18 &&
             p.text.find_first_not_of("0123456789") == std::string::npos) {
    v = std::stoll(p.text);
  }
  if (!v || *v < lo || *v > hi) return std::nullopt;
  return v;
}

inline std::string quoted(std::string_view s) { return "\"" + std::string(s) + "\""; }

// An operation is running or the session is changing: a new one is refused with -3 (R/11).
inline bool busy(ServiceState s) {
  return s == ServiceState::opening || s == ServiceState::working || s == ServiceState::transfer ||
         s == ServiceState::closing;
}

}  // namespace qftp::modem::params
