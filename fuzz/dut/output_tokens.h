// output_tokens.h: what a DUT wrote, as the oracles compare it: lines with the line ends before
// them (so framing counts), classified as final result, URC, start-up URC or other text; and the
// response "shapes" that stand for coverage when the DUT is a black box.
#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace qftp::dutfuzz {

struct Token {
  enum class Kind : std::uint8_t { text, final_result, urc, startup };
  Kind kind = Kind::text;
  std::string text;       // the line without its line ends; "+NAME: v" written "+NAME:v" (ruling 2)
  std::string before;     // the line ends that came before it ("\r\n", "" ...)
  std::size_t step = 0;   // the step whose output held it
  std::size_t raw_size = 0;  // the line's bytes as they came
  // tokenize_steps() only, for lines other than URCs: the line ends before it once the URCs since
  // the line before are taken out, each with the <CR><LF> on either side of it. Where a URC falls
  // among the host's echoed bytes is a matter of the clocks; the line ends the DUT wrote for the
  // line itself are not.
  std::string own_before;
};

// The asynchronous results of spec 2.2 (+QFTPOPEN, +QFTPCLOSE, +QFTPPATH, +QFTPCFG, +QFTPPUT,
// +QFTPGET, +QFTPERROR): compared per name, not by the step they arrive in.
bool is_urc_name(std::string_view name);
// RDY, Call Ready, +CFUN: 1, +CPIN: READY: a DUT that says them again has restarted.
bool is_startup_line(std::string_view text);

// Splits `out` (the bytes of step `step`) into tokens appended to `tokens`.
void tokenize(std::string_view out, std::size_t step, std::vector<Token>& tokens);
// The outputs of consecutive steps as one stream (a line may straddle two steps when its bytes
// come late); each token belongs to the step its first byte came in. An echo a URC came into
// (a paced line echoes as it carries the line) is one line again, before the URC. Sets own_before.
std::vector<Token> tokenize_steps(const std::vector<std::string>& outs);

// Lines ending in '\n' in `out` (how much a step's answer holds, to wait for it).
std::size_t count_line_ends(std::string_view out);
// Runs of bytes other than <CR> and <LF> in `out`: its lines and the start of an unended one (an
// echo whose line end is not <LF>, data), so that an answer without a line end is waited for too.
std::size_t count_pieces(std::string_view out);

// The shape of a line: digits as '9', a run of other text after ':' or '"' as '*'.
std::string shape(const Token& token);

}  // namespace qftp::dutfuzz
