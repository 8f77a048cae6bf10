// The FTP service states of spec 2.2.9, as AT+QFTPSTAT names them, and the one table of the
// changes between them that may happen, by what caused them. The engine checks every change of
// its derived state against this table (in builds with assertions), and the session fuzzer's
// oracle judges every engine call by it.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

namespace qftp::modem {

enum class ServiceState : std::uint8_t { idle, opening, opened, working, transfer, closing, closed };
inline constexpr std::size_t kServiceStates = 7;

constexpr std::string_view state_name(ServiceState s) {
  switch (s) {
    case ServiceState::idle: return "IDLE";
    case ServiceState::opening: return "OPENING";
    case ServiceState::opened: return "OPENED";
    case ServiceState::working: return "WORKING";
    case ServiceState::transfer: return "TRANSFER";
    case ServiceState::closing: return "CLOSING";
    case ServiceState::closed: return "CLOSED";
  }
  return "IDLE";
}

// True when the service has no session with a server (AT+QFTPUSER/PASS/OPEN may run).
constexpr bool no_session(ServiceState s) {
  return s == ServiceState::idle || s == ServiceState::closed;
}

// What made the engine move: host bytes, its wake-up, a socket result, or the network.
enum class Cause : std::uint8_t { host, timer, server, network };

namespace transitions {

struct Edge {
  ServiceState from;
  ServiceState to;
};

using S = ServiceState;

// A command line may open (from IDLE or CLOSED), start a path change or a transfer, close, or end
// the session (AT+QIDEACT); an operation refused at once completes within the same line.
inline constexpr Edge kHost[] = {
    {S::idle, S::opening},    {S::closed, S::opening},   {S::opening, S::idle},
    {S::opening, S::closed},  {S::opened, S::working},   {S::working, S::opened},
    {S::working, S::closed},  {S::opened, S::closing},   {S::working, S::closing},
    {S::transfer, S::closing}, {S::opened, S::closed},   {S::transfer, S::closed},
    {S::closing, S::closed},
};
// The server and the clock complete what a command started: a login, a path change, the data
// connection (WORKING to TRANSFER), a transfer, a close; or end the session.
inline constexpr Edge kEvent[] = {
    {S::opening, S::opened},   {S::opening, S::idle},     {S::opening, S::closed},
    {S::opened, S::closed},    {S::working, S::opened},   {S::working, S::closed},
    {S::working, S::transfer}, {S::transfer, S::opened},  {S::transfer, S::closed},
    {S::closing, S::closed},
};
// A lost PDP context ends whatever session there is.
inline constexpr Edge kNetwork[] = {
    {S::opening, S::idle},    {S::opening, S::closed},  {S::opened, S::closed},
    {S::working, S::closed},  {S::transfer, S::closed}, {S::closing, S::closed},
};

// reach[from] has bit `to` set when `to` can follow `from` in one call (several steps at most).
using Reach = std::array<std::uint8_t, kServiceStates>;

template <std::size_t N>
constexpr Reach closure(const Edge (&edges)[N]) {
  Reach r{};
  for (unsigned s = 0; s < kServiceStates; ++s) r[s] = static_cast<std::uint8_t>(1u << s);
  for (const Edge& e : edges) {
    const auto from = static_cast<unsigned>(e.from);
    r[from] = static_cast<std::uint8_t>(r[from] | (1u << static_cast<unsigned>(e.to)));
  }
  for (unsigned k = 0; k < kServiceStates; ++k) {
    for (unsigned s = 0; s < kServiceStates; ++s) {
      if ((r[s] >> k) & 1u) r[s] = static_cast<std::uint8_t>(r[s] | r[k]);
    }
  }
  return r;
}

inline constexpr Reach kHostReach = closure(kHost);
inline constexpr Reach kEventReach = closure(kEvent);
inline constexpr Reach kNetworkReach = closure(kNetwork);

}  // namespace transitions

// True when one engine call caused by `cause` may take the service from `from` to `to`.
constexpr bool legal_change(Cause cause, ServiceState from, ServiceState to) {
  const transitions::Reach& r = cause == Cause::host      ? transitions::kHostReach
                                : cause == Cause::network ? transitions::kNetworkReach
                                                          : transitions::kEventReach;
  return ((r[static_cast<unsigned>(from)] >> static_cast<unsigned>(to)) & 1u) != 0;
}

}  // namespace qftp::modem
