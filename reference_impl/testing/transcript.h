// The kit's one transcript format and its parser (no Boost, no GoogleTest): the spec's chapter-4
// examples as the conformance suite plays them (conformance/transcripts/), and exact-byte sessions
// of the emulator (reference_impl/tests/transcripts/). One line each; '#' starts a comment:
//   > AT...                 send a command line (the <CR> is added)
//   < TEXT                  the next line from the DUT, its echo skipped; "+NAME:v" matches
//                           either spacing (ruling 2, line_matches)
//   >data SEED TOTAL [FROM COUNT]   send bytes [FROM, FROM+COUNT) of test_content(SEED, TOTAL)
//   <data SEED TOTAL [FROM COUNT]   the next bytes from the DUT are that slice
//   >raw BYTES              send exactly BYTES (escapes \r \n \\ \xNN; nothing added)
//   <raw BYTES              the next bytes from the DUT, echo included, are exactly BYTES
//   @title TEXT, @requirements ID...     what the transcript is and checks
//   @session, @pics NAME, @fault DIRECTIVE, @server-file PATH SEED TOTAL [FROM COUNT],
//   @local-file ROOT NAME SEED TOTAL [FROM COUNT], @expect-server-file PATH SEED TOTAL,
//   @verify-local ROOT NAME SEED TOTAL, @expect-ftp COMMAND        set-up and checks
// ${host}, ${port}, ${user}, ${password} and ${apn} stand for the bench's values.
#pragma once

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace qftp::transcript {

struct Line {
  int number = 0;
  // "send", "expect", "send_data", "expect_data", "send_raw", "expect_raw", or a directive's
  // name without its '@' ("session", "fault", ...)
  std::string kind;
  std::string text;  // the rest of the line, as written
};

struct Transcript {
  std::filesystem::path path;
  std::string title;
  std::vector<std::string> requirements;
  std::vector<Line> lines;
};

// A transcript, or why it is none ("FILE:LINE: reason").
std::variant<Transcript, std::string> parse(std::string_view text,
                                            const std::filesystem::path& path);
std::variant<Transcript, std::string> load(const std::filesystem::path& path);

// The test data a transcript names by SEED and size: letters, digits and a LF every 64 bytes.
std::string test_content(std::string_view seed, std::size_t size);
// The bytes "SEED TOTAL [FROM COUNT]" name, read from words[first...]; or why not.
std::variant<std::string, std::string> slice(const std::vector<std::string>& words,
                                             std::size_t first);
// A line's text split at spaces.
std::vector<std::string> words(std::string_view text);

// The bytes of a >raw or <raw line.
std::string unescape(std::string_view text);

// The bench's values that ${host}, ${port}, ${user}, ${password} and ${apn} stand for.
struct BenchValues {
  std::string host;
  std::string port;
  std::string user;
  std::string password;
  std::string apn;
};
std::string substitute(std::string text, const BenchValues& bench);

// Whether a line from the DUT is what a "<" line expects: the same text, or for "+NAME:value"
// the same name and value with or without one space after the colon (ruling 2).
bool line_matches(std::string_view expected, std::string_view got);

}  // namespace qftp::transcript
