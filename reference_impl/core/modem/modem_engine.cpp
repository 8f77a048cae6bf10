// The modem engine's spine: events in, command-mode framing and dispatch, result output, the wake-up.
#include "core/modem/modem_engine.h"

#include <algorithm>
#include <cassert>

#include "core/common/overloaded.h"
#include "core/modem/error_codes.h"
#include "core/modem/file_errors.h"

namespace qftp::modem {
namespace {

ftp::ClientTimeouts client_timeouts(const DeviceProfile& p) {
  return {p.connect_timeout_ms, p.reply_timeout_ms, p.data_timeout_ms};
}

}  // namespace

ModemEngine::ModemEngine(DeviceProfile profile, Stores stores, DefectSet defects)
    : profile_(std::move(profile)),
      stores_(stores),
      defects_(defects),
      // The escape-no-guard defect accepts "+++" with no silence around it.
      escape_({defects.has(Defect::escape_no_guard) ? 0 : profile_.guard_ms, profile_.gap_ms}),
      ftp_(client_timeouts(profile_)) {
  actions_.reserve(8);  // a call's output, a URC, a wake-up and a socket operation or two
}

namespace {

[[maybe_unused]] Cause cause_of(const Event& event) {
  return std::visit(Overloaded{
                        [](const SerialBytes&) { return Cause::host; },
                        [](const HostHangup&) { return Cause::host; },
                        [](const TimerFired&) { return Cause::timer; },
                        [](const NetworkEvent&) { return Cause::network; },
                        [](const auto&) { return Cause::server; },  // a socket's result
                    },
                    event);
}

}  // namespace

void ModemEngine::handle(const Event& event) {
  [[maybe_unused]] const ServiceState before = state();
  const TimeMs t = std::visit([](const auto& e) { return e.t; }, event);
  std::visit(Overloaded{
                 [&](const SerialBytes& e) { on_serial(t, e.bytes); },
                 [&](const HostHangup&) { on_hangup(t); },
                 [&](const TimerFired&) { on_tick(t); },
                 [&](const SocketConnected& e) { ftp_.on_connected(t, e.sock, e.local_ip); },
                 [&](const SocketListening& e) { ftp_.on_listening(t, e.ip, e.port); },
                 [&](const SocketData& e) { ftp_.on_data(t, e.sock, e.bytes); },
                 [&](const SocketClosed& e) { ftp_.on_closed(t, e.sock, e.why); },
                 [&](const NetworkEvent& e) {
                   switch (e.kind) {
                     case NetworkEvent::Kind::context_lost:
                       // R/29: the session ends with -8 (the running command's URC, or
                       // +QFTPERROR when none runs); the client closes what it holds.
                       net_.context_active = false;
                       ftp_.lose_network(t);
                       break;
                     case NetworkEvent::Kind::activation_fails: net_.activation_fails = true; break;
                     case NetworkEvent::Kind::activation_works: net_.activation_fails = false; break;
                     case NetworkEvent::Kind::registration_lost: on_registration(false); break;
                     case NetworkEvent::Kind::registration_back: on_registration(true); break;
                   }
                 },
             },
             event);
  pump(t);
  update_timer();
  assert(legal_change(cause_of(event), before, state()));  // spec 2.2.9 (service_state.h)
}

// Spec 2.2.9, derived from the one owner of each part: the FTP client's phase says what runs;
// the engine knows only whether a session was ever open (no session is then CLOSED, not IDLE).
ServiceState ModemEngine::state() const {
  namespace phase = ftp::phase;
  return std::visit(
      Overloaded{
          [&](const phase::Offline&) {
            return session_seen_ ? ServiceState::closed : ServiceState::idle;
          },
          [](const phase::Opening&) { return ServiceState::opening; },
          [](const phase::Ready&) { return ServiceState::opened; },
          [](const phase::ChangingDir&) { return ServiceState::working; },
          [](const phase::Transferring& x) {
            return x.ready ? ServiceState::transfer : ServiceState::working;
          },
          [](const phase::Aborting& a) {
            return a.quit_after ? ServiceState::closing : ServiceState::transfer;
          },
          [](const phase::Quitting&) { return ServiceState::closing; },
          [](const phase::FileCommand&) { return ServiceState::working; },
      },
      ftp_.phase());
}

void ModemEngine::take_actions(std::vector<Action>& into) {
  into.clear();
  into.swap(actions_);
}

// Host bytes go to command mode or data mode, whichever is current; each side says how many it
// used, and a mode change mid-chunk hands the rest to the other side. When data mode ends it may
// give bytes back (those past an upload's <fileSz>, then those the escape detector held): they
// came before the rest of the chunk, so they run first.
void ModemEngine::on_serial(TimeMs t, std::string_view bytes) {
  auto step = [&](std::string_view in) {
    return mode_ == Mode::command ? command_input(t, in) : data_input(t, in);
  };
  while (!bytes.empty() || !handed_back_.empty()) {
    if (handed_back_.empty()) {
      bytes.remove_prefix(step(bytes));
      continue;
    }
    std::string back = std::move(handed_back_);
    handed_back_.clear();
    std::string_view rest = back;
    while (!rest.empty() && handed_back_.empty()) rest.remove_prefix(step(rest));
    handed_back_.append(rest);  // anything handed back meanwhile came before it
  }
}

// Command mode: up to the byte that ends a line (V/06, V/07, V/08, V/13), echoed as typed before
// the line runs (ATE1, V/01).
std::size_t ModemEngine::command_input(TimeMs t, std::string_view bytes) {
  if (hung_) return bytes.size();  // the path-overlong-hang defect: nothing is read any more
  auto [used, frame] = framer_.push(bytes, {at_.s3, at_.s5});
  if (at_.echo && !defects_.has(Defect::no_echo)) write(std::string(bytes.substr(0, used)));
  if (frame) {
    line_end_ = bytes[used - 1];
    file_line_ran_ = false;
    run_frame(t, *frame);
    pump(t);  // only a line can give the FTP client work
    if (file_line_ran_ && defects_.has(Defect::pipelined_line_lost)) return bytes.size();
  }
  return used;
}

// V/03: an overlong line executes nothing.
void ModemEngine::run_frame(TimeMs t, const at::FrameView& frame) {
  if (frame.kind == at::FrameKind::overflow && !defects_.has(Defect::long_line_executes)) {
    final_result(Reply::error);
    return;
  }
  run_line(t, frame.body);
}

// V.250 §5.2.1 (V/09): the commands of a line run in order; the first error ends the line with ERROR.
// V/14: a line with a syntax error anywhere runs none of its commands, since some cannot be undone
// and their result would hide the error (AT+QIDEACT;? would deactivate and answer DEACT OK).
void ModemEngine::run_line(TimeMs t, std::string_view body) {
  at::ParsedLine& parsed = parsed_;  // one ParsedLine for every line, its buffers reused
  at::parse_line(body, parsed);
  Reply last = Reply::ok;
  executing_ = true;
  if (parsed.syntax_error) {
    last = Reply::error;
  } else {
    for (std::size_t i = 0; i < parsed.commands.size(); ++i) {
      last = dispatch(t, parsed.commands[i]);
      if (last == Reply::ok) continue;
      if (i > 0 && defects_.has(Defect::chain_error_no_final)) last = Reply::none;
      break;
    }
  }
  final_result(last);
  if (defects_.has(Defect::error_run_reboot)) {
    errors_in_row_ = last == Reply::error || last == Reply::cme ? errors_in_row_ + 1 : 0;
    if (errors_in_row_ >= 4) reboot(t);
  }
  executing_ = false;
  for (const auto& text : after_final_) write_urc(text);
  after_final_.clear();
}

ModemEngine::Reply ModemEngine::dispatch(TimeMs t, const at::Command& command) {
  if (auto r = qftp_command(t, command)) return *r;
  if (auto r = field_ftp_command(t, command)) return *r;
  if (auto r = field_basic_command(command)) return *r;
  if (auto r = file_command(t, command)) return *r;
  if (auto r = basic_command(t, command)) return *r;
  return Reply::error;  // unknown command, including the spec's misspellings (ruling 1)
}

at::FormatSettings ModemEngine::format() const {
  return {at_.verbose || defects_.has(Defect::v0_ignored), at_.quiet, at_.s3, at_.s4};
}

void ModemEngine::write(std::string bytes) {
  if (bytes.empty() || hung_) return;
  if (!actions_.empty()) {
    if (auto* last = std::get_if<SerialWrite>(&actions_.back())) {
      last->bytes += bytes;
      return;
    }
  }
  actions_.emplace_back(SerialWrite{std::move(bytes)});
}

void ModemEngine::info(std::string_view text) { write(at::format_info(text, format())); }

// Ruling 2: "+NAME:value", or "+NAME: value" for the URCs the profile spaces. During data mode
// URCs wait until the host is back in command mode (ruling 5).
std::string ModemEngine::field(std::string_view name, std::string_view value) const {
  std::string text(name);
  text += profile_.spaced_urcs.count(name) != 0 ? ": " : ":";
  text += value;
  return text;
}

// Every URC the engine produces today ends data mode first; holding them is what keeps "nothing
// but data in data mode" true should a future one not.
void ModemEngine::urc(std::string_view name, std::string_view value) { urc_text(field(name, value)); }

void ModemEngine::urc_spaced(std::string_view name, std::string_view value) {
  urc_text(std::string(name) + ": " + std::string(value));
}

void ModemEngine::urc_text(std::string text) {
  if (executing_) {
    after_final_.push_back(std::move(text));
  } else if (mode_ != Mode::command) {
    held_urcs_.push_back(std::move(text));
  } else {
    write_urc(text);
  }
}

void ModemEngine::write_urc(std::string_view text) {
  std::string bytes = at::format_urc(text, format());
  if (defects_.has(Defect::urc_unframed) && at_.verbose) bytes.erase(0, 2);
  write(std::move(bytes));
}

void ModemEngine::final_result(Reply reply) {
  switch (reply) {
    case Reply::ok: return final_result(at::Final::ok);
    case Reply::error: return final_result(at::Final::error);
    case Reply::no_carrier: return final_result(at::Final::no_carrier);
    case Reply::deact_ok: write(at::format_final("DEACT OK", at::Final::ok, format())); return;
    case Reply::none: return;
    case Reply::cme: {
      // docs/field-facts.md §7: AT+CMEE 0 gives ERROR, 1 the code, 2 the text; F/34: the code
      // of the profile's set.
      if (!profile_.cme_errors || at_.cmee == 0 || defects_.has(Defect::cme_never)) {
        return final_result(at::Final::error);
      }
      const int code = profile_.file_errors_40xx ? cme_40xx(cme_code_) : cme_code_;
      const std::string text = at_.cmee == 2 ? std::string(cme_text(code)) : std::to_string(code);
      write(at::format_final("+CME ERROR: " + text, at::Final::error, format()));
      return;
    }
  }
}

void ModemEngine::final_result(at::Final code) { write(at::format_final(code, format())); }

// The error-run-reboot defect: the modem restarts as at power-up. The session is gone without a
// word (its sockets close), the V.250 and FTP settings and the PDP context are the power-up ones,
// and the start-up line says so.
void ModemEngine::reboot(TimeMs t) {
  errors_in_row_ = 0;
  if (state() != ServiceState::idle && state() != ServiceState::closed) {
    ftp_.lose_network(t);
    pump(t);
  }
  after_final_.clear();
  at_ = AtSettings{};
  cfg_ = Config{};
  net_ = Network{};
  framer_ = at::LineFramer{};
  open_files_.clear();
  last_len_ = 0;
  write_urc("RDY");
}

TimeMs ModemEngine::deadline() const {
  TimeMs d = ftp_.deadline();
  if (mode_ != Mode::command) d = std::min(d, escape_.deadline());
  if (transfer_ && mode_ == Mode::data_upload) d = std::min(d, transfer_->input_deadline);
  if (file_io_) d = std::min(d, file_io_->deadline);
  return d;
}

void ModemEngine::update_timer() {
  const TimeMs d = deadline();
  if (d == armed_) return;
  armed_ = d;
  if (d == kNever) {
    actions_.emplace_back(CancelTimer{});
  } else {
    actions_.emplace_back(ArmTimer{d});
  }
}

}  // namespace qftp::modem
