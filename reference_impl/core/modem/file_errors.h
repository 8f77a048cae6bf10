// The +CME ERROR codes of the FILE commands (GSM FILE AT Commands Manual V1.5, docs/field-facts.md
// §6), with the text AT+CMEE=2 prints: the handlers name the 39xx codes, and a profile with
// file_errors_40xx reports the same failure in the 40xx set.
#pragma once

#include <string_view>

#include "core/modem/local_store.h"

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

// A store's failure as the FILE commands report it. A name that is no regular file (a directory,
// a FIFO) is not a file of the FILE commands: they list only regular files, so it is "not found"
// as AT+QFDEL of it is.
constexpr int cme_of_store(StoreError e) {
  switch (e) {
    case StoreError::not_found:
    case StoreError::not_a_file: return cme::not_found;
    case StoreError::unreadable: return cme::read_failed;
    case StoreError::invalid_name: return cme::invalid_name;
    case StoreError::full: return cme::drive_full;
  }
  return cme::invalid_input;
}

// The same failure in the FILE manual's 40xx set (file_errors_40xx); the set has no code of its
// own for a bad name or a missing address, which are its invalid parameter.
constexpr int cme_40xx(int code) {
  switch (code) {
    case 3765: return 4013;
    case 3915: return 4013;
    case 3916: return 4008;
    case 3917: return 4008;
    case 3918: return 4014;
    case 3919: return 4010;
    case 3920: return 4013;
    case 3921: return 4012;
    case 3922: return 4015;
    case 3923: return 4002;
    case 3924: return 4001;
    case 3925: return 4004;
    default: return code;
  }
}

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
    case 4000: return "exceeds maximum length";
    case 4001: return "open failed";
    case 4002: return "write failed";
    case 4003: return "get size failed";
    case 4004: return "read failed";
    case 4005: return "list failed";
    case 4006: return "delete failed";
    case 4007: return "disk info failed";
    case 4008: return "no space";
    case 4009: return "timeout";
    case 4010: return "file not found";
    case 4011: return "file too large";
    case 4012: return "file exists";
    case 4013: return "invalid parameter";
    case 4014: return "driver error";
    case 4015: return "create failed";
    case 4016: return "access denied";
    default: return "unknown";
  }
}

}  // namespace qftp::modem
