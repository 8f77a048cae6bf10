// The virtual modem's event loop: engine actions go to the fake server, its events come back.
#include "testing/virtual_modem.h"

namespace qftp::testing {

VirtualModem::VirtualModem(modem::DeviceProfile profile, modem::DefectSet defects)
    : ufs_(profile.ufs_capacity, profile.ufs_capacity),
      sd_(profile.ufs_capacity, profile.ufs_capacity),
      ram_(profile.ram_file_size, profile.ram_file_size * 8),
      engine_(profile, {&ufs_, profile.has_sd ? &sd_ : nullptr, profile.has_ram ? &ram_ : nullptr},
              defects) {}

void VirtualModem::handle(modem::Event event) {
  queue_.push_back(std::move(event));
  while (!queue_.empty()) {
    modem::Event next = std::move(queue_.front());
    queue_.pop_front();
    engine_.handle(next);
    std::vector<modem::Action> actions;
    engine_.take_actions(actions);
    for (auto& action : actions) {
      if (auto* w = std::get_if<modem::SerialWrite>(&action)) {
        output_ += w->bytes;
      } else if (const auto* a = std::get_if<modem::ArmTimer>(&action)) {
        wakeup_ = a->at;
      } else if (std::holds_alternative<modem::CancelTimer>(action)) {
        wakeup_ = kNever;
      } else if (const auto* op = std::get_if<modem::SocketOp>(&action)) {
        for (auto& e : server_.on_op(now_, op->op)) queue_.push_back(std::move(e));
      }
    }
  }
}

void VirtualModem::deliver(std::vector<modem::Event> events) {
  for (auto& e : events) handle(std::move(e));
}

void VirtualModem::send(std::string_view bytes) { handle(modem::SerialBytes{now_, std::string(bytes)}); }

void VirtualModem::advance(TimeMs ms) {
  const TimeMs end = now_ + ms;
  while (wakeup_ != kNever && wakeup_ <= end) {
    now_ = std::max(now_, wakeup_);
    wakeup_ = kNever;
    handle(modem::TimerFired{now_});
  }
  now_ = end;
}

std::string VirtualModem::take_output() {
  std::string out;
  out.swap(output_);
  return out;
}

}  // namespace qftp::testing
