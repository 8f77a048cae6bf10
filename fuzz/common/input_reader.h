// A fuzz input read from both ends: one party's script from the front, another's from the back,
// so that mutating one rarely shifts the other. Reads past the meeting point give zeros.
#pragma once

#include <cstddef>
#include <cstdint>

namespace qftp::fuzz {

class InputReader {
 public:
  InputReader(const std::uint8_t* data, std::size_t size) : data_(data), front_(0), back_(size) {}

  bool empty() const { return front_ >= back_; }
  std::size_t left() const { return back_ - front_; }

  // Zero once exhausted: every decision a script makes has a harmless default at 0.
  std::uint8_t front() { return front_ < back_ ? data_[front_++] : 0; }
  std::uint8_t back() { return front_ < back_ ? data_[--back_] : 0; }

  std::uint16_t front16() {
    const std::uint16_t lo = front();
    return static_cast<std::uint16_t>(lo | (front() << 8));
  }

 private:
  const std::uint8_t* data_;
  std::size_t front_;
  std::size_t back_;
};

}  // namespace qftp::fuzz
