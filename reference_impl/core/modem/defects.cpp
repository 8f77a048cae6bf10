// The table of deliberate deviations, named for --defect and --list-defects.
#include "core/modem/defects.h"

#include <array>

namespace qftp::modem {
namespace {

constexpr std::array kDefects = {
    DefectInfo{Defect::open_result_one, "open-result-one", "2.2.1: +QFTPOPEN:1 on success instead of +QFTPOPEN:0"},
    DefectInfo{Defect::close_no_ok, "close-no-ok", "2.2.2: AT+QFTPCLOSE is not answered OK"},
    DefectInfo{Defect::escape_no_guard, "escape-no-guard", "ruling 6: +++ escapes data mode without guard times"},
    DefectInfo{Defect::stat_opened_in_transfer, "stat-opened-in-transfer", "2.2.9: AT+QFTPSTAT answers OPENED during a transfer"},
    DefectInfo{Defect::put_lose_byte, "put-lose-byte", "2.2.3: an upload through /COM/ loses its last byte"},
    DefectInfo{Defect::get_lose_byte, "get-lose-byte", "2.2.4: a download through /COM/ loses its first byte"},
    DefectInfo{Defect::len_off_by_one, "len-off-by-one", "2.2.10: AT+QFTPLEN reports one byte too many"},
    DefectInfo{Defect::resume_not_reset, "resume-not-reset", "2.2.8: the resume point is not reset after a transfer"},
    DefectInfo{Defect::user_limit_31, "user-limit-31", "2.2.6: AT+QFTPUSER accepts a 31-character user name"},
    DefectInfo{Defect::host_limit_99, "host-limit-99", "2.2.1: AT+QFTPOPEN refuses a 100-character host name"},
    DefectInfo{Defect::port_zero_accepted, "port-zero-accepted", "2.2.1: AT+QFTPOPEN accepts port 0"},
    DefectInfo{Defect::no_echo, "no-echo", "V.250: ATE1 echoes nothing"},
    DefectInfo{Defect::urc_unframed, "urc-unframed", "V.250: URCs are written without their leading <CR><LF>"},
    DefectInfo{Defect::reply_codes_unknown, "reply-codes-unknown", "chapter 3: FTP reply failures reported as -1"},
    DefectInfo{Defect::get_no_connect, "get-no-connect", "2.2.4: a download through /COM/ starts without CONNECT"},
    DefectInfo{Defect::cfg_query_default, "cfg-query-default", "2.2.8: AT+QFTPCFG=<type> answers the default value"},
    DefectInfo{Defect::misspelling_accepted, "misspelling-accepted", "ruling 1: AT+QFTPUSE is accepted"},
    DefectInfo{Defect::long_line_executes, "long-line-executes", "V.250: a line over 256 characters is executed"},
    DefectInfo{Defect::v0_ignored, "v0-ignored", "V.250: ATV0 does not switch to numeric result codes"},
    DefectInfo{Defect::active_mode_ignored, "active-mode-ignored", "2.2.8: AT+QFTPCFG=1,0 is acknowledged but PASV is used"},
    DefectInfo{Defect::size_off_by_one, "size-off-by-one", "F/01: +QFTPSIZE reports one byte more than the server's size"},
    DefectInfo{Defect::cfg6_refused, "cfg6-refused", "F/09: AT+QFTPCFG=6,<v> answers ERROR"},
    DefectInfo{Defect::cme_never, "cme-never", "F/15: FILE failures answer ERROR whatever AT+CMEE says"},
    DefectInfo{Defect::pipelined_line_lost, "pipelined-line-lost", "F/22: a line sent in one write after a FILE command is lost"},
    DefectInfo{Defect::qfwrite_appends, "qfwrite-appends", "F/27: AT+QFWRITE appends to the file whatever the handle's position"},
    DefectInfo{Defect::path_overlong_hang, "path-overlong-hang", "2.2.5: a quoted AT+QFTPPATH over 100 characters hangs the AT engine until a restart"},
    DefectInfo{Defect::error_run_reboot, "error-run-reboot", "V.250: the 4th command line in a row answered ERROR restarts the modem (RDY, settings lost)"},
    DefectInfo{Defect::chain_error_no_final, "chain-error-no-final", "V.250 5.2.1: a ';' line whose 2nd or later command fails gets no final result"},
    DefectInfo{Defect::escape_drops_byte, "escape-drops-byte", "ruling 6: an upload through /COM/ ended by the escape loses the byte before it"},
    DefectInfo{Defect::stat_stuck_transfer, "stat-stuck-transfer", "2.2.9: AT+QFTPSTAT answers TRANSFER after a transfer the escape ended"},
    DefectInfo{Defect::s5_range_unchecked, "s5-range-unchecked", "V.250 6.2.3: ATS5 takes 128-255 instead of answering ERROR (0-127)"},
    DefectInfo{Defect::ring_wrap_stale, "ring-wrap-stale", "2.2.3: an upload through /COM/ stores each 1024th byte as the byte before it (a receive ring's wrap-around)"},
};
static_assert(kDefects.size() == static_cast<std::size_t>(Defect::count));

}  // namespace

const DefectInfo* defect_table(std::size_t& count) {
  count = kDefects.size();
  return kDefects.data();
}

std::optional<Defect> defect_by_name(std::string_view name) {
  for (const auto& info : kDefects) {
    if (info.name == name) return info.defect;
  }
  return std::nullopt;
}

}  // namespace qftp::modem
