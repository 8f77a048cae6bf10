// step.h: the result of one case step: a value, or the Outcome (verdict and reason) that ends the
// case. Steps compose without exceptions; QFTP_TRY and QFTP_SETUP in qftp_case.h unwrap them.
#pragma once

#include <optional>
#include <utility>
#include <variant>

#include "harness/verdict.h"

namespace qftp::harness {

template <class T>
class [[nodiscard]] Step {
 public:
  Step(T value) : v_(std::move(value)) {}            // NOLINT(google-explicit-constructor)
  Step(Outcome outcome) : v_(std::move(outcome)) {}  // NOLINT(google-explicit-constructor)
  bool ok() const { return v_.index() == 0; }
  T& value() { return std::get<0>(v_); }
  const Outcome& outcome() const { return std::get<1>(v_); }

 private:
  std::variant<T, Outcome> v_;
};

template <>
class [[nodiscard]] Step<void> {
 public:
  Step() = default;
  Step(Outcome outcome) : outcome_(std::move(outcome)) {}  // NOLINT(google-explicit-constructor)
  bool ok() const { return !outcome_.has_value(); }
  const Outcome& outcome() const { return *outcome_; }

 private:
  std::optional<Outcome> outcome_;
};

using Done = Step<void>;

}  // namespace qftp::harness
