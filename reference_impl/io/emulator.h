// qftp-emu's event loop: the engine between a serial port and the FTP sockets, on the steady clock.
// Every action the engine returns is carried out here; every I/O result goes back as an event.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <fstream>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "core/modem/modem_engine.h"
#include "io/ftp_sockets.h"
#include "io/serial_port.h"

namespace qftp::io {

class Emulator {
 public:
  Emulator(boost::asio::io_context& io, SerialPort& serial, modem::ModemEngine& engine,
           const std::optional<std::string>& log_path);

  // Begins serving the host; `on_host_end` runs once if the host side ends for good (stdio's end
  // of input), after the engine has had every byte the host sent.
  void start(std::function<void()> on_host_end);
  void feed(modem::Event event);
  TimeMs now() const;
  NetworkSim& network() { return sim_; }
  FtpSockets& sockets() { return sockets_; }
  SerialPort& serial() { return serial_; }

 private:
  void apply();
  void log(std::string_view direction, std::string_view bytes);

  SerialPort& serial_;
  modem::ModemEngine& engine_;
  NetworkSim sim_;
  FtpSockets sockets_;
  boost::asio::steady_timer wakeup_;
  std::chrono::steady_clock::time_point origin_;
  std::unique_ptr<std::ofstream> log_;
};

}  // namespace qftp::io
