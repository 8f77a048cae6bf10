// Result formatter: information text, final result codes and URCs as wire bytes (layer 3).
// See result_formatter.h for the ATV/ATQ/S3/S4 framing it applies.
#include "core/at/result_formatter.h"

namespace qftp::at {

namespace {

std::string verbose_frame(std::string_view text, const FormatSettings& settings) {
  const auto s3 = static_cast<char>(settings.s3);
  const auto s4 = static_cast<char>(settings.s4);
  std::string out;
  out.reserve(text.size() + 4);
  out += s3;
  out += s4;
  out += text;
  out += s3;
  out += s4;
  return out;
}

}  // namespace

std::string_view final_text(Final code) {
  switch (code) {
    case Final::ok:
      return "OK";
    case Final::connect:
      return "CONNECT";
    case Final::ring:
      return "RING";
    case Final::no_carrier:
      return "NO CARRIER";
    case Final::error:
      return "ERROR";
    case Final::no_dialtone:
      return "NO DIALTONE";
    case Final::busy:
      return "BUSY";
    case Final::no_answer:
      return "NO ANSWER";
  }
  return {};  // not a declared code (a cast from an arbitrary number)
}

std::string format_info(std::string_view text, const FormatSettings& settings) {
  if (settings.verbose) {
    return verbose_frame(text, settings);
  }
  std::string out(text);
  out += static_cast<char>(settings.s3);
  out += static_cast<char>(settings.s4);
  return out;
}

std::string format_final(Final code, const FormatSettings& settings) {
  return format_final(final_text(code), code, settings);
}

std::string format_final(std::string_view verbose_text, Final numeric,
                         const FormatSettings& settings) {
  if (settings.quiet) {
    return {};
  }
  if (settings.verbose) {
    return verbose_frame(verbose_text, settings);
  }
  // V.250 §6.2.6: the numeric form has no leading S3 S4 and ends with S3 alone.
  std::string out = std::to_string(static_cast<unsigned>(numeric));
  out += static_cast<char>(settings.s3);
  return out;
}

std::string format_urc(std::string_view text, const FormatSettings& settings) {
  return format_info(text, settings);
}

}  // namespace qftp::at
