// dut_spec.h: the --dut argument: "emulator" (spawn the built qftp-emu),
// "serial:DEV[,baud=N][,rtscts]" (a modem on a serial port) or
// "tcp:HOST:PORT[,telnet[,baud=N][,rtscts]]" (a modem behind a serial server's raw or telnet port).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "te/result.h"

namespace qftp::te {

struct DutSpec {
  enum class Kind : std::uint8_t { emulator, serial, tcp };
  Kind kind = Kind::emulator;
  std::string device;  // serial
  // The serial line's settings: of the device (serial), or of the server's port set through
  // RFC 2217 (tcp with telnet). A raw tcp port has none: the serial server's own apply.
  long baud = 115200;
  bool rtscts = false;
  std::string host;  // tcp
  std::uint16_t port = 0;
  bool telnet = false;  // tcp: the server's port speaks telnet (RFC 854) and RFC 2217

  std::string describe() const;
};

Result<DutSpec> parse_dut_spec(std::string_view text);

}  // namespace qftp::te
