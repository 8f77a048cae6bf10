// dut_spec.h: the --dut argument: "emulator" (spawn the built qftp-emu),
// "serial:DEV[,baud=N][,rtscts]" (a modem on a serial port) or "tcp:HOST:PORT" (a modem behind a
// ser2net-style raw TCP port).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "harness/result.h"

namespace qftp::harness {

struct DutSpec {
  enum class Kind : std::uint8_t { emulator, serial, tcp };
  Kind kind = Kind::emulator;
  std::string device;   // serial
  long baud = 115200;   // serial
  bool rtscts = false;  // serial
  std::string host;     // tcp
  std::uint16_t port = 0;

  std::string describe() const;
};

Result<DutSpec> parse_dut_spec(std::string_view text);

}  // namespace qftp::harness
