// process.h: a child process for the end-to-end tests (qftp-emu, the fixture server) with pipes on
// stdin and stdout, stderr to a pipe or a file: what it is fed, what it prints, how it exits. Every
// wait is on an event (a read, the process's end) under a deadline. Failing to start one is a
// start-up failure: it throws.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace qftp::e2e {

struct ExitStatus {
  bool signaled = false;
  int code = 0;  // exit code, or the signal number when signaled
  bool clean() const { return !signaled && code == 0; }
  std::string describe() const;
};

class Process {
 public:
  struct Options {
    std::filesystem::path stdin_file;   // stdin from this file instead of a pipe
    std::filesystem::path stderr_file;  // stderr to this file (a chatty child never blocks)
  };
  Process(const std::filesystem::path& exe, const std::vector<std::string>& args,
          const Options& options);
  // The built qftp-emu (or $QFTP_EMU) with `args`.
  static Process emulator(const std::vector<std::string>& args, const Options& options = {});

  Process(Process&& other) noexcept;
  Process& operator=(Process&&) = delete;
  Process(const Process&) = delete;
  Process& operator=(const Process&) = delete;
  ~Process();  // SIGKILL and reap if it still runs

  bool write_stdin(std::string_view bytes);
  void close_stdin();
  // The next stdout line without its newline; nullopt at the deadline or the end of stdout.
  std::optional<std::string> read_line(std::chrono::milliseconds timeout);
  // The rest of stdout up to its end; nullopt if it has not ended by the deadline.
  std::optional<std::string> read_to_end(std::chrono::milliseconds timeout);
  // Waits for the process to end by itself; nullopt while it still runs at the deadline.
  std::optional<ExitStatus> wait_exit(std::chrono::milliseconds timeout);
  // SIGTERM, then SIGKILL if it has not ended by the deadline; how it ended.
  ExitStatus stop(std::chrono::milliseconds timeout);
  bool running();
  // What it wrote on a stderr pipe so far (call after it ended: then that is all of it).
  std::string stderr_text();
  bool signal(int signo);

 private:
  pid_t pid_ = -1;
  int in_ = -1;
  int out_ = -1;
  int err_ = -1;
  std::string out_buf_;
  std::optional<ExitStatus> exit_;
};

// Runs qftp-emu with `args` and no input, to its end: stdout, stderr and how it ended (nullopt:
// still running at the deadline, then killed).
struct Finished {
  std::string out;
  std::string err;
  std::optional<ExitStatus> exit;
};
Finished run_to_end(const std::vector<std::string>& args, std::chrono::milliseconds timeout);

}  // namespace qftp::e2e
