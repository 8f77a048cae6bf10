// The virtual modem: the engine, memory stores and the server model on the shared virtual loop.
#include "testing/virtual_modem.h"

#include <stdexcept>

namespace qftp::testing {

VirtualModem::VirtualModem(modem::DeviceProfile profile, modem::DefectSet defects)
    : ufs_(profile.ufs_capacity, profile.ufs_capacity),
      sd_(profile.ufs_capacity, profile.ufs_capacity),
      ram_(profile.ram_file_size, profile.ram_file_size * 8),
      engine_(profile, {&ufs_, profile.has_sd ? &sd_ : nullptr, profile.has_ram ? &ram_ : nullptr},
              defects) {}

void VirtualModem::Output::after(const modem::Event&, const std::vector<modem::Action>& actions) {
  for (const auto& action : actions) {
    if (const auto* w = std::get_if<modem::SerialWrite>(&action)) bytes += w->bytes;
  }
}

void VirtualModem::send(std::string_view bytes) {
  apply_knobs();
  loop_.host(bytes);
  loop_.run_until(loop_.now());
}

void VirtualModem::advance(TimeMs ms) {
  apply_knobs();
  loop_.run_until(loop_.now() + ms);
}

void VirtualModem::deliver(std::vector<modem::Event> events) {
  apply_knobs();
  for (const auto& e : events) loop_.call(e);
  loop_.run_until(loop_.now());
}

std::string VirtualModem::take_output() {
  std::string out;
  out.swap(output_.bytes);
  return out;
}

int VirtualModem::fault(std::string_view directive) {
  auto id = plan_.set(directive);
  if (const auto* why = std::get_if<std::string>(&id)) {
    throw std::invalid_argument("not a fault directive: " + std::string(directive) + ": " + *why);
  }
  server_.plan_changed(loop_.now());
  return std::get<int>(id);
}

void VirtualModem::clear_faults() {
  plan_.clear_all();
  knob_faults_.clear();
  server_.plan_changed(loop_.now());
}

// The knobs as directives, replacing the ones set from them before.
void VirtualModem::apply_knobs() {
  for (const int id : knob_faults_) plan_.clear(id);
  knob_faults_.clear();
  const auto set = [this](const std::string& directive) {
    knob_faults_.push_back(std::get<int>(plan_.set(directive)));
  };
  for (const auto& [cmd, f] : knobs_.faults) {
    if (f.silent) set("DELAY " + cmd + " 3600000");
    if (f.close) set("CLOSE " + cmd);
    if (f.code != 0) set("REPLY " + cmd + " " + std::to_string(f.code));
  }
  if (knobs_.connect_error == ftp::SockError::refused) set("REFUSE");
  const bool unresolved = knobs_.connect_error == ftp::SockError::resolve;
  if (unresolved || knob_dns_fails_) plan_.network.dns_fails = unresolved;
  knob_dns_fails_ = unresolved;
  if (knobs_.cut_data_after != UINT64_MAX) {
    set((knobs_.stall_after_cut ? "STALL RETR " : "CUT RETR ") +
        std::to_string(knobs_.cut_data_after));
  }
}

}  // namespace qftp::testing
