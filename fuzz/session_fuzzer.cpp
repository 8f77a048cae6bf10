// session_fuzzer: the whole modem on virtual time against the FTP server model, its faults read
// from the input, driven by a host script from the same input. Invariants: session/session_oracle.h.
#include <cstddef>
#include <cstdint>

#include "common/fuzz_check.h"
#include "core/modem/defects.h"
#include "session/session_harness.h"

namespace {

// Sessions grow with the input; beyond this an input only costs time.
constexpr std::size_t kMaxInput = 8192;

#if QFTP_FUZZ_BREAK
#ifndef QFTP_FUZZ_BREAK_DEFECT
#define QFTP_FUZZ_BREAK_DEFECT "len-off-by-one"
#endif
#endif

// The proof of the oracle runs the engine with one of its deliberate defects (defects.h).
qftp::modem::DefectSet defects() {
  qftp::modem::DefectSet set;
#if QFTP_FUZZ_BREAK
  const auto defect = qftp::modem::defect_by_name(QFTP_FUZZ_BREAK_DEFECT);
  QFTP_FUZZ_CHECK(defect.has_value());
  set.add(*defect);
#endif
  return set;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > kMaxInput) {
    return 0;
  }
  qftp::fuzz::SessionHarness harness(data, size, defects());
  harness.run();
  return 0;
}
