// empty_fuzzer: a target that tests nothing, built with the same flags as the real ones.
// ci/bench-fuzz runs it beside each target: the ratio of their exec/s is the harness's own cost.
#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  // One branch on the input, so libFuzzer sees coverage and keeps mutating.
  if (size > 0 && data[0] == 'A') {
    return 0;
  }
  return 0;
}
