// An uninstrumented copy of the command parser under other names (fuzz/CMakeLists.txt compiles
// core/at/command_parser.cpp again with parse_line and to_text renamed), for oracles that re-parse.
#pragma once

#include <string_view>

#include "core/at/command_parser.h"

namespace qftp::at {

// The oracle's re-parses would only feed libFuzzer coverage it already has, at the cost of
// counting every edge again; this does the same work uncounted.
ParsedLine plain_parse_line(std::string_view body);
void plain_parse_line(std::string_view body, ParsedLine& out);

}  // namespace qftp::at
