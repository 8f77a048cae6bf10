// What the FTP server model asks before it acts, in the fixture's directive vocabulary. Two plans
// answer: DirectivePlan, a list of directives set as a test sets them on the fixture, and the
// session fuzzer's, which reads each answer from its input.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/common/time.h"
#include "core/ftp/ftp_client.h"
#include "testing/fault_directive.h"

namespace qftp::testing {

// The directives that apply to one command (or to the greeting, "GREETING"), in the fixture's
// order: DELAY first; then CLOSE, GARBAGE or REPLY instead of the command; the shaping of its
// replies.
struct CommandFaults {
  TimeMs delay = 0;
  const Directive* instead = nullptr;
  bool multiline = false;
  bool lfonly = false;
  bool burst = false;
};

// The directives a transfer command (RETR, STOR) takes when it starts.
struct TransferFaults {
  const Directive* cut = nullptr;
  const Directive* stall = nullptr;
  const Directive* final = nullptr;
  std::uint64_t slow = 0;  // SLOW's bytes per second; 0 for full speed
};

// What the network does to the modem's attempt to connect (the emulator control's DNS FAIL, LINK
// DOWN and LATENCY, the fixture's REFUSE, and what a fuzzer adds).
struct ConnectFate {
  TimeMs latency = 0;
  std::optional<ftp::SockError> error;      // the attempt fails this way
  bool unanswered = false;                  // nothing ever comes back
  std::string_view local_ip = "127.0.0.1";  // the modem's address on the connection
};

class FaultPlan {
 public:
  virtual ~FaultPlan() = default;

  virtual CommandFaults command(std::string_view cmd) = 0;
  // NODATACONN, asked at each PASV, EPSV, PORT and EPRT; it governs the next transfer.
  virtual const Directive* data_setup() = 0;
  // `size`: the bytes a download would send (0 for an upload).
  virtual TransferFaults transfer(std::string_view cmd, std::uint64_t size) = 0;
  // IDLE: the limit in force (not counted as a match), and the match when its 421 goes out.
  virtual std::optional<TimeMs> idle_limit() = 0;
  virtual void idle_fired() = 0;
  virtual ConnectFate connect(ftp::Sock sock) = 0;
  // Active mode: the address the modem listens on, as its I/O shell would report it.
  virtual std::string_view listen_ip() = 0;
  // What the server finds at a path where it holds no file; nullopt: nothing (550).
  virtual std::optional<std::string> absent_file(std::string_view path) = 0;
};

}  // namespace qftp::testing
