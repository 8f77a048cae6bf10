// piped_process.h: qftp-emu run with pipes on stdin, stdout and stderr (or stdin from a file), for
// the tests of its command line and of --stdio: what it is fed, what it prints, how it exits.
// Every wait is on an event (a read, the process's end) under a deadline.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "harness/child_process.h"
#include "harness/result.h"

namespace qftp::e2e {

class PipedProcess {
 public:
  // Runs the built qftp-emu (or $QFTP_EMU) with `args`; stdin is a pipe, or `stdin_file`.
  static harness::Result<PipedProcess> start(const std::vector<std::string>& args,
                                             const std::filesystem::path& stdin_file = {});

  PipedProcess(PipedProcess&& other) noexcept;
  PipedProcess& operator=(PipedProcess&&) = delete;
  PipedProcess(const PipedProcess&) = delete;
  PipedProcess& operator=(const PipedProcess&) = delete;
  ~PipedProcess();  // SIGKILL and reap if it still runs

  bool write_stdin(std::string_view bytes);
  void close_stdin();
  // The next stdout line without its newline; nullopt at the deadline or the end of stdout.
  std::optional<std::string> read_line(std::chrono::milliseconds timeout);
  // The rest of stdout up to its end; nullopt if it has not ended by the deadline.
  std::optional<std::string> read_to_end(std::chrono::milliseconds timeout);
  // Waits for the process to end by itself; nullopt while it still runs at the deadline.
  std::optional<harness::ExitStatus> wait_exit(std::chrono::milliseconds timeout);
  // What it wrote on stderr so far (call after it ended: then that is all of it).
  std::string stderr_text();
  bool signal(int signo);

 private:
  PipedProcess() = default;
  pid_t pid_ = -1;
  int in_ = -1;
  int out_ = -1;
  int err_ = -1;
  std::string out_buf_;
  std::optional<harness::ExitStatus> exit_;
};

// Runs qftp-emu with `args` and no input, to its end: stdout, stderr and how it ended (nullopt:
// still running at the deadline, then killed).
struct Finished {
  std::string out;
  std::string err;
  std::optional<harness::ExitStatus> exit;
};
Finished run_to_end(const std::vector<std::string>& args, std::chrono::milliseconds timeout);

}  // namespace qftp::e2e
