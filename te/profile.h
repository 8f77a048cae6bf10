// profile.h: a DUT's PICS (which optional features it has) and PIXIT (how to test it: the fixture
// address it can reach, credentials, timeouts, guard times, declared URC spacing), from JSON.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <set>
#include <string>
#include <string_view>

#include "te/result.h"

namespace qftp::te {

struct Pics {
  bool has_ufs = true;           // 2.2.8 "/UFS/"
  bool has_sd = false;           // 2.2.8 "/SD/": M33 only
  bool has_ram = false;          // 2.2.8 "/RAM/": M33 only
  bool active_mode = true;       // 2.2.8 type 1 value 0
  bool ascii_type = true;        // 2.2.8 type 2 value 1
  bool resume = true;            // 2.2.8 type 3, chapter 4.4
  bool numeric_results = true;   // ATV0 (docs/field-facts.md §1)
  bool context_commands = true;  // AT+QIFGCNT, AT+QICSGP, AT+QIDEACT (spec 4.1, 4.5)
  // Behaviour beyond V1.1 (docs/rulings.md ruling 13, docs/field-facts.md §5-§8), the F/
  // requirements: false for a V1.1 DUT.
  bool field_ftp_commands = false;  // AT+QFTPSIZE, DELETE, RENAME, MKDIR
  bool ftp_rmdir = false;           // AT+QFTPRMDIR
  bool ftp_listing = false;         // AT+QFTPLIST, AT+QFTPNLST (ruling 16)
  bool get_expected_size = false;   // AT+QFTPGET="<file>",<size>
  bool cfg_type6 = false;           // AT+QFTPCFG=6,<0|1>
  bool out_of_memory_code = false;  // -13 for a /RAM/ download that does not fit
  bool file_commands = false;       // AT+QFOPEN, AT+QFREAD ... (the FILE manual)
  bool startup_commands = false;    // ATS0, AT+CREG=, AT+CGREG=, AT+CLIP, AT+COLP, AT+COPS?, AT+QILOCIP
  bool cme_errors = false;          // +CME ERROR for the FILE commands under AT+CMEE 1/2
  // The DUT acts on its host link's end, a DTR drop, as AT&D says (docs/rulings.md ruling 15,
  // R/44): false where unknown; the PIXIT's hangup_hold_ms says whether the bench can drop it.
  bool host_link_hangup = false;
};

// A PICS entry by its JSON name (transcripts' @pics); nullopt for a name that is none.
std::optional<bool> pics_value(const Pics& pics, std::string_view name);

struct Pixit {
  // The fixture as the DUT reaches it: the emulator on this host uses 127.0.0.1; a modem in a lab
  // needs a public address (bind 0.0.0.0, a fixed port, the NAT's address in PASV replies).
  std::string fixture_host = "127.0.0.1";
  std::string fixture_bind = "127.0.0.1";
  std::uint16_t fixture_port = 0;
  std::optional<std::string> fixture_masquerade;
  std::optional<std::pair<std::uint16_t, std::uint16_t>> fixture_passive_ports;
  std::optional<std::string> fixture_domain_name;  // a DNS name of the fixture host (2.2.1)
  std::string unresolvable_name = "qftp-conformance.invalid";  // RFC 6761: never resolves

  std::string apn = "CMNET";  // AT+QICSGP in spec 4.1; a lab's SIM needs its own

  std::string user = "quectel";
  std::string password = "123456";

  // TE-side deadlines.
  std::uint32_t command_timeout_ms = 2000;    // OK/ERROR after a command line
  std::uint32_t urc_timeout_ms = 5000;        // the URC that ends OPEN, PATH, CFG, CLOSE
  std::uint32_t transfer_timeout_ms = 10000;  // CONNECT, and the URC that ends PUT/GET
  // The watchdog of one case: a case still running after this ends as `error` and the DUT is
  // reset. Generous: the longest case waits out a few transfer and URC deadlines in a row.
  std::uint32_t case_timeout_ms = 300000;

  // The DUT's own FTP timeouts (-9 when exceeded); unknown for most real firmware.
  std::optional<std::uint32_t> dut_connect_timeout_ms;
  std::optional<std::uint32_t> dut_reply_timeout_ms;
  std::optional<std::uint32_t> dut_data_timeout_ms;

  // Ruling 6 and docs/field-facts.md §1: the escape's guard time and the gap limit between the
  // '+'s.
  std::uint32_t guard_ms = 500;
  std::uint32_t gap_ms = 20;

  // R/44: the bench can end the DUT's host link as a DTR drop (a serial port whose DTR reaches the
  // modem; a serial server that drops DTR when its TCP connection closes; the spawned emulator),
  // and keeps it ended this long before the next host comes. Absent: it cannot (docs/bench-guide.md).
  std::optional<std::uint32_t> hangup_hold_ms;

  // The cases that wait a default out (2.2.3/08: <time>'s 900 s) run only when this is on: each
  // takes a quarter of an hour. Off by default; a nightly bench run turns it on.
  bool long_waits = false;

  // Ruling 2: URCs the DUT is declared to write "+NAME: value"; the others "+NAME:value".
  std::set<std::string, std::less<>> spaced_urcs = {"+QFTPSTAT", "+QFTPLEN"};
  bool path_read_ok_first = false;  // ruling 3: the declared order of AT+QFTPPATH?

  // Local storage limits (R/13): bytes; unknown when absent.
  std::optional<std::uint64_t> ufs_capacity;
  std::uint64_t ram_file_size = 102400;  // spec 2.2.8

  // docs/field-facts.md §6: the set of +CME ERROR codes the FILE commands answer, "39xx" (3765,
  // 3915-3925) or "40xx" (4000-4016); the F/ cases expect the declared set's code (F/15, F/34).
  std::string file_error_codes = "39xx";
};

// Identity the spawned emulator reports (ATI, AT+GMR, AT+GSN); unused for other DUTs.
struct EmulatorIdentity {
  std::string model = "M95";
  std::string revision = "M95FAR02A08";
  std::string imei = "861234567890123";
};

struct Profile {
  std::string name = "emulator";
  std::string description;
  std::filesystem::path source;  // the file it came from; empty for the built-in default
  Pics pics;
  Pixit pixit;
  EmulatorIdentity emulator;
};

// Unknown keys are errors, so that a typo in a lab's profile never silently tests the wrong thing.
Result<Profile> parse_profile_json(std::string_view text);
Result<Profile> load_profile(const std::filesystem::path& path);

// qftp-emu's key = value device profile matching a conformance profile, for the spawned emulator.
std::string emulator_profile_text(const Profile& profile);

}  // namespace qftp::te
