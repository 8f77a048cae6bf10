// bench.h: a bench as a profile describes it: the fixture started with the PIXIT's address and
// credentials, the spawned emulator configured like the profile, the TE-side link to any DUT, and
// the TE session's deadlines. The conformance suite and qftp-dutfuzz set up their benches here.
#pragma once

#include <chrono>
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

// Ruling 15 (R/44): ends the host link as the DUT sees DTR go off, keeps it ended for `hold`, then
// gives the DUT a host again. A serial port drops DTR and raises it again on the same descriptor,
// so the run's lock never lets go; a TCP link is closed and made again through open_link (a
// serial server passes that on as a DTR drop only when configured to: docs/bench-guide.md), under
// the same `lock`; the spawned emulator's pty or TCP connection is closed, which is its DTR drop,
// and a new link opened. `link` is empty when it could not be opened again.
Status hang_up_link(std::optional<DutLink>& link, const DutSpec& dut,
                    const EmulatorProcess* emulator, DutLock* lock, std::chrono::milliseconds hold);

// The TE session's deadlines and guard time from the PIXIT.
TeSession::Options session_options(const Pixit& pixit);

}  // namespace qftp::te
