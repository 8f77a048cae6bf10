// s2_1_overview_test.cpp: spec 2.1, the overview table: the ten AT+QFTP* commands all exist (each
// answers its test command with OK), and their test forms answer the same in an open session.
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

// The test forms again, while a session is open: a test command reports what the command takes,
// whatever the state of the service (V.250), so each answers as in IDLE (2.2.x/01). Each check is
// scoped to its command's requirement.
QFTP_CASE(S2_1_Overview, EveryTestFormAnswersTheSameWhileASessionIsOpen, "2.2.1/01", "2.2.2/01",
          "2.2.3/01", "2.2.4/01", "2.2.5/01", "2.2.6/01", "2.2.7/01", "2.2.8/01", "2.2.9/01",
          "2.2.10/01") {
  QFTP_SETUP(open_session());
  struct Form {
    const char* requirement;
    const char* name;
    const char* info;  // the information text's value, or nullptr for none
  };
  static const Form kForms[] = {
      {"2.2.1/01", "OPEN", "\"HOST NAME\",(1-65535)"},
      {"2.2.2/01", "CLOSE", nullptr},
      {"2.2.3/01", "PUT", "\"FILE NAME\",<fileSz>,(1-65535)"},
      {"2.2.4/01", "GET", "\"FILE NAME\""},
      {"2.2.5/01", "PATH", "\"PATH NAME\""},
      {"2.2.6/01", "USER", "\"USER NAME\""},
      {"2.2.7/01", "PASS", "\"PASSWORD\""},
      {"2.2.8/01", "CFG", "(1-4)"},
      {"2.2.9/01", "STAT", nullptr},
      {"2.2.10/01", "LEN", nullptr},
  };
  for (const Form& form : kForms) {
    QFTP_CHECKS(form.requirement);
    const std::string line = std::string("AT+QFTP") + form.name + "=?";
    QFTP_TRY(auto r, at_expect(line, FinalKind::ok));
    if (form.info == nullptr) {
      EXPECT_TRUE(r.info.empty()) << line << " in an open session gave " << r.describe();
      continue;
    }
    QFTP_TRY(auto f, info_field(r, std::string("+QFTP") + form.name));
    EXPECT_EQ(f.value, form.info) << line << " in an open session";
  }
  QFTP_CHECKS("2.2.9/01");
  QFTP_TRY(auto state, stat());
  EXPECT_EQ(state, "OPENED") << "a test command changed the service's state";
}

}  // namespace
}  // namespace qftp::harness
