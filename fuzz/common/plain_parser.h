// An uninstrumented copy of the command parser under other names (fuzz/CMakeLists.txt compiles
// core/at/command_parser.cpp again with parse_line and to_text renamed), for oracles that re-parse.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/at/command_parser.h"

namespace qftp::at {

// The oracle's second and third parses would only feed libFuzzer coverage it already has, at
// the cost of tracing every comparison again; these do the same work untraced.
ParsedLine plain_parse_line(std::string_view body);
std::string plain_to_text(const Command& command);
std::string plain_to_text(const std::vector<Command>& commands);

}  // namespace qftp::at
