// r_path_resume_len_test.cpp: rulings 10, 11 and 12 of docs/rulings.md (R/32, R/33, R/34) and the
// resumed download into a missing local file (R/35): what AT+QFTPPATH="" means, and what a transfer
// refused before it starts leaves behind in the resume point and in AT+QFTPLEN.
#include <algorithm>

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

// Second paths: ruling 10 from a nested directory with a download; ruling 11 after an attempt the
// server refused before any byte moved; R/35 through the named UFS position of an upload's file.

QFTP_CASE(Rulings, EmptyPathFromANestedDirectoryReturnsToTheLoginDirectory, "R/32") {
  QFTP_SETUP(open_session());
  const std::string home = test_content("r32-home", 200);
  QFTP_DO(server_file("r32-home.bin", home));
  QFTP_DO(server_file("r32a/r32b/.keep", ""));
  QFTP_SETUP(set_path("/r32a/r32b"));
  QFTP_DO(set_path(""));
  QFTP_TRY(auto got, get_result("r32-home.bin"));
  if (!got.value.empty() && got.value[0] != '-') return;  // ruling 10: back in the login directory
  if (!got.value.empty() && got.value[0] == '-') {
    note("ruling 10, alternative reading: AT+QFTPPATH=\"\" stayed in the current directory");
    QFTP_TRY(auto up, put_com("r32-where.bin", "where", 60));
    static_cast<void>(up);
    EXPECT_TRUE(server_has("r32a/r32b/r32-where.bin"))
        << "after AT+QFTPPATH=\"\" neither the login directory nor the one set before";
    return;
  }
  ADD_FAILURE() << "a download of " << home.size() << " bytes after AT+QFTPPATH=\"\" gave "
                << got.value;
}

QFTP_CASE(Rulings, ResumePointResetsAfterAnAttemptTheServerRefused, "R/33") {
  QFTP_REQUIRE_PICS(pics().resume, "PICS: no resume");
  QFTP_SETUP(open_session());
  QFTP_DO(server_file("r33b.bin", "0123456789"));
  QFTP_SETUP(set_cfg(3, "3"));
  QFTP_DO(fault("REPLY PASV 425 times=1"));
  QFTP_DO(at_expect("AT+QFTPGET=\"r33b.bin\"", FinalKind::ok));
  QFTP_TRY(auto f, urc("+QFTPGET", transfer_timeout()));
  EXPECT_EQ(f.value.rfind('-', 0), 0U) << "PASV answered 425, yet +QFTPGET:" << f.value;
  QFTP_TRY(auto point, query_cfg(3));
  EXPECT_EQ(point.value, "0") << "resume point after a download the server refused";
  QFTP_TRY(auto before, ftp_commands());
  QFTP_TRY(auto next, get_result("r33b.bin"));
  static_cast<void>(next);
  QFTP_TRY(auto cmds, ftp_commands());
  EXPECT_TRUE(std::none_of(cmds.begin() + static_cast<std::ptrdiff_t>(std::min(before.size(), cmds.size())),
                           cmds.end(), [](const std::string& c) { return c.rfind("REST", 0) == 0; }))
      << "the next download sent REST: it did not start at 0";
}

QFTP_CASE(Rulings, ResumedDownloadIntoAMissingUfsFileOfItsOwnNameGivesMinus12, "R/35") {
  QFTP_REQUIRE_PICS(pics().has_ufs, "PICS: no /UFS/");
  QFTP_REQUIRE_PICS(pics().resume, "PICS: no resume");
  QFTP_SETUP(open_session());
  QFTP_DO(server_file("r35-own.bin", "0123456789"));
  QFTP_SETUP(set_cfg(4, "\"/UFS/\""));
  QFTP_SETUP(set_cfg(3, "2"));
  QFTP_DO(at_expect("AT+QFTPGET=\"r35-own.bin\"", FinalKind::ok));
  QFTP_DO(expect_urc("+QFTPGET", "-12", transfer_timeout()));
}

}  // namespace
}  // namespace qftp::harness
