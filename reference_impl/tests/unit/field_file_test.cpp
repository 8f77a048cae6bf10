// The FILE commands (docs/field-facts.md §6) on the virtual modem with the m95-field profile: RAM
// and UFS names, handles, CONNECT reads, +CME ERROR under AT+CMEE, and the one RAM store that FTP
// downloads into and the FILE commands read.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/modem/device_profile.h"
#include "testing/virtual_modem.h"

namespace {

using qftp::modem::DeviceProfile;
using qftp::testing::VirtualModem;

DeviceProfile m95_field() {
  std::ifstream in(std::filesystem::path(QFTP_PROFILE_DIR) / "m95-field.profile");
  std::stringstream s;
  s << in.rdbuf();
  return std::get<DeviceProfile>(qftp::modem::parse_profile(s.str()));
}

class FileCommands : public ::testing::Test {
 protected:
  FileCommands() : modem(m95_field()) {
    modem.send("ATE0\r");
    modem.take_output();
  }
  std::string at(const std::string& line) {
    modem.send(line + "\r");
    return modem.take_output();
  }
  VirtualModem modem;
};

TEST(FileCommandsOff, TheDefaultProfileKnowsNone) {
  VirtualModem modem;
  modem.send("ATE0\r");
  modem.take_output();
  for (const char* line : {"AT+QFLST", "AT+QFOPEN=\"RAM:a\",2", "AT+QFREAD=1,10", "AT+QFSEEK=1,0,0",
                           "AT+QFCLOSE=1", "AT+QFDEL=\"RAM:a\"", "AT+QFDWL=\"a\"", "AT+QFLDS"}) {
    modem.send(std::string(line) + "\r");
    EXPECT_EQ(modem.take_output(), "\r\nERROR\r\n") << line;
  }
}

TEST_F(FileCommands, OpenSeekReadCloseARamFile) {
  modem.ram().put("fw.bin", "0123456789");
  EXPECT_EQ(at("AT+QFOPEN=\"RAM:fw.bin\",2"), "\r\n+QFOPEN: 12451840\r\n\r\nOK\r\n");
  EXPECT_EQ(at("AT+QFOPEN?"), "\r\n+QFOPEN: \"RAM:fw.bin\",12451840,2\r\n\r\nOK\r\n");
  EXPECT_EQ(at("AT+QFSEEK=12451840,4,0"), "\r\nOK\r\n");
  EXPECT_EQ(at("AT+QFREAD=12451840,3"), "\r\nCONNECT 3\r\n456\r\nOK\r\n");
  EXPECT_EQ(at("AT+QFPOSITION=12451840"), "\r\n+QFPOSITION: 7\r\n\r\nOK\r\n");
  EXPECT_EQ(at("AT+QFREAD=12451840,512"), "\r\nCONNECT 3\r\n789\r\nOK\r\n");  // the end
  EXPECT_EQ(at("AT+QFREAD=12451840,512"), "\r\nCONNECT 0\r\n\r\nOK\r\n");
  EXPECT_EQ(at("AT+QFSEEK=12451840,2,2"), "\r\n+CME ERROR: 3765\r\n");  // past the end
  EXPECT_EQ(at("AT+QFCLOSE=12451840"), "\r\nOK\r\n");
  EXPECT_EQ(at("AT+QFREAD=12451840,1"), "\r\n+CME ERROR: 3765\r\n");  // closed
}

TEST_F(FileCommands, PipelinedSeekAndReadBothRun) {
  modem.ram().put("f", "abcdef");
  EXPECT_EQ(at("AT+QFOPEN=\"RAM:f\",2"), "\r\n+QFOPEN: 12451840\r\n\r\nOK\r\n");
  modem.send("AT+QFSEEK=12451840,2,0\r\nAT+QFREAD=12451840,512\r\n");
  EXPECT_EQ(modem.take_output(), "\r\nOK\r\n\r\nCONNECT 4\r\ncdef\r\nOK\r\n");
}

TEST_F(FileCommands, MissingFilesAndCmeeModes) {
  EXPECT_EQ(at("AT+QFOPEN=\"RAM:none\",2"), "\r\n+CME ERROR: 3919\r\n");  // CMEE 1 by default
  EXPECT_EQ(at("AT+CMEE=2"), "\r\nOK\r\n");
  EXPECT_EQ(at("AT+QFDEL=\"RAM:none\""), "\r\n+CME ERROR: file not found\r\n");
  EXPECT_EQ(at("AT+CMEE=0"), "\r\nOK\r\n");
  EXPECT_EQ(at("AT+QFDWL=\"none\""), "\r\nERROR\r\n");
  EXPECT_EQ(at("AT+CMEE=1"), "\r\nOK\r\n");
  EXPECT_EQ(at("AT+QFOPEN=\"SD:x\""), "\r\n+CME ERROR: 3920\r\n");  // the M95 has no SD
  EXPECT_EQ(at("AT+QFOPEN=\"RAM:a/b\""), "\r\n+CME ERROR: 3920\r\n");
  // The FTP commands keep V1.1's bare ERROR for a format error (docs/field-facts.md §7).
  EXPECT_EQ(at("AT+QFTPSIZE=1"), "\r\nERROR\r\n");
}

TEST_F(FileCommands, ListDeleteAndDriveSpace) {
  modem.ram().put("a", "12345");
  modem.ram().put("b", "1");
  modem.ufs().put("u.txt", "xyz");
  EXPECT_EQ(at("AT+QFLST"), "\r\n+QFLST: \"u.txt\",3\r\n\r\nOK\r\n");
  EXPECT_EQ(at("AT+QFLST=\"RAM:*\""),
            "\r\n+QFLST: \"RAM:a\",5,102400\r\n\r\n+QFLST: \"RAM:b\",1,102400\r\n\r\nOK\r\n");
  EXPECT_EQ(at("AT+QFLDS"), "\r\n+QFLDS: 3,1\r\n\r\nOK\r\n");
  EXPECT_EQ(at("AT+QFLDS=\"RAM\""), "\r\n+QFLDS: 819194,819200,102400\r\n\r\nOK\r\n");
  EXPECT_EQ(at("AT+QFDEL=\"RAM:a\""), "\r\nOK\r\n");
  EXPECT_EQ(at("AT+QFLST=\"RAM:a\""), "\r\n+CME ERROR: 3919\r\n");
  EXPECT_EQ(at("AT+QFDEL=\"RAM:*\""), "\r\nOK\r\n");
  EXPECT_EQ(at("AT+QFLST=\"RAM:*\""), "\r\nOK\r\n");
  EXPECT_EQ(at("AT+QFLST=\"u.txt\""), "\r\n+QFLST: \"u.txt\",3\r\n\r\nOK\r\n");
}

TEST_F(FileCommands, DownloadWithItsChecksum) {
  modem.ufs().put("d.bin", std::string("\x12\x34\x56\x78\x9a", 5));
  // 0x1234 ^ 0x5678 ^ 0x9a00 = 0xde4c
  EXPECT_EQ(at("AT+QFDWL=\"d.bin\""),
            "\r\nCONNECT\r\n" + std::string("\x12\x34\x56\x78\x9a", 5) +
                "\r\n+QFDWL: 5,de4c\r\n\r\nOK\r\n");
}

TEST_F(FileCommands, CreateTruncateAndCut) {
  modem.ufs().put("w", "abcdef");
  EXPECT_EQ(at("AT+QFOPEN=\"w\""), "\r\n+QFOPEN: 12451840\r\n\r\nOK\r\n");  // mode 0 keeps it
  EXPECT_EQ(modem.ufs().files().at("w"), "abcdef");
  EXPECT_EQ(at("AT+QFSEEK=12451840,2"), "\r\nOK\r\n");
  EXPECT_EQ(at("AT+QFTUCAT=12451840"), "\r\nOK\r\n");
  EXPECT_EQ(modem.ufs().files().at("w"), "ab");
  EXPECT_EQ(at("AT+QFOPEN=\"w\",1"), "\r\n+QFOPEN: 12451841\r\n\r\nOK\r\n");
  EXPECT_EQ(modem.ufs().files().at("w"), "");
  EXPECT_EQ(at("AT+QFOPEN=\"new\",0"), "\r\n+QFOPEN: 12451842\r\n\r\nOK\r\n");
  EXPECT_EQ(modem.ufs().files().count("new"), 1u);
}

// docs/field-facts.md §8, the M95 driver: the FTP download into /RAM/ is the FILE commands' RAM:.
TEST_F(FileCommands, FtpRamDownloadIsReadBackThroughRamNames) {
  std::string body;
  for (int i = 0; i < 1300; ++i) body += static_cast<char>(i * 7);
  modem.server().files["/fw.bin"] = body;
  EXPECT_EQ(at("AT+QFTPOPEN=\"h\",21"), "\r\nOK\r\n\r\n+QFTPOPEN:0\r\n");
  EXPECT_EQ(at("AT+QFTPSIZE=\"fw.bin\""), "\r\nOK\r\n\r\n+QFTPSIZE:1300\r\n");
  EXPECT_EQ(at("AT+QFTPCFG=4,\"/RAM/\""), "\r\nOK\r\n\r\n+QFTPCFG:0\r\n");
  EXPECT_EQ(at("AT+QFTPGET=\"fw.bin\""), "\r\nOK\r\n\r\n+QFTPGET:1300\r\n");
  std::string read;
  for (std::size_t ofs = 0; ofs < body.size(); ofs += 512) {
    EXPECT_EQ(at("AT+QFOPEN=\"RAM:fw.bin\",2"), "\r\n+QFOPEN: " + std::to_string(12451840 + ofs / 512) +
                                                   "\r\n\r\nOK\r\n");
    const std::string h = std::to_string(12451840 + ofs / 512);
    modem.send("AT+QFSEEK=" + h + "," + std::to_string(ofs) + ",0\rAT+QFREAD=" + h + ",512\r");
    std::string out = modem.take_output();
    const std::string head = "\r\nOK\r\n\r\nCONNECT ";
    ASSERT_EQ(out.substr(0, head.size()), head);
    const auto eol = out.find("\r\n", head.size());
    const std::size_t n = std::stoul(out.substr(head.size(), eol - head.size()));
    read += out.substr(eol + 2, n);
    EXPECT_EQ(out.substr(eol + 2 + n), "\r\nOK\r\n");
    EXPECT_EQ(at("AT+QFCLOSE=" + h), "\r\nOK\r\n");
  }
  EXPECT_EQ(read, body);
}

}  // namespace
