// The virtual modem: the engine, memory stores and the server model on the shared virtual loop.
#include "testing/virtual_modem.h"

#include <stdexcept>

namespace qftp::testing {

VirtualModem::VirtualModem(modem::DeviceProfile profile, modem::DefectSet defects)
    : ufs_(profile.ufs_capacity, profile.ufs_capacity),
      sd_(profile.ufs_capacity, profile.ufs_capacity),
      ram_(profile.ram_file_size, profile.ram_capacity()),
      engine_(profile, {&ufs_, profile.has_sd ? &sd_ : nullptr, profile.has_ram ? &ram_ : nullptr},
              defects) {}

void VirtualModem::Output::after(const modem::Event&, const std::vector<modem::Action>& actions) {
  for (const auto& action : actions) {
    if (const auto* w = std::get_if<modem::SerialWrite>(&action)) bytes += w->bytes;
  }
}

void VirtualModem::send(std::string_view bytes) {
  loop_.host(bytes);
  loop_.run_until(loop_.now());
}

void VirtualModem::advance(TimeMs ms) {
  loop_.run_until(loop_.now() + ms);
}

void VirtualModem::deliver(std::vector<modem::Event> events) {
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

void VirtualModem::clear_fault(int id) {
  plan_.clear(id);
  server_.plan_changed(loop_.now());
}

void VirtualModem::clear_faults() {
  plan_.clear_all();
  server_.plan_changed(loop_.now());
}

}  // namespace qftp::testing
