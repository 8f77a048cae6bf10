// fixture_launcher.h: starts the fixture, bin/qftp-fixture (the lower tester), as a child process
// with a readiness deadline, and stops it with SIGTERM, then SIGKILL. One FixtureProcess per test
// shard, each with its own temporary work directory (root and stderr log), removed when it stops.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "te/child_process.h"
#include "te/result.h"

namespace qftp::te {

class FixtureControl;

// The fixture beside the running tool: bin/qftp-fixture (kit_layout.h).
std::filesystem::path default_fixture_script();

struct FixtureOptions {
  std::filesystem::path python = "/usr/bin/python3";  // Debian's: the one that has pyftpdlib
  std::vector<std::string> python_args;               // before the script, e.g. {"-X", "dev"}
  std::filesystem::path script = default_fixture_script();
  std::filesystem::path root;      // empty: <work dir>/root
  std::filesystem::path work_dir;  // empty: a fresh directory under the system temp dir
  bool keep_work_dir = false;      // keep a created work dir after stop (post-mortem)
  std::string bind = "127.0.0.1";
  std::uint16_t port = 0;          // 0: the fixture picks a free port
  std::uint16_t control_port = 0;  // 0: likewise
  std::string user = "quectel";
  std::string password = "123456";
  std::optional<std::string> masquerade;
  std::optional<std::pair<std::uint16_t, std::uint16_t>> passive_ports;
  std::vector<std::string> faults;  // directives active from start (fixtures/README.md)
  std::chrono::milliseconds ready_timeout{15000};
  std::chrono::milliseconds stop_timeout{5000};  // SIGTERM to SIGKILL
};

// Runs `python -c "import pyftpdlib"` and says, in words a user can act on, what is missing.
Status check_fixture_prerequisites(const FixtureOptions& options = {});

// A running fixture. The child gets PR_SET_PDEATHSIG(SIGKILL), so it dies with the tool even
// when the tool is killed. Linux delivers that signal when the *thread* that started the child
// exits: start fixtures from a thread that outlives them (the main thread, in gtest).
class FixtureProcess {
 public:
  static Result<FixtureProcess> start(FixtureOptions options);

  FixtureProcess(FixtureProcess&&) noexcept;
  FixtureProcess& operator=(FixtureProcess&&) noexcept;
  FixtureProcess(const FixtureProcess&) = delete;
  FixtureProcess& operator=(const FixtureProcess&) = delete;
  ~FixtureProcess();  // stop(), errors ignored

  const std::string& host() const;  // the FTP address clients should use
  std::uint16_t ftp_port() const;
  std::uint16_t control_port() const;
  const std::filesystem::path& root() const;
  const std::filesystem::path& stderr_path() const;
  pid_t pid() const;
  bool running();

  // A control client connected to this fixture.
  Result<FixtureControl> control(std::chrono::milliseconds timeout = std::chrono::seconds(5)) const;

  // SIGTERM, wait up to stop_timeout, then SIGKILL. Idempotent: later calls return the same status.
  Result<ExitStatus> stop();

  // The last bytes the fixture wrote on stderr (for error messages).
  std::string stderr_tail(std::size_t max_bytes = 2000) const;

 private:
  struct Impl;
  explicit FixtureProcess(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace qftp::te
