// dut_case.h: one test case of qftp-dutfuzz: the steps a TE takes towards the DUT and the fixture,
// with the timings that matter (the silence before a step, the gap between the bytes of an
// escape), and the replay file that holds a case with what it found.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "te/result.h"

namespace qftp::dutfuzz {

using te::Result;

struct Step {
  enum class Kind : std::uint8_t {
    send,    // `bytes` to the DUT, exactly (a command line carries its own <CR>)
    fault,   // `text` is a fixture directive (fixtures/README.md), SET on the fixture
    reopen,  // the TE drops the link and opens it again
    server_file,  // the server holds `text` (a path) with `bytes` as its contents
  };
  Kind kind = Kind::send;
  std::string bytes;
  std::string text;
  std::uint32_t pause_ms = 0;  // silence on the TE side before the step
  std::uint32_t gap_ms = 0;    // send: between one byte and the next (0: all at once)

  bool operator==(const Step&) const = default;
};

struct Case {
  std::vector<Step> steps;
  std::string origin;  // "grammar", "mutation", "transcript 4_1_open", "stateful", "replay"

  bool operator==(const Case& other) const { return steps == other.steps; }
};

// "send \"AT+QFTPSTAT\\r\"", "fault REPLY RETR 550", "reopen", with the timings when not 0.
std::string describe(const Step& step);
// The first command line a step sends, printable ("AT+QFTPOPEN=..."), or the step as described.
std::string first_command(const Step& step);

nlohmann::json to_json(const Case& c);
Result<Case> case_from_json(const nlohmann::json& j);

// A chapter-4 host line "${host}" etc. substituted, a fuzz corpus file's bytes: steps split at
// each <CR> so that every command line is a step of its own.
std::vector<Step> split_lines(std::string_view bytes);

}  // namespace qftp::dutfuzz
