// Oracle checks shared by every fuzz target, and the switch that breaks a target on purpose.
// A failed check traps in the function that made it, so crash de-duplication by top frames works.
#pragma once

#include <cstdio>

// The message helps a human reading a replay log; the trap, not the message, is what fuzzers
// and ClusterFuzz key on, and it stays inline so the top frame is the oracle that failed.
#define QFTP_FUZZ_CHECK(cond)                                                                  \
  do {                                                                                         \
    if (!(cond)) [[unlikely]] {                                                                \
      std::fprintf(stderr, "QFTP_FUZZ_CHECK failed: %s (%s:%d)\n", #cond, __FILE__, __LINE__); \
      __builtin_trap();                                                                        \
    }                                                                                          \
  } while (0)

// -DQFTP_FUZZ_BREAK=1 builds a deliberately broken variant of a target (ci/fuzz --prove-oracles):
// each target then injects one known bug of the kind its oracle exists to catch.
#ifndef QFTP_FUZZ_BREAK
#define QFTP_FUZZ_BREAK 0
#endif
