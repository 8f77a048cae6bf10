// twin.h: the differential oracle's reference: the kit's own modem engine in-process on virtual
// time, with the FTP server model as its peer, set up like the DUT (the same device profile, the
// fixture's accounts and faults). It gets every byte the DUT gets, and as much time passes for it
// as passed on the bench, so that its answers are what the spec asks of the DUT at that point.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/modem/device_profile.h"
#include "te/profile.h"
#include "te/result.h"
#include "testing/virtual_modem.h"

namespace qftp::dutfuzz {

// The verb of an FTP command line that sets up a data connection (PASV, EPSV, PORT, EPRT), upper
// case; nothing for any other line.
std::optional<std::string> data_setup_verb(std::string_view line);
// PASV and EPSV are passive mode (the client connects), PORT and EPRT active (the server does).
bool passive_verb(std::string_view verb);

class Twin {
 public:
  // `device_profile_text` is qftp-emu's key = value profile of the DUT (emulator_profile_text()).
  static te::Result<Twin> create(std::string_view device_profile_text, const te::Pixit& pixit);

  // A fresh engine and server, as after a power-up and a fixture RESET.
  void restart();
  void send(std::string_view bytes) { modem_->send(bytes); }
  void advance(std::uint64_t ms) { modem_->advance(ms); }
  std::string take_output() { return modem_->take_output(); }
  // The fixture's RESET: faults cleared, sessions ended, the root emptied.
  void reset_server();
  // A fixture directive; false when the model does not know it (the case then has no twin).
  bool fault(std::string_view directive);

  // The server holds `path` ("/name") with `bytes`.
  void put_server_file(const std::string& path, std::string bytes);
  // What the reference's server holds: "/dir/name" -> its bytes.
  const std::map<std::string, std::string>& server_files() const;
  // The commands that set up each data connection on the reference's server since its RESET, in
  // order: PASV, EPSV (passive), PORT, EPRT (active).
  std::vector<std::string> data_setups() const;

  // Virtual milliseconds until the engine or the server next does something by itself (a timer, a
  // delayed reply); kNever when nothing is due.
  TimeMs due_in() const;
  bool in_data_mode() const;
  bool has_session() const;
  modem::ServiceState state() const;

 private:
  Twin(modem::DeviceProfile profile, te::Pixit pixit);
  modem::DeviceProfile profile_;
  te::Pixit pixit_;
  std::unique_ptr<testing::VirtualModem> modem_;
};

}  // namespace qftp::dutfuzz
