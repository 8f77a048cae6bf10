// s2_2_10_qftplen_test.cpp: spec 2.2.10, AT+QFTPLEN: the real size of the latest upload and
// download (after an escape: r_escape_test.cpp).
#include "harness/qftp_case.h"

namespace qftp::harness {
namespace {

using S2_2_10_Len = QftpCase;

QFTP_CASE(S2_2_10_Len, TestCommandAnswersOk, "2.2.10/01") {
  QFTP_TRY(auto r, at_expect("AT+QFTPLEN=?", FinalKind::ok));
  EXPECT_TRUE(r.info.empty()) << "AT+QFTPLEN=? gave information text: " << r.describe();
}

QFTP_CASE(S2_2_10_Len, LengthOfTheLatestUpload, "2.2.10/02") {
  QFTP_SETUP(open_session());
  QFTP_SETUP_TRY(auto f, put_com("len.bin", test_content("len", 321), 60));
  static_cast<void>(f);
  // The real size is what the server received, whatever the upload reported.
  QFTP_TRY(auto stored, read_server_file("len.bin"));
  QFTP_TRY(auto r, at_expect("AT+QFTPLEN", FinalKind::ok));
  QFTP_TRY(auto len, info_field(r, "+QFTPLEN"));
  EXPECT_EQ(len.value, std::to_string(stored.size()));
}

QFTP_CASE(S2_2_10_Len, LengthOfTheLatestDownload, "2.2.10/03") {
  QFTP_SETUP(open_session());
  QFTP_DO(server_file("len.bin", test_content("len", 456)));
  QFTP_SETUP_TRY(auto d, get_com("len.bin"));
  // The real size is what reached the UART.
  QFTP_TRY(auto r, at_expect("AT+QFTPLEN", FinalKind::ok));
  QFTP_TRY(auto len, info_field(r, "+QFTPLEN"));
  EXPECT_EQ(len.value, std::to_string(d.data.size()));
}

}  // namespace
}  // namespace qftp::harness
