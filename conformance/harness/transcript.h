// transcript.h: the spec's chapter-4 examples as transcript files (conformance/transcripts/),
// parsed into steps that QftpCase::play_transcript sends and checks verbatim, with ${host},
// ${port},
// ${user}, ${password} and ${apn} taken from the PIXIT.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "harness/result.h"

namespace qftp::harness {

// One transcript line. Kinds:
//   send        "> AT..."                      a command line (the <CR> is added)
//   expect      "< TEXT"                       the next line from the DUT (echo skipped); "+NAME:v"
//                                              matches either spacing (ruling 2)
//   send_data   ">data SEED TOTAL FROM COUNT"  upload bytes [FROM, FROM+COUNT) of
//   test_content(SEED, TOTAL) expect_data "<data SEED TOTAL FROM COUNT"  the next bytes must be
//   that slice directives  "@session", "@pics NAME", "@fault DIRECTIVE", "@server-file PATH SEED
//   TOTAL [FROM COUNT]",
//               "@local-file ROOT NAME SEED TOTAL [FROM COUNT]", "@expect-server-file PATH SEED
//               TOTAL",
//               "@verify-local ROOT NAME SEED TOTAL", "@expect-ftp FTP COMMAND"
struct TranscriptLine {
  int number = 0;
  std::string kind;  // "send", "expect", "send_data", "expect_data", or the directive without '@'
  std::string text;  // the rest of the line
};

struct Transcript {
  std::filesystem::path path;
  std::string title;
  std::vector<std::string> requirements;
  std::vector<TranscriptLine> lines;
};

Result<Transcript> parse_transcript(const std::string& text, const std::filesystem::path& path);
Result<Transcript> load_transcript(const std::filesystem::path& path);

}  // namespace qftp::harness
