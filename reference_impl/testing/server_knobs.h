// The in-process server as unit tests saw it before it took the fixture's directives: its files,
// accounts and log (the model's own), and per-command faults, a refused or unresolved connect, a
// cut download. VirtualModem turns these knobs into directives of its plan before the modem runs,
// so tests written against them keep working; new tests set directives (VirtualModem::fault).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/modem/events.h"
#include "testing/ftp_server_model.h"

namespace qftp::testing {

struct ServerKnobs {
  explicit ServerKnobs(FtpServerModel& model)
      : files(model.files),
        dirs(model.dirs),
        user(model.user),
        password(model.password),
        log(model.log),
        model_(model) {}

  std::map<std::string, std::string>& files;
  std::set<std::string>& dirs;
  std::string& user;
  std::string& password;
  std::vector<std::string>& log;

  struct Fault {
    int code = 0;         // REPLY CMD code
    bool close = false;   // CLOSE CMD
    bool silent = false;  // DELAY CMD 3600000: no answer within any timeout
  };
  std::map<std::string, Fault> faults;          // "RETR" -> fault; "GREETING" for the banner
  std::optional<ftp::SockError> connect_error;  // refused: REFUSE; resolve: DNS FAIL
  std::uint64_t cut_data_after = UINT64_MAX;    // CUT RETR n
  bool stall_after_cut = false;                 // ... STALL RETR n instead

  // IDLE's 421 and close, now; the events come through the loop, so there are none to return.
  std::vector<modem::Event> kick(TimeMs now) {
    model_.idle_timeout(now);
    return {};
  }

 private:
  FtpServerModel& model_;
};

}  // namespace qftp::testing
