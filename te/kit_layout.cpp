// kit_layout.cpp: bin/ and share/qftp-kit/, found from /proc/self/exe.
#include "te/kit_layout.h"

#include <system_error>

namespace qftp::te {

namespace fs = std::filesystem;

fs::path tool_dir() {
  std::error_code ec;
  const fs::path self = fs::read_symlink("/proc/self/exe", ec);
  // Without /proc (never on Linux), the working directory is the best remaining guess.
  return ec ? fs::current_path() : self.parent_path();
}

fs::path sibling_tool(const std::string& name) {
  return tool_dir() / name;
}

fs::path default_data_dir() {
  return (tool_dir().parent_path() / "share" / "qftp-kit");
}

Result<fs::path> check_data_dir(const fs::path& dir) {
  std::error_code ec;
  const fs::path absolute = fs::absolute(dir, ec);
  for (const char* entry : {"requirements/requirements.json", "profiles", "transcripts"}) {
    if (!fs::exists(absolute / entry, ec)) {
      return make_error("no kit data in " + absolute.string() + " (" + entry +
                        " is missing): install the kit with `cmake --install`, or give the data "
                        "directory with --data-dir (share/qftp-kit of an installed kit)");
    }
  }
  return absolute;
}

fs::path resolve_profile(const std::string& argument, const fs::path& data_dir) {
  std::error_code ec;
  if (fs::exists(argument, ec) || argument.find('/') != std::string::npos) return argument;
  for (const std::string& name : {argument, argument + ".json"}) {
    const fs::path shipped = data_dir / "profiles" / name;
    if (fs::is_regular_file(shipped, ec)) return shipped;
  }
  return argument;
}

}  // namespace qftp::te
