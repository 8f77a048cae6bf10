// dut_lock.h: one run at a time on a DUT. A serial device is opened with TIOCEXCL and flock()ed
// (picocom's convention), a TCP DUT flocks a lock file keyed by host and port; the lock lasts the
// whole run, across reconnects of the link, and a second run is refused at once, its holder named.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "te/dut_spec.h"
#include "te/result.h"

namespace qftp::te {

class DutLock {
 public:
  // Takes the DUT of `spec` for as long as the lock lives; the spawned emulator needs none (an
  // empty lock). A DUT another process holds gives an error that is_dut_busy() recognises and that
  // names the holder: pid and command line.
  static Result<DutLock> acquire(const DutSpec& spec);

  DutLock(DutLock&&) noexcept;
  DutLock& operator=(DutLock&&) noexcept;
  DutLock(const DutLock&) = delete;
  DutLock& operator=(const DutLock&) = delete;
  ~DutLock();

  // A new descriptor on the locked serial device, for a link (DutLink::SerialOptions::lock). It
  // shares the lock's open file description: the flock lives there, and a second open() of our own
  // would meet our TIOCEXCL (EBUSY) or, as root, a flock that conflicts with ours. A device node
  // replaced since (an adapter unplugged and plugged back) is locked afresh first.
  Result<int> open_device();

  // The lock file (tcp) or the device (serial); empty for the emulator.
  const std::string& path() const { return path_; }

 private:
  enum class Kind : std::uint8_t { none, serial, file };
  DutLock(Kind kind, int fd, std::string path, std::string dut);
  void release();
  void close_fd();

  Kind kind_ = Kind::none;
  int fd_ = -1;
  std::string path_;
  std::string dut_;  // the --dut text, for messages
};

// Whether `error` (from DutLock::acquire) says that another process holds the DUT. Its text starts
// with "DUT busy: ".
bool is_dut_busy(std::string_view error);

// Where the lock of a TCP DUT lives: /run/lock/qftp-kit/ when it can be written, else $TMPDIR (or
// /tmp).
std::string tcp_lock_path(const std::string& host, std::uint16_t port);

}  // namespace qftp::te
