// The session fuzzer's fault plan: every answer the FTP server model asks for is read from the
// back of the input and decoded into directives of the fixture's vocabulary (REPLY, DELAY, CLOSE,
// GARBAGE, MULTILINE, LFONLY, BURST, NODATACONN, CUT, STALL, FINAL, SLOW), network fates and
// the files the server holds. An exhausted input reads zeros: a prompt, well-behaved server.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/input_reader.h"
#include "testing/fault_plan.h"

namespace qftp::fuzz {

class FuzzFaultPlan final : public testing::FaultPlan {
 public:
  explicit FuzzFaultPlan(InputReader& script) : script_(script) {}

  testing::CommandFaults command(std::string_view cmd) override;
  const testing::Directive* data_setup() override;
  // The directives returned stay valid until the next call.
  testing::TransferFaults transfer(std::string_view cmd, std::uint64_t size) override;
  std::optional<TimeMs> idle_limit() override { return std::nullopt; }  // the script kicks
  void idle_fired() override {}
  testing::ConnectFate connect(ftp::Sock sock) override;
  std::string_view listen_ip() override;
  // Downloads never hold a byte below 0x80, so the oracle can tell them from the modem's text.
  std::optional<std::string> absent_file(std::string_view path) override;

 private:
  InputReader& script_;
  const testing::Directive* nodata_ = nullptr;  // drawn with the data set-up command
  testing::Directive limit_;                    // this transfer's CUT or STALL
  testing::Directive final_;                    // ... or FINAL
};

}  // namespace qftp::fuzz
