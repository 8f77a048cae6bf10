// The FTP service states of spec 2.2.9, as AT+QFTPSTAT names them.
#pragma once

#include <cstdint>
#include <string_view>

namespace qftp::modem {

enum class ServiceState : std::uint8_t { idle, opening, opened, working, transfer, closing, closed };

constexpr std::string_view state_name(ServiceState s) {
  switch (s) {
    case ServiceState::idle: return "IDLE";
    case ServiceState::opening: return "OPENING";
    case ServiceState::opened: return "OPENED";
    case ServiceState::working: return "WORKING";
    case ServiceState::transfer: return "TRANSFER";
    case ServiceState::closing: return "CLOSING";
    case ServiceState::closed: return "CLOSED";
  }
  return "IDLE";
}

// True when the service has no session with a server (AT+QFTPUSER/PASS/OPEN may run).
constexpr bool no_session(ServiceState s) {
  return s == ServiceState::idle || s == ServiceState::closed;
}

}  // namespace qftp::modem
