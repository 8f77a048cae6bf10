// The whole modem on virtual time with the in-process FTP server: bytes in, bytes out, no I/O.
// What unit tests and the session fuzzer drive; the same engine runs in qftp-emu.
#pragma once

#include <deque>
#include <string>

#include "core/modem/modem_engine.h"
#include "testing/fake_ftp_server.h"

namespace qftp::testing {

class VirtualModem {
 public:
  explicit VirtualModem(modem::DeviceProfile profile = {}, modem::DefectSet defects = {});

  // The host sends bytes at the current time; everything they cause is settled before return.
  void send(std::string_view bytes);
  // Time passes; due wake-ups fire in order.
  void advance(TimeMs ms);
  // Everything the modem wrote to the host since the last call.
  std::string take_output();

  TimeMs now() const { return now_; }
  modem::ModemEngine& engine() { return engine_; }
  FakeFtpServer& server() { return server_; }
  modem::MemStore& ufs() { return ufs_; }
  modem::MemStore& ram() { return ram_; }
  // Delivers a server-side event (an idle kick) to the engine.
  void deliver(std::vector<modem::Event> events);

 private:
  void handle(modem::Event event);

  modem::MemStore ufs_;
  modem::MemStore sd_;
  modem::MemStore ram_;
  modem::ModemEngine engine_;
  FakeFtpServer server_;
  TimeMs now_ = 0;
  TimeMs wakeup_ = kNever;
  std::string output_;
  std::deque<modem::Event> queue_;
};

}  // namespace qftp::testing
