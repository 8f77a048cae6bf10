// result.h: the tool's error-as-value type, a small stand-in for C++23 std::expected.
// A boundary that can fail at run time (a process, a socket, a peer) returns Result<T> or Status.
#pragma once

#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <variant>

namespace qftp::te {

struct Error {
  std::string message;
};

inline Error make_error(std::string message) { return Error{std::move(message)}; }

template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}  // NOLINT(google-explicit-constructor)
  Result(Error error) : v_(std::move(error)) {}  // NOLINT(google-explicit-constructor)

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }

  // Reading the value of a failed result (or the error of a good one) is a programmer error.
  T& value() & { return std::get<0>(checked(true)); }
  const T& value() const& { return std::get<0>(checked(true)); }
  T&& value() && { return std::get<0>(std::move(checked(true))); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

  const std::string& error() const { return std::get<1>(checked(false)).message; }

 private:
  std::variant<T, Error>& checked(bool want_value) {
    if (ok() != want_value) {
      throw std::logic_error(want_value ? "Result::value() on an error: " + std::get<1>(v_).message
                                        : "Result::error() on a value");
    }
    return v_;
  }
  const std::variant<T, Error>& checked(bool want_value) const {
    return const_cast<Result*>(this)->checked(want_value);
  }

  std::variant<T, Error> v_;
};

template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : error_(std::move(error)) {}  // NOLINT(google-explicit-constructor)

  bool ok() const { return !error_.has_value(); }
  explicit operator bool() const { return ok(); }
  const std::string& error() const {
    if (!error_) throw std::logic_error("Result::error() on a success");
    return error_->message;
  }

 private:
  std::optional<Error> error_;
};

using Status = Result<void>;

}  // namespace qftp::te
