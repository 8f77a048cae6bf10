// progress.cpp: the console's progress lines (progress.h).
#include "harness/progress.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace qftp::harness {

std::string clock_text(double seconds) {
  const long s = std::lround(std::max(0.0, seconds));
  char buf[32];
  if (s < 60) {
    std::snprintf(buf, sizeof buf, "%ld s", s);
  } else if (s < 3600) {
    std::snprintf(buf, sizeof buf, "%ld:%02ld", s / 60, s % 60);
  } else {
    std::snprintf(buf, sizeof buf, "%ld:%02ld:%02ld", s / 3600, (s / 60) % 60, s % 60);
  }
  return buf;
}

double Progress::seconds_left() const {
  const int left = std::max(0, total_ - done_);
  const double mean = done_ == 0 ? prior_case_ms_ : spent_ms_ / done_;
  return left * mean / 1000.0;
}

std::string Progress::finished(const std::string& name, Verdict verdict, double duration_ms,
                               const std::string& reason) {
  ++done_;
  spent_ms_ += duration_ms;
  if (quiet_ && (verdict == Verdict::pass || verdict == Verdict::not_applicable)) return "";
  const int width = static_cast<int>(std::to_string(std::max(total_, done_)).size());
  char head[64];
  std::snprintf(head, sizeof head, "[%*d/%d] %-14s ", width, done_, std::max(total_, done_),
                std::string(verdict_name(verdict)).c_str());
  char timing[64];
  std::snprintf(timing, sizeof timing, "  %.1f s  ~%s left", duration_ms / 1000.0,
                clock_text(seconds_left()).c_str());
  std::string line = head + name + timing;
  if (verdict != Verdict::pass && !reason.empty()) {
    std::string first = reason.substr(0, reason.find('\n'));
    if (first.size() > 200) first = first.substr(0, 200) + "...";
    line += "\n    " + first;
  }
  return line + "\n";
}

}  // namespace qftp::harness
