// The FILE commands (docs/field-facts.md §6) on the virtual modem with the m95-field profile: RAM
// and UFS names, handles, CONNECT reads, +CME ERROR under AT+CMEE, and the one RAM store that FTP
// downloads into and the FILE commands read.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/modem/device_profile.h"
#include "core/modem/file_checksum.h"
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
                           "AT+QFCLOSE=1", "AT+QFDEL=\"RAM:a\"", "AT+QFDWL=\"a\"", "AT+QFLDS",
                           "AT+QFWRITE=1,10", "AT+QFUPL=\"a\",10", "AT+QFMOV=\"a\",\"b\",1,1"}) {
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

// F/FILE.QFWRITE: CONNECT, the bytes over the file at the handle's position, then
// +QFWRITE: <written>,<file size>; the bytes after <length> are command-mode input again.
TEST_F(FileCommands, WriteOverwritesAtThePositionAndReportsTheSize) {
  modem.ufs().put("w", "abcdef");
  EXPECT_EQ(at("AT+QFOPEN=\"w\""), "\r\n+QFOPEN: 12451840\r\n\r\nOK\r\n");
  EXPECT_EQ(at("AT+QFSEEK=12451840,2"), "\r\nOK\r\n");
  EXPECT_EQ(at("AT+QFWRITE=12451840,3"), "\r\nCONNECT\r\n");
  EXPECT_TRUE(modem.engine().in_data_mode());
  modem.send("XYZAT\r");
  EXPECT_EQ(modem.take_output(), "\r\n+QFWRITE: 3,6\r\n\r\nOK\r\n\r\nOK\r\n");
  EXPECT_EQ(modem.ufs().files().at("w"), "abXYZf");
  EXPECT_EQ(at("AT+QFPOSITION=12451840"), "\r\n+QFPOSITION: 5\r\n\r\nOK\r\n");
  EXPECT_EQ(at("AT+QFWRITE=12451840,4"), "\r\nCONNECT\r\n");
  modem.send("1234");
  EXPECT_EQ(modem.take_output(), "\r\n+QFWRITE: 4,9\r\n\r\nOK\r\n");  // past the old end
  EXPECT_EQ(modem.ufs().files().at("w"), "abXYZ1234");
}

TEST_F(FileCommands, WriteEndsAfterItsIdleTimeout) {
  EXPECT_EQ(at("AT+QFOPEN=\"RAM:t\""), "\r\n+QFOPEN: 12451840\r\n\r\nOK\r\n");
  EXPECT_EQ(at("AT+QFWRITE=12451840,100,2"), "\r\nCONNECT\r\n");
  modem.send("hi");
  modem.advance(1500);
  modem.send("!");  // the timeout counts from the latest byte
  modem.advance(1999);
  EXPECT_EQ(modem.take_output(), "");
  modem.advance(1);
  EXPECT_EQ(modem.take_output(), "\r\n+QFWRITE: 3,3\r\n\r\nOK\r\n");
  EXPECT_EQ(modem.ram().files().at("t"), "hi!");
}

// Ruling 17: the escape ends the write; what came before it stays.
TEST_F(FileCommands, TheEscapeEndsAWrite) {
  EXPECT_EQ(at("AT+QFOPEN=\"e\",1"), "\r\n+QFOPEN: 12451840\r\n\r\nOK\r\n");
  EXPECT_EQ(at("AT+QFWRITE=12451840"), "\r\nCONNECT\r\n");
  modem.send("data+");  // a lone '+' is data
  modem.advance(600);
  modem.send("+++");
  modem.advance(600);
  EXPECT_EQ(modem.take_output(), "\r\n+QFWRITE: 5,5\r\n\r\nOK\r\n");
  EXPECT_EQ(modem.ufs().files().at("e"), "data+");
  EXPECT_FALSE(modem.engine().in_data_mode());
}

// F/37 (ruling 17): a RAM file AT+QFOPEN creates takes at most its <length> bytes through the
// handle; the bytes past it are taken from the host and discarded, and <written> counts the rest.
TEST_F(FileCommands, ARamFileTheOpenCreatesStopsAtItsLength) {
  EXPECT_EQ(at("AT+QFOPEN=\"RAM:c\",1,5"), "\r\n+QFOPEN: 12451840\r\n\r\nOK\r\n");
  EXPECT_EQ(at("AT+QFWRITE=12451840,8"), "\r\nCONNECT\r\n");
  modem.send("0123ATZ\rAT\r");  // bytes 6-8 ("TZ\r") are discarded, not run
  EXPECT_EQ(modem.take_output(), "\r\n+QFWRITE: 5,5\r\n\r\nOK\r\n\r\nOK\r\n");
  EXPECT_EQ(modem.ram().files().at("c"), "0123A");
  EXPECT_EQ(at("AT+QFPOSITION=12451840"), "\r\n+QFPOSITION: 5\r\n\r\nOK\r\n");
  EXPECT_EQ(at("AT+QFWRITE=12451840,2"), "\r\nCONNECT\r\n");
  modem.send("xy");
  EXPECT_EQ(modem.take_output(), "\r\n+QFWRITE: 0,5\r\n\r\nOK\r\n");  // full
  EXPECT_EQ(at("AT+QFSEEK=12451840,3"), "\r\nOK\r\n");
  EXPECT_EQ(at("AT+QFWRITE=12451840,4"), "\r\nCONNECT\r\n");
  modem.send("WXYZ");
  EXPECT_EQ(modem.take_output(), "\r\n+QFWRITE: 2,5\r\n\r\nOK\r\n");  // over bytes 3-4
  EXPECT_EQ(modem.ram().files().at("c"), "012WX");
  EXPECT_EQ(at("AT+QFCLOSE=12451840"), "\r\nOK\r\n");
}

// F/37: without <length> the cap is 10240; a RAM file that was there, and a UFS file, have none;
// a byte that waited in the escape detector is capped as the others are.
TEST_F(FileCommands, TheLengthCapIsTheDefaultForNewRamFilesOnly) {
  EXPECT_EQ(at("AT+QFOPEN=\"RAM:d\""), "\r\n+QFOPEN: 12451840\r\n\r\nOK\r\n");
  EXPECT_EQ(at("AT+QFWRITE=12451840,10241"), "\r\nCONNECT\r\n");
  modem.send(std::string(10241, 'r'));
  EXPECT_EQ(modem.take_output(), "\r\n+QFWRITE: 10240,10240\r\n\r\nOK\r\n");
  modem.ram().put("old", "abc");
  EXPECT_EQ(at("AT+QFOPEN=\"RAM:old\",0,2"), "\r\n+QFOPEN: 12451841\r\n\r\nOK\r\n");
  EXPECT_EQ(at("AT+QFWRITE=12451841,4"), "\r\nCONNECT\r\n");
  modem.send("1234");
  EXPECT_EQ(modem.take_output(), "\r\n+QFWRITE: 4,4\r\n\r\nOK\r\n");
  EXPECT_EQ(at("AT+QFOPEN=\"u\",1,2"), "\r\n+QFOPEN: 12451842\r\n\r\nOK\r\n");
  EXPECT_EQ(at("AT+QFWRITE=12451842,4"), "\r\nCONNECT\r\n");
  modem.send("1234");
  EXPECT_EQ(modem.take_output(), "\r\n+QFWRITE: 4,4\r\n\r\nOK\r\n");
  EXPECT_EQ(at("AT+QFOPEN=\"RAM:e\",1,2"), "\r\n+QFOPEN: 12451843\r\n\r\nOK\r\n");
  EXPECT_EQ(at("AT+QFWRITE=12451843"), "\r\nCONNECT\r\n");
  modem.send("ab");
  modem.advance(600);
  modem.send("+");
  modem.advance(6000);  // the '+' that waited as an escape in the making is data, past the cap
  EXPECT_EQ(modem.take_output(), "\r\n+QFWRITE: 2,2\r\n\r\nOK\r\n");
  EXPECT_EQ(modem.ram().files().at("e"), "ab");
}

TEST_F(FileCommands, WriteNeedsAWritableHandle) {
  modem.ufs().put("r", "x");
  EXPECT_EQ(at("AT+QFOPEN=\"r\",2"), "\r\n+QFOPEN: 12451840\r\n\r\nOK\r\n");
  EXPECT_EQ(at("AT+QFWRITE=12451840,1"), "\r\n+CME ERROR: 3923\r\n");
  EXPECT_EQ(at("AT+QFWRITE=1,1"), "\r\n+CME ERROR: 3765\r\n");
  EXPECT_EQ(at("AT+QFWRITE=12451840,0"), "\r\n+CME ERROR: 3765\r\n");
  EXPECT_EQ(at("AT+QFWRITE=?"), "\r\nOK\r\n");
}

// F/FILE.QFUPL: <size> bytes, then +QFUPL: <bytes>,<checksum>; a LF after the line's CR is the
// line's, not data.
TEST_F(FileCommands, UploadCreatesTheFileWithItsChecksum) {
  modem.send("AT+QFUPL=\"RAM:u\",5\r\n");
  EXPECT_EQ(modem.take_output(), "\r\nCONNECT\r\n");
  modem.send("12345AT\r");
  // 0x3132 ^ 0x3334 ^ 0x3500 = 0x3706
  EXPECT_EQ(modem.take_output(), "\r\n+QFUPL: 5,3706\r\n\r\nOK\r\n\r\nOK\r\n");
  EXPECT_EQ(modem.ram().files().at("u"), "12345");
  EXPECT_EQ(at("AT+QFUPL=\"RAM:u\",5"), "\r\n+CME ERROR: 3921\r\n");  // it exists
  EXPECT_EQ(at("AT+QFUPL=\"RAM:*\""), "\r\n+CME ERROR: 3920\r\n");
  EXPECT_EQ(at("AT+QFUPL=\"v\",5,1,2"), "\r\n+CME ERROR: 3765\r\n");
}

TEST_F(FileCommands, UploadInAckModeAcknowledgesEvery1024Bytes) {
  EXPECT_EQ(at("AT+QFUPL=\"big\",2500,5,1"), "\r\nCONNECT\r\n");
  const std::string data(2500, 'd');
  modem.send(data.substr(0, 1000));
  EXPECT_EQ(modem.take_output(), "");
  modem.send(data.substr(1000, 1000));
  EXPECT_EQ(modem.take_output(), "A");
  modem.send(data.substr(2000, 100));
  EXPECT_EQ(modem.take_output(), "A");
  modem.send(data.substr(2100));
  EXPECT_EQ(modem.take_output(), "\r\n+QFUPL: 2500,0\r\n\r\nOK\r\n");  // pairs of equal bytes
  EXPECT_EQ(modem.ufs().files().at("big"), data);
}

TEST_F(FileCommands, UploadEndsByTheEscapeOrTheTimeoutKeepingItsBytes) {
  EXPECT_EQ(at("AT+QFUPL=\"a\",100"), "\r\nCONNECT\r\n");
  modem.send("ab");
  modem.advance(600);
  modem.send("+++");
  modem.advance(600);
  EXPECT_EQ(modem.take_output(), "\r\n+QFUPL: 2,6162\r\n\r\nOK\r\n");
  EXPECT_EQ(at("AT+QFUPL=\"b\",100,1"), "\r\nCONNECT\r\n");
  modem.send("c");
  modem.advance(1000);
  EXPECT_EQ(modem.take_output(), "\r\n+QFUPL: 1,6300\r\n\r\nOK\r\n");
  EXPECT_EQ(modem.ufs().files().at("a"), "ab");
  EXPECT_EQ(modem.ufs().files().at("b"), "c");
}

// F/FILE.QFMOV
TEST_F(FileCommands, MoveAndCopyFiles) {
  modem.ufs().put("src", "payload");
  modem.ufs().put("dst", "old");
  EXPECT_EQ(at("AT+QFMOV=\"src\",\"dst\",1,0"), "\r\n+CME ERROR: 3921\r\n");
  EXPECT_EQ(at("AT+QFMOV=\"src\",\"dst\",1,1"), "\r\nOK\r\n");
  EXPECT_EQ(modem.ufs().files().at("dst"), "payload");
  EXPECT_EQ(modem.ufs().files().count("src"), 1u);  // a copy keeps the source
  EXPECT_EQ(at("AT+QFMOV=\"src\",\"moved\",0,0"), "\r\nOK\r\n");
  EXPECT_EQ(modem.ufs().files().count("src"), 0u);
  EXPECT_EQ(modem.ufs().files().at("moved"), "payload");
  EXPECT_EQ(at("AT+QFMOV=\"src\",\"x\",0,0"), "\r\n+CME ERROR: 3919\r\n");
  EXPECT_EQ(at("AT+QFMOV=\"moved\",\"RAM:m\",1,1"), "\r\n+CME ERROR: 3765\r\n");  // not into RAM
  modem.ram().put("r", "ram");
  EXPECT_EQ(at("AT+QFMOV=\"RAM:r\",\"fromram\",0,0"), "\r\nOK\r\n");
  EXPECT_EQ(modem.ufs().files().at("fromram"), "ram");
  EXPECT_EQ(at("AT+QFMOV=\"moved\",\"y\",1"), "\r\n+CME ERROR: 3765\r\n");
}

// Ruling 17: a long read goes out at the UART's rate; the escape ends it with the count and the
// checksum of what was sent, and a line typed meanwhile runs after it.
TEST_F(FileCommands, TheEscapeEndsADownload) {
  std::string body;
  for (int i = 0; i < 20000; ++i) body += static_cast<char>('a' + i % 26);
  modem.ram().put("long", body);
  modem.send("AT+QFDWL=\"RAM:long\"\r");
  std::string out = modem.take_output();
  ASSERT_EQ(out.substr(0, 11), "\r\nCONNECT\r\n");
  EXPECT_EQ(out.size(), 11u + 1024u) << "the first burst";
  modem.advance(600);
  modem.send("+++");
  modem.advance(600);
  out += modem.take_output();
  const auto trailer = out.find("\r\n+QFDWL: ");
  ASSERT_NE(trailer, std::string::npos);
  const std::string sent = out.substr(11, trailer - 11);
  EXPECT_LT(sent.size(), body.size());
  EXPECT_GT(sent.size(), 1024u);
  EXPECT_EQ(sent, body.substr(0, sent.size()));
  EXPECT_EQ(out.substr(trailer), "\r\n+QFDWL: " + std::to_string(sent.size()) + "," +
                                     qftp::modem::file_checksum(sent) + "\r\n\r\nOK\r\n");
  EXPECT_FALSE(modem.engine().in_data_mode());
}

TEST_F(FileCommands, ALongReadCompletesAndKeepsALineTypedMeanwhile) {
  std::string body(5000, 'r');
  modem.ufs().put("r", body);
  EXPECT_EQ(at("AT+QFOPEN=\"r\",2"), "\r\n+QFOPEN: 12451840\r\n\r\nOK\r\n");
  modem.send("AT+QFREAD=12451840,4000\rAT+QFPOSITION=12451840\r");
  modem.advance(10000);
  EXPECT_EQ(modem.take_output(), "\r\nCONNECT 4000\r\n" + body.substr(0, 4000) +
                                     "\r\nOK\r\n\r\n+QFPOSITION: 4000\r\n\r\nOK\r\n");
}

// F/34: a profile with the FILE manual's 40xx set reports the same failures in it.
TEST(FileErrors40xx, TheProfileChoosesTheCodeSet) {
  DeviceProfile p = m95_field();
  p.file_errors_40xx = true;
  VirtualModem modem(p);
  modem.send("ATE0\r");
  modem.take_output();
  auto at = [&](const std::string& line) {
    modem.send(line + "\r");
    return modem.take_output();
  };
  EXPECT_EQ(at("AT+QFDWL=\"RAM:none\""), "\r\n+CME ERROR: 4010\r\n");
  EXPECT_EQ(at("AT+QFOPEN=\"RAM:a\",7"), "\r\n+CME ERROR: 4013\r\n");
  modem.ufs().put("a", "1");
  modem.ufs().put("b", "2");
  EXPECT_EQ(at("AT+QFMOV=\"a\",\"b\",1,0"), "\r\n+CME ERROR: 4012\r\n");
  EXPECT_EQ(at("AT+CMEE=2"), "\r\nOK\r\n");
  EXPECT_EQ(at("AT+QFMOV=\"a\",\"b\",1,0"), "\r\n+CME ERROR: file exists\r\n");
  EXPECT_EQ(at("AT+QFOPEN=\"RAM:a\",7"), "\r\n+CME ERROR: invalid parameter\r\n");
}

TEST(FileDefects, QfwriteAppendsIgnoresThePosition) {
  qftp::modem::DefectSet defects;
  defects.add(qftp::modem::Defect::qfwrite_appends);
  VirtualModem modem(m95_field(), defects);
  modem.send("ATE0\r");
  modem.ufs().put("w", "abcdef");
  modem.send("AT+QFOPEN=\"w\"\rAT+QFWRITE=12451840,2\r");
  modem.send("XY");
  EXPECT_EQ(modem.take_output(), "ATE0\r\r\nOK\r\n\r\n+QFOPEN: 12451840\r\n\r\nOK\r\n\r\nCONNECT\r\n\r\n+QFWRITE: 2,8\r\n\r\nOK\r\n");
  EXPECT_EQ(modem.ufs().files().at("w"), "abcdefXY");
}

// Ruling 17: an FTP download into RAM that ends during AT+QFWRITE's data mode leaves that data
// mode alone, its URC after; a FILE command that needs the UART while an FTP transfer through /COM/
// waits for its data connection answers ERROR.
TEST_F(FileCommands, FtpTransfersAndFileDataModeKeepApart) {
  modem.server().files["/fw.bin"] = std::string(300, 'f');
  EXPECT_EQ(at("AT+QFTPOPEN=\"h\",21"), "\r\nOK\r\n\r\n+QFTPOPEN:0\r\n");
  EXPECT_EQ(at("AT+QFTPCFG=4,\"/RAM/\""), "\r\nOK\r\n\r\n+QFTPCFG:0\r\n");
  EXPECT_EQ(at("AT+QFOPEN=\"w\",1"), "\r\n+QFOPEN: 12451840\r\n\r\nOK\r\n");
  // The GET into RAM runs on while the second line holds the UART in data mode.
  modem.send("AT+QFTPGET=\"fw.bin\"\rAT+QFWRITE=12451840,3\r");
  modem.advance(100);
  EXPECT_EQ(modem.take_output(), "\r\nOK\r\n\r\nCONNECT\r\n");
  EXPECT_TRUE(modem.engine().in_data_mode());
  EXPECT_EQ(modem.ram().files().at("fw.bin"), std::string(300, 'f'));
  modem.send("xyz");
  EXPECT_EQ(modem.take_output(), "\r\n+QFWRITE: 3,3\r\n\r\nOK\r\n\r\n+QFTPGET:300\r\n");
  EXPECT_EQ(modem.ufs().files().at("w"), "xyz");
  // Through /COM/: a FILE command in the same write as the GET finds the UART promised.
  EXPECT_EQ(at("AT+QFTPCFG=4,\"/COM/\""), "\r\nOK\r\n\r\n+QFTPCFG:0\r\n");
  modem.send("AT+QFTPGET=\"fw.bin\"\rAT+QFDWL=\"w\"\r");
  modem.advance(100);
  EXPECT_EQ(modem.take_output(), "\r\nOK\r\n\r\nERROR\r\n\r\nCONNECT\r\n" + std::string(300, 'f') +
                                     "\r\n+QFTPGET:300\r\n");
  EXPECT_FALSE(modem.engine().in_data_mode());
}

}  // namespace
