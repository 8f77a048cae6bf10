// fixture_server.h: the kit's fault-injecting FTP fixture (fixtures/ftp_fixture.py under Debian's
// python3) as the end-to-end tests run it: its root, its FTP port, and requests on its control
// (SET a directive, CLEAR ALL, RESET, LOG).
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "emulator.h"
#include "process.h"

namespace qftp::e2e {

class FixtureServer {
 public:
  FixtureServer();  // waits for its READY line; throws if none comes

  std::uint16_t ftp_port() const { return ftp_port_; }
  const std::filesystem::path& root() const { return root_; }

  // The first reply line to one control request ("OK 3", "OK", "ERR ...").
  std::string request(std::string_view line);
  // The lines of a listing request (LOG, FAULTS, FILES) before its END.
  std::vector<std::string> listing(std::string_view line);
  // The FTP commands the fixture received, in order (its log's CMD entries).
  std::vector<std::string> commands();

 private:
  TempDir work_;
  std::filesystem::path root_;
  Process process_;
  std::uint16_t ftp_port_ = 0;
  std::uint16_t control_port_ = 0;
};

}  // namespace qftp::e2e
