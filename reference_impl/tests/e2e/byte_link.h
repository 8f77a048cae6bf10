// byte_link.h: the TE side of the end-to-end tests: a byte stream to qftp-emu (its pty opened raw,
// or a loopback TCP connection to its serial port or its control), with reads under deadlines.
// Failing to open one is a start-up failure: it throws.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace qftp::e2e {

class ByteLink {
 public:
  static ByteLink open_pty(const std::string& device);
  static ByteLink connect_tcp(std::uint16_t port);  // 127.0.0.1

  ByteLink(ByteLink&& other) noexcept;
  ByteLink& operator=(ByteLink&& other) noexcept;
  ByteLink(const ByteLink&) = delete;
  ByteLink& operator=(const ByteLink&) = delete;
  ~ByteLink();

  bool send(std::string_view bytes);
  // The bytes up to and including `pattern`; nullopt at the deadline or the link's end (error()).
  std::optional<std::string> read_until(std::string_view pattern,
                                        std::chrono::milliseconds timeout);
  std::optional<std::string> read_exactly(std::size_t count, std::chrono::milliseconds timeout);
  // Everything that arrives within `window`: for checks that nothing more comes.
  std::string read_for(std::chrono::milliseconds window);
  // Why the last read failed: a timeout (with what had arrived) or the link's end.
  const std::string& error() const { return error_; }

 private:
  explicit ByteLink(int fd) : fd_(fd) {}
  // Reads what is available by `until`; false at the deadline or the end of the stream.
  bool fill(std::chrono::steady_clock::time_point until);

  int fd_ = -1;
  std::string buf_;
  std::string error_;
  bool closed_ = false;
};

}  // namespace qftp::e2e
