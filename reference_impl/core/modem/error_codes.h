// The error codes of spec chapter 3 and the mapping of ruling 9 from FTP failures to them.
#pragma once

#include <array>

#include "core/ftp/ftp_client.h"

namespace qftp::modem {

namespace err {
inline constexpr int unknown = -1;
inline constexpr int busy = -3;
inline constexpr int dns = -4;
inline constexpr int network = -5;
inline constexpr int session_closed = -6;
inline constexpr int data_closed = -7;
inline constexpr int context = -8;
inline constexpr int timeout = -9;
inline constexpr int illegal = -10;
inline constexpr int not_found = -11;
inline constexpr int unreadable = -12;
inline constexpr int no_memory = -13;  // later firmware (docs/field-facts.md §5): out_of_memory_code
}  // namespace err

// FTP reply codes that chapter 3 names; each maps to its negation (ruling 9).
inline constexpr std::array<int, 14> kChapter3ReplyCodes = {421, 425, 426, 450, 452, 500, 501,
                                                           502, 530, 532, 550, 551, 552, 553};

int error_code(const ftp::Failure& failure);

}  // namespace qftp::modem
