// qftp-emu: the reference Quectel GSM modem for AT+QFTP*, serving one host over a pty, TCP or
// stdio (docs/architecture.md §3). Prints one READY line when it is ready; SIGTERM ends it cleanly.
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <CLI/CLI.hpp>
#include <csignal>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>

#include "core/common/kit_version.h"
#include "core/modem/defects.h"
#include "core/modem/device_profile.h"
#include "core/modem/modem_engine.h"
#include "io/dir_store.h"
#include "io/emulator.h"
#include "io/network_control.h"
#include "io/serial_port.h"

namespace {

using namespace qftp;

struct Endpoint {
  std::string host = "127.0.0.1";
  std::uint16_t port = 0;
};

// "HOST:PORT", ":PORT" or "PORT"; the host defaults to 127.0.0.1.
Endpoint parse_endpoint(const std::string& text) {
  Endpoint ep;
  const auto colon = text.rfind(':');
  std::string port = text;
  if (colon != std::string::npos) {
    if (colon > 0) ep.host = text.substr(0, colon);
    port = text.substr(colon + 1);
  }
  const unsigned long value = std::stoul(port);
  if (value > 65535) throw std::invalid_argument("port out of range");
  ep.port = static_cast<std::uint16_t>(value);
  return ep;
}

modem::DeviceProfile load_profile(const std::string& path) {
  if (path.empty()) return {};
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot read profile " + path);
  std::stringstream text;
  text << in.rdbuf();
  auto parsed = modem::parse_profile(text.str());
  if (const auto* error = std::get_if<std::string>(&parsed)) {
    throw std::runtime_error(path + ": " + *error);
  }
  return std::get<modem::DeviceProfile>(std::move(parsed));
}

int run(int argc, char** argv) {
  CLI::App app{"qftp-emu: an emulated Quectel GSM modem speaking the AT+QFTP* commands"};
  app.set_version_flag("--version", kit_version_line("qftp-emu"));
  std::string tcp, link, profile_path, ufs_dir, log_path, control;
  bool pty = false, stdio = false, list_defects = false;
  long baud = 0;
  std::vector<std::string> defect_names;
  auto* tcp_opt = app.add_option("--tcp", tcp, "serve one host on HOST:PORT (port 0 picks one)");
  auto* pty_opt = app.add_flag("--pty", pty, "serve a pseudo-terminal");
  app.add_option("--link", link, "with --pty: a symbolic link to the pty's device")->needs(pty_opt);
  auto* stdio_opt = app.add_flag("--stdio", stdio, "serve stdin and stdout");
  tcp_opt->excludes(pty_opt)->excludes(stdio_opt);
  pty_opt->excludes(stdio_opt);
  app.add_option("--profile", profile_path, "device profile file")->check(CLI::ExistingFile);
  app.add_option("--ufs-dir", ufs_dir, "directory backing /UFS/ (default: in memory)")
      ->check(CLI::ExistingDirectory);
  app.add_option("--baud", baud, "pace output like a UART at this rate (0: no limit)")
      ->check(CLI::Range(0L, 4000000L));
  app.add_option("--log", log_path, "append a timestamped wire log to this file");
  app.add_option("--defect", defect_names, "enable a named deviation from the spec (repeatable)");
  app.add_flag("--list-defects", list_defects, "list the named deviations and exit");
  app.add_option("--control", control, "emulator control on HOST:PORT (loopback only)");
  CLI11_PARSE(app, argc, argv);

  if (list_defects) {
    std::size_t count = 0;
    const auto* table = modem::defect_table(count);
    for (std::size_t i = 0; i < count; ++i) {
      std::cout << table[i].name << "\t" << table[i].description << "\n";
    }
    return 0;
  }
  if (tcp.empty() && !pty && !stdio) {
    std::cerr << "qftp-emu: choose a transport: --tcp HOST:PORT, --pty or --stdio\n";
    return 2;
  }
  modem::DefectSet defects;
  for (const auto& name : defect_names) {
    const auto d = modem::defect_by_name(name);
    if (!d) {
      std::cerr << "qftp-emu: unknown defect '" << name << "' (see --list-defects)\n";
      return 2;
    }
    defects.add(*d);
  }

  const auto profile = load_profile(profile_path);
  std::unique_ptr<modem::LocalStore> ufs;
  if (ufs_dir.empty()) {
    ufs = std::make_unique<modem::MemStore>(profile.ufs_capacity, profile.ufs_capacity);
  } else {
    ufs = std::make_unique<io::DirStore>(ufs_dir, profile.ufs_capacity);
  }
  modem::MemStore sd(profile.ufs_capacity, profile.ufs_capacity);
  modem::MemStore ram(profile.ram_file_size, profile.ram_file_size * 8);
  modem::ModemEngine engine(profile, {ufs.get(), profile.has_sd ? &sd : nullptr,
                                      profile.has_ram ? &ram : nullptr},
                            defects);

  boost::asio::io_context io;
  std::unique_ptr<io::SerialPort> serial;
  if (pty) {
    serial = io::make_pty_port(io, link.empty() ? std::nullopt : std::optional<std::string>(link));
  } else if (stdio) {
    serial = io::make_stdio_port(io);
  } else {
    const auto ep = parse_endpoint(tcp);
    serial = io::make_tcp_port(io, ep.host, ep.port);
  }
  serial->set_baud(baud);
  io::Emulator emulator(io, *serial, engine, log_path.empty() ? std::nullopt : std::optional(log_path));
  std::unique_ptr<io::NetworkControl> net_control;
  Endpoint control_ep;
  if (!control.empty()) {
    control_ep = parse_endpoint(control);
    net_control = std::make_unique<io::NetworkControl>(io, emulator, control_ep.host, control_ep.port);
  }

  boost::asio::signal_set signals(io, SIGTERM, SIGINT);
  signals.async_wait([&io](const boost::system::error_code&, int) { io.stop(); });
  std::signal(SIGPIPE, SIG_IGN);

  emulator.start();
  std::string ready = "READY " + serial->describe();
  if (net_control) ready += " control=" + control_ep.host + ":" + std::to_string(net_control->port());
  std::cout << ready << std::endl;
  io.run();
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(argc, argv);
  } catch (const std::exception& e) {
    std::cerr << "qftp-emu: " << e.what() << "\n";
    return 1;
  }
}
