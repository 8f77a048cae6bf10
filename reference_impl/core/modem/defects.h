// Deliberate, named deviations from the spec (qftp-emu --defect NAME). Off unless asked for; each
// exists so that the conformance suite can prove it catches that kind of firmware bug.
#pragma once

#include <bitset>
#include <optional>
#include <string_view>

namespace qftp::modem {

enum class Defect : unsigned {
  open_result_one,        // +QFTPOPEN:1 instead of +QFTPOPEN:0 on success
  close_no_ok,            // AT+QFTPCLOSE gives no OK
  escape_no_guard,        // "+++" escapes without the guard times
  stat_opened_in_transfer,// AT+QFTPSTAT answers OPENED while a transfer runs
  put_lose_byte,          // an upload through /COM/ drops the last byte it receives
  get_lose_byte,          // a download through /COM/ drops its first byte
  len_off_by_one,         // AT+QFTPLEN reports one byte more than transferred
  resume_not_reset,       // the resume point survives a transfer (ruling 7)
  user_limit_31,          // AT+QFTPUSER accepts 31 characters
  host_limit_99,          // AT+QFTPOPEN refuses a 100-character host name
  port_zero_accepted,     // AT+QFTPOPEN accepts port 0
  no_echo,                // ATE1 has no effect: nothing is echoed
  urc_unframed,           // URCs lack their leading <CR><LF>
  reply_codes_unknown,    // every FTP reply failure is reported as -1
  get_no_connect,         // a download through /COM/ starts without CONNECT
  cfg_query_default,      // AT+QFTPCFG=<type> answers the default, not the value set
  misspelling_accepted,   // AT+QFTPUSE is taken for AT+QFTPUSER
  long_line_executes,     // a line over 256 characters is executed
  v0_ignored,             // ATV0 has no effect
  active_mode_ignored,    // AT+QFTPCFG=1,0 is acknowledged but PASV is used
  // Field behaviour (docs/field-facts.md §5-§8), visible with a field profile only.
  size_off_by_one,        // +QFTPSIZE reports one byte more than the server's SIZE
  cfg6_refused,           // AT+QFTPCFG=6,<v> answers ERROR
  cme_never,              // the FILE commands' failures are a bare ERROR whatever AT+CMEE says
  pipelined_line_lost,    // a line in the same write as a FILE command before it is dropped
  qfwrite_appends,        // AT+QFWRITE writes at the end of the file, not at the handle's position
  // Robustness bugs firmware ships: what a black-box fuzz campaign (qftp-dutfuzz) looks for.
  path_overlong_hang,     // AT+QFTPPATH with a quoted path over 100 characters hangs the AT engine
  error_run_reboot,       // the fourth command line in a row answered ERROR restarts the modem
  chain_error_no_final,   // a ';' line whose second or later command fails has no final result
  escape_drops_byte,      // the data byte before the escape of an upload through /COM/ is lost
  stat_stuck_transfer,    // AT+QFTPSTAT answers TRANSFER after a transfer the escape ended
  s5_range_unchecked,     // ATS5 takes 128-255 (a byte is all that is checked)
  ring_wrap_stale,        // an upload through /COM/ stores each 1024th byte as the byte before it
  count,
};

struct DefectInfo {
  Defect defect;
  std::string_view name;
  std::string_view description;
};

class DefectSet {
 public:
  bool has(Defect d) const { return bits_.test(static_cast<unsigned>(d)); }
  void add(Defect d) { bits_.set(static_cast<unsigned>(d)); }
  bool any() const { return bits_.any(); }

 private:
  std::bitset<static_cast<unsigned>(Defect::count)> bits_;
};

// Every defect with its command-line name ("open-result-one") and what it breaks.
const DefectInfo* defect_table(std::size_t& count);
std::optional<Defect> defect_by_name(std::string_view name);

}  // namespace qftp::modem
