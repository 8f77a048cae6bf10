// fake_dut.h: a scripted DUT on a loopback TCP port (a ser2net-style raw socket) that answers like
// a modem until a trigger command, then misbehaves as told: silence, a flood, garbage, a closed
// port, or a reset (the connection drops and the next one is served normally).
#pragma once

#include <atomic>
#include <cstdint>
#include <string>
#include <thread>

namespace qftp::harness::testing {

class FakeDut {
 public:
  enum class Misbehaviour : std::uint8_t { none, silent, flood, garbage, close, reset };

  // Misbehaves when a command line starts with `trigger`.
  FakeDut(Misbehaviour misbehaviour, std::string trigger);
  ~FakeDut();
  FakeDut(const FakeDut&) = delete;
  FakeDut& operator=(const FakeDut&) = delete;

  std::uint16_t port() const { return port_; }
  int connections() const { return connections_.load(); }

 private:
  void serve();
  // One connection; false when the fake should stop accepting.
  bool serve_connection(int fd);
  std::string answer(const std::string& line);

  Misbehaviour misbehaviour_;
  std::string trigger_;
  int listener_ = -1;
  std::uint16_t port_ = 0;
  std::atomic<bool> stop_{false};
  std::atomic<int> connections_{0};
  bool triggered_ = false;
  std::thread thread_;
};

}  // namespace qftp::harness::testing
