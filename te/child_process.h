// child_process.h: a child process the tool owns (the fixture, the emulator): Boost.Process
// spawn that dies with the tool, its stdout read under deadlines, optionally its stdin fed and its
// stderr kept, SIGTERM-then-SIGKILL.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "te/result.h"

namespace qftp::te {

// How a child process ended.
struct ExitStatus {
  bool signaled = false;
  int code = 0;  // exit code, or the signal number when signaled
  bool clean() const { return !signaled && code == 0; }
  std::string describe() const;
};

// What the first stdout line turned into.
struct ReadyLine {
  enum class Outcome : std::uint8_t { line, timeout, eof };
  Outcome outcome = Outcome::line;
  std::string text;  // the line without its newline (Outcome::line)
};

// One spawned child. PR_SET_PDEATHSIG(SIGKILL) ties it to the thread that spawned it: Linux sends
// that signal when the *thread* exits, so spawn from a thread that outlives the child (gtest's
// main thread). Descriptors of the tool (other children's pipes, DUT links) are not inherited.
class ChildProcess {
 public:
  // Where the child's stdin and stderr go; stdout is always a pipe read by read_line().
  struct Io {
    bool stdin_pipe = false;              // fed by write_stdin(), ended by close_stdin()
    std::filesystem::path stdin_file;     // else read from this file; else /dev/null
    bool stderr_pipe = false;             // kept for stderr_text()
    std::filesystem::path stderr_path;    // else to this file; else /dev/null
  };

  // stderr goes to `stderr_path` (empty: /dev/null) so that a chatty child never blocks on a
  // pipe nobody reads; stdin is /dev/null.
  static Result<ChildProcess> spawn(const std::filesystem::path& exe,
                                    const std::vector<std::string>& args,
                                    const std::filesystem::path& stderr_path = {});
  static Result<ChildProcess> spawn(const std::filesystem::path& exe,
                                    const std::vector<std::string>& args, const Io& io);

  ChildProcess(ChildProcess&&) noexcept;
  ChildProcess& operator=(ChildProcess&&) noexcept;
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;
  ~ChildProcess();  // stop(), errors ignored

  // The next stdout line, waiting at most `timeout`; lines longer than 4096 bytes are cut there.
  ReadyLine read_line(std::chrono::milliseconds timeout);
  // The rest of stdout up to its end; nullopt if it has not ended by the deadline.
  std::optional<std::string> read_to_end(std::chrono::milliseconds timeout);

  // Io::stdin_pipe only: writes all of `bytes` (false once the child stopped reading); closes it.
  bool write_stdin(std::string_view bytes);
  void close_stdin();
  // Io::stderr_pipe only: what the child wrote on stderr so far (after it ended: all of it).
  std::string stderr_text();

  // Waits up to `timeout` for the child to end by itself; nullopt while it still runs.
  std::optional<ExitStatus> wait_exit(std::chrono::milliseconds timeout);

  // SIGTERM, wait up to `grace`, then SIGKILL. Idempotent: later calls return the same status.
  Result<ExitStatus> stop(std::chrono::milliseconds grace);

  // Sends a signal now (tests of how the child handles it); false if it has ended.
  bool signal(int signo);

  bool running();
  pid_t pid() const;
  const std::optional<ExitStatus>& exit_status() const;

 private:
  struct Impl;
  explicit ChildProcess(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// The last `max_bytes` of a file, trailing newlines removed ("" if unreadable): for messages.
std::string read_tail(const std::filesystem::path& path, std::size_t max_bytes);

// A fresh directory "<system temp>/<prefix>XXXXXX".
Result<std::filesystem::path> make_temp_dir(std::string_view prefix);

// A child process's working directory: the one the caller gave, which is left alone, or a fresh
// temporary one, removed with everything in it by remove() or on destruction unless `keep`.
class WorkDir {
 public:
  WorkDir() = default;
  static Result<WorkDir> make(const std::filesystem::path& given, std::string_view prefix,
                              bool keep);
  WorkDir(WorkDir&& other) noexcept;
  WorkDir& operator=(WorkDir&& other) noexcept;
  WorkDir(const WorkDir&) = delete;
  WorkDir& operator=(const WorkDir&) = delete;
  ~WorkDir();

  const std::filesystem::path& path() const { return path_; }
  // Removes a temporary directory now (once its process has stopped); a no-op otherwise.
  void remove();

 private:
  std::filesystem::path path_;
  bool owned_ = false;  // created here, not kept: removed by remove()
};

// "1".."65535" with nothing around it.
bool parse_port(std::string_view text, std::uint16_t& out);

}  // namespace qftp::te
