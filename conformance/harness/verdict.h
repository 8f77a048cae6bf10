// verdict.h: the verdicts of docs/architecture.md §2.2 (pass, fail, inconclusive, not_applicable,
// error) and how several of them combine into one for a requirement covered by more than one case.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace qftp::harness {

enum class Verdict : std::uint8_t { pass, fail, inconclusive, not_applicable, error };

std::string_view verdict_name(Verdict v);
std::optional<Verdict> verdict_from_name(std::string_view name);

// A requirement is only as good as its worst case: a fail outweighs a harness error (the DUT was
// caught), an error outweighs an inconclusive, and not_applicable counts only when nothing ran.
Verdict combine(Verdict a, Verdict b);

// Why a case step stopped the case: the verdict it implies and the reason for the log.
struct Outcome {
  Verdict verdict = Verdict::fail;
  std::string reason;
};

inline Outcome fail(std::string reason) {
  return {Verdict::fail, std::move(reason)};
}
inline Outcome inconclusive(std::string reason) {
  return {Verdict::inconclusive, std::move(reason)};
}
inline Outcome harness_error(std::string reason) {
  return {Verdict::error, std::move(reason)};
}

}  // namespace qftp::harness

namespace qftp::harness {

// One requirement's verdict as one case found it: a case that checks several requirements judges
// each on its own checks (check_verdicts.h).
struct RequirementCheck {
  std::string id;
  Verdict verdict = Verdict::pass;
  std::string reason;
};

}  // namespace qftp::harness
