// bench.cpp: the fixture, the emulator and the link as a profile describes them.
#include "te/bench.h"

#include <utility>

namespace qftp::te {

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

TeSession::Options session_options(const Pixit& pixit) {
  TeSession::Options so;
  so.command_timeout = Ms(pixit.command_timeout_ms);
  so.guard_ms = pixit.guard_ms;
  return so;
}

}  // namespace qftp::te
