// r_small_files_test.cpp: ruling 5 at the smallest sizes through the UART: a one-byte upload, and
// downloads of an empty and a one-byte file (CONNECT, the bytes, then the count).
#include "harness/qftp_case.h"

namespace qftp::harness {
namespace {

using R5_SmallFiles = QftpCase;

QFTP_CASE(R5_SmallFiles, TheSmallestFilesGoThroughTheUart, "R/5") {
  QFTP_SETUP(open_session());
  QFTP_TRY(auto up, put_com("one.bin", "Z", 60));
  EXPECT_EQ(up.value, "1");
  QFTP_TRY(auto stored, read_server_file("one.bin"));
  EXPECT_EQ(stored, "Z");
  QFTP_TRY(auto one, get_com("one.bin", 1));
  EXPECT_EQ(one.data, "Z");
  EXPECT_EQ(one.result.value, "1");
  QFTP_DO(server_file("empty.bin", ""));
  QFTP_TRY(auto none, get_com("empty.bin", 0));
  EXPECT_EQ(none.result.value, "0") << "an empty file downloads as 0 bytes";
}

}  // namespace
}  // namespace qftp::harness
