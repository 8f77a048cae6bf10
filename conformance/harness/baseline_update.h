// baseline_update.h: --write-baseline: the entry of this firmware made from a run. Requirements
// that failed (or were inconclusive) are listed, keeping the reason and ticket a person gave an
// earlier entry; those that passed or do not apply are dropped; those the run did not judge stay.
#pragma once

#include <filesystem>
#include <vector>

#include "harness/report.h"

namespace qftp::harness {

Result<FirmwareBaseline> baseline_from_run(const std::vector<RequirementResult>& reqs,
                                           const DutIdentity& identity,
                                           const FirmwareBaseline* previous);

// Reads `path` if it exists (a file that does not parse is left as it is, with an error), puts
// this firmware's entry and writes it back; the other firmware's entries stay.
Status update_baseline_file(const std::filesystem::path& path, const Inventory& inventory,
                            const std::vector<RequirementResult>& reqs,
                            const DutIdentity& identity);

}  // namespace qftp::harness
