// The start-up commands hosts in the field send (docs/field-facts.md §7), behind the profile switch
// startup_commands (ruling 13): ATS0, the write forms of AT+CREG and AT+CGREG with their URCs,
// AT+CLIP, AT+COLP, AT+COPS? and AT+QILOCIP. Their shapes are checked by a table of the same kind
// as basic_syntax.h's, so a bad form answers ERROR before the handler runs.
#include <algorithm>
#include <array>
#include <string>

#include "core/modem/basic_syntax.h"
#include "core/modem/modem_engine.h"

namespace qftp::modem {
namespace {

using at::Command;
using at::Form;

// clang-format off
constexpr std::array kFieldTable = {
    BasicSyntax{"S0", kRead | kWrite, "n", 1, 0, 255, 0},                 // F/S0
    BasicSyntax{"+CREG", kTest | kRead | kWrite, "n", 1, 0, 2, 0},        // F/CREG
    BasicSyntax{"+CGREG", kTest | kRead | kWrite, "n", 1, 0, 2, 0},       // F/CREG
    BasicSyntax{"+CLIP", kTest | kRead | kWrite, "n", 1, 0, 1, 0},        // F/CLIP
    BasicSyntax{"+COLP", kTest | kRead | kWrite, "n", 1, 0, 1, 0},        // F/CLIP
    BasicSyntax{"+COPS", kTest | kRead, "", 0, 0, 0, 0},                  // F/COPS
    BasicSyntax{"+QILOCIP", kTest | kExecute, "", 0, 0, 0, 0},            // F/QILOCIP
};
// clang-format on

// The simulated network: the operator of M66 manual's example, and the address the PDP context
// gets.
constexpr std::string_view kOperator = "CHINA MOBILE";
constexpr std::string_view kLocalIp = "10.76.1.23";

}  // namespace

std::optional<ModemEngine::Reply> ModemEngine::field_basic_command(const Command& c) {
  if (!profile_.startup_commands) return std::nullopt;
  const auto* it = std::find_if(kFieldTable.begin(), kFieldTable.end(),
                                [&](const BasicSyntax& s) { return s.name == c.name; });
  if (it == kFieldTable.end()) return std::nullopt;
  if (!accepts(*it, c)) return Reply::error;
  const std::string_view n = c.name;
  const std::int64_t value = c.params.empty() ? 0 : c.params[0].value.value_or(0);

  if (n == "S0") {  // F/S0: the read form is a bare number
    if (c.form == Form::read) {
      info(std::to_string(net_.s0));
    } else {
      net_.s0 = static_cast<int>(value);
    }
    return Reply::ok;
  }
  if (n == "+CREG" || n == "+CGREG") {  // F/CREG: registered at home (stat 1) unless lost
    int& setting = n == "+CREG" ? net_.creg : net_.cgreg;
    switch (c.form) {
      case Form::test: info(c.name + ": (0-2)"); return Reply::ok;
      case Form::read:
        info(c.name + ": " + std::to_string(setting) + "," + (net_.registered ? "1" : "2"));
        return Reply::ok;
      default: setting = static_cast<int>(value); return Reply::ok;
    }
  }
  if (n == "+CLIP" || n == "+COLP") {  // F/CLIP: <n>, and <m> 1 (provisioned)
    int& setting = n == "+CLIP" ? net_.clip : net_.colp;
    switch (c.form) {
      case Form::test: info(c.name + ": (0,1)"); return Reply::ok;
      case Form::read: info(c.name + ": " + std::to_string(setting) + ",1"); return Reply::ok;
      default: setting = static_cast<int>(value); return Reply::ok;
    }
  }
  if (n == "+COPS") {  // F/COPS
    if (c.form == Form::test) {
      info("+COPS: (2,\"" + std::string(kOperator) + "\",\"CMCC\",\"46000\"),,(0-4),(0-2)");
    } else if (net_.registered) {
      info("+COPS: 0,0,\"" + std::string(kOperator) + "\"");
    } else {
      info("+COPS: 0");
    }
    return Reply::ok;
  }
  // F/QILOCIP: the bare address and no OK; ERROR without an active context.
  if (c.form == Form::test) return Reply::ok;
  if (!net_.context_active) return Reply::error;
  info(std::string(kLocalIp));
  return Reply::none;
}

// F/CREG: a change of registration is reported to hosts that asked for it (n >= 1), held until a
// running command has its final result (ModemEngine::urc).
void ModemEngine::on_registration(bool registered) {
  if (net_.registered == registered) return;
  net_.registered = registered;
  const std::string stat = registered ? "1" : "2";
  if (!profile_.startup_commands) return;
  if (net_.creg >= 1) urc_spaced("+CREG", stat);
  if (net_.cgreg >= 1) urc_spaced("+CGREG", stat);
}

}  // namespace qftp::modem
