// verdict.cpp: verdict names as the reports spell them, and the combination rule for requirements.
#include "harness/verdict.h"

#include <array>

namespace qftp::harness {

std::string_view verdict_name(Verdict v) {
  switch (v) {
    case Verdict::pass:
      return "pass";
    case Verdict::fail:
      return "fail";
    case Verdict::inconclusive:
      return "inconclusive";
    case Verdict::not_applicable:
      return "not_applicable";
    case Verdict::error:
      return "error";
  }
  return "error";
}

std::optional<Verdict> verdict_from_name(std::string_view name) {
  for (const Verdict v : {Verdict::pass, Verdict::fail, Verdict::inconclusive,
                          Verdict::not_applicable, Verdict::error}) {
    if (verdict_name(v) == name) return v;
  }
  return std::nullopt;
}

Verdict combine(Verdict a, Verdict b) {
  // Rank from least to most significant.
  const auto rank = [](Verdict v) {
    switch (v) {
      case Verdict::not_applicable:
        return 0;
      case Verdict::pass:
        return 1;
      case Verdict::inconclusive:
        return 2;
      case Verdict::error:
        return 3;
      case Verdict::fail:
        return 4;
    }
    return 3;
  };
  return rank(a) >= rank(b) ? a : b;
}

}  // namespace qftp::harness
