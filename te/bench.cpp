// bench.cpp: the fixture, the emulator and the link as a profile describes them.
#include "te/bench.h"

#include <fstream>
#include <iterator>
#include <string>
#include <string_view>
#include <system_error>
#include <thread>
#include <utility>

namespace qftp::te {
namespace {

std::uintmax_t size_of(const std::filesystem::path& path) {
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  return ec ? 0 : size;
}

// Whether the file holds `text` past its first `from` bytes.
bool file_holds(const std::filesystem::path& path, std::uintmax_t from, std::string_view text) {
  std::ifstream in(path, std::ios::binary);
  if (!in || !in.seekg(static_cast<std::streamoff>(from))) return false;
  const std::string rest((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return rest.find(text) != std::string::npos;
}

}  // namespace

FixtureOptions fixture_options(const Pixit& pixit) {
  FixtureOptions fo;
  fo.bind = pixit.fixture_bind;
  fo.port = pixit.fixture_port;
  fo.user = pixit.user;
  fo.password = pixit.password;
  fo.masquerade = pixit.fixture_masquerade;
  fo.passive_ports = pixit.fixture_passive_ports;
  return fo;
}

Status start_fixture(const FixtureOptions& options, std::optional<FixtureProcess>& fixture,
                     std::optional<FixtureControl>& control) {
  if (auto st = check_fixture_prerequisites(); !st) return st;
  auto started = FixtureProcess::start(options);
  if (!started) return make_error("the FTP fixture did not start: " + started.error());
  fixture.emplace(std::move(started).value());
  auto opened = fixture->control();
  if (!opened) return make_error("the FTP fixture's control port: " + opened.error());
  control.emplace(std::move(opened).value());
  return {};
}

EmulatorOptions emulator_options(const Profile& profile, const std::filesystem::path& exe,
                                 const std::filesystem::path& emulator_profile,
                                 const std::vector<std::string>& defects) {
  EmulatorOptions eo;
  eo.exe = exe;
  eo.transport = EmulatorOptions::Transport::pty;
  if (emulator_profile.empty()) {
    eo.profile_text = emulator_profile_text(profile);
  } else {
    eo.profile = emulator_profile;
  }
  eo.defects = defects;
  return eo;
}

Result<DutLink> open_link(const DutSpec& dut, const EmulatorProcess* emulator, DutLock* lock) {
  Result<DutLink> link = make_error("no DUT");
  switch (dut.kind) {
    case DutSpec::Kind::emulator:
      if (emulator == nullptr) return make_error("the emulator is not running");
      link = emulator->link();
      break;
    case DutSpec::Kind::serial:
    case DutSpec::Kind::tcp:
      link = DutLink::open_dut(dut, lock);
      break;
  }
  if (!link) return make_error("cannot reach the DUT (" + dut.describe() + "): " + link.error());
  return link;
}

Status hang_up_link(std::optional<DutLink>& link, const DutSpec& dut,
                    const EmulatorProcess* emulator, DutLock* lock,
                    std::chrono::milliseconds hold) {
  if (!link) return make_error("no link to hang up");
  if (dut.kind == DutSpec::Kind::serial) {
    if (auto st = link->set_dtr(false); !st) return st;
    // The time DTR stays off: a modem notices a drop only after a debounce of its own (the
    // PIXIT's hangup_hold_ms), so this wait is the bench's declared pulse, not a guess at an event.
    std::this_thread::sleep_for(hold);
    return link->set_dtr(true);
  }
  // What the DUT sent and the TE has not read goes with the link; reading it first lets the close
  // be an orderly end (FIN) rather than a reset.
  (void)link->read_for(std::chrono::milliseconds(0));
  const std::uintmax_t log_from = emulator != nullptr ? size_of(emulator->log_path()) : 0;
  link.reset();
  if (emulator != nullptr) {
    // The spawned emulator logs the hang-up once it has seen it: a pty opened again before then
    // would be the same host to it. Its log is a file, which has no event to wait for.
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (!file_holds(emulator->log_path(), log_from, "TE hang-up")) {
      if (std::chrono::steady_clock::now() >= until)
        return make_error("the emulator did not log the hang-up within 5 s");
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  }
  std::this_thread::sleep_for(hold);
  auto again = open_link(dut, emulator, lock);
  if (!again) return make_error("after the hang-up: " + again.error());
  link.emplace(std::move(again).value());
  return {};
}

TeSession::Options session_options(const Pixit& pixit) {
  TeSession::Options so;
  so.command_timeout = Ms(pixit.command_timeout_ms);
  so.guard_ms = pixit.guard_ms;
  return so;
}

}  // namespace qftp::te
