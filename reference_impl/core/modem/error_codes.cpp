// Ruling 9: FTP client failures to the negative codes of spec chapter 3.
#include "core/modem/error_codes.h"

#include <algorithm>

namespace qftp::modem {

int error_code(const ftp::Failure& failure) {
  using ftp::FailKind;
  switch (failure.kind) {
    case FailKind::reply: {
      const auto& codes = kChapter3ReplyCodes;
      if (std::find(codes.begin(), codes.end(), failure.reply_code) != codes.end()) {
        return -failure.reply_code;
      }
      return err::unknown;
    }
    case FailKind::resolve: return err::dns;
    case FailKind::connect: return err::network;
    case FailKind::control_closed: return err::session_closed;
    case FailKind::data_closed: return err::data_closed;
    case FailKind::context: return err::context;
    case FailKind::timeout: return err::timeout;
    case FailKind::protocol:
    case FailKind::aborted: return err::unknown;
  }
  return err::unknown;
}

}  // namespace qftp::modem
