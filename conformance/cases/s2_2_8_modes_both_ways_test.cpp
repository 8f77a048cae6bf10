// s2_2_8_modes_both_ways_test.cpp: ruling 5's data mode in the other settings of spec 2.2.8 types
// 1 and 2: an upload and a download in active mode (the server connects to the module), and text
// in ASCII type, each compared with what was sent. (Which FTP commands each setting sends is
// 2.2.8/07 and 2.2.8/09.)
#include "harness/qftp_case.h"

namespace qftp::harness {
namespace {

using S2_2_8_ModesBothWays = QftpCase;

QFTP_CASE(S2_2_8_ModesBothWays, ActiveModeCarriesAFileBothWays, "R/5") {
  QFTP_REQUIRE_PICS(pics().active_mode, "PICS: no active mode");
  QFTP_SETUP(open_session());
  QFTP_DO(set_cfg(1, "0"));
  const std::string data = test_content("active", 4000);
  QFTP_TRY(auto up, put_com("active.bin", data, 60));
  EXPECT_EQ(up.value, "4000");
  QFTP_TRY(auto stored, read_server_file("active.bin"));
  EXPECT_TRUE(stored == data) << "the server holds " << stored.size() << " bytes";
  QFTP_TRY(auto down, get_com("active.bin", data.size()));
  EXPECT_TRUE(down.data == data) << "the download in active mode differs from the file";
  EXPECT_EQ(down.result.value, "4000");
}

// In ASCII type the server stores text in its own line ends (pyftpdlib: LF) and sends CR LF: a
// text file with CR LF ends goes up and comes back as it was.
QFTP_CASE(S2_2_8_ModesBothWays, AsciiTypeCarriesTextBothWays, "R/5") {
  QFTP_REQUIRE_PICS(pics().ascii_type, "PICS: no ASCII type");
  QFTP_SETUP(open_session());
  QFTP_DO(set_cfg(2, "1"));
  const std::string text = "line one\r\nline two\r\n";
  QFTP_TRY(auto up, put_com("text.txt", text, 60));
  EXPECT_EQ(up.value, std::to_string(text.size()));
  QFTP_TRY(auto stored, read_server_file("text.txt"));
  EXPECT_EQ(printable(stored), printable("line one\nline two\n")) << "the server's text file";
  QFTP_TRY(auto down, get_com("text.txt", text.size()));
  EXPECT_EQ(printable(down.data), printable(text));
}

}  // namespace
}  // namespace qftp::harness
