// The FTP commands of firmware after V1.1 (docs/field-facts.md §5), each behind its profile switch
// (ruling 13): with the switch off the command is unknown and answers ERROR, as V1.1 firmware does.
// They follow the V1.1 pattern (ruling 4): OK or ERROR for the line, then one URC with 0, a size,
// or a chapter-3 code. The requirements they implement are the suite's F/ entries.
#include <string>

#include "core/modem/command_params.h"
#include "core/modem/error_codes.h"
#include "core/modem/modem_engine.h"

namespace qftp::modem {
namespace {

using at::Command;
using at::Form;
using namespace params;  // NOLINT: the handlers' shared checks and limits

std::string_view urc_of(ftp::FileOp op) {
  switch (op) {
    case ftp::FileOp::size: return "+QFTPSIZE";
    case ftp::FileOp::dele: return "+QFTPDELETE";
    case ftp::FileOp::mkd: return "+QFTPMKDIR";
    case ftp::FileOp::rmd: return "+QFTPRMDIR";
    case ftp::FileOp::rename: return "+QFTPRENAME";
  }
  return "+QFTPSIZE";
}

}  // namespace

std::optional<ModemEngine::Reply> ModemEngine::field_ftp_command(TimeMs t, const Command& c) {
  const std::string_view n = c.name;
  if (profile_.ftp_file_commands) {
    if (n == "+QFTPSIZE") return cmd_file_op(t, c, ftp::FileOp::size);
    if (n == "+QFTPDELETE") return cmd_file_op(t, c, ftp::FileOp::dele);
    if (n == "+QFTPRENAME") return cmd_file_op(t, c, ftp::FileOp::rename);
    if (n == "+QFTPMKDIR") return cmd_file_op(t, c, ftp::FileOp::mkd);
  }
  if (profile_.ftp_rmdir && n == "+QFTPRMDIR") return cmd_file_op(t, c, ftp::FileOp::rmd);
  if (profile_.ftp_listing) {
    if (n == "+QFTPLIST") return cmd_listing(t, c, false);
    if (n == "+QFTPNLST") return cmd_listing(t, c, true);
  }
  return std::nullopt;
}

// F/SIZE.*, F/DELETE.*, F/RENAME.*, F/MKDIR.*, F/RMDIR.*: the test form names the parameters; the
// write form answers OK, then the URC. Names are files (50, as 2.2.3) or directories (100, as
// 2.2.5). Without a session -1 (R/10), while an operation runs -3 (R/11), an empty name -10 (R/18).
ModemEngine::Reply ModemEngine::cmd_file_op(TimeMs t, const Command& c, ftp::FileOp op) {
  const std::string name(urc_of(op));
  const bool dir = op == ftp::FileOp::mkd || op == ftp::FileOp::rmd || op == ftp::FileOp::rename;
  const std::size_t max = dir ? kPathMax : kFileMax;
  const std::size_t count = op == ftp::FileOp::rename ? 2 : 1;
  if (c.form == Form::test) {
    if (op == ftp::FileOp::rename) {
      info(name + ": \"OLD NAME\",\"NEW NAME\"");
    } else {
      info(name + (dir ? ": \"DIR NAME\"" : ": \"FILE NAME\""));
    }
    return Reply::ok;
  }
  if (c.form != Form::write || c.params.size() != count) return Reply::error;
  const auto* first = string_param(c, 0, max);
  const auto* second = count == 2 ? string_param(c, 1, max) : first;
  if (first == nullptr || second == nullptr) return Reply::error;
  const ServiceState s = state();
  if (busy(s)) {
    urc(name, std::to_string(err::busy));
  } else if (no_session(s)) {
    urc(name, std::to_string(err::unknown));
  } else if (first->empty() || second->empty()) {
    urc(name, std::to_string(err::illegal));
  } else {
    ftp_.file_op(t, op, *first, count == 2 ? *second : std::string());
  }
  return Reply::ok;
}

// Ruling 16 (F/LIST.*, F/NLST.*): the listing moves like a download, through the local position of
// type 4: CONNECT and the text for /COM/, a stored file otherwise; then +QFTPLIST:<bytes> or
// +QFTPNLST:<bytes>. Execute form: the current directory.
ModemEngine::Reply ModemEngine::cmd_listing(TimeMs t, const Command& c, bool names_only) {
  const std::string name = names_only ? "+QFTPNLST" : "+QFTPLIST";
  if (c.form == Form::test) {
    info(name + (names_only ? ": \"DIR NAME\"" : ": \"NAME\""));
    return Reply::ok;
  }
  std::string arg;
  if (c.form == Form::write) {
    const auto* given = string_param(c, 0, kPathMax);
    if (c.params.size() != 1 || given == nullptr) return Reply::error;
    arg = *given;
  } else if (c.form != Form::execute) {
    return Reply::error;
  }
  using Direction = ftp::TransferParams::Direction;
  start_transfer(t, names_only ? Direction::nlst : Direction::list, std::move(arg), 0, kNever);
  return Reply::ok;
}

void ModemEngine::on_file_op_done(const ftp::FileOpDone& done) {
  if (done.failure) {
    urc(urc_of(done.op), std::to_string(code_for(*done.failure)));
  } else {
    const bool off = done.op == ftp::FileOp::size && defects_.has(Defect::size_off_by_one);
    urc(urc_of(done.op), std::to_string(done.size + (off ? 1 : 0)));
  }
}

}  // namespace qftp::modem
