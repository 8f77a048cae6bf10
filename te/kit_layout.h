// kit_layout.h: where the kit's tools find each other and their data. Tools sit in bin/ (qftp-emu,
// qftp-conformance, qftp-fixture), their data in share/qftp-kit/ beside it: the same in an
// installed prefix and in a build tree, whose share/qftp-kit/ links into the source tree
// (cmake/QftpLayout.cmake).
#pragma once

#include <filesystem>
#include <string>

#include "te/result.h"

namespace qftp::te {

// The directory of the running executable.
std::filesystem::path tool_dir();

// Another tool of the kit beside the running one: tool_dir() / name.
std::filesystem::path sibling_tool(const std::string& name);

// share/qftp-kit/ beside tool_dir(): the data directory unless --data-dir says otherwise.
std::filesystem::path default_data_dir();

// `dir` made absolute, when it holds the kit's data (requirements/requirements.json, profiles/,
// transcripts/); otherwise an error naming what is missing and how to point at the data.
Result<std::filesystem::path> check_data_dir(const std::filesystem::path& dir);

// A profile argument: an existing file as given, else the shipped profile of that name
// (`m33` or `m33.json` in <data dir>/profiles/). Unknown names are returned as given, so that the
// loader reports the missing file.
std::filesystem::path resolve_profile(const std::string& argument,
                                      const std::filesystem::path& data_dir);

}  // namespace qftp::te
