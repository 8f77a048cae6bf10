// fixture_control.h: client of the fixture's control port (protocol in fixtures/README.md): set
// and clear fault directives, reset between cases, read the FTP log and the served files. Every
// request has a deadline; after a timeout or a protocol error the connection is marked broken.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "te/result.h"

namespace qftp::te {

// One LOG line: "<t> <session> <KIND> <text>".
struct FixtureLogEntry {
  double t = 0;      // seconds since the fixture started
  int session = 0;   // FTP control connection number; 0 for fixture-level events
  std::string kind;  // CONNECT, CMD, REPLY, FAULT, XFER, DISCONNECT, SET, CLEAR, ERROR
  std::string text;  // escaped as the fixture sends it
};

// One FILES line: "DIR <path>" or "FILE <size> <path>".
struct FixtureFile {
  bool is_dir = false;
  std::uint64_t size = 0;
  std::string path;  // relative to the root
};

// One FAULTS line: "FAULT <id> hits=<n> left=<n|inf> <directive>".
struct FixtureFault {
  int id = 0;
  std::uint64_t hits = 0;
  long long left = -1;  // -1: unlimited
  std::string directive;
};

class FixtureControl {
 public:
  // Loopback only: the fixture's control port never listens elsewhere.
  static Result<FixtureControl> connect(std::uint16_t port,
                                        std::chrono::milliseconds timeout = std::chrono::seconds(5));

  FixtureControl(FixtureControl&&) noexcept;
  FixtureControl& operator=(FixtureControl&&) noexcept;
  FixtureControl(const FixtureControl&) = delete;
  FixtureControl& operator=(const FixtureControl&) = delete;
  ~FixtureControl();

  // Deadline for each request from now on.
  void set_timeout(std::chrono::milliseconds timeout);

  Status ping();
  Result<int> set(std::string_view directive);  // the fault id
  Status clear(int id);
  Status clear_all();
  Status reset();  // faults, FTP sessions, root contents and log
  Result<std::vector<FixtureFault>> faults();
  Result<std::vector<FixtureLogEntry>> log();
  Result<std::vector<FixtureFile>> files();
  // AWAIT SESSIONS: waits until at most `at_most` FTP sessions are open, or `within` has passed
  // (the fixture answers on the session's close, nothing polls); the number open then.
  Result<std::size_t> await_sessions(std::size_t at_most, std::chrono::milliseconds within);
  Status quit();  // closes this control connection

  // Raw access: one request line; the single reply line, or the lines before END.
  Result<std::string> request(std::string_view line);
  Result<std::vector<std::string>> request_list(std::string_view line);

 private:
  struct Impl;
  explicit FixtureControl(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// Parsers of the reply lines above, exposed for tests.
Result<FixtureLogEntry> parse_log_line(std::string_view line);
Result<FixtureFile> parse_files_line(std::string_view line);
Result<FixtureFault> parse_faults_line(std::string_view line);

}  // namespace qftp::te
