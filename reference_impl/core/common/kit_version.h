// The kit's version and the git commit its tools were built from: what --version prints and every
// report carries. Defined in a source generated at build time (cmake/kit_version.cmake).
#pragma once

#include <string>
#include <string_view>

namespace qftp {

std::string_view kit_version();  // the project's version, "0.1.0"
std::string_view kit_commit();   // "1a2b3c4d5e6f", "…-dirty" for uncommitted changes, or "unknown"

// "qftp-emu 0.1.0 (commit 1a2b3c4d5e6f)"
inline std::string kit_version_line(std::string_view tool) {
  std::string line(tool);
  line.append(" ").append(kit_version()).append(" (commit ").append(kit_commit()).append(")");
  return line;
}

}  // namespace qftp
