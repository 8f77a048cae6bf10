// V.250 basic commands and the commands a host sends around FTP (docs/field-facts.md §1): identity,
// SIM and network status, flow control, baud rate, and the PDP context of AT+QIFGCNT ...
// AT+QIDEACT.
#include <algorithm>
#include <array>
#include <string>

#include "core/modem/error_codes.h"
#include "core/modem/modem_engine.h"

namespace qftp::modem {
namespace {

using at::Command;
using at::Form;
using at::Param;

// A basic command's optional numeric argument ("E", "E0", "E1"): value, or `fallback` if absent.
std::optional<std::int64_t> basic_value(const Command& c, std::int64_t fallback) {
  if (c.params.empty()) return fallback;
  if (c.params.size() != 1 || !c.params[0].is_number()) return std::nullopt;
  return c.params[0].value;
}

// An integer parameter within [lo, hi]; nullopt when missing, quoted, overlong or out of range.
std::optional<std::int64_t> int_param(const Command& c, std::size_t i, std::int64_t lo,
                                      std::int64_t hi) {
  if (i >= c.params.size() || !c.params[i].is_number() || !c.params[i].value) return std::nullopt;
  const auto v = *c.params[i].value;
  if (v < lo || v > hi) return std::nullopt;
  return v;
}

constexpr std::array<long, 12> kBaudRates = {0,     300,   600,   1200,   2400,  4800,
                                             9600,  14400, 19200, 38400,  57600, 115200};

std::string three_digits(unsigned v) {
  std::string s = std::to_string(v);
  return std::string(3 - std::min<std::size_t>(3, s.size()), '0') + s;
}

}  // namespace

std::optional<ModemEngine::Reply> ModemEngine::basic_command(TimeMs t, const Command& c) {
  (void)t;
  const std::string_view n = c.name;  // compares by size first, then bytes
  const bool exec = c.form == Form::execute;

  if (n.size() >= 2 && n[0] == 'S' && n[1] >= '0' && n[1] <= '9') return s_register(c);

  if (n == "E" || n == "V" || n == "Q") {  // V/01, V/04, V/05
    if (!exec) return Reply::error;
    const auto v = basic_value(c, 0);
    if (!v || *v > 1) return Reply::error;
    if (n == "E") at_.echo = *v == 1;
    if (n == "V") at_.verbose = *v == 1;
    if (n == "Q") at_.quiet = *v == 1;
    return Reply::ok;
  }
  if (n == "Z" || n == "&F") {  // V/10
    const auto v = basic_value(c, 0);
    if (!exec || !v || *v != 0) return Reply::error;
    at_ = AtSettings{};
    actions_.emplace_back(SetFlowControl{false, false});
    return Reply::ok;
  }
  if (n == "I") {  // V/11
    const auto v = basic_value(c, 0);
    if (!exec || !v || *v != 0) return Reply::error;
    // One block of three lines, as M-series firmware prints it.
    const std::string eol{static_cast<char>(at_.s3), static_cast<char>(at_.s4)};
    info(profile_.manufacturer + "_Ltd" + eol + profile_.manufacturer + "_" + profile_.model + eol +
         "Revision: " + profile_.revision);
    return Reply::ok;
  }
  if (n == "O") {
    // Ruling 6: the escape ends the transfer, so there is no data connection to return to.
    if (!exec || !basic_value(c, 0)) return Reply::error;
    return Reply::no_carrier;
  }
  if (n == "H") {
    if (!exec || !basic_value(c, 0)) return Reply::error;
    return Reply::ok;
  }
  if (n == "+GMR" || n == "+CGMR") {  // V/11
    if (c.form == Form::test) return Reply::ok;
    if (!exec) return Reply::error;
    info("Revision: " + profile_.revision);
    return Reply::ok;
  }
  if (n == "+GSN" || n == "+CGSN") {  // V/11
    if (c.form == Form::test) return Reply::ok;
    if (!exec) return Reply::error;
    info(profile_.imei);
    return Reply::ok;
  }
  if (n == "+CMEE") {
    switch (c.form) {
      case Form::test: info("+CMEE: (0-2)"); return Reply::ok;
      case Form::read: info("+CMEE: " + std::to_string(at_.cmee)); return Reply::ok;
      case Form::execute: at_.cmee = 0; return Reply::ok;
      case Form::write: {
        const auto v = int_param(c, 0, 0, 2);
        if (!v || c.params.size() != 1) return Reply::error;
        at_.cmee = static_cast<int>(*v);
        return Reply::ok;
      }
    }
  }
  if (n == "+IFC") {  // 2.2.3/13
    switch (c.form) {
      case Form::test: info("+IFC: (0-2),(0-2)"); return Reply::ok;
      case Form::read:
        info("+IFC: " + std::to_string(at_.ifc_by_te) + "," + std::to_string(at_.ifc_by_ta));
        return Reply::ok;
      case Form::execute: return Reply::error;
      case Form::write: {
        const auto by_te = int_param(c, 0, 0, 2);
        const auto by_ta = c.params.size() > 1 ? int_param(c, 1, 0, 2) : std::optional<std::int64_t>(2);
        if (!by_te || !by_ta || c.params.size() > 2) return Reply::error;
        at_.ifc_by_te = static_cast<int>(*by_te);
        at_.ifc_by_ta = static_cast<int>(*by_ta);
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
      case Form::execute: return Reply::error;
      case Form::write: {
        const auto v = int_param(c, 0, 0, 115200);
        if (!v || c.params.size() != 1) return Reply::error;
        if (std::find(kBaudRates.begin(), kBaudRates.end(), *v) == kBaudRates.end()) return Reply::error;
        at_.ipr = static_cast<long>(*v);
        return Reply::ok;
      }
    }
  }
  if (n == "+CPIN") {
    if (c.form == Form::test) return Reply::ok;
    if (c.form != Form::read) return Reply::error;
    info("+CPIN: READY");
    return Reply::ok;
  }
  if (n == "+CREG" || n == "+CGREG") {
    if (c.form == Form::test) { info(c.name + ": (0-2)"); return Reply::ok; }
    if (c.form != Form::read) return Reply::error;
    info(c.name + ": 0,1");
    return Reply::ok;
  }
  if (n == "+CGATT") {
    if (c.form == Form::test) { info("+CGATT: (0,1)"); return Reply::ok; }
    if (c.form != Form::read) return Reply::error;
    info("+CGATT: 1");
    return Reply::ok;
  }
  if (n == "+CSQ") {
    if (c.form == Form::test) { info("+CSQ: (0-31,99),(0-7,99)"); return Reply::ok; }
    if (!exec) return Reply::error;
    info("+CSQ: 25,0");
    return Reply::ok;
  }
  if (n == "+QIFGCNT") {  // V/12, 4.1
    switch (c.form) {
      case Form::test: info("+QIFGCNT: (0-1)"); return Reply::ok;
      case Form::read:
        info("+QIFGCNT: " + std::to_string(net_.foreground_context) + "," + std::to_string(net_.csgp_mode));
        return Reply::ok;
      case Form::execute: return Reply::error;
      case Form::write: {
        const auto v = int_param(c, 0, 0, 1);
        if (!v || c.params.size() != 1) return Reply::error;
        net_.foreground_context = static_cast<int>(*v);
        return Reply::ok;
      }
    }
  }
  if (n == "+QICSGP") {  // V/12, 4.1
    switch (c.form) {
      case Form::test: info("+QICSGP: (0-1),\"APN\",\"USER\",\"PWD\""); return Reply::ok;
      case Form::read:
        info("+QICSGP: " + std::to_string(net_.csgp_mode) + ",\"" + net_.apn + "\"");
        return Reply::ok;
      case Form::execute: return Reply::error;
      case Form::write: {
        const auto mode = int_param(c, 0, 0, 1);
        if (!mode || c.params.size() > 4) return Reply::error;
        for (std::size_t i = 1; i < c.params.size(); ++i) {
          if (!c.params[i].is_string() || c.params[i].text.size() > 50) return Reply::error;
        }
        net_.csgp_mode = static_cast<int>(*mode);
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
    if (!exec || net_.context_active || net_.activation_fails) return Reply::error;
    net_.context_active = true;
    net_.app_registered = true;
    return Reply::ok;
  }
  if (n == "+QIDEACT") {  // V/12, 4.5, R/29
    if (c.form == Form::test) return Reply::ok;
    if (!exec) return Reply::error;
    net_.context_active = false;
    net_.app_registered = false;
    ftp_.lose_network(t);  // R/29: the session ends with -8, after DEACT OK
    return Reply::deact_ok;
  }
  return std::nullopt;
}

// V.250 §6.2.1-6.2.4: S3, S4 and S5 read as three digits and take 0..127.
ModemEngine::Reply ModemEngine::s_register(const Command& c) {
  std::uint8_t* reg = nullptr;
  if (c.name == "S3") reg = &at_.s3;
  if (c.name == "S4") reg = &at_.s4;
  if (c.name == "S5") reg = &at_.s5;
  if (reg == nullptr) return Reply::error;
  if (c.form == Form::read) {
    info(three_digits(*reg));
    return Reply::ok;
  }
  if (c.form != Form::write) return Reply::error;
  const auto v = int_param(c, 0, 0, 127);
  if (!v || c.params.size() != 1) return Reply::error;
  *reg = static_cast<std::uint8_t>(*v);
  return Reply::ok;
}

}  // namespace qftp::modem
