// The engine's inputs and outputs (docs/architecture.md §2.1): events in, actions out, time carried
// by each event. qftp-emu's I/O shell, the tests and the session fuzzer all speak to the engine
// this way.
#pragma once

#include <cstdint>
#include <string>
#include <variant>

#include "core/common/time.h"
#include "core/ftp/ftp_client.h"

namespace qftp::modem {

// --- events --------------------------------------------------------------------------------------
struct SerialBytes { TimeMs t; std::string bytes; };  // from the host (TE)
struct TimerFired { TimeMs t; };                       // the wake-up armed by ArmTimer came due
struct SocketConnected { TimeMs t; ftp::Sock sock; std::string local_ip; };
struct SocketListening { TimeMs t; std::string ip; std::uint16_t port; };
struct SocketData { TimeMs t; ftp::Sock sock; std::string bytes; };
struct SocketClosed { TimeMs t; ftp::Sock sock; ftp::SockError why; };
// The simulated network (emulator control, off unless asked for): the PDP context dropped,
// whether it can be activated, and the registration lost (searching) or back (home).
struct NetworkEvent {
  enum class Kind : std::uint8_t {
    context_lost,
    activation_fails,
    activation_works,
    registration_lost,
    registration_back,
  };
  TimeMs t;
  Kind kind;
};
// The host's link ended (a TCP host closed its connection, a pty's last opener hung up): the
// emulator's DTR drop (docs/rulings.md ruling 15). The next bytes come from another host.
struct HostHangup { TimeMs t; };
using Event = std::variant<SerialBytes, TimerFired, SocketConnected, SocketListening, SocketData,
                           SocketClosed, NetworkEvent, HostHangup>;

// --- actions -------------------------------------------------------------------------------------
struct SerialWrite { std::string bytes; };  // to the host
// The engine keeps one wake-up: ArmTimer replaces the previous one; CancelTimer removes it.
struct ArmTimer { TimeMs at; };
struct CancelTimer {};
struct SocketOp { ftp::Op op; };
// AT+IFC: whether the transport should honour RTS/CTS, where it has them.
struct SetFlowControl { bool rts_cts_from_host; bool rts_cts_to_host; };
using Action = std::variant<SerialWrite, ArmTimer, CancelTimer, SocketOp, SetFlowControl>;

}  // namespace qftp::modem
