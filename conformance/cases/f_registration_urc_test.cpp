// f_registration_urc_test.cpp: F/35, the +CREG and +CGREG URCs of docs/field-facts.md §7, with the
// registration lost and regained through the emulator's network control (REGISTRATION LOST and
// BACK). A real modem's registration cannot be taken away on demand from the suite: the case is
// not applicable to it, as the other network-fault cases are, and a bench checks it by hand
// (docs/bench-guide.md).
#include "harness/qftp_case.h"

namespace qftp::harness {
namespace {

using F_Registration = QftpCase;

QFTP_CASE(F_Registration, RegistrationChangesAreReportedWhenAsked, "F/35") {
  QFTP_REQUIRE_PICS(pics().startup_commands, "PICS: no start-up commands");
  QFTP_REQUIRE_PICS(suite().has_network_control(),
                    "needs the emulator's network control (REGISTRATION LOST/BACK)");
  QFTP_DO(at_expect("AT+CREG=1", FinalKind::ok));
  QFTP_DO(at_expect("AT+CGREG=1", FinalKind::ok));
  QFTP_DO(network("REGISTRATION LOST"));
  QFTP_DO(expect_urc("+CREG", "2", urc_timeout()));
  QFTP_DO(expect_urc("+CGREG", "2", urc_timeout()));
  QFTP_TRY(auto lost, at_expect("AT+CREG?", FinalKind::ok));
  QFTP_TRY(auto stat, info_field(lost, "+CREG"));
  EXPECT_EQ(stat.value, "1,2") << "AT+CREG? while searching";
  QFTP_DO(network("REGISTRATION BACK"));
  QFTP_DO(expect_urc("+CREG", "1", urc_timeout()));
  QFTP_DO(expect_urc("+CGREG", "1", urc_timeout()));
  QFTP_DO(at_expect("AT+CREG=0", FinalKind::ok));
  QFTP_DO(at_expect("AT+CGREG=0", FinalKind::ok));
  QFTP_DO(network("REGISTRATION LOST"));
  QFTP_DO(expect_quiet("REGISTRATION LOST after AT+CREG=0 and AT+CGREG=0"));
  QFTP_DO(network("REGISTRATION BACK"));
  QFTP_DO(expect_quiet("REGISTRATION BACK after AT+CREG=0 and AT+CGREG=0"));
}

}  // namespace
}  // namespace qftp::harness
