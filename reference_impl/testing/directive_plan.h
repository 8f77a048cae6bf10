// A fault plan held as the fixture holds its directives: set one at a time (each gets an id),
// cleared by id or all at once, the oldest matching directive winning, `times=N` counting down;
// and the network conditions of the emulator control (DNS FAIL, LINK DOWN, LATENCY).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "testing/fault_plan.h"

namespace qftp::testing {

class DirectivePlan final : public FaultPlan {
 public:
  struct Network {
    bool dns_fails = false;  // DNS FAIL: names do not resolve (-4)
    bool link_down = false;  // LINK DOWN: nothing is reachable (-5)
    TimeMs latency = 0;      // LATENCY MS: every connection attempt takes this long
  };

  // SET <directive>: its id, or why it is no directive.
  std::variant<int, std::string> set(std::string_view directive);
  bool clear(int id);
  void clear_all();
  Network network;

  CommandFaults command(std::string_view cmd) override;
  const Directive* data_setup() override;
  TransferFaults transfer(std::string_view cmd, std::uint64_t size) override;
  std::optional<TimeMs> idle_limit() override;
  void idle_fired() override;
  ConnectFate connect(ftp::Sock sock) override;
  std::string_view listen_ip() override { return "127.0.0.1"; }
  std::optional<std::string> absent_file(std::string_view) override { return std::nullopt; }

 private:
  struct Entry {
    int id;
    Directive directive;
  };
  // The oldest active directive of `kind` about `cmd` (any, for nullptr), counted as a match.
  const Directive* match(FaultKind kind, const std::string_view* cmd);
  const Directive* peek(FaultKind kind, const std::string_view* cmd) const;

  std::vector<Entry> entries_;
  int next_id_ = 1;
};

}  // namespace qftp::testing
