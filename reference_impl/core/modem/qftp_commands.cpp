// The AT+QFTP* commands of spec 2.2.1-2.2.10 in their test, read, write and execute forms, with
// the format rules of ruling 4 (OK or ERROR first, the outcome later as a URC). Each handler names
// the requirements of the suite's inventory (conformance/requirements) that it implements; the
// outcomes that arrive later are in qftp_transfer.cpp (on_client_event).
#include <string>

#include "core/modem/command_params.h"
#include "core/modem/error_codes.h"
#include "core/modem/modem_engine.h"

namespace qftp::modem {
namespace {

using at::Command;
using at::Form;
using at::Param;

using namespace params;  // NOLINT: the handlers' shared checks and limits

}  // namespace

std::optional<ModemEngine::Reply> ModemEngine::qftp_command(TimeMs t, const Command& c) {
  const std::string_view n = c.name;  // compares by size first, then bytes
  if (n == "+QFTPOPEN") return cmd_open(t, c);
  if (n == "+QFTPCLOSE") return cmd_close(t, c);
  if (n == "+QFTPPUT") return cmd_put(t, c);
  if (n == "+QFTPGET") return cmd_get(t, c);
  if (n == "+QFTPPATH") return cmd_path(t, c);
  if (n == "+QFTPUSER") return cmd_user(c);
  if (n == "+QFTPPASS") return cmd_pass(c);
  if (n == "+QFTPCFG") return cmd_cfg(c);
  if (n == "+QFTPSTAT") return cmd_stat(c);
  if (n == "+QFTPLEN") return cmd_len(c);
  if (n == "+QFTPUSE" && defects_.has(Defect::misspelling_accepted)) return cmd_user(c);
  return std::nullopt;
}

// 2.2.1/01-12; R/4, R/11, R/16, R/17, R/19, R/23, R/24.
ModemEngine::Reply ModemEngine::cmd_open(TimeMs t, const Command& c) {
  switch (c.form) {
    case Form::test: info("+QFTPOPEN: \"HOST NAME\",(1-65535)"); return Reply::ok;
    case Form::read:
      // Note 2: host and port are empty while the service is IDLE or CLOSED.
      if (no_session(state())) {
        info("+QFTPOPEN:\"\",");
      } else {
        info("+QFTPOPEN:" + quoted(cfg_.host) + "," + std::to_string(cfg_.port));
      }
      return Reply::ok;
    case Form::execute: return Reply::error;
    case Form::write: break;
  }
  const std::size_t host_max = defects_.has(Defect::host_limit_99) ? kHostMax - 1 : kHostMax;
  const std::int64_t port_min = defects_.has(Defect::port_zero_accepted) ? 0 : 1;
  const auto* host = string_param(c, 0, host_max);
  const auto port = number_param(c, 1, port_min, 65535, true);
  if (c.params.size() != 2 || !host || !port) return Reply::error;

  if (!no_session(state())) {
    urc("+QFTPOPEN", std::to_string(err::busy));
  } else if (host->empty()) {
    urc("+QFTPOPEN", std::to_string(err::illegal));
  } else if (!net_.context_active && net_.activation_fails) {
    // The context is activated on demand (spec 4.1 opens without AT+QIACT); -5 when it cannot be.
    urc("+QFTPOPEN", std::to_string(err::network));
  } else {
    net_.context_active = true;
    cfg_.host = *host;
    cfg_.port = static_cast<std::uint16_t>(*port);
    cfg_.path.clear();
    ftp_.open(t, {cfg_.host, cfg_.port, cfg_.user, cfg_.password});
  }
  return Reply::ok;
}

// 2.2.2/01-04; R/11, R/15, R/16, R/26.
ModemEngine::Reply ModemEngine::cmd_close(TimeMs t, const Command& c) {
  if (c.form == Form::test) return Reply::ok;
  if (c.form != Form::execute) return Reply::error;
  const Reply ok = defects_.has(Defect::close_no_ok) ? Reply::none : Reply::ok;
  const ServiceState s = state();
  if (no_session(s)) {
    urc("+QFTPCLOSE", "0");
  } else if (s == ServiceState::opening || s == ServiceState::closing ||
             std::holds_alternative<ftp::phase::ChangingDir>(ftp_.phase())) {
    urc("+QFTPCLOSE", std::to_string(err::busy));
  } else {
    // A running transfer is aborted first (its +QFTPPUT/+QFTPGET comes before +QFTPCLOSE).
    ftp_.close(t);
  }
  return ok;
}

// 2.2.3/01-12; R/4, R/16, R/21, R/28.
ModemEngine::Reply ModemEngine::cmd_put(TimeMs t, const Command& c) {
  if (c.form == Form::test) {
    info("+QFTPPUT: \"FILE NAME\",<fileSz>,(1-65535)");
    return Reply::ok;
  }
  if (c.form != Form::write) return Reply::error;
  const auto* name = string_param(c, 0, kFileMax);
  const auto size = number_param(c, 1, 0, kFileSizeMax);
  const auto time = c.params.size() > 2 ? number_param(c, 2, 1, 65535) : kTimeDefault;
  if (c.params.size() < 2 || c.params.size() > 3 || !name || !size || !time) return Reply::error;
  start_transfer(t, ftp::TransferParams::Direction::put, *name, static_cast<std::uint64_t>(*size),
                 *time * 1000);
  return Reply::ok;
}

// 2.2.4/01-07; R/4, R/16.
ModemEngine::Reply ModemEngine::cmd_get(TimeMs t, const Command& c) {
  if (c.form == Form::test) {
    info("+QFTPGET: \"FILE NAME\"");
    return Reply::ok;
  }
  if (c.form != Form::write) return Reply::error;
  const auto* name = string_param(c, 0, kFileMax);
  // The optional expected <size> of later firmware (get_expected_size, docs/field-facts.md §5):
  // F/GET.SIZE.
  const bool sized = profile_.get_expected_size && c.params.size() == 2;
  const auto expected = sized ? number_param(c, 1, 0, kFileSizeMax) : std::optional<std::int64_t>(0);
  if ((c.params.size() != 1 && !sized) || !name || !expected) return Reply::error;
  start_transfer(t, ftp::TransferParams::Direction::get, *name, 0, kNever,
                 static_cast<std::uint64_t>(*expected));
  return Reply::ok;
}

// 2.2.5/01-09; R/3, R/4, R/10, R/11, R/16, R/27, R/32 (ruling 10: "" is the login directory,
// which the FTP client keeps).
ModemEngine::Reply ModemEngine::cmd_path(TimeMs t, const Command& c) {
  switch (c.form) {
    case Form::test: info("+QFTPPATH: \"PATH NAME\""); return Reply::ok;
    case Form::read:
      // Ruling 3: V.250 puts information text before OK; a profile may follow the spec's order.
      if (profile_.path_read_ok_first) {
        final_result(Reply::ok);
        info("+QFTPPATH:" + quoted(cfg_.path));
        return Reply::none;
      }
      info("+QFTPPATH:" + quoted(cfg_.path));
      return Reply::ok;
    case Form::execute: return Reply::error;
    case Form::write: break;
  }
  if (defects_.has(Defect::path_overlong_hang) && !c.params.empty() && c.params[0].is_string() &&
      c.params[0].text.size() > kPathMax) {
    hung_ = true;  // nothing is answered or read until the modem restarts
    return Reply::none;
  }
  const auto* path = string_param(c, 0, kPathMax);
  if (c.params.size() != 1 || !path) return Reply::error;
  const ServiceState s = state();
  if (busy(s)) {
    urc("+QFTPPATH", std::to_string(err::busy));
  } else if (no_session(s)) {
    urc("+QFTPPATH", std::to_string(err::unknown));
  } else {
    ftp_.cwd(t, *path);
  }
  return Reply::ok;
}

// 2.2.6/01-07: only while the service is idle; "" means anonymous. R/4, R/16, R/30.
ModemEngine::Reply ModemEngine::cmd_user(const Command& c) {
  switch (c.form) {
    case Form::test: info("+QFTPUSER: \"USER NAME\""); return Reply::ok;
    case Form::read: info("+QFTPUSER:" + quoted(cfg_.user)); return Reply::ok;
    case Form::execute: return Reply::error;
    case Form::write: break;
  }
  const std::size_t max = defects_.has(Defect::user_limit_31) ? kUserMax + 1 : kUserMax;
  const auto* user = string_param(c, 0, max);
  if (c.params.size() != 1 || !user || !no_session(state())) return Reply::error;
  cfg_.user = *user;
  return Reply::ok;
}

// 2.2.7/01-07; R/4, R/16, R/30.
ModemEngine::Reply ModemEngine::cmd_pass(const Command& c) {
  switch (c.form) {
    case Form::test: info("+QFTPPASS: \"PASSWORD\""); return Reply::ok;
    case Form::read: info("+QFTPPASS:" + quoted(cfg_.password)); return Reply::ok;
    case Form::execute: return Reply::error;
    case Form::write: break;
  }
  const auto* password = string_param(c, 0, kPassMax);
  if (c.params.size() != 1 || !password || !no_session(state())) return Reply::error;
  cfg_.password = *password;
  return Reply::ok;
}

// 2.2.8/01-20 and ruling 7 (R/7): a missing value queries; type 4 values are checked against the
// profile (R/12). R/4, R/11, R/14, R/16, R/20, R/21.
ModemEngine::Reply ModemEngine::cmd_cfg(const Command& c) {
  if (c.form == Form::test) {
    // Type 6's firmware shows no test form that anyone recorded: the spec's stays (2.2.8/01).
    info("+QFTPCFG: (1-4)");
    return Reply::ok;
  }
  if (c.form != Form::write) return Reply::error;
  // Type 6 (cfg_type6, F/CFG.6): sent by the MC60 OpenCPU SDK before opening; stored only.
  const bool type6 = profile_.cfg_type6 && !defects_.has(Defect::cfg6_refused);
  const auto type = number_param(c, 0, 1, type6 ? 6 : 4);
  if (!type || *type == 5 || c.params.size() > 2) return Reply::error;
  const bool query = c.params.size() == 1 || c.params[1].omitted();
  const bool defaults = defects_.has(Defect::cfg_query_default);
  if (query) {
    switch (*type) {
      case 1: urc("+QFTPCFG", (cfg_.passive || defaults) ? "1" : "0"); break;
      case 2: urc("+QFTPCFG", (cfg_.binary || defaults) ? "0" : "1"); break;
      case 3: urc("+QFTPCFG", defaults ? "0" : std::to_string(cfg_.resume_point)); break;
      case 6: urc("+QFTPCFG", std::to_string(cfg_.type6)); break;
      default: urc("+QFTPCFG", quoted(defaults ? "/COM/" : cfg_.position)); break;
    }
    return Reply::ok;
  }
  std::optional<std::int64_t> value;
  if (*type == 1 || *type == 2) value = number_param(c, 1, 0, 1);
  if (*type == 3) value = number_param(c, 1, 0, kFileSizeMax);
  if (*type == 6) value = number_param(c, 1, 0, 1);
  if (*type == 4 && c.params[1].is_string() && c.params[1].text.size() <= kPathMax) value = 0;
  if (!value) return Reply::error;

  const ServiceState s = state();
  if (s == ServiceState::working || s == ServiceState::transfer) {
    urc("+QFTPCFG", std::to_string(err::busy));
    return Reply::ok;
  }
  switch (*type) {
    case 1: cfg_.passive = *value == 1; break;
    case 2: cfg_.binary = *value == 0; break;
    case 3: cfg_.resume_point = static_cast<std::uint64_t>(*value); break;
    case 6: cfg_.type6 = static_cast<int>(*value); break;
    default: {
      LocalTarget unused;
      if (resolve_local(c.params[1].text, "x", unused)) {  // malformed, or the device lacks it
        urc("+QFTPCFG", std::to_string(err::illegal));
        return Reply::ok;
      }
      cfg_.position = c.params[1].text;
      break;
    }
  }
  urc("+QFTPCFG", "0");
  return Reply::ok;
}

// 2.2.9/01-09; R/16, R/19, R/25.
ModemEngine::Reply ModemEngine::cmd_stat(const Command& c) {
  if (c.form == Form::test) return Reply::ok;
  if (c.form != Form::execute) return Reply::error;
  ServiceState shown = state();
  if (shown == ServiceState::transfer && defects_.has(Defect::stat_opened_in_transfer)) {
    shown = ServiceState::opened;
  }
  if (shown == ServiceState::opened && escaped_last_ && defects_.has(Defect::stat_stuck_transfer)) {
    shown = ServiceState::transfer;
  }
  info(field("+QFTPSTAT", state_name(shown)));
  return Reply::ok;
}

// 2.2.10/01-04; R/16, R/34 (ruling 12: 0 after a transfer that moved nothing).
ModemEngine::Reply ModemEngine::cmd_len(const Command& c) {
  if (c.form == Form::test) return Reply::ok;
  if (c.form != Form::execute) return Reply::error;
  const std::uint64_t len = last_len_ + (defects_.has(Defect::len_off_by_one) ? 1 : 0);
  info(field("+QFTPLEN", std::to_string(len)));
  return Reply::ok;
}

}  // namespace qftp::modem
