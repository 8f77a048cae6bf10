// Layer 7 (docs/architecture.md §2.1): what differs between firmware builds, loaded from a profile
// file. The defaults are the spec's, with the URC spacing of ruling 2 and the guard times of
// docs/field-facts.md §1.
#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <string_view>
#include <variant>

#include "core/common/time.h"

namespace qftp::modem {

struct DeviceProfile {
  // Identity as ATI, AT+GMR and AT+GSN report it.
  std::string manufacturer = "Quectel";
  std::string model = "M95";
  std::string revision = "M95FAR02A08";
  std::string imei = "861234567890123";

  // Ruling 6 / docs/field-facts.md §1.
  TimeMs guard_ms = 500;
  TimeMs gap_ms = 20;

  // Ruling 2: the URCs written "+NAME: value" (the others "+NAME:value").
  std::set<std::string, std::less<>> spaced_urcs = {"+QFTPSTAT", "+QFTPLEN"};

  // Spec 2.2.8: local positions besides /COM/ and /UFS/ (M33 has /SD/ and /RAM/).
  bool has_sd = false;
  bool has_ram = false;
  std::uint64_t ufs_capacity = 1024 * 1024 * 4;  // bytes in all
  std::uint64_t ram_file_size = 102400;          // spec 2.2.8: RAM space for one download
  // The RAM in all, for every RAM file together: room for eight of the largest.
  std::uint64_t ram_capacity() const { return ram_file_size * 8; }

  // Ruling 3: 2.2.5 prints OK before +QFTPPATH; a profile may do the same.
  bool path_read_ok_first = false;

  // Behaviour beyond V1.1 (docs/rulings.md ruling 13, docs/field-facts.md §5-§8): each off unless
  // a profile switches it on, so the default profile stays V1.1.
  bool has_ufs = true;             // the FILE manual V1.5 gives the M95 RAM files only (§5)
  bool ftp_file_commands = false;  // AT+QFTPSIZE, DELETE, RENAME, MKDIR [M] (§5)
  bool ftp_rmdir = false;          // AT+QFTPRMDIR [L]
  bool ftp_listing = false;        // AT+QFTPLIST, AT+QFTPNLST [L], ruling 16
  bool get_expected_size = false;  // AT+QFTPGET="<file>",<size> [M]
  bool cfg_type6 = false;          // AT+QFTPCFG=6,<0|1> [M]
  bool out_of_memory_code = false; // -13 for a /RAM/ download that does not fit [M]
  bool file_commands = false;      // AT+QFOPEN ... of the FILE manual [H] (§6)
  bool startup_commands = false;   // ATS0, AT+CREG=, AT+CGREG=, AT+CLIP, AT+COLP, AT+COPS?, AT+QILOCIP [H] (§7)
  bool cme_errors = false;         // AT+CMEE 1/2 turn the FILE commands' failures into +CME ERROR [H]
  // The FILE manual lists two sets of +CME ERROR codes, 3765/3915-3925 and 4000-4016 (§6); a modem
  // captured answering 4010 for a missing RAM file shows the second in use [L].
  bool file_errors_40xx = false;

  // FTP client timeouts (-9 when exceeded).
  TimeMs connect_timeout_ms = 30000;
  TimeMs reply_timeout_ms = 30000;
  TimeMs data_timeout_ms = 60000;
};

// "key = value" lines; '#' starts a comment. Unknown keys and bad values are errors (the message
// names the line), so a typo in a lab's profile never silently tests the wrong firmware.
std::variant<DeviceProfile, std::string> parse_profile(std::string_view text);

}  // namespace qftp::modem
