// transcript.h: the spec's chapter-4 examples as transcript files (conformance/transcripts/), in
// the kit's one transcript format (reference_impl/testing/transcript.h, which lists the line kinds),
// played by QftpCase::play_transcript with ${host}, ${port}, ${user}, ${password} and ${apn}
// taken from the PIXIT. The suite adds one rule to the shared parser: a transcript names the
// requirements it checks.
#pragma once

#include <filesystem>
#include <string>

#include "te/result.h"
#include "harness/te_vocabulary.h"
#include "testing/transcript.h"

namespace qftp::harness {

using Transcript = transcript::Transcript;
using TranscriptLine = transcript::Line;

Result<Transcript> parse_transcript(const std::string& text, const std::filesystem::path& path);
Result<Transcript> load_transcript(const std::filesystem::path& path);

}  // namespace qftp::harness
