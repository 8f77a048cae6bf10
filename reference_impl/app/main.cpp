// qftp-emu: the reference Quectel GSM modem for AT+QFTP*, serving one host over a pty, TCP or
// stdio (docs/architecture.md §3). Prints one READY line when it is ready; SIGTERM, SIGINT and
// SIGHUP end it cleanly, and so does the end of input with --stdio.
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <CLI/CLI.hpp>
#include <malloc.h>

#include <csignal>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>

#include "core/common/kit_version.h"
#include "core/common/printable.h"
#include "core/modem/defects.h"
#include "core/modem/device_profile.h"
#include "core/modem/modem_engine.h"
#include "io/dir_store.h"
#include "io/emulator.h"
#include "io/endpoint.h"
#include "io/network_control.h"
#include "io/pty_link.h"
#include "io/serial_port.h"

namespace {

using namespace qftp;

// Exit codes: 0 ended cleanly; 1 the system refused something (a pty, a port in use); 2 the command
// line is wrong (an option, a value, a path it names).
constexpr int kExitFailure = 1;
constexpr int kExitUsage = 2;

int fail(int code, const std::string& message) {
  std::cerr << "qftp-emu: " << message << "\n";
  return code;
}

// The option's value or the reason it is none, with both named: "--tcp '1.2.3.4:x': ...".
std::variant<io::Endpoint, std::string> endpoint_option(const std::string& option,
                                                        const std::string& text) {
  auto parsed = io::parse_endpoint(text);
  if (const auto* reason = std::get_if<std::string>(&parsed)) {
    return option + " '" + printable(text.substr(0, 100)) + "': " + *reason +
           " (expected HOST:PORT, :PORT or PORT; PORT 0..65535)";
  }
  return std::get<io::Endpoint>(parsed);
}

std::variant<modem::DeviceProfile, std::string> load_profile(const std::string& path) {
  if (path.empty()) return modem::DeviceProfile{};
  std::ifstream in(path);
  if (!in) return "cannot read profile " + path;
  std::stringstream text;
  text << in.rdbuf();
  auto parsed = modem::parse_profile(text.str());
  if (const auto* error = std::get_if<std::string>(&parsed)) return path + ": " + *error;
  return std::get<modem::DeviceProfile>(std::move(parsed));
}

struct Options {
  std::string tcp, link, profile_path, ufs_dir, log_path, control;
  bool pty = false, stdio = false, list_defects = false;
  bool has_tcp = false, has_link = false, has_control = false;
  long baud = 0;
  std::vector<std::string> defect_names;
};

int run(int argc, char** argv) {
  CLI::App app{"qftp-emu: an emulated Quectel GSM modem speaking the AT+QFTP* commands"};
  app.set_version_flag("--version", kit_version_line("qftp-emu"));
  Options o;
  auto* tcp_opt = app.add_option("--tcp", o.tcp, "serve one host on HOST:PORT (port 0 picks one)");
  auto* pty_opt = app.add_flag("--pty", o.pty, "serve a pseudo-terminal");
  auto* link_opt = app.add_option("--link", o.link,
                                  "with --pty: a symbolic link to the pty's device (replaces only "
                                  "an earlier qftp-emu's link)")
                       ->needs(pty_opt);
  auto* stdio_opt = app.add_flag("--stdio", o.stdio, "serve stdin and stdout until end of input");
  tcp_opt->excludes(pty_opt)->excludes(stdio_opt);
  pty_opt->excludes(stdio_opt);
  app.add_option("--profile", o.profile_path, "device profile file")->check(CLI::ExistingFile);
  app.add_option("--ufs-dir", o.ufs_dir, "directory backing /UFS/ (default: in memory)")
      ->check(CLI::ExistingDirectory);
  app.add_option("--baud", o.baud, "pace the serial side like a UART at this rate, both ways (0: no limit)")
      ->check(CLI::Range(0L, 4000000L));
  app.add_option("--log", o.log_path, "append a timestamped wire log to this file");
  app.add_option("--defect", o.defect_names, "enable a named deviation from the spec (repeatable)");
  app.add_flag("--list-defects", o.list_defects, "list the named deviations and exit");
  auto* control_opt =
      app.add_option("--control", o.control, "emulator control on HOST:PORT (loopback only)");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // --help and --version end here with 0; every mistake is a usage error, whatever CLI11's code.
    return app.exit(e) == 0 ? 0 : kExitUsage;
  }
  o.has_tcp = tcp_opt->count() > 0;
  o.has_link = link_opt->count() > 0;
  o.has_control = control_opt->count() > 0;

  if (o.list_defects) {
    std::size_t count = 0;
    const auto* table = modem::defect_table(count);
    for (std::size_t i = 0; i < count; ++i) {
      std::cout << table[i].name << "\t" << table[i].description << "\n";
    }
    return 0;
  }
  if (!o.has_tcp && !o.pty && !o.stdio) {
    return fail(kExitUsage, "choose a transport: --tcp HOST:PORT, --pty or --stdio");
  }
  // Every option is checked before anything is created, so a mistake leaves no trace behind.
  io::Endpoint tcp_ep, control_ep;
  if (o.has_tcp) {
    auto ep = endpoint_option("--tcp", o.tcp);
    if (const auto* reason = std::get_if<std::string>(&ep)) return fail(kExitUsage, *reason);
    tcp_ep = std::get<io::Endpoint>(ep);
  }
  if (o.has_control) {
    auto ep = endpoint_option("--control", o.control);
    if (const auto* reason = std::get_if<std::string>(&ep)) return fail(kExitUsage, *reason);
    control_ep = std::get<io::Endpoint>(ep);
    if (auto refused = io::NetworkControl::refuses(control_ep)) {
      return fail(kExitUsage, "--control '" + o.control + "': " + *refused);
    }
  }
  modem::DefectSet defects;
  for (const auto& name : o.defect_names) {
    const auto d = modem::defect_by_name(name);
    if (!d) return fail(kExitUsage, "unknown defect '" + name + "' (see --list-defects)");
    defects.add(*d);
  }
  auto loaded = load_profile(o.profile_path);
  if (const auto* reason = std::get_if<std::string>(&loaded)) return fail(kExitUsage, *reason);
  const auto profile = std::get<modem::DeviceProfile>(std::move(loaded));

  std::unique_ptr<modem::LocalStore> ufs;
  if (o.ufs_dir.empty()) {
    ufs = std::make_unique<modem::MemStore>(profile.ufs_capacity, profile.ufs_capacity);
  } else {
    ufs = std::make_unique<io::DirStore>(o.ufs_dir, profile.ufs_capacity);
  }
  modem::MemStore sd(profile.ufs_capacity, profile.ufs_capacity);
  modem::MemStore ram(profile.ram_file_size, profile.ram_capacity());
  modem::ModemEngine engine(profile, {ufs.get(), profile.has_sd ? &sd : nullptr,
                                      profile.has_ram ? &ram : nullptr},
                            defects);

  // A transfer's buffers are freed when it ends; glibc would otherwise raise its mmap threshold
  // after the first large one and keep later ones in the heap, so that the resident size grows
  // with the largest transfer seen. Fixed thresholds give the memory back (ci/soak measures it).
  ::mallopt(M_MMAP_THRESHOLD, 128 * 1024);
  ::mallopt(M_TRIM_THRESHOLD, 256 * 1024);

  boost::asio::io_context io;
  // Before the pty link exists: a signal from here on ends the loop, and the link goes with it.
  boost::asio::signal_set signals(io, SIGTERM, SIGINT, SIGHUP);
  signals.async_wait([&io](const boost::system::error_code&, int) { io.stop(); });
  std::signal(SIGPIPE, SIG_IGN);

  std::unique_ptr<io::SerialPort> serial;
  std::optional<io::PtyLink> link;
  if (o.pty) {
    auto opened = io::make_pty_port(io);
    if (const auto* reason = std::get_if<std::string>(&opened)) return fail(kExitFailure, *reason);
    auto& pty = std::get<io::OpenedPty>(opened);
    if (o.has_link) {
      auto made = io::PtyLink::create(o.link, pty.device);
      if (const auto* reason = std::get_if<std::string>(&made)) return fail(kExitUsage, *reason);
      link.emplace(std::get<io::PtyLink>(std::move(made)));
    }
    serial = std::move(pty.port);
  } else {
    auto made = o.stdio ? io::make_stdio_port(io) : io::make_tcp_port(io, tcp_ep);
    if (const auto* reason = std::get_if<std::string>(&made)) {
      return fail(kExitFailure, (o.stdio ? "--stdio: " : "--tcp '" + o.tcp + "': ") + *reason);
    }
    serial = std::get<std::unique_ptr<io::SerialPort>>(std::move(made));
  }
  serial->set_baud(o.baud);
  io::Emulator emulator(io, *serial, engine,
                        o.log_path.empty() ? std::nullopt : std::optional(o.log_path));
  std::unique_ptr<io::NetworkControl> net_control;
  if (o.has_control) {
    auto opened = io::NetworkControl::open(io, emulator, control_ep);
    if (const auto* reason = std::get_if<std::string>(&opened)) {
      return fail(kExitFailure, "--control '" + o.control + "': " + *reason);
    }
    net_control = std::get<std::unique_ptr<io::NetworkControl>>(std::move(opened));
  }

  // Only stdio ends by itself: what the modem already said reaches the host, then it stops.
  emulator.start([&io, &serial] { serial->when_drained([&io] { io.stop(); }); });
  std::string ready = "READY " + serial->describe();
  if (net_control) ready += " control=" + net_control->describe();
  std::cout << ready << std::endl;
  io.run();
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(argc, argv);
  } catch (const std::exception& e) {
    return fail(kExitFailure, e.what());
  }
}
