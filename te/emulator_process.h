// emulator_process.h: the built qftp-emu as a child process (pty or loopback TCP, its control, a
// UFS directory and wire log of its own), TE-side links to it, and requests on its emulator
// control.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "te/child_process.h"
#include "te/dut_link.h"
#include "te/result.h"

namespace qftp::te {

struct EmulatorOptions {
  enum class Transport : std::uint8_t { pty, tcp };

  std::filesystem::path exe;  // the qftp-emu binary (tests get it from QFTP_EMU_PATH)
  Transport transport = Transport::pty;
  std::filesystem::path link;        // pty only: --link PATH (empty: none)
  std::filesystem::path profile;     // --profile FILE (empty: none, or profile_text)
  std::string profile_text;          // written to <work dir>/device.profile when non-empty
  std::filesystem::path ufs_dir;     // empty: <work dir>/ufs
  std::filesystem::path work_dir;    // empty: a fresh directory under the system temp dir
  bool keep_work_dir = false;        // keep a created work dir after stop (post-mortem)
  std::vector<std::string> defects;  // --defect NAME each
  bool control = true;               // --control 127.0.0.1:0
  long baud = 0;                     // --baud N; 0 leaves it out
  std::vector<std::string> args;     // more qftp-emu options, after the others
  std::chrono::milliseconds ready_timeout{10000};
  std::chrono::milliseconds stop_timeout{5000};  // SIGTERM to SIGKILL
};

// A running qftp-emu. Like the fixture, it dies with the thread that started it (PDEATHSIG).
class EmulatorProcess {
 public:
  static Result<EmulatorProcess> start(EmulatorOptions options);

  EmulatorProcess(EmulatorProcess&&) noexcept;
  EmulatorProcess& operator=(EmulatorProcess&&) noexcept;
  EmulatorProcess(const EmulatorProcess&) = delete;
  EmulatorProcess& operator=(const EmulatorProcess&) = delete;
  ~EmulatorProcess();  // stop(), errors ignored

  // A new TE-side link: the pty opened raw, or a TCP connection to the serial port. The emulator
  // serves one TCP host at a time, so close the previous TCP link before asking for another.
  Result<DutLink> link(std::chrono::milliseconds timeout = std::chrono::seconds(5)) const;

  // One request line on the emulator control, its one reply line ("OK", "OK dns=...", "ERR ...").
  Result<std::string> control(std::string_view line,
                              std::chrono::milliseconds timeout = std::chrono::seconds(5));

  EmulatorOptions::Transport transport() const;
  const std::string& device() const;   // pty: /dev/pts/N
  std::uint16_t tcp_port() const;      // tcp: the serial port's listening port
  std::uint16_t control_port() const;  // 0 without control
  const std::filesystem::path& ufs_dir() const;
  const std::filesystem::path& log_path() const;
  const std::filesystem::path& stderr_path() const;
  const std::filesystem::path& work_dir() const;
  pid_t pid() const;
  bool running();

  // Sends a signal now (SIGTERM tests); false if the process has ended.
  bool signal(int signo);
  // Waits up to `timeout` for the process to end by itself.
  std::optional<ExitStatus> wait_exit(std::chrono::milliseconds timeout);
  // SIGTERM, wait up to stop_timeout, then SIGKILL. Idempotent.
  Result<ExitStatus> stop();

  std::string stderr_tail(std::size_t max_bytes = 2000) const;
  std::string log_tail(std::size_t max_bytes = 4000) const;

 private:
  struct Impl;
  explicit EmulatorProcess(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// Parses "READY pty /dev/pts/N[ control=127.0.0.1:P]" / "READY tcp 127.0.0.1:PORT[ control=...]".
struct EmulatorReady {
  EmulatorOptions::Transport transport = EmulatorOptions::Transport::pty;
  std::string device;      // pty
  std::string host;        // tcp
  std::uint16_t port = 0;  // tcp
  std::uint16_t control_port = 0;
};
Result<EmulatorReady> parse_emulator_ready(std::string_view line);

}  // namespace qftp::te
