// report_commands.h: `qftp-conformance compare A B [C...]` and `qftp-conformance merge DIR...`,
// which work on reports already written and run no case.
#pragma once

namespace qftp::app {

int run_compare(int argc, char** argv);  // argv[0] is "compare"
int run_merge(int argc, char** argv);    // argv[0] is "merge"

}  // namespace qftp::app
