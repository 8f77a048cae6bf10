// com_port_option.h: RFC 2217's COM-PORT-OPTION, client side and sans I/O: the commands that set
// a serial server's port (baud rate, 8 data bits, no parity, 1 stop bit, RTS/CTS or no flow
// control) as pyserial's rfc2217:// sets them, and the check of the server's acknowledgements.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "te/result.h"

namespace qftp::te {

namespace rfc2217 {
inline constexpr std::uint8_t kSetBaudrate = 1;
inline constexpr std::uint8_t kSetDatasize = 2;
inline constexpr std::uint8_t kSetParity = 3;
inline constexpr std::uint8_t kSetStopsize = 4;
inline constexpr std::uint8_t kSetControl = 5;
inline constexpr std::uint8_t kFlowcontrolSuspend = 8;
inline constexpr std::uint8_t kFlowcontrolResume = 9;
inline constexpr std::uint8_t kServerOffset = 100;  // the server answers command N as N + 100
inline constexpr std::uint8_t kParityNone = 1;
inline constexpr std::uint8_t kStopsizeOne = 1;
inline constexpr std::uint8_t kControlNoFlow = 1;
inline constexpr std::uint8_t kControlHardwareFlow = 3;
}  // namespace rfc2217

struct ComPortSettings {
  long baud = 115200;
  bool rtscts = false;
};

class ComPortSetup {
 public:
  explicit ComPortSetup(ComPortSettings settings);

  // The five commands, each IAC SB COM-PORT-OPTION ... IAC SE, ready for the wire.
  std::string requests() const;
  // The payload of a COM-PORT-OPTION subnegotiation from the server; the answers to our commands
  // are checked off, anything else (line or modem state, flow control) is not this setup's.
  void on_reply(std::string_view payload);
  // Every command has its answer.
  bool done() const;
  // An answer that differs from what was asked: the port does not run as the DUT spec says.
  Status result() const;
  // The commands still without an answer, for a timeout's message.
  std::string unanswered() const;

 private:
  struct Command {
    std::uint8_t code;
    std::string value;  // as on the wire, network byte order
    std::optional<std::string> answer;
  };
  std::array<Command, 5> commands_;
};

// The server's flow control of our sending (FLOWCONTROL-SUSPEND, -RESUME) in a COM-PORT-OPTION
// payload: true to stop, false to go on, nullopt for anything else.
std::optional<bool> com_port_suspends(std::string_view payload);

}  // namespace qftp::te
