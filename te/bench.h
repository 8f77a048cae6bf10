// bench.h: a bench as a profile describes it: the fixture started with the PIXIT's address and
// credentials, the spawned emulator configured like the profile, the TE-side link to any DUT, and
// the TE session's deadlines. The conformance suite and qftp-dutfuzz set up their benches here.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "te/dut_link.h"
#include "te/dut_lock.h"
#include "te/dut_spec.h"
#include "te/emulator_process.h"
#include "te/fixture_control.h"
#include "te/fixture_launcher.h"
#include "te/profile.h"
#include "te/result.h"
#include "te/te_session.h"

namespace qftp::te {

// The fixture the DUT reaches as the PIXIT says (bind, port, credentials, masquerade, PASV ports).
FixtureOptions fixture_options(const Pixit& pixit);

// Starts the fixture as `options` say and opens its control port, into `fixture` and `control`;
// or why not (its prerequisites missing, the process, the control port).
Status start_fixture(const FixtureOptions& options, std::optional<FixtureProcess>& fixture,
                     std::optional<FixtureControl>& control);

// The spawned emulator on a pty, configured as `profile` describes (or by a qftp-emu profile file
// `emulator_profile` when given), with the named defects.
EmulatorOptions emulator_options(const Profile& profile, const std::filesystem::path& exe,
                                 const std::filesystem::path& emulator_profile,
                                 const std::vector<std::string>& defects);

// A new link to the DUT: the spawned emulator's (`emulator`), or the serial device or TCP port of
// `dut` (under the run's `lock`, if any).
Result<DutLink> open_link(const DutSpec& dut, const EmulatorProcess* emulator, DutLock* lock);

// The TE session's deadlines and guard time from the PIXIT.
TeSession::Options session_options(const Pixit& pixit);

}  // namespace qftp::te
