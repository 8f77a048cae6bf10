// The whole modem on virtual time with the FTP server model: bytes in, bytes out, no I/O. What unit
// tests drive; the same engine runs in qftp-emu. The server's faults are directives, set as on
// the fixture's control port.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/modem/modem_engine.h"
#include "testing/directive_plan.h"
#include "testing/ftp_server_model.h"
#include "testing/virtual_loop.h"

namespace qftp::testing {

class VirtualModem {
 public:
  explicit VirtualModem(modem::DeviceProfile profile = {}, modem::DefectSet defects = {});

  // The host sends bytes at the current time; everything due by then is settled before return.
  void send(std::string_view bytes);
  // Time passes; what falls due happens in time order.
  void advance(TimeMs ms);
  // Everything the modem wrote to the host since the last call.
  std::string take_output();
  // Events from elsewhere (the network) at the current time, then everything due.
  void deliver(std::vector<modem::Event> events);

  // SET a directive on the server, as on the fixture's control port (a bad one is a test's bug:
  // std::invalid_argument); its id.
  int fault(std::string_view directive);
  // CLEAR one directive by its id, as on the control port.
  void clear_fault(int id);
  DirectivePlan::Network& network() { return plan_.network; }
  // Clears every directive SET so far, as the fixture's CLEAR ALL.
  void clear_faults();

  TimeMs now() const { return loop_.now(); }
  // When the modem or the server next does something by itself (kNever: nothing is due).
  TimeMs next_due() const { return loop_.next_due(); }
  modem::ModemEngine& engine() { return engine_; }
  FtpServerModel& server() { return server_; }
  modem::MemStore& ufs() { return ufs_; }
  modem::MemStore& sd() { return sd_; }
  modem::MemStore& ram() { return ram_; }

 private:
  struct Output {
    std::string bytes;
    void before(const modem::Event&) {}
    void after(const modem::Event&, const std::vector<modem::Action>& actions);
  };

  modem::MemStore ufs_;
  modem::MemStore sd_;
  modem::MemStore ram_;
  modem::ModemEngine engine_;
  DirectivePlan plan_;
  FtpServerModel server_{plan_};
  Output output_;
  VirtualLoop<Output> loop_{engine_, server_, output_};
};

}  // namespace qftp::testing
