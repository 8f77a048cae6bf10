// twin.cpp: the reference engine set up like the DUT.
#include "twin.h"

#include <algorithm>
#include <cctype>
#include <stdexcept>
#include <utility>
#include <variant>

namespace qftp::dutfuzz {

std::optional<std::string> data_setup_verb(std::string_view line) {
  std::string verb(line.substr(0, line.find(' ')));
  std::transform(verb.begin(), verb.end(), verb.begin(),
                 [](unsigned char ch) { return static_cast<char>(std::toupper(ch)); });
  if (verb == "PASV" || verb == "EPSV" || verb == "PORT" || verb == "EPRT") return verb;
  return std::nullopt;
}

bool passive_verb(std::string_view verb) { return verb == "PASV" || verb == "EPSV"; }

te::Result<Twin> Twin::create(std::string_view device_profile_text, const te::Pixit& pixit) {
  auto parsed = modem::parse_profile(device_profile_text);
  if (const auto* why = std::get_if<std::string>(&parsed)) {
    return te::make_error("the DUT's device profile: " + *why);
  }
  return Twin(std::get<modem::DeviceProfile>(std::move(parsed)), pixit);
}

Twin::Twin(modem::DeviceProfile profile, te::Pixit pixit)
    : profile_(std::move(profile)), pixit_(std::move(pixit)) {
  restart();
}

void Twin::restart() {
  modem_ = std::make_unique<testing::VirtualModem>(profile_);
  modem_->server().user = pixit_.user;
  modem_->server().password = pixit_.password;
}

void Twin::reset_server() {
  modem_->clear_faults();
  modem_->server().files.clear();
  modem_->server().dirs.clear();
  modem_->server().log.clear();
}

bool Twin::fault(std::string_view directive) {
  try {
    (void)modem_->fault(directive);
    return true;
  } catch (const std::invalid_argument&) {
    return false;
  }
}

void Twin::put_server_file(const std::string& path, std::string bytes) {
  modem_->server().files[path] = std::move(bytes);
}

const std::map<std::string, std::string>& Twin::server_files() const {
  return modem_->server().files;
}

std::vector<std::string> Twin::data_setups() const {
  std::vector<std::string> out;
  for (const std::string& line : modem_->server().log) {
    if (auto verb = data_setup_verb(line)) out.push_back(*verb);
  }
  return out;
}

TimeMs Twin::due_in() const {
  const TimeMs at = modem_->next_due();
  return at == kNever ? kNever : at - std::min(at, modem_->now());
}

bool Twin::in_data_mode() const { return modem_->engine().in_data_mode(); }
modem::ServiceState Twin::state() const { return modem_->engine().state(); }
bool Twin::has_session() const { return !modem::no_session(state()); }

}  // namespace qftp::dutfuzz
