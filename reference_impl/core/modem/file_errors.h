// The +CME ERROR codes of the FILE commands (GSM FILE AT Commands Manual V1.5, docs/field-facts.md
// §6), with the text AT+CMEE=2 prints.
#pragma once

#include <string_view>

namespace qftp::modem {

namespace cme {
inline constexpr int invalid_input = 3765;
inline constexpr int drive_full = 3917;
inline constexpr int not_found = 3919;
inline constexpr int invalid_name = 3920;
inline constexpr int exists = 3921;
inline constexpr int create_failed = 3922;
inline constexpr int write_failed = 3923;
inline constexpr int open_failed = 3924;
inline constexpr int read_failed = 3925;
}  // namespace cme

constexpr std::string_view cme_text(int code) {
  switch (code) {
    case 3765: return "invalid input value";
    case 3915: return "address does not exist";
    case 3916: return "UFS full";
    case 3917: return "drive full";
    case 3918: return "drive error";
    case 3919: return "file not found";
    case 3920: return "invalid file name";
    case 3921: return "file exists";
    case 3922: return "create failed";
    case 3923: return "write failed";
    case 3924: return "open failed";
    case 3925: return "read failed";
    default: return "unknown";
  }
}

}  // namespace qftp::modem
