// The session fuzzer's invariants, checked around every call into the engine:
//  1. Every command line gets exactly one final result code (OK, ERROR, NO CARRIER, DEACT OK);
//     the only other finals are the OK of a "+++" escape. CONNECT is not a final: it is the
//     intermediate result that opens data mode, comes only when a data connection opens, and
//     every entry into data mode is announced by exactly one.
//  2. In data mode the modem writes nothing but the file's bytes: no text while it stays in data
//     mode, file bytes only between CONNECT and the first text after it; what it writes, stores
//     or sends is exactly what the server sent or the host typed, in order, nothing dropped,
//     duplicated or invented, and all of it when the transfer reports success. A listing
//     (AT+QFTPLIST, AT+QFTPNLST: ruling 16) is a download of the server's LIST or NLST text; a
//     download with an expected size (AT+QFTPGET="<file>",<size>) moves the whole file, the size
//     only dimensioning a /RAM/ file: one larger than the profile's RAM file size never lands there.
//  3. The service state (spec 2.2.9) moves only along the legal transitions for what caused the
//     call, and +QFTPSTAT reports a state on that path.
//  4. +QFTPPUT/+QFTPGET/+QFTPLIST/+QFTPNLST:<n> and +QFTPLEN report the bytes actually
//     delivered, and the result names the command the transfer runs for (STOR, RETR, LIST,
//     NLST); error codes are those of spec chapter 3.
//  5. Memory and output stay bounded, and once the host stops and time runs on, the modem comes
//     to rest: out of data mode, in IDLE, OPENED or CLOSED.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/at/line_framer.h"
#include "core/modem/modem_engine.h"
#include "session/tapped_store.h"

namespace qftp::fuzz {

using Cause = modem::Cause;  // what made the engine move (core/modem/service_state.h)

class SessionOracle {
 public:
  // The stores in the order UFS, SD, RAM.
  explicit SessionOracle(std::array<TappedStore*, 3> stores) : stores_(stores) {}

  // Around each engine call: what caused it, then everything it did.
  void before_call(Cause cause, const modem::ModemEngine& engine);
  void host_bytes(std::string_view bytes);
  void delivered(const modem::Event& event);
  void after_call(const modem::ModemEngine& engine, const std::vector<modem::Action>& actions);

  // The host has stopped and time has run on until nothing is left to happen.
  void at_rest(const modem::ModemEngine& engine) const;

 private:
  // What the oracle knows about the transfer started by the latest TYPE the client sent.
  struct Transfer {
    bool started = false;
    bool upload = false;
    std::optional<std::uint64_t>
        file_size;  // AT+QFTPPUT's <fileSz>, known once STOR names the file
    std::vector<std::pair<std::string, std::uint64_t>> puts;  // the line's AT+QFTPPUTs: name, size
    // ... its AT+QFTPGETs: name, <size> if given
    std::vector<std::pair<std::string, std::optional<std::uint64_t>>> gets;
    std::string verb;  // the transfer command sent: STOR, RETR, LIST or NLST; empty before it
    std::optional<std::uint64_t> expected_size;  // AT+QFTPGET's <size>, once RETR names the file
    std::string host_data;   // host bytes received while in data mode (H)
    std::string sent;        // bytes the modem put on the data connection (R)
    std::string shown;       // file bytes the modem wrote to the host (W)
    std::string served;      // bytes the server delivered on the data connection (S)
    bool connected = false;  // a CONNECT opened data mode for it
    bool escaped = false;
    bool ended = false;  // its +QFTPPUT/+QFTPGET came
    bool cut = false;  // the server closed the data connection
    bool failed = false;  // its +QFTPPUT/+QFTPGET reported an error
  };

  void output(std::string_view bytes);
  void token(std::string_view text);
  void control_command(std::string_view line);
  std::uint64_t delivered_count() const;
  // An AT+QFTPPUT/GET write or an AT+QFTPLIST/NLST (write or execute) among this call's lines.
  bool line_has_transfer_command() const;
  bool listing() const { return cur_.verb == "LIST" || cur_.verb == "NLST"; }
  std::string stored() const;
  void check_transition(const modem::ModemEngine& engine);
  void check_upload_end(bool escape);
  void shadow_push(std::string_view bytes);

  std::array<TappedStore*, 3> stores_;

  // The call in progress.
  Cause cause_ = Cause::host;
  std::uint64_t ram_file_size_ = 0;  // the profile's RAM space for one download
  bool mode_before_ = false;
  modem::ServiceState state_before_ = modem::ServiceState::idle;
  modem::ServiceState state_after_ = modem::ServiceState::idle;
  unsigned frames_ = 0;  // command lines the host completed in this call
  unsigned finals_ = 0;
  unsigned connects_ = 0;
  bool ok_seen_ = false;
  std::size_t text_bytes_ = 0;
  std::size_t data_bytes_ = 0;
  std::vector<std::string> bodies_;  // [0, frames_): of the lines completed in this call

  // A second framer fed exactly the bytes the modem reads in command mode, counting lines.
  at::LineFramer shadow_;

  // The serial line as the host reads it.
  std::string line_;
  bool after_connect_ = false;  // a CONNECT came and no text since

  Transfer cur_;
  // What AT+QFTPLEN must answer (ruling 12): the bytes of the latest +QFTPPUT/+QFTPGET, 0 for one
  // refused before its transfer started.
  std::uint64_t len_ = 0;
  modem::ServiceState opened_from_ = modem::ServiceState::idle;  // where OPENING was entered from
};

}  // namespace qftp::fuzz
