// The fixture's matching rules over a list of directives (fixtures/ftp_fixture.py, FaultSet).
#include "testing/directive_plan.h"

#include <algorithm>

namespace qftp::testing {

namespace {

bool active(const Directive& d) {
  return !d.times || *d.times > 0;
}

}  // namespace

std::variant<int, std::string> DirectivePlan::set(std::string_view directive) {
  auto parsed = parse_directive(directive);
  if (auto* why = std::get_if<std::string>(&parsed)) return std::move(*why);
  entries_.push_back(Entry{next_id_, std::get<Directive>(std::move(parsed))});
  return next_id_++;
}

bool DirectivePlan::clear(int id) {
  const auto it =
      std::find_if(entries_.begin(), entries_.end(), [id](const Entry& e) { return e.id == id; });
  if (it == entries_.end()) return false;
  entries_.erase(it);
  return true;
}

void DirectivePlan::clear_all() {
  entries_.clear();
}

const Directive* DirectivePlan::peek(FaultKind kind, const std::string_view* cmd) const {
  for (const Entry& e : entries_) {
    if (e.directive.kind == kind && active(e.directive) &&
        (cmd == nullptr || e.directive.about(*cmd))) {
      return &e.directive;
    }
  }
  return nullptr;
}

const Directive* DirectivePlan::match(FaultKind kind, const std::string_view* cmd) {
  auto* d = const_cast<Directive*>(peek(kind, cmd));
  if (d != nullptr && d->times) --*d->times;
  return d;
}

CommandFaults DirectivePlan::command(std::string_view cmd) {
  CommandFaults f;
  if (const Directive* d = match(FaultKind::delay, &cmd)) f.delay = static_cast<TimeMs>(d->amount);
  for (const FaultKind kind : {FaultKind::close, FaultKind::garbage, FaultKind::reply}) {
    if ((f.instead = match(kind, &cmd)) != nullptr) break;
  }
  f.multiline = match(FaultKind::multiline, &cmd) != nullptr;
  f.lfonly = match(FaultKind::lfonly, &cmd) != nullptr;
  f.burst = match(FaultKind::burst, &cmd) != nullptr;
  return f;
}

const Directive* DirectivePlan::data_setup() {
  return match(FaultKind::nodataconn, nullptr);
}

TransferFaults DirectivePlan::transfer(std::string_view cmd, std::uint64_t) {
  TransferFaults f;
  f.cut = match(FaultKind::cut, &cmd);
  f.stall = match(FaultKind::stall, &cmd);
  f.final = match(FaultKind::final, &cmd);
  if (const Directive* d = match(FaultKind::slow, nullptr)) f.slow = d->amount;
  return f;
}

std::optional<TimeMs> DirectivePlan::idle_limit() {
  const Directive* d = peek(FaultKind::idle, nullptr);
  if (d == nullptr) return std::nullopt;
  return static_cast<TimeMs>(d->amount);
}

void DirectivePlan::idle_fired() {
  match(FaultKind::idle, nullptr);
}

ConnectFate DirectivePlan::connect(ftp::Sock sock) {
  ConnectFate fate;
  fate.latency = network.latency;
  if (network.dns_fails) {
    fate.error = ftp::SockError::resolve;
  } else if (network.link_down) {
    fate.error = ftp::SockError::unreachable;
  } else if (sock == ftp::Sock::control && peek(FaultKind::refuse, nullptr) != nullptr) {
    fate.error = ftp::SockError::refused;
  }
  return fate;
}

}  // namespace qftp::testing
