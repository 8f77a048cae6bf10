// V.250 basic commands and the commands a host sends around FTP (docs/field-facts.md §1): identity,
// SIM and network status, flow control, baud rate, and the PDP context of AT+QIFGCNT ...
// AT+QIDEACT.
#include <algorithm>
#include <array>
#include <string>

#include "core/modem/basic_syntax.h"
#include "core/modem/error_codes.h"
#include "core/modem/modem_engine.h"

namespace qftp::modem {
namespace {

using at::Command;
using at::Form;
using at::Param;

// Parameter i as the table has checked it (basic_syntax.h): a number in range, or `fallback`
// when it was not given.
std::int64_t number_or(const Command& c, std::size_t i, std::int64_t fallback) {
  return i < c.params.size() ? c.params[i].value.value_or(fallback) : fallback;
}

constexpr std::array<long, 12> kBaudRates = {0,     300,   600,   1200,   2400,  4800,
                                             9600,  14400, 19200, 38400,  57600, 115200};

std::string three_digits(unsigned v) {
  std::string s = std::to_string(v);
  return std::string(3 - std::min<std::size_t>(3, s.size()), '0') + s;
}

}  // namespace

// V/14: a form, suffix or parameter a command does not take is an ERROR before its handler runs,
// by the one table of basic_syntax.h; the handlers below see only the shapes it allows.
std::optional<ModemEngine::Reply> ModemEngine::basic_command(TimeMs t, const Command& c) {
  const BasicSyntax* syntax = find_basic_syntax(c.name);
  if (syntax == nullptr) return std::nullopt;  // unknown: ERROR (S0, S7 ... included)
  // The s5-range-unchecked defect takes any byte for S5.
  const bool s5_byte = defects_.has(Defect::s5_range_unchecked) && c.name == "S5" && c.form == Form::write &&
                       c.params.size() == 1 && c.params[0].is_number() && c.params[0].value &&
                       *c.params[0].value <= 255;
  if (!s5_byte && !accepts(*syntax, c)) return Reply::error;
  const std::string_view n = c.name;  // compares by size first, then bytes

  if (n[0] == 'S') return s_register(c);

  if (n == "E" || n == "V" || n == "Q") {  // V/01, V/04, V/05
    const bool on = number_or(c, 0, 0) == 1;
    if (n == "E") at_.echo = on;
    if (n == "V") at_.verbose = on;
    if (n == "Q") at_.quiet = on;
    return Reply::ok;
  }
  if (n == "&D") {  // ruling 15; "AT&D" alone is AT&D0, as V.250 reads a missing number
    at_.dtr = static_cast<int>(number_or(c, 0, 0));
    return Reply::ok;
  }
  if (n == "Z" || n == "&F") {  // V/10
    at_ = AtSettings{};
    actions_.emplace_back(SetFlowControl{false, false});
    return Reply::ok;
  }
  if (n == "I") {  // V/11
    // One block of three lines, as M-series firmware prints it.
    const std::string eol{static_cast<char>(at_.s3), static_cast<char>(at_.s4)};
    info(profile_.manufacturer + "_Ltd" + eol + profile_.manufacturer + "_" + profile_.model + eol +
         "Revision: " + profile_.revision);
    return Reply::ok;
  }
  if (n == "O") {
    // Ruling 6: the escape ends the transfer, so there is no data connection to return to.
    return Reply::no_carrier;
  }
  if (n == "H") return Reply::ok;
  if (n == "+GMR" || n == "+CGMR") {  // V/11
    if (c.form == Form::test) return Reply::ok;
    info("Revision: " + profile_.revision);
    return Reply::ok;
  }
  if (n == "+GSN" || n == "+CGSN") {  // V/11
    if (c.form == Form::test) return Reply::ok;
    info(profile_.imei);
    return Reply::ok;
  }
  if (n == "+CMEE") {
    switch (c.form) {
      case Form::test: info("+CMEE: (0-2)"); return Reply::ok;
      case Form::read: info("+CMEE: " + std::to_string(at_.cmee)); return Reply::ok;
      case Form::execute: at_.cmee = 0; return Reply::ok;
      case Form::write: at_.cmee = static_cast<int>(number_or(c, 0, 0)); return Reply::ok;
    }
  }
  if (n == "+IFC") {  // 2.2.3/13
    switch (c.form) {
      case Form::test: info("+IFC: (0-2),(0-2)"); return Reply::ok;
      case Form::read:
        info("+IFC: " + std::to_string(at_.ifc_by_te) + "," + std::to_string(at_.ifc_by_ta));
        return Reply::ok;
      case Form::execute: return Reply::error;  // not in the table: never reached
      case Form::write: {
        at_.ifc_by_te = static_cast<int>(number_or(c, 0, 2));
        at_.ifc_by_ta = static_cast<int>(number_or(c, 1, 2));
        actions_.emplace_back(SetFlowControl{at_.ifc_by_te == 2, at_.ifc_by_ta == 2});
        return Reply::ok;
      }
    }
  }
  if (n == "+IPR") {
    switch (c.form) {
      case Form::test:
        info("+IPR: (),(300,600,1200,2400,4800,9600,14400,19200,38400,57600,115200)");
        return Reply::ok;
      case Form::read: info("+IPR: " + std::to_string(at_.ipr)); return Reply::ok;
      case Form::execute: return Reply::error;  // not in the table: never reached
      case Form::write: {
        const auto v = number_or(c, 0, 0);
        if (std::find(kBaudRates.begin(), kBaudRates.end(), v) == kBaudRates.end()) return Reply::error;
        at_.ipr = static_cast<long>(v);
        return Reply::ok;
      }
    }
  }
  if (n == "+CPIN") {
    if (c.form == Form::test) return Reply::ok;
    info("+CPIN: READY");
    return Reply::ok;
  }
  if (n == "+CREG" || n == "+CGREG") {
    if (c.form == Form::test) { info(c.name + ": (0-2)"); return Reply::ok; }
    info(c.name + ": 0,1");
    return Reply::ok;
  }
  if (n == "+CGATT") {
    if (c.form == Form::test) { info("+CGATT: (0,1)"); return Reply::ok; }
    info("+CGATT: 1");
    return Reply::ok;
  }
  if (n == "+CSQ") {
    if (c.form == Form::test) { info("+CSQ: (0-31,99),(0-7,99)"); return Reply::ok; }
    info("+CSQ: 25,0");
    return Reply::ok;
  }
  if (n == "+QIFGCNT") {  // V/12, 4.1
    switch (c.form) {
      case Form::test: info("+QIFGCNT: (0-1)"); return Reply::ok;
      case Form::read:
        info("+QIFGCNT: " + std::to_string(net_.foreground_context) + "," + std::to_string(net_.csgp_mode));
        return Reply::ok;
      case Form::execute: return Reply::error;  // not in the table: never reached
      case Form::write: net_.foreground_context = static_cast<int>(number_or(c, 0, 0)); return Reply::ok;
    }
  }
  if (n == "+QICSGP") {  // V/12, 4.1
    switch (c.form) {
      case Form::test: info("+QICSGP: (0-1),\"APN\",\"USER\",\"PWD\""); return Reply::ok;
      case Form::read:
        info("+QICSGP: " + std::to_string(net_.csgp_mode) + ",\"" + net_.apn + "\"");
        return Reply::ok;
      case Form::execute: return Reply::error;  // not in the table: never reached
      case Form::write: {
        net_.csgp_mode = static_cast<int>(number_or(c, 0, 0));
        net_.apn = c.params.size() > 1 ? c.params[1].text : std::string();
        net_.apn_user = c.params.size() > 2 ? c.params[2].text : std::string();
        net_.apn_password = c.params.size() > 3 ? c.params[3].text : std::string();
        return Reply::ok;
      }
    }
  }
  if (n == "+QIREGAPP") {
    if (c.form == Form::test || c.form == Form::read) {
      if (c.form == Form::read) info("+QIREGAPP: \"" + net_.apn + "\",\"" + net_.apn_user + "\",\"" + net_.apn_password + "\"");
      return Reply::ok;
    }
    if (net_.app_registered || net_.context_active) return Reply::error;
    net_.app_registered = true;
    return Reply::ok;
  }
  if (n == "+QIACT") {
    if (c.form == Form::test) return Reply::ok;
    if (net_.context_active || net_.activation_fails) return Reply::error;
    net_.context_active = true;
    net_.app_registered = true;
    return Reply::ok;
  }
  if (n == "+QIDEACT") {  // V/12, 4.5, R/29
    if (c.form == Form::test) return Reply::ok;
    net_.context_active = false;
    net_.app_registered = false;
    ftp_.lose_network(t);  // R/29: the session ends with -8, after DEACT OK
    return Reply::deact_ok;
  }
  return std::nullopt;
}

// V.250 §6.2.1-6.2.4: S3, S4 and S5 read as three digits and take 0..127 (the table).
ModemEngine::Reply ModemEngine::s_register(const Command& c) {
  std::uint8_t* reg = &at_.s5;
  if (c.name == "S3") reg = &at_.s3;
  if (c.name == "S4") reg = &at_.s4;
  if (c.form == Form::read) {
    info(three_digits(*reg));
    return Reply::ok;
  }
  *reg = static_cast<std::uint8_t>(number_or(c, 0, 0));
  return Reply::ok;
}

}  // namespace qftp::modem
