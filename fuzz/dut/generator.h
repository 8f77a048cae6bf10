// generator.h: qftp-dutfuzz's inputs: command lines from a grammar of the V1.1 commands and their
// parameter domains, stateful sequences (session, transfers through /COM/ and /UFS/, the escape
// with guard and gap times around their limits, commands in data mode, fixture faults mid-
// transfer, a dropped link), the seeds (chapter-4 transcripts, the libFuzzer corpora), and
// mutations of the cases kept for reaching a new response shape or state.
#pragma once

#include <cstdint>
#include <filesystem>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "dut_case.h"

namespace qftp::dutfuzz {

// What the generator needs of the bench: the fixture's host (the lines themselves name it and the
// other bench values as ${host}, ${port}, ${user}, ${password}, ${apn}), and the timing limits
// around which escapes are generated.
struct GenContext {
  std::string host = "127.0.0.1";
  std::uint32_t guard_ms = 500;
  std::uint32_t gap_ms = 20;
  // The share of cases, in percent, that are sustained streams (stream_case()). 0 leaves the
  // generator's sequence as it is without them: a seed gives the same cases.
  unsigned stream_share = 0;
};

// The seeds: each chapter-4 transcript as a case (a session opened first where it asks for one),
// and each AT corpus file of the libFuzzer targets (at_line_fuzzer, at_stream_fuzzer) as lines.
// A file that cannot be read is reported in `problems` and skipped.
std::vector<Case> load_seeds(const std::filesystem::path& transcripts_dir,
                             const std::filesystem::path& fuzz_corpus_dir,
                             std::vector<std::string>& problems);

class Generator {
 public:
  Generator(std::uint64_t seed, GenContext ctx);

  Case grammar_case();
  Case stateful_case();
  // A sustained stream: an upload through /COM/ of 2 to 32 KiB sent at once, so that the line
  // carries it at its full rate. Every byte is data the DUT must store and act on none of: command
  // lines, '+' runs without a guard time, result-code lookalikes, any byte 0x00-0xFF. Its origin
  // is kStreamOrigin, which the campaign's statistics count by.
  Case stream_case();
  static constexpr std::string_view kStreamOrigin = "stream";
  Case mutate(const Case& base, const std::vector<Case>& pool);
  // One of the above: mutation of a case from `pool` (seeds and kept cases) when it has any.
  Case next(const std::vector<Case>& pool);

  // One command line of the grammar, <CR> included.
  std::string command_line();

 private:
  std::uint64_t below(std::uint64_t n) { return n == 0 ? 0 : rng_() % n; }
  bool chance(unsigned percent) { return below(100) < percent; }
  std::string command();
  std::string string_param(std::size_t limit, const std::string& valid);
  std::string number_param(long long lo, long long hi, long long valid);
  std::string data_bytes(std::size_t n);
  std::string stream_bytes(std::size_t n);
  Step line(std::string text);
  void mutate_bytes(std::string& bytes);

  std::mt19937_64 rng_;
  GenContext ctx_;
  unsigned file_no_ = 0;
};

}  // namespace qftp::dutfuzz
