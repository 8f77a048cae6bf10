// progress.h: the console's one line per case: "[37/176] pass  Suite.Name  1.2 s  ~1:05 left",
// with the first reason of a failure; --quiet keeps only the cases that did not pass.
#pragma once

#include <cstdint>
#include <string>

#include "harness/verdict.h"

namespace qftp::harness {

class Progress {
 public:
  // `prior_case_ms`: what a case is expected to take before any has run (from the profile).
  Progress(int total, double prior_case_ms, bool quiet)
      : total_(total), prior_case_ms_(prior_case_ms), quiet_(quiet) {}

  // The line for a finished case, or "" when --quiet leaves it out.
  std::string finished(const std::string& name, Verdict verdict, double duration_ms,
                       const std::string& reason);
  // Time left: the cases left times the mean case time so far (the prior before the first).
  double seconds_left() const;
  int done() const { return done_; }

 private:
  int total_;
  double prior_case_ms_;
  bool quiet_;
  int done_ = 0;
  double spent_ms_ = 0;
};

// "1:05", "12 s", "1:02:03".
std::string clock_text(double seconds);

}  // namespace qftp::harness
