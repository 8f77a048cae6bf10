// chapter4_examples_test.cpp: spec chapter 4's examples over the pty against the real fixture, the
// modem's bytes compared exactly (rulings 1 and 2), the server's and UFS files byte for byte.
#include <algorithm>

#include "e2e_fixture.h"

namespace qftp::e2e {
namespace {

// A text file like the spec's sscom.ini (a serial terminal's settings), `size` bytes long.
std::string sscom_ini(std::size_t size) {
  std::string out = "[sscom]\r\n";
  for (int i = 0; out.size() < size; ++i) {
    out +=
        "item" + std::to_string(i) + "=" + std::to_string(i * 7919 % 100003) + ",baud=115200\r\n";
  }
  out.resize(size);
  return out;
}

bool contains(const std::vector<std::string>& lines, const std::string& line) {
  return std::find(lines.begin(), lines.end(), line) != lines.end();
}

class Chapter4 : public ModemTest {};

// 4.1, with the fixture's address for quectel.3322.org:21.
TEST_F(Chapter4, Example41OpenAnFtpService) {
  EXPECT_TRUE(command("AT+QIFGCNT=0", "\r\nOK\r\n"));
  EXPECT_TRUE(command("AT+QICSGP=1,\"CMNET\"", "\r\nOK\r\n"));
  EXPECT_TRUE(command("AT+QFTPUSER=\"quectel\"", "\r\nOK\r\n"));
  EXPECT_TRUE(command("AT+QFTPPASS=\"123456\"", "\r\nOK\r\n"));
  const std::string open = "AT+QFTPOPEN=\"127.0.0.1\", " + std::to_string(fixture().ftp_port());
  ASSERT_TRUE(command(open, "\r\nOK\r\n"));
  ASSERT_TRUE(expect("\r\n+QFTPOPEN:0\r\n"));
  const auto cmds = fixture_commands();
  EXPECT_TRUE(contains(cmds, "USER quectel"));
  EXPECT_TRUE(contains(cmds, "PASS 123456"));
  EXPECT_EQ(stat(), "OPENED");
}

// Ruling 1: the example's AT+QFTPUSE is a typo; the misspelling itself is an unknown command.
TEST_F(Chapter4, Example41MisspelledUserCommandIsUnknown) {
  EXPECT_TRUE(command("AT+QFTPUSE=\"quectel\"", "\r\nERROR\r\n"));
  EXPECT_TRUE(command("AT+QFTPFCFG=4,\"/UFS/\"", "\r\nERROR\r\n"));
}

// 4.2.1
TEST_F(Chapter4, Example421UploadAFileThroughUart) {
  const std::string file = sscom_ini(1587);
  ASSERT_TRUE(open_session());
  ASSERT_TRUE(command("AT+QFTPPATH=\"/\"", "\r\nOK\r\n\r\n+QFTPPATH:0\r\n"));
  ASSERT_TRUE(command("AT+QFTPPUT=\"sscom.ini\", 1587,200", "\r\nOK\r\n\r\nCONNECT\r\n"));
  ASSERT_TRUE(send(file));
  ASSERT_TRUE(expect("\r\n+QFTPPUT:1587\r\n"));
  EXPECT_TRUE(same_bytes(server_file("sscom.ini"), file));
  const auto cmds = fixture_commands();
  EXPECT_TRUE(contains(cmds, "TYPE I"));
  EXPECT_TRUE(contains(cmds, "STOR sscom.ini"));
}

// 4.2.2
TEST_F(Chapter4, Example422UploadAFileInUfs) {
  const std::string file = sscom_ini(1587);
  put_ufs_file("sscom.ini", file);
  ASSERT_TRUE(open_session());
  ASSERT_TRUE(command("AT+QFTPCFG=4,\"/UFS/\"", "\r\nOK\r\n\r\n+QFTPCFG:0\r\n"));
  ASSERT_TRUE(command("AT+QFTPPATH=\"\"", "\r\nOK\r\n\r\n+QFTPPATH:0\r\n"));
  ASSERT_TRUE(command("AT+QFTPPUT=\"sscom.ini\", 1587,200", "\r\nOK\r\n\r\n+QFTPPUT:1587\r\n"));
  EXPECT_TRUE(same_bytes(server_file("sscom.ini"), file));
}

// 4.2.2: "If the real size of the file is less than 1587, it will upload file with the real size."
TEST_F(Chapter4, Example422ShorterUfsFileUploadsItsRealSize) {
  const std::string file = sscom_ini(1000);
  put_ufs_file("sscom.ini", file);
  ASSERT_TRUE(open_session());
  ASSERT_TRUE(command("AT+QFTPCFG=4,\"/UFS/\"", "\r\nOK\r\n\r\n+QFTPCFG:0\r\n"));
  ASSERT_TRUE(command("AT+QFTPPUT=\"sscom.ini\", 1587,200", "\r\nOK\r\n\r\n+QFTPPUT:1000\r\n"));
  EXPECT_TRUE(same_bytes(server_file("sscom.ini"), file));
}

// 4.2.3: the local file is test.txt whatever the remote name.
TEST_F(Chapter4, Example423UploadASpecifiedFileInUfs) {
  const std::string file = sscom_ini(1587);
  put_ufs_file("test.txt", file);
  ASSERT_TRUE(open_session());
  ASSERT_TRUE(command("AT+QFTPCFG=4,\"/UFS/test.txt\"", "\r\nOK\r\n\r\n+QFTPCFG:0\r\n"));
  ASSERT_TRUE(command("AT+QFTPPATH=\"/\"", "\r\nOK\r\n\r\n+QFTPPATH:0\r\n"));
  ASSERT_TRUE(command("AT+QFTPPUT=\"sscom.ini\", 1587,200", "\r\nOK\r\n\r\n+QFTPPUT:1587\r\n"));
  EXPECT_TRUE(same_bytes(server_file("sscom.ini"), file));
  EXPECT_FALSE(server_file("test.txt").has_value());
}

// 4.3.1, with the AT the spec recommends to confirm that the download is over.
TEST_F(Chapter4, Example431DownloadAFileThroughUart) {
  const std::string file = sscom_ini(1587);
  put_server_file("sscom.ini", file);
  ASSERT_TRUE(open_session());
  ASSERT_TRUE(command("AT+QFTPPATH=\"/\"", "\r\nOK\r\n\r\n+QFTPPATH:0\r\n"));
  ASSERT_TRUE(command("AT+QFTPGET=\"sscom.ini\"",
                      "\r\nOK\r\n\r\nCONNECT\r\n" + file + "\r\n+QFTPGET:1587\r\n"));
  EXPECT_TRUE(command("AT", "\r\nOK\r\n"));
  EXPECT_TRUE(contains(fixture_commands(), "RETR sscom.ini"));
}

// 4.3.2
TEST_F(Chapter4, Example432DownloadAFileIntoUfs) {
  const std::string file = sscom_ini(1587);
  put_server_file("sscom.ini", file);
  ASSERT_TRUE(open_session());
  ASSERT_TRUE(command("AT+QFTPCFG=4,\"/UFS/\"", "\r\nOK\r\n\r\n+QFTPCFG:0\r\n"));
  ASSERT_TRUE(command("AT+QFTPPATH=\"\"", "\r\nOK\r\n\r\n+QFTPPATH:0\r\n"));
  ASSERT_TRUE(command("AT+QFTPGET=\"sscom.ini\"", "\r\nOK\r\n\r\n+QFTPGET:1587\r\n"));
  EXPECT_TRUE(same_bytes(ufs_file("sscom.ini"), file));
}

// 4.3.3
TEST_F(Chapter4, Example433DownloadIntoASpecifiedFileInUfs) {
  const std::string file = sscom_ini(1587);
  put_server_file("sscom.ini", file);
  ASSERT_TRUE(open_session());
  ASSERT_TRUE(command("AT+QFTPCFG=4,\"/UFS/dwl.txt\"", "\r\nOK\r\n\r\n+QFTPCFG:0\r\n"));
  ASSERT_TRUE(command("AT+QFTPPATH=\"/\"", "\r\nOK\r\n\r\n+QFTPPATH:0\r\n"));
  ASSERT_TRUE(command("AT+QFTPGET=\"sscom.ini\"", "\r\nOK\r\n\r\n+QFTPGET:1587\r\n"));
  EXPECT_TRUE(same_bytes(ufs_file("dwl.txt"), file));
  EXPECT_FALSE(ufs_file("sscom.ini").has_value());
}

// 4.4.1: 3587 bytes in two parts, 1587 then 2000 from the resuming point.
TEST_F(Chapter4, Example441UploadFromTheResumingPoint) {
  const std::string file = sscom_ini(3587);
  ASSERT_TRUE(open_session());
  ASSERT_TRUE(command("AT+QFTPPUT=\"sscom.ini\",1587,200", "\r\nOK\r\n\r\nCONNECT\r\n"));
  ASSERT_TRUE(send(file.substr(0, 1587)));
  ASSERT_TRUE(expect("\r\n+QFTPPUT:1587\r\n"));
  ASSERT_TRUE(command("AT+QFTPCFG=3,1587", "\r\nOK\r\n\r\n+QFTPCFG:0\r\n"));
  ASSERT_TRUE(command("AT+QFTPPUT=\"sscom.ini\",2000,200", "\r\nOK\r\n\r\nCONNECT\r\n"));
  ASSERT_TRUE(send(file.substr(1587)));
  ASSERT_TRUE(expect("\r\n+QFTPPUT:2000\r\n"));
  EXPECT_TRUE(same_bytes(server_file("sscom.ini"), file));
  EXPECT_TRUE(contains(fixture_commands(), "REST 1587"));
  // Ruling 7: the point is back to 0 after the transfer.
  EXPECT_TRUE(command("AT+QFTPCFG=3", "\r\nOK\r\n\r\n+QFTPCFG:0\r\n"));
}

// 4.4.2
TEST_F(Chapter4, Example442DownloadFromTheResumingPoint) {
  const std::string file = sscom_ini(3587);
  put_server_file("sscom.ini", file);
  ASSERT_TRUE(open_session());
  ASSERT_TRUE(command("AT+QFTPCFG=3,1587", "\r\nOK\r\n\r\n+QFTPCFG:0\r\n"));
  ASSERT_TRUE(command("AT+QFTPGET=\"sscom.ini\"",
                      "\r\nOK\r\n\r\nCONNECT\r\n" + file.substr(1587) + "\r\n+QFTPGET:2000\r\n"));
  EXPECT_TRUE(contains(fixture_commands(), "REST 1587"));
}

// 4.5
TEST_F(Chapter4, Example45CloseTheFtpService) {
  ASSERT_TRUE(open_session());
  ASSERT_TRUE(command("AT+QFTPCLOSE", "\r\nOK\r\n"));
  ASSERT_TRUE(expect("\r\n+QFTPCLOSE:0\r\n"));
  EXPECT_TRUE(command("AT+QIDEACT", "\r\nDEACT OK\r\n"));
  EXPECT_TRUE(contains(fixture_commands(), "QUIT"));
  EXPECT_EQ(stat(), "CLOSED");
}

// 4.5, last paragraph: an idle session gets 421 from the server, then the server hangs up.
TEST_F(Chapter4, Example45IdleServerGives421ThenSessionClosed) {
  ASSERT_TRUE(open_session());
  fault("IDLE 300");
  ASSERT_TRUE(expect("\r\n+QFTPERROR:-421\r\n\r\n+QFTPERROR:-6\r\n"));
  EXPECT_EQ(stat(), "CLOSED");
  // What the spec recommends after the two reports.
  EXPECT_TRUE(command("AT+QFTPCLOSE", "\r\nOK\r\n\r\n+QFTPCLOSE:0\r\n"));
  expect_usable();
}

}  // namespace
}  // namespace qftp::e2e
