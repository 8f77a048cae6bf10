// dut_spec.cpp: parsing of the --dut argument into a DutSpec, with messages that say which form
// was expected.
#include "te/dut_spec.h"

#include <charconv>

#include "te/child_process.h"
#include "te/dut_link.h"

namespace qftp::te {
namespace {

std::string_view next_item(std::string_view& rest) {
  const auto comma = rest.find(',');
  const std::string_view item = rest.substr(0, comma);
  rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
  return item;
}

// The options after the address: baud=N and rtscts for both transports, telnet for tcp only.
// True when a line setting (baud=, rtscts) was among them.
Result<bool> parse_line_options(std::string_view rest, DutSpec& spec, std::string_view form) {
  const std::string what = "--dut " + std::string(form.substr(0, form.find(':') + 1));
  bool line_setting = false;
  while (!rest.empty()) {
    const std::string_view item = next_item(rest);
    if (item == "rtscts") {
      spec.rtscts = true;
      line_setting = true;
    } else if (item.substr(0, 5) == "baud=") {
      line_setting = true;
      const auto digits = item.substr(5);
      const auto [end, ec] =
          std::from_chars(digits.data(), digits.data() + digits.size(), spec.baud);
      if (ec != std::errc() || end != digits.data() + digits.size() ||
          !is_supported_baud(spec.baud)) {
        return make_error(what + " bad baud rate \"" + std::string(digits) +
                          "\" (allowed: 9600, 19200, 38400, 57600, 115200, 230400, 460800, "
                          "921600)");
      }
    } else if (item == "telnet" && spec.kind == DutSpec::Kind::tcp) {
      spec.telnet = true;
    } else {
      return make_error(what + " unknown option \"" + std::string(item) + "\" (" +
                        std::string(form) + ")");
    }
  }
  return line_setting;
}

}  // namespace

std::string DutSpec::describe() const {
  const std::string line = ",baud=" + std::to_string(baud) + (rtscts ? ",rtscts" : "");
  switch (kind) {
    case Kind::emulator:
      return "emulator";
    case Kind::serial:
      return "serial:" + device + line;
    case Kind::tcp:
      return "tcp:" + host + ":" + std::to_string(port) + (telnet ? ",telnet" + line : "");
  }
  return "?";
}

Result<DutSpec> parse_dut_spec(std::string_view text) {
  DutSpec spec;
  if (text == "emulator") return spec;
  if (!text.empty() && text.back() == ',')
    return make_error("--dut: nothing after the last ',' in \"" + std::string(text) + "\"");
  if (text.substr(0, 7) == "serial:") {
    spec.kind = DutSpec::Kind::serial;
    std::string_view rest = text.substr(7);
    spec.device = std::string(next_item(rest));
    if (spec.device.empty())
      return make_error("--dut serial: needs a device, e.g. serial:/dev/ttyUSB0");
    if (auto opts = parse_line_options(rest, spec, "serial:DEV[,baud=N][,rtscts]"); !opts)
      return make_error(opts.error());
    return spec;
  }
  if (text.substr(0, 4) == "tcp:") {
    spec.kind = DutSpec::Kind::tcp;
    std::string_view rest = text.substr(4);
    const std::string_view address = next_item(rest);
    const auto colon = address.rfind(':');
    if (colon == std::string_view::npos || colon == 0 ||
        !parse_port(address.substr(colon + 1), spec.port)) {
      return make_error("--dut tcp: needs HOST:PORT, e.g. tcp:192.0.2.7:4001");
    }
    spec.host = std::string(address.substr(0, colon));
    auto opts = parse_line_options(rest, spec, "tcp:HOST:PORT[,telnet[,baud=N][,rtscts]]");
    if (!opts) return make_error(opts.error());
    // On a raw port the serial server's own configuration sets the line; only RFC 2217 can.
    if (opts.value() && !spec.telnet) {
      return make_error(
          "--dut tcp: baud= and rtscts need ,telnet (RFC 2217); a raw port's serial settings are "
          "the serial server's");
    }
    return spec;
  }
  return make_error(
      "--dut takes emulator, serial:DEV[,baud=N][,rtscts] or "
      "tcp:HOST:PORT[,telnet[,baud=N][,rtscts]], not \"" +
      std::string(text) + "\"");
}

}  // namespace qftp::te
