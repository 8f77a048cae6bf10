// te_vocabulary.h: the suite speaks the TE library's vocabulary (te/: DUT links, the TE session,
// profiles, the fixture and emulator processes): its names are the harness's names, unqualified.
#pragma once

namespace qftp::te {}

namespace qftp::harness {
using namespace qftp::te;
}  // namespace qftp::harness
