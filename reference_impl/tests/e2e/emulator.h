// emulator.h: the built qftp-emu as the end-to-end tests run it: on a pty or loopback TCP, with
// its emulator control, a UFS directory, a wire log and a device profile in a work directory of
// its own; TE-side links to it and requests on its control.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "byte_link.h"
#include "process.h"

namespace qftp::e2e {

// A fresh directory, removed with everything in it.
class TempDir {
 public:
  explicit TempDir(const std::string& prefix = "qftp-e2e-");
  ~TempDir();
  TempDir(TempDir&& other) noexcept;
  TempDir& operator=(TempDir&&) = delete;
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// "READY pty /dev/pts/N[ control=127.0.0.1:P]" or "READY tcp 127.0.0.1:PORT[ control=...]".
struct ReadyLine {
  bool tcp = false;
  std::string device;      // pty
  std::string host;        // tcp
  std::uint16_t port = 0;  // tcp
  std::uint16_t control_port = 0;
};
std::optional<ReadyLine> parse_ready(std::string_view line);

class Emulator {
 public:
  struct Options {
    bool tcp = false;               // --tcp 127.0.0.1:0, else --pty
    std::filesystem::path link;     // --link PATH (pty)
    std::string profile_text;       // written to the work directory as --profile
    std::vector<std::string> args;  // more options
  };
  explicit Emulator(Options options);  // waits for its READY line; throws if none comes

  // A new TE-side link: the pty, or a TCP connection to the serial port (one host at a time).
  ByteLink link() const;
  // One request on the emulator control, its reply line without the newline ("" on failure).
  std::string control(std::string_view line);

  const ReadyLine& ready() const { return ready_; }
  const std::filesystem::path& ufs_dir() const { return ufs_dir_; }
  std::string log_tail(std::size_t max_bytes) const;  // the --log file's end
  const std::filesystem::path& log_path() const { return log_; }
  Process& process() { return process_; }

 private:
  TempDir work_;
  std::filesystem::path ufs_dir_;
  std::filesystem::path log_;
  Process process_;
  ReadyLine ready_;
};

}  // namespace qftp::e2e
