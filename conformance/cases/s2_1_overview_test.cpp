// s2_1_overview_test.cpp: spec 2.1, the overview table: the ten AT+QFTP* commands all exist (each
// answers its test command with OK).
#include "harness/qftp_case.h"

namespace qftp::harness {
namespace {

using S2_1_Overview = QftpCase;

QFTP_CASE(S2_1_Overview, EveryCommandOfTheOverviewAnswersItsTestCommand, "2.1/01") {
  for (const char* name :
       {"OPEN", "CLOSE", "PUT", "GET", "PATH", "USER", "PASS", "CFG", "STAT", "LEN"}) {
    const std::string line = std::string("AT+QFTP") + name + "=?";
    QFTP_TRY(auto r, at(line));
    EXPECT_TRUE(r.is(FinalKind::ok)) << line << " answered " << r.describe();
  }
}

}  // namespace
}  // namespace qftp::harness
