// dut_spec.cpp: parsing of the --dut argument into a DutSpec, with messages that say which form
// was expected.
#include "harness/dut_spec.h"

#include <charconv>

#include "harness/child_process.h"

namespace qftp::harness {

std::string DutSpec::describe() const {
  switch (kind) {
    case Kind::emulator:
      return "emulator";
    case Kind::serial:
      return "serial:" + device + ",baud=" + std::to_string(baud) + (rtscts ? ",rtscts" : "");
    case Kind::tcp:
      return "tcp:" + host + ":" + std::to_string(port);
  }
  return "?";
}

Result<DutSpec> parse_dut_spec(std::string_view text) {
  DutSpec spec;
  if (text == "emulator") return spec;
  if (text.substr(0, 7) == "serial:") {
    spec.kind = DutSpec::Kind::serial;
    std::string_view rest = text.substr(7);
    const auto comma = rest.find(',');
    spec.device = std::string(rest.substr(0, comma));
    if (spec.device.empty())
      return make_error("--dut serial: needs a device, e.g. serial:/dev/ttyUSB0");
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    while (!rest.empty()) {
      const auto next = rest.find(',');
      const std::string_view item = rest.substr(0, next);
      rest = next == std::string_view::npos ? std::string_view() : rest.substr(next + 1);
      if (item == "rtscts") {
        spec.rtscts = true;
      } else if (item.substr(0, 5) == "baud=") {
        const auto digits = item.substr(5);
        const auto [end, ec] =
            std::from_chars(digits.data(), digits.data() + digits.size(), spec.baud);
        if (ec != std::errc() || end != digits.data() + digits.size() || spec.baud <= 0) {
          return make_error("--dut serial: bad baud rate \"" + std::string(digits) + "\"");
        }
      } else {
        return make_error("--dut serial: unknown option \"" + std::string(item) +
                          "\" (known: baud=N, rtscts)");
      }
    }
    return spec;
  }
  if (text.substr(0, 4) == "tcp:") {
    spec.kind = DutSpec::Kind::tcp;
    const std::string_view rest = text.substr(4);
    const auto colon = rest.rfind(':');
    if (colon == std::string_view::npos || colon == 0 ||
        !parse_port(rest.substr(colon + 1), spec.port)) {
      return make_error("--dut tcp: needs HOST:PORT, e.g. tcp:192.0.2.7:4001");
    }
    spec.host = std::string(rest.substr(0, colon));
    return spec;
  }
  return make_error("--dut takes emulator, serial:DEV[,baud=N][,rtscts] or tcp:HOST:PORT, not \"" +
                    std::string(text) + "\"");
}

}  // namespace qftp::harness
