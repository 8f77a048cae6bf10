// com_port_option.cpp: building the RFC 2217 SET-* commands and matching the server's answers
// (command + 100, with the value the port now has) against them.
#include "te/com_port_option.h"

#include "te/telnet_codec.h"

namespace qftp::te {
namespace {

using namespace rfc2217;

std::string byte_value(std::uint8_t b) {
  return std::string(1, static_cast<char>(b));
}

std::string baud_value(long baud) {
  const auto v = static_cast<std::uint32_t>(baud);
  return {static_cast<char>(v >> 24), static_cast<char>(v >> 16), static_cast<char>(v >> 8),
          static_cast<char>(v)};
}

std::string command_name(std::uint8_t code) {
  switch (code) {
    case kSetBaudrate:
      return "SET-BAUDRATE";
    case kSetDatasize:
      return "SET-DATASIZE";
    case kSetParity:
      return "SET-PARITY";
    case kSetStopsize:
      return "SET-STOPSIZE";
    case kSetControl:
      return "SET-CONTROL";
    default:
      return "command " + std::to_string(code);
  }
}

std::string value_text(std::uint8_t code, std::string_view value) {
  if (code == kSetBaudrate && value.size() == 4) {
    std::uint32_t v = 0;
    for (const char c : value) v = (v << 8) | static_cast<std::uint8_t>(c);
    return std::to_string(v);
  }
  std::string out;
  for (const char c : value)
    out += (out.empty() ? "" : " ") + std::to_string(static_cast<std::uint8_t>(c));
  return out.empty() ? "nothing" : out;
}

}  // namespace

ComPortSetup::ComPortSetup(ComPortSettings settings)
    : commands_{{{kSetBaudrate, baud_value(settings.baud), {}},
                 {kSetDatasize, byte_value(8), {}},
                 {kSetParity, byte_value(kParityNone), {}},
                 {kSetStopsize, byte_value(kStopsizeOne), {}},
                 {kSetControl,
                  byte_value(settings.rtscts ? kControlHardwareFlow : kControlNoFlow),
                  {}}}} {}

std::string ComPortSetup::requests() const {
  std::string out;
  for (const auto& c : commands_) {
    out += TelnetCodec::subnegotiation(telnet::kComPortOption, byte_value(c.code) + c.value);
  }
  return out;
}

void ComPortSetup::on_reply(std::string_view payload) {
  if (payload.empty()) return;
  const auto code = static_cast<std::uint8_t>(payload[0]);
  for (auto& c : commands_) {
    if (code == c.code + kServerOffset && !c.answer) {
      c.answer = std::string(payload.substr(1));
      return;
    }
  }
}

bool ComPortSetup::done() const {
  for (const auto& c : commands_) {
    if (!c.answer) return false;
  }
  return true;
}

Status ComPortSetup::result() const {
  for (const auto& c : commands_) {
    if (c.answer && *c.answer != c.value) {
      return make_error("the serial server answered " + command_name(c.code) + " " +
                        value_text(c.code, c.value) + " with " + value_text(c.code, *c.answer));
    }
  }
  return {};
}

std::string ComPortSetup::unanswered() const {
  std::string out;
  for (const auto& c : commands_) {
    if (!c.answer) out += (out.empty() ? "" : ", ") + command_name(c.code);
  }
  return out;
}

std::optional<bool> com_port_suspends(std::string_view payload) {
  if (payload.size() != 1) return std::nullopt;
  const auto code = static_cast<std::uint8_t>(payload[0]);
  if (code == kFlowcontrolSuspend + kServerOffset) return true;
  if (code == kFlowcontrolResume + kServerOffset) return false;
  return std::nullopt;
}

}  // namespace qftp::te
