// check_scope.h: which requirement the checks of a case are about. A case's tags are the default;
// inside a QFTP_CHECKS("2.2.3/04") scope a failed check fails only the requirements it names.
#pragma once

#include <initializer_list>
#include <string>
#include <vector>

namespace qftp::harness {

// What happened to a check while a case ran, with the requirements in scope at that moment
// (empty: the whole case, every tag).
struct CheckEvent {
  enum class Kind : unsigned char { failure, fatal, skip };
  std::vector<std::string> ids;
  Kind kind = Kind::failure;
  std::string message;
};

// Narrows the requirement scope for its lifetime; scopes nest and restore the outer one.
class CheckScope {
 public:
  CheckScope(std::vector<std::string>& current, std::initializer_list<const char*> ids)
      : current_(current), saved_(current) {
    current_.assign(ids.begin(), ids.end());
  }
  ~CheckScope() { current_ = std::move(saved_); }
  CheckScope(const CheckScope&) = delete;
  CheckScope& operator=(const CheckScope&) = delete;

 private:
  std::vector<std::string>& current_;
  std::vector<std::string> saved_;
};

}  // namespace qftp::harness
