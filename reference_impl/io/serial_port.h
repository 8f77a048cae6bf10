// The host side of qftp-emu: a byte stream to one host at a time over a pty, a TCP socket or
// stdin/stdout (docs/architecture.md §3). With --baud both ways are paced like a real UART: writes
// are queued and sent at the line's rate, and what the host sends reaches the modem at that rate
// too, however fast the host put it into the pty or the socket.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "io/endpoint.h"

namespace qftp::io {

class SerialPort {
 public:
  using OnBytes = std::function<void(std::string)>;
  using OnEnd = std::function<void()>;

  virtual ~SerialPort() = default;
  // Begins reading; `on_bytes` gets every chunk the host sends. `on_end` is called once if the host
  // side ends for good (stdio: the end of input); a pty or TCP port never ends, since another host
  // may come.
  virtual void start(OnBytes on_bytes, OnEnd on_end) = 0;
  // The READY line's tail: "tcp 127.0.0.1:PORT", "pty /dev/pts/N", "stdio".
  virtual std::string describe() const = 0;
  // Queues bytes for the host (paced by `baud` when non-zero: 10 bits a byte).
  void write(std::string bytes);
  // Calls `done` once every byte queued so far has been written (or dropped: no host).
  void when_drained(std::function<void()> done);
  void set_baud(long baud) { baud_ = baud; }
  // Called when the served host's link ends (a TCP host closes, a pty's last opener hangs up):
  // the emulator's DTR drop (docs/rulings.md ruling 15). What was queued for that host is
  // dropped first; what is written after it waits for the next host (at most kHeldForNextHost
  // bytes: a line with nobody on it holds no more).
  void on_hangup(std::function<void()> handler) { on_hangup_ = std::move(handler); }
  static constexpr std::size_t kHeldForNextHost = 64 * 1024;
  // Bytes the host now served has sent that the engine has had, counted from its arrival (stdio:
  // from the start), and a call once they are at least `n`. A bench that ends the host link must
  // know its bytes arrived first: a serial server flushes the pty it closes, and what the
  // emulator had not read by then is lost (the emulator control's HOST command).
  std::uint64_t host_bytes() const { return host_bytes_; }
  void when_host_bytes(std::uint64_t n, std::function<void()> done);

 protected:
  explicit SerialPort(boost::asio::io_context& io) : io_(io), pace_timer_(io), rx_timer_(io) {}
  // Writes one chunk to the transport; calls `done` when it is out (or dropped: no host).
  virtual void write_chunk(std::string chunk, std::function<void()> done) = 0;
  // Whether a host is there to write to (stdio: always).
  virtual bool has_host() const { return true; }
  // For the transports: the served host's link ended; a new host has come.
  void hung_up();
  void host_arrived();
  // For the transports: where the host's bytes go (start()'s `on_bytes`); bytes the host sent,
  // passed on as a UART at `baud` takes them in (10 bits a byte, a millisecond's worth at a time);
  // the end of input, passed on once what came before it has been.
  void set_receiver(OnBytes on_bytes) { receiver_ = std::move(on_bytes); }
  void received(std::string bytes);
  void input_ended(OnEnd on_end);

  boost::asio::io_context& io_;

 private:
  void pump();
  void rx_pump();
  // Passes on at once what the UART has not taken in yet (the link ended: what was sent is in).
  void rx_flush();
  // The host's bytes to the engine, counted.
  void pass_on(std::string bytes);
  void drop(std::size_t n);
  std::function<void()> on_hangup_;
  void written(std::size_t n);
  boost::asio::steady_timer pace_timer_;
  std::deque<char> queue_;
  bool writing_ = false;
  long baud_ = 0;
  std::uint64_t queued_total_ = 0;   // bytes ever queued
  std::uint64_t written_total_ = 0;  // bytes ever written or dropped
  std::vector<std::pair<std::uint64_t, std::function<void()>>> drain_waiters_;
  std::uint64_t host_bytes_ = 0;
  std::vector<std::pair<std::uint64_t, std::function<void()>>> intake_waiters_;
  OnBytes receiver_;
  OnEnd rx_end_;                 // the end of input, due once rx_queue_ is empty
  std::string rx_queue_;         // the host's bytes the UART has not taken in yet
  boost::asio::steady_timer rx_timer_;
  std::chrono::steady_clock::time_point rx_next_{};  // when the line has carried what was passed on
  bool rx_pumping_ = false;
};

// Start-up failures are values: the reason, for the command line to report.
using PortOrError = std::variant<std::unique_ptr<SerialPort>, std::string>;

struct OpenedPty {
  std::unique_ptr<SerialPort> port;
  std::string device;  // /dev/pts/N, for the host and for --link
};

// A pseudo-terminal whose slave side a host opens (raw mode). The emulator keeps no slave fd of its
// own: the last opener's close is the host's hang-up (ruling 15), and the next opener is a new
// host.
std::variant<OpenedPty, std::string> make_pty_port(boost::asio::io_context& io);
// A TCP listener serving one connection at a time, like a serial server's raw port. A host that
// connects while another is served gets one "BUSY ..." line and is closed; one that connects just
// as the served host hangs up is served next.
PortOrError make_tcp_port(boost::asio::io_context& io, const Endpoint& endpoint);
PortOrError make_stdio_port(boost::asio::io_context& io);

// The one line a refused TCP host reads.
inline constexpr std::string_view kBusyLine = "BUSY qftp-emu serves one host at a time\r\n";

}  // namespace qftp::io
