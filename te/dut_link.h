// dut_link.h: the TE side of the serial line to a device under test: a pty or serial device in raw
// mode (termios, optional baud and RTS/CTS), or TCP to a serial server's raw or telnet (RFC 2217)
// port. Sends bytes and reads with deadlines; every data byte both ways goes to the wire log.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/common/printable.h"
#include "te/com_port_option.h"
#include "te/dut_spec.h"
#include "te/result.h"

namespace qftp::te {

struct WireRecord {
  std::chrono::steady_clock::time_point at;
  bool to_dut = false;  // TE -> DUT, else DUT -> TE
  std::string bytes;
  bool event = false;  // `bytes` tells what happened to the link (a hang-up), it is not data
};

class DutLock;

class DutLink {
 public:
  struct SerialOptions {
    long baud = 115200;
    bool rtscts = false;
    // The run's lock on this device: the link then uses the lock's descriptor
    // (DutLock::open_device) instead of opening the device itself.
    DutLock* lock = nullptr;
  };
  struct TcpOptions {
    // The server's port speaks telnet: IAC escaped both ways, BINARY and SUPPRESS-GO-AHEAD agreed,
    // and the remote serial port set to `line` with RFC 2217 before the link is handed out.
    bool telnet = false;
    ComPortSettings line;
  };
  static Result<DutLink> open_serial(const std::string& device, SerialOptions options);
  static Result<DutLink> connect_tcp(const std::string& host, std::uint16_t port,
                                     std::chrono::milliseconds timeout = std::chrono::seconds(5));
  // `timeout` bounds the connect and, with telnet, the negotiation after it.
  static Result<DutLink> connect_tcp(const std::string& host, std::uint16_t port,
                                     std::chrono::milliseconds timeout, TcpOptions options);
  // The link to a serial or TCP DUT as `spec` describes it; `lock` is the run's lock, if any.
  static Result<DutLink> open_dut(const DutSpec& spec, DutLock* lock);

  DutLink(DutLink&&) noexcept;
  DutLink& operator=(DutLink&&) noexcept;
  DutLink(const DutLink&) = delete;
  DutLink& operator=(const DutLink&) = delete;
  ~DutLink();

  // Writes all of `bytes`; a DUT that stops reading (no flow, a hang) fails it at `timeout`.
  Status send(std::string_view bytes, std::chrono::milliseconds timeout = std::chrono::seconds(30));
  // The bytes send() has written on this link, as the TE gave them (before telnet's escaping).
  std::uint64_t sent_bytes() const;
  // Reads until the bytes received since the last take contain `pattern`; returns them all and
  // consumes them. On timeout: an error that quotes what did arrive.
  Result<std::string> read_until(std::string_view pattern, std::chrono::milliseconds timeout);
  // Reads until exactly `count` bytes have arrived (consumes them).
  Result<std::string> read_exactly(std::size_t count, std::chrono::milliseconds timeout);
  // Everything that arrives within `window`: for checks that the DUT says nothing more.
  std::string read_for(std::chrono::milliseconds window);

  // Waits up to `timeout` for bytes and returns what arrived (empty at the deadline); an error once
  // the DUT closed the link or it failed.
  Result<std::string> read_some(std::chrono::milliseconds timeout);

  // A serial port's DTR line off or on (TIOCMBIC, TIOCMBIS), the modem's view of the TE leaving and
  // coming back (ruling 15, R/44). Off first lets what was written leave the port (tcdrain) and
  // then drops what the TE had not read, so the next host's input starts empty. An error for a TCP
  // link and for a device without modem-control lines (a pty).
  Status set_dtr(bool on);
  // Whether set_dtr can work: a serial device with modem-control lines (TIOCMGET); why not.
  Status has_dtr() const;

  const std::vector<WireRecord>& wire_log() const;
  // The wire log so far, moved out (the link logs on, from empty, within the same byte cap).
  std::vector<WireRecord> take_wire_log();

 private:
  struct Impl;
  explicit DutLink(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// A rate the serial line (termios) takes: 9600, 19200, 38400, 57600, 115200, 230400, 460800,
// 921600.
bool is_supported_baud(long baud);

// The one printable form of wire bytes, shared with qftp-emu's log.
using qftp::printable;

}  // namespace qftp::te
