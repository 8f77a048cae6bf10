// Layer 3 of the AT path (docs/architecture.md §2.1): information text, final result codes and
// unsolicited result codes as bytes on the wire, honouring ATV0/ATV1 (V.250 §6.2.6), ATQ0/ATQ1
// (§6.2.5), S3 and S4.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace qftp::at {

// V.250 §6.2.6 result codes with their numeric forms (docs/field-facts.md §1).
enum class Final : std::uint8_t {
  ok = 0,
  connect = 1,
  ring = 2,
  no_carrier = 3,
  error = 4,
  no_dialtone = 6,
  busy = 7,
  no_answer = 8,
};

struct FormatSettings {
  bool verbose = true;    // ATV1
  bool quiet = false;     // ATQ1 suppresses final result codes, not information text
  std::uint8_t s3 = 13;
  std::uint8_t s4 = 10;
};

std::string_view final_text(Final code);

// V1: <S3><S4>text<S3><S4>; V0: text<S3><S4>.
std::string format_info(std::string_view text, const FormatSettings& settings);

// V1: <S3><S4>OK<S3><S4>; V0: 0<S3>; nothing under ATQ1.
std::string format_final(Final code, const FormatSettings& settings);

// A final result that is not a V.250 code (Quectel's "DEACT OK"): verbose text, or the numeric code
// under ATV0; suppressed under ATQ1 like any final result.
std::string format_final(std::string_view verbose_text, Final numeric, const FormatSettings& settings);

// URCs are framed like information text; they are not result codes, so ATQ1 does not suppress them.
std::string format_urc(std::string_view text, const FormatSettings& settings);

}  // namespace qftp::at
