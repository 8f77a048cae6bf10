// An in-process FTP server for the sans-I/O engine: it answers the socket operations the modem
// asks for with the socket events a real server would cause, on virtual time. Used by unit tests
// and the session fuzzer (no Boost, no GoogleTest). Faults are set per command.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/modem/events.h"

namespace qftp::testing {

class FakeFtpServer {
 public:
  struct Fault {
    int code = 0;             // reply this code instead of executing the command
    bool close = false;       // drop the control connection instead of replying
    bool silent = false;      // never answer
  };

  std::map<std::string, std::string> files;  // "/dir/name" -> contents
  std::set<std::string> dirs = {"/"};
  std::string user = "quectel";
  std::string password = "123456";
  bool refuse_connect = false;
  std::optional<ftp::SockError> connect_error;   // fail the control connect this way
  std::map<std::string, Fault> faults;            // "RETR" -> fault; "GREETING" for the banner
  std::uint64_t cut_data_after = UINT64_MAX;      // RETR: the data connection breaks after N bytes
  bool stall_after_cut = false;                   // ... or stalls there, open and silent
  std::vector<std::string> log;                   // every command line received

  // The events an operation causes, in order; the caller delivers them to the engine.
  std::vector<modem::Event> on_op(TimeMs t, const ftp::Op& op);

  // Server-side events not caused by the modem (an idle timeout): 421 and close.
  std::vector<modem::Event> kick(TimeMs t);

 private:
  void reply(TimeMs t, int code, const std::string& text, std::vector<modem::Event>& out);
  void command(TimeMs t, const std::string& line, std::vector<modem::Event>& out);
  void start_retr(TimeMs t, std::vector<modem::Event>& out);
  std::string resolve(const std::string& name) const;

  bool control_open_ = false;
  bool data_open_ = false;
  bool logged_in_ = false;
  std::string pending_user_;
  std::string cwd_ = "/";
  std::uint64_t rest_ = 0;
  bool binary_ = false;
  std::string control_buf_;
  // The transfer waiting for or using the data connection.
  enum class Xfer : std::uint8_t { none, stor, retr };
  Xfer xfer_ = Xfer::none;
  std::string xfer_path_;
  std::string upload_;
};

}  // namespace qftp::testing
