// Layer 6 (docs/architecture.md §2.1): the modem. One object that consumes events (host bytes,
// timers, socket results, network changes) and returns actions (bytes to the host, a wake-up,
// socket operations). Command dispatch and output live in modem_engine.cpp, the V.250 and network
// commands in basic_commands.cpp, the AT+QFTP* handlers of spec 2.2.1-2.2.10 in qftp_commands.cpp,
// and the transfers with data mode (ruling 5/6) and local storage in qftp_transfer.cpp; the FILE
// commands in file_commands.cpp, their data mode (ruling 17) in file_data_mode.cpp.
#pragma once

#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/at/command_parser.h"
#include "core/at/line_framer.h"
#include "core/at/result_formatter.h"
#include "core/escape/escape_detector.h"
#include "core/ftp/ftp_client.h"
#include "core/modem/defects.h"
#include "core/modem/device_profile.h"
#include "core/modem/events.h"
#include "core/modem/file_checksum.h"
#include "core/modem/local_store.h"
#include "core/modem/service_state.h"

namespace qftp::modem {

// The local stores a modem has; null where the device has none (SD and RAM: M33 only).
struct Stores {
  LocalStore* ufs = nullptr;
  LocalStore* sd = nullptr;
  LocalStore* ram = nullptr;
};

class ModemEngine {
 public:
  ModemEngine(DeviceProfile profile, Stores stores, DefectSet defects = {});

  void handle(const Event& event);
  // The actions of the calls since the last take, in order. `into`'s contents are replaced and its
  // storage is kept for the engine's next actions: an owner that takes into the same vector after
  // every call allocates nothing for them.
  void take_actions(std::vector<Action>& into);

  // For tests and fuzz oracles. The service state of spec 2.2.9 is derived, never stored: from
  // the FTP client's phase and whether a session has ever been open (IDLE or CLOSED).
  ServiceState state() const;
  bool in_data_mode() const { return mode_ != Mode::command; }
  std::uint64_t last_transfer_length() const { return last_len_; }
  const DeviceProfile& profile() const { return profile_; }

 private:
  // file_in, file_out: the FILE commands' data mode (AT+QFWRITE, AT+QFUPL; AT+QFREAD, AT+QFDWL).
  enum class Mode : std::uint8_t { command, data_upload, data_download, file_in, file_out };
  // cme: the FILE commands' failure, +CME ERROR: <cme_code_> under AT+CMEE 1 or 2 (cme_errors).
  enum class Reply : std::uint8_t { ok, error, no_carrier, deact_ok, none, cme };

  // V.250 settings, restored by AT&F and ATZ.
  struct AtSettings {
    bool echo = true;
    bool verbose = true;
    bool quiet = false;
    std::uint8_t s3 = 13;
    std::uint8_t s4 = 10;
    std::uint8_t s5 = 8;
    int cmee = 1;
    int ifc_by_te = 0;  // AT+IFC <dce_by_dte>
    int ifc_by_ta = 0;  // AT+IFC <dte_by_dce>
    long ipr = 115200;
    // AT&D: what DTR going off does in data mode (ruling 15). 0: nothing; 1 (the emulator's
    // power-up value, see the ruling) and 2: data mode ends as the escape ends it.
    int dtr = 1;
  };

  // The simulated network behind AT+QIACT and friends, and the emulator's network control.
  struct Network {
    bool context_active = false;
    bool activation_fails = false;
    int foreground_context = 0;
    int csgp_mode = 1;
    std::string apn = "CMNET";
    std::string apn_user;
    std::string apn_password;
    bool app_registered = false;
    // docs/field-facts.md §7 (startup_commands): the registration URC settings and ATS0, AT+CLIP,
    // AT+COLP, 0 at power-on (F/38); the network is the home network, registered.
    int creg = 0;
    int cgreg = 0;
    int s0 = 0;
    int clip = 0;
    int colp = 0;
    bool registered = true;
  };

  // AT+QFTPCFG, AT+QFTPUSER/PASS and the open session's parameters.
  struct Config {
    bool passive = true;           // type 1
    bool binary = true;            // type 2
    std::uint64_t resume_point = 0;// type 3
    std::string position = "/COM/";// type 4
    std::string user;
    std::string password;
    std::string host;              // AT+QFTPOPEN's, for its read form
    std::uint16_t port = 0;
    std::string path;              // the latest AT+QFTPPATH the server accepted
    int type6 = 0;                 // AT+QFTPCFG=6 (cfg_type6): stored, meaning unknown
  };

  // Where a transfer's local side is: the UART, or a named file in a store.
  struct LocalTarget {
    LocalStore* store = nullptr;  // null: /COM/
    std::string name;
  };

  // The engine's side of a transfer; the bytes moved are the FTP client's (TransferDone).
  struct Transfer {
    bool upload = false;
    std::string_view urc_name;        // +QFTPPUT, +QFTPGET, +QFTPLIST or +QFTPNLST
    LocalTarget local;
    std::uint64_t file_size = 0;      // upload from /COM/: <fileSz>
    std::uint64_t taken = 0;          // upload from /COM/: bytes taken from the host so far
    TimeMs time_limit = kNever;       // upload from /COM/: <time> in ms
    TimeMs input_deadline = kNever;   // upload from /COM/: CONNECT + <time>
    std::uint64_t resume_point = 0;
    std::string payload;              // upload from a store: the bytes to send
    std::optional<int> local_error;   // a store failed during the transfer
    bool escaped = false;
    // Download: bytes the FTP client received that reached neither the host nor the store (after
    // a store failed, or dropped by the get-lose-byte defect); the count reported leaves them out.
    std::uint64_t undelivered = 0;
    bool first_data_seen = false;
    std::string held_back;  // the escape-drops-byte defect: the host's latest byte, not yet sent
    char last_taken = 0;    // the ring-wrap-stale defect: the byte before the next one taken
    // Upload from /COM/ that the server or the network ended while the host was still sending
    // (ruling 14): the final URC's value, held until data mode ends by <fileSz>, the escape or
    // <time>; the host's bytes until then are discarded.
    std::optional<std::string> ended_early;
  };

  // modem_engine.cpp: input, output, dispatch.
  void on_serial(TimeMs t, std::string_view bytes);
  std::size_t command_input(TimeMs t, std::string_view bytes);
  void run_frame(TimeMs t, const at::FrameView& frame);
  void run_line(TimeMs t, std::string_view body);
  Reply dispatch(TimeMs t, const at::Command& command);
  void write(std::string bytes);
  void info(std::string_view text);
  std::string field(std::string_view name, std::string_view value) const;
  void urc(std::string_view name, std::string_view value);
  void urc_spaced(std::string_view name, std::string_view value);  // 27.007 style: "+NAME: v"
  void urc_text(std::string text);
  void write_urc(std::string_view text);
  void final_result(Reply reply);
  void final_result(at::Final code);
  void reboot(TimeMs t);  // the error-run-reboot defect
  at::FormatSettings format() const;
  void update_timer();
  TimeMs deadline() const;

  // basic_commands.cpp: V.250 basics, identity, network and context commands (docs/field-facts.md
  // §1).
  std::optional<Reply> basic_command(TimeMs t, const at::Command& c);
  Reply s_register(const at::Command& c);

  // qftp_commands.cpp: spec 2.2.1-2.2.10.
  std::optional<Reply> qftp_command(TimeMs t, const at::Command& c);
  Reply cmd_open(TimeMs t, const at::Command& c);
  Reply cmd_close(TimeMs t, const at::Command& c);
  Reply cmd_put(TimeMs t, const at::Command& c);
  Reply cmd_get(TimeMs t, const at::Command& c);
  Reply cmd_path(TimeMs t, const at::Command& c);
  Reply cmd_user(const at::Command& c);
  Reply cmd_pass(const at::Command& c);
  Reply cmd_cfg(const at::Command& c);
  Reply cmd_stat(const at::Command& c);
  Reply cmd_len(const at::Command& c);

  // field_ftp_commands.cpp: the FTP commands after V1.1 (docs/field-facts.md §5), each behind
  // its profile switch (ruling 13).
  std::optional<Reply> field_ftp_command(TimeMs t, const at::Command& c);
  Reply cmd_file_op(TimeMs t, const at::Command& c, ftp::FileOp op);
  Reply cmd_listing(TimeMs t, const at::Command& c, bool names_only);
  void on_file_op_done(const ftp::FileOpDone& done);

  // field_basic_commands.cpp: the start-up commands of docs/field-facts.md §7 (startup_commands).
  std::optional<Reply> field_basic_command(const at::Command& c);
  void on_registration(bool registered);

  // file_commands.cpp: the FILE commands (docs/field-facts.md §6, file_commands).
  struct FileName {
    LocalStore* store = nullptr;
    std::string prefix;  // "", "RAM:" or "SD:"
    std::string name;    // "*" for every file of the store
  };
  struct OpenFile {
    FileName file;
    int mode = 0;
    std::uint64_t position = 0;
    // F/37: AT+QFOPEN's <length> for a RAM file the open created; writes through the handle stop
    // there.
    std::optional<std::uint64_t> length_cap;
  };
  std::optional<Reply> file_command(TimeMs t, const at::Command& c);
  std::optional<FileName> file_name(std::string_view text) const;
  Reply cme(int code);
  Reply cmd_qflst(const at::Command& c);
  Reply cmd_qflds(const at::Command& c);
  Reply cmd_qfdel(const at::Command& c);
  Reply cmd_qfopen(const at::Command& c);
  Reply cmd_qfread(TimeMs t, const at::Command& c);
  Reply cmd_qfseek(const at::Command& c);
  Reply cmd_qfdwl(TimeMs t, const at::Command& c);
  Reply cmd_handle(const at::Command& c);  // QFPOSITION, QFCLOSE, QFFLUSH, QFTUCAT
  Reply cmd_qfmov(const at::Command& c);
  OpenFile* handle_param(const at::Command& c);

  // file_data_mode.cpp: the FILE commands' data mode, ended by its length, its idle <timeout> or
  // the escape (ruling 17): AT+QFWRITE and AT+QFUPL take the host's bytes into a file, AT+QFREAD
  // and AT+QFDWL send a file's bytes at the UART's rate.
  struct FileIo {
    std::string_view command;     // "+QFWRITE", "+QFUPL", "+QFREAD" or "+QFDWL"
    FileName file;
    std::int64_t handle = 0;      // AT+QFWRITE, AT+QFREAD
    std::uint64_t want = 0;       // input: bytes still to take
    std::uint64_t moved = 0;      // bytes stored from the host or sent to it
    // input: bytes the file may still take (F/37: past a RAM file's <length> they are discarded)
    std::uint64_t room = std::numeric_limits<std::uint64_t>::max();
    TimeMs idle_ms = 5000;        // input: <timeout>
    TimeMs deadline = kNever;     // input: the idle deadline; output: the next chunk
    bool ack = false;             // AT+QFUPL <ackmode> 1: "A" after every 1024 bytes
    bool skip_lf = false;         // a LF straight after the CR that ended the command line
    FileChecksum sum;
    std::string out;              // output: the bytes still to send
    std::string tail;             // AT+QFWRITE: the file past the position, put back after
    std::string typed_ahead;      // output: host bytes meanwhile, command-mode input after (F/22)
    std::optional<int> error;     // input: the store failed; the rest is discarded
  };
  Reply cmd_qfwrite(TimeMs t, const at::Command& c);
  Reply cmd_qfupl(TimeMs t, const at::Command& c);
  Reply start_file_output(TimeMs t, FileIo io, std::string connect_line);
  bool uart_promised() const;
  void file_take(TimeMs t, std::string_view data);
  void file_send_chunk(TimeMs t);
  void end_file_io(bool escaped, bool quiet = false);
  void on_file_tick(TimeMs t);

  // qftp_transfer.cpp: transfers, data mode, FTP client events, local storage.
  std::optional<int> resolve_local(std::string_view position, const std::string& remote_name,
                                   LocalTarget& out) const;
  // expected_size: AT+QFTPGET's optional <size> (get_expected_size), 0 when not given.
  void start_transfer(TimeMs t, ftp::TransferParams::Direction direction, std::string remote_name,
                      std::uint64_t file_size, TimeMs time_limit, std::uint64_t expected_size = 0);
  int store_error(const LocalTarget& local, StoreError e) const;
  std::size_t data_input(TimeMs t, std::string_view bytes);
  void take_data(TimeMs t, std::string_view data);
  void end_upload_input(TimeMs t);
  void end_discarding(TimeMs t, bool escaped);
  void on_escape(TimeMs t);
  void on_hangup(TimeMs t);
  std::string leave_data_mode();
  void on_tick(TimeMs t);
  void pump(TimeMs t);
  void on_client_event(TimeMs t, const ftp::ClientEvent& event);
  void on_transfer_ready(TimeMs t);
  void on_download_data(TimeMs t, std::string_view bytes);
  void finish_transfer(const ftp::TransferDone& done);
  int code_for(const ftp::Failure& failure) const;

  DeviceProfile profile_;
  Stores stores_;
  DefectSet defects_;
  AtSettings at_;
  Network net_;
  Config cfg_;
  at::LineFramer framer_;
  at::ParsedLine parsed_;  // the line run_line is running
  escape::EscapeDetector escape_;
  ftp::FtpClient ftp_;

  Mode mode_ = Mode::command;
  bool session_seen_ = false;           // a session has been open: no session is CLOSED, not IDLE
  std::optional<Transfer> transfer_;
  std::uint64_t last_len_ = 0;
  std::string handed_back_;             // host bytes data mode gave back to command mode, in order
  std::vector<std::string> held_urcs_;  // URCs that arrived during data mode
  bool executing_ = false;              // a command line runs: URCs follow its final result
  std::vector<std::string> after_final_;
  std::map<std::int64_t, OpenFile> open_files_;  // by handle (AT+QFOPEN)
  std::optional<FileIo> file_io_;                // the FILE command in data mode
  char line_end_ = 0;                            // the byte that ended the latest command line
  std::int64_t next_handle_ = 12451840;          // the handles of the FILE manual's example on
  int cme_code_ = 0;                             // what a Reply::cme reports
  bool file_line_ran_ = false;                   // the line just run had a FILE command
  // Defects that model robustness bugs (defects.h): the AT engine hung; command lines answered
  // ERROR in a row; the last transfer ended by the escape.
  bool hung_ = false;
  int errors_in_row_ = 0;
  bool escaped_last_ = false;
  std::vector<Action> actions_;
  std::vector<ftp::ClientEvent> events_buf_;  // pump's, kept for its storage
  TimeMs armed_ = kNever;
};

}  // namespace qftp::modem
