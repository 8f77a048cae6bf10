// r_path_resume_len_test.cpp: rulings 10, 11 and 12 of docs/rulings.md (R/32, R/33, R/34) and the
// resumed download into a missing local file (R/35): what AT+QFTPPATH="" means, and what a transfer
// refused before it starts leaves behind in the resume point and in AT+QFTPLEN.
#include "harness/qftp_case.h"

namespace qftp::harness {
namespace {

using Rulings = QftpCase;

QFTP_CASE(Rulings, EmptyPathReturnsToTheLoginDirectory, "R/32", "2.2.5/08") {
  QFTP_SETUP(open_session());
  QFTP_DO(server_file("r32/.keep", ""));
  QFTP_SETUP(set_path("/r32"));
  QFTP_DO(set_path(""));
  QFTP_SETUP_TRY(auto up, put_com("r32_where.bin", "login directory", 60));
  if (up.value.empty() || up.value[0] == '-')
    QFTP_INCONCLUSIVE("the upload after AT+QFTPPATH=\"\" gave +QFTPPUT:" + up.value);
  QFTP_CHECKS("R/32");
  if (server_has("r32_where.bin")) return;  // ruling 10: back in the login directory
  if (server_has("r32/r32_where.bin")) {
    note("ruling 10, alternative reading: AT+QFTPPATH=\"\" stayed in the current directory");
    return;
  }
  ADD_FAILURE() << "after AT+QFTPPATH=\"\" the upload is neither in the login directory nor in "
                   "the directory set before";
}

// Ruling 11: the resume point is 0 again after an attempt refused before any transfer starts.
QFTP_CASE(Rulings, ResumePointResetsAfterARefusedAttempt, "R/33", "2.2.8/11") {
  QFTP_REQUIRE_PICS(pics().resume, "PICS: no resume");
  QFTP_TRY(auto state, stat());
  if (state != "IDLE" && state != "CLOSED")
    QFTP_INCONCLUSIVE("the service is " + state + " after the reset");
  // Without a session: -1 (R/10).
  QFTP_SETUP(set_cfg(3, "5"));
  QFTP_DO(at_expect("AT+QFTPGET=\"r33.bin\"", FinalKind::ok));
  QFTP_DO(expect_urc("+QFTPGET", "-1", transfer_timeout()));
  QFTP_TRY(auto after_no_session, query_cfg(3));
  EXPECT_EQ(after_no_session.value, "0") << "resume point after a GET refused without a session";
  // With a session, an empty file name: -10 (R/18).
  QFTP_SETUP(open_session());
  QFTP_SETUP(set_cfg(3, "7"));
  QFTP_DO(at_expect("AT+QFTPPUT=\"\",10,60", FinalKind::ok));
  QFTP_DO(expect_urc("+QFTPPUT", "-10", transfer_timeout()));
  QFTP_TRY(auto after_illegal, query_cfg(3));
  EXPECT_EQ(after_illegal.value, "0") << "resume point after a PUT refused for its empty name";
}

// Ruling 12: AT+QFTPLEN reports the latest transfer, 0 when it moved nothing, never an earlier one.
QFTP_CASE(Rulings, LenIsZeroAfterATransferThatMovedNothing, "R/34", "2.2.10/02") {
  QFTP_SETUP(open_session());
  QFTP_SETUP_TRY(auto up, put_com("r34.bin", "12345", 60));
  if (up.value.empty() || up.value[0] == '-' || up.value == "0")
    QFTP_INCONCLUSIVE("the upload gave +QFTPPUT:" + up.value);
  QFTP_TRY(auto r1, at_expect("AT+QFTPLEN", FinalKind::ok));
  QFTP_TRY(auto after_upload, info_field(r1, "+QFTPLEN"));
  {
    QFTP_CHECKS("2.2.10/02");
    EXPECT_EQ(after_upload.value, up.value)
        << "AT+QFTPLEN after an upload that gave +QFTPPUT:" << up.value;
  }
  QFTP_CHECKS("R/34");
  // Refused before it starts (an empty name: -10).
  QFTP_DO(at_expect("AT+QFTPGET=\"\"", FinalKind::ok));
  QFTP_DO(expect_urc("+QFTPGET", "-10", transfer_timeout()));
  QFTP_TRY(auto r2, at_expect("AT+QFTPLEN", FinalKind::ok));
  QFTP_TRY(auto after_refused, info_field(r2, "+QFTPLEN"));
  EXPECT_EQ(after_refused.value, "0") << "AT+QFTPLEN after a GET refused before it started";
  // Refused by the server (no such file).
  QFTP_SETUP_TRY(auto up2, put_com("r34.bin", "123", 60));
  if (up2.value.empty() || up2.value[0] == '-' || up2.value == "0")
    QFTP_INCONCLUSIVE("the second upload gave +QFTPPUT:" + up2.value);
  QFTP_TRY(auto missing, get_result("r34_missing.bin"));
  EXPECT_EQ(missing.value.substr(0, 1), "-") << "a GET of a missing file gave +QFTPGET:" << missing.value;
  QFTP_TRY(auto r3, at_expect("AT+QFTPLEN", FinalKind::ok));
  QFTP_TRY(auto after_server_refusal, info_field(r3, "+QFTPLEN"));
  EXPECT_EQ(after_server_refusal.value, "0") << "AT+QFTPLEN after a GET the server refused";
}

// R/35: resuming a download into a local file that does not exist is -12: the file holds no bytes
// before the point, as a shorter file does not (ruling 8), rather than ruling 9's -11 for a file
// an upload needs.
QFTP_CASE(Rulings, ResumedDownloadIntoAMissingLocalFileGivesMinus12, "R/35", "3/-12") {
  QFTP_REQUIRE_PICS(pics().has_ufs, "PICS: no /UFS/");
  QFTP_REQUIRE_PICS(pics().resume, "PICS: no resume");
  QFTP_SETUP(open_session());
  QFTP_DO(server_file("r35.bin", "0123456789"));
  QFTP_SETUP(set_cfg(4, "\"/UFS/r35_absent.bin\""));
  QFTP_SETUP(set_cfg(3, "4"));
  QFTP_DO(at_expect("AT+QFTPGET=\"r35.bin\"", FinalKind::ok));
  QFTP_DO(expect_urc("+QFTPGET", "-12", transfer_timeout()));
}

}  // namespace
}  // namespace qftp::harness
