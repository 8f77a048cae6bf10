// The FTP commands after V1.1 and the start-up commands (docs/field-facts.md §5, §7) on the
// virtual modem: off in the default profile (ruling 13), on in the shipped field profiles.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/modem/device_profile.h"
#include "testing/virtual_modem.h"

namespace {

using qftp::modem::DeviceProfile;
using qftp::modem::NetworkEvent;
using qftp::testing::VirtualModem;

DeviceProfile shipped(const std::string& name) {
  std::ifstream in(std::filesystem::path(QFTP_PROFILE_DIR) / name);
  std::stringstream s;
  s << in.rdbuf();
  auto parsed = qftp::modem::parse_profile(s.str());
  if (const auto* reason = std::get_if<std::string>(&parsed)) throw std::runtime_error(*reason);
  return std::get<DeviceProfile>(std::move(parsed));
}

class FieldFtp : public ::testing::Test {
 protected:
  explicit FieldFtp(const char* profile = "m95-field.profile") : modem(shipped(profile)) {
    modem.send("ATE0\r");
    modem.take_output();
    modem.server().dirs.insert("/pub");
    modem.server().files["/fw.bin"] = std::string(1587, 'f');
    modem.server().files["/pub/a.txt"] = "alpha";
  }
  std::string at(const std::string& line) {
    modem.send(line + "\r");
    return modem.take_output();
  }
  void open() {
    ASSERT_EQ(at("AT+QFTPUSER=\"quectel\""), "\r\nOK\r\n");
    ASSERT_EQ(at("AT+QFTPPASS=\"123456\""), "\r\nOK\r\n");
    ASSERT_EQ(at("AT+QFTPOPEN=\"h\",21"), "\r\nOK\r\n\r\n+QFTPOPEN:0\r\n");
  }
  VirtualModem modem;
};

class Mc60Field : public FieldFtp {
 protected:
  Mc60Field() : FieldFtp("mc60-field.profile") {}
};

TEST(FieldOff, TheDefaultProfileKnowsNoneOfThem) {
  VirtualModem modem;
  modem.send("ATE0\r");
  modem.take_output();
  for (const char* line :
       {"AT+QFTPSIZE=\"f\"", "AT+QFTPDELETE=\"f\"", "AT+QFTPRENAME=\"a\",\"b\"", "AT+QFTPMKDIR=\"d\"",
        "AT+QFTPRMDIR=\"d\"", "AT+QFTPLIST", "AT+QFTPNLST=\"d\"", "AT+QFTPSIZE=?",
        "AT+QFTPGET=\"f\",10", "AT+QFTPCFG=6,1", "ATS0=0", "ATS0?", "AT+CREG=1", "AT+CGREG=1",
        "AT+CLIP=1", "AT+COLP=0", "AT+COPS?", "AT+QILOCIP"}) {
    modem.send(std::string(line) + "\r");
    EXPECT_EQ(modem.take_output(), "\r\nERROR\r\n") << line;
  }
}

TEST_F(FieldFtp, SizeAsksTheServerInBinaryType) {
  EXPECT_EQ(at("AT+QFTPSIZE=?"), "\r\n+QFTPSIZE: \"FILE NAME\"\r\n\r\nOK\r\n");
  EXPECT_EQ(at("AT+QFTPSIZE=\"fw.bin\""), "\r\nOK\r\n\r\n+QFTPSIZE:-1\r\n");  // no session: R/10
  open();
  EXPECT_EQ(at("AT+QFTPSIZE=\"fw.bin\""), "\r\nOK\r\n\r\n+QFTPSIZE:1587\r\n");
  const auto& log = modem.server().log;
  ASSERT_GE(log.size(), 2u);
  EXPECT_EQ(log[log.size() - 2], "TYPE I");
  EXPECT_EQ(log.back(), "SIZE fw.bin");
  EXPECT_EQ(at("AT+QFTPSIZE=\"missing\""), "\r\nOK\r\n\r\n+QFTPSIZE:-550\r\n");
  EXPECT_EQ(at("AT+QFTPSIZE=\"\""), "\r\nOK\r\n\r\n+QFTPSIZE:-10\r\n");
  EXPECT_EQ(at("AT+QFTPSIZE"), "\r\nERROR\r\n");
  EXPECT_EQ(at("AT+QFTPSIZE=\"a\",\"b\""), "\r\nERROR\r\n");
  EXPECT_EQ(at("AT+QFTPSIZE=\"" + std::string(51, 'n') + "\""), "\r\nERROR\r\n");
  EXPECT_EQ(at("AT+QFTPSTAT"), "\r\n+QFTPSTAT: OPENED\r\n\r\nOK\r\n");
}

TEST_F(FieldFtp, DeleteRenameMkdirRmdirChangeTheServer) {
  open();
  auto& server = modem.server();
  EXPECT_EQ(at("AT+QFTPMKDIR=\"new\""), "\r\nOK\r\n\r\n+QFTPMKDIR:0\r\n");
  EXPECT_EQ(server.dirs.count("/new"), 1u);
  EXPECT_EQ(at("AT+QFTPMKDIR=\"new\""), "\r\nOK\r\n\r\n+QFTPMKDIR:-550\r\n");
  EXPECT_EQ(at("AT+QFTPRENAME=\"fw.bin\",\"new/fw2.bin\""), "\r\nOK\r\n\r\n+QFTPRENAME:0\r\n");
  EXPECT_EQ(server.files.count("/fw.bin"), 0u);
  EXPECT_EQ(server.files["/new/fw2.bin"].size(), 1587u);
  EXPECT_EQ(at("AT+QFTPRENAME=\"missing\",\"x\""), "\r\nOK\r\n\r\n+QFTPRENAME:-550\r\n");
  EXPECT_EQ(at("AT+QFTPRMDIR=\"new\""), "\r\nOK\r\n\r\n+QFTPRMDIR:-550\r\n");  // not empty
  EXPECT_EQ(at("AT+QFTPDELETE=\"new/fw2.bin\""), "\r\nOK\r\n\r\n+QFTPDELETE:0\r\n");
  EXPECT_TRUE(server.files.count("/new/fw2.bin") == 0);
  EXPECT_EQ(at("AT+QFTPDELETE=\"new/fw2.bin\""), "\r\nOK\r\n\r\n+QFTPDELETE:-550\r\n");
  EXPECT_EQ(at("AT+QFTPRMDIR=\"new\""), "\r\nOK\r\n\r\n+QFTPRMDIR:0\r\n");
  EXPECT_EQ(server.dirs.count("/new"), 0u);
  EXPECT_EQ(at("AT+QFTPRENAME=\"pub\",\"pub2\""), "\r\nOK\r\n\r\n+QFTPRENAME:0\r\n");  // a folder
  EXPECT_EQ(server.files["/pub2/a.txt"], "alpha");
  EXPECT_EQ(at("AT+QFTPRENAME=?"), "\r\n+QFTPRENAME: \"OLD NAME\",\"NEW NAME\"\r\n\r\nOK\r\n");
  EXPECT_EQ(at("AT+QFTPRENAME=\"a\""), "\r\nERROR\r\n");
}

TEST_F(FieldFtp, AnOperationWhileAnotherRunsIsBusy) {
  open();
  modem.fault("DELAY SIZE 3600000");
  EXPECT_EQ(at("AT+QFTPSIZE=\"fw.bin\""), "\r\nOK\r\n");
  EXPECT_EQ(at("AT+QFTPSTAT"), "\r\n+QFTPSTAT: WORKING\r\n\r\nOK\r\n");
  EXPECT_EQ(at("AT+QFTPDELETE=\"fw.bin\""), "\r\nOK\r\n\r\n+QFTPDELETE:-3\r\n");
  modem.advance(30000);
  EXPECT_EQ(modem.take_output(), "\r\n+QFTPSIZE:-9\r\n");
}

TEST_F(FieldFtp, ListingsComeThroughTheUartLikeADownload) {
  open();
  EXPECT_EQ(at("AT+QFTPNLST=\"pub\""), "\r\nOK\r\n\r\nCONNECT\r\na.txt\r\n\r\n+QFTPNLST:7\r\n");
  EXPECT_EQ(modem.server().log.back(), "NLST pub");
  EXPECT_EQ(at("AT+QFTPLEN"), "\r\n+QFTPLEN: 7\r\n\r\nOK\r\n");
  const std::string list = at("AT+QFTPLIST");
  EXPECT_NE(list.find("CONNECT\r\n"), std::string::npos);
  EXPECT_NE(list.find("-rw-rw-rw-"), std::string::npos);
  EXPECT_NE(list.find(" fw.bin\r\n"), std::string::npos);
  EXPECT_NE(list.find("drwxrwxrwx"), std::string::npos);
  EXPECT_EQ(at("AT+QFTPNLST=\"missing\""), "\r\nOK\r\n\r\n+QFTPNLST:-550\r\n");
}

TEST_F(FieldFtp, ListingsGoIntoANamedRamFileAndKeepTheResumePoint) {
  open();
  EXPECT_EQ(at("AT+QFTPCFG=4,\"/RAM/ls.txt\""), "\r\nOK\r\n\r\n+QFTPCFG:0\r\n");
  EXPECT_EQ(at("AT+QFTPCFG=3,5"), "\r\nOK\r\n\r\n+QFTPCFG:0\r\n");
  EXPECT_EQ(at("AT+QFTPNLST"), "\r\nOK\r\n\r\n+QFTPNLST:13\r\n");
  EXPECT_EQ(modem.ram().files().at("ls.txt"), "fw.bin\r\npub\r\n");
  EXPECT_EQ(at("AT+QFTPCFG=3"), "\r\nOK\r\n\r\n+QFTPCFG:5\r\n");
  EXPECT_EQ(at("AT+QFTPCFG=4,\"/RAM/\""), "\r\nOK\r\n\r\n+QFTPCFG:0\r\n");
  EXPECT_EQ(at("AT+QFTPNLST"), "\r\nOK\r\n\r\n+QFTPNLST:-10\r\n");  // no local name
}

TEST_F(FieldFtp, GetTakesTheExpectedSizeAndRefusesWhatRamCannotHold) {
  open();
  EXPECT_EQ(at("AT+QFTPCFG=4,\"/RAM/\""), "\r\nOK\r\n\r\n+QFTPCFG:0\r\n");
  EXPECT_EQ(at("AT+QFTPGET=\"fw.bin\",1587"), "\r\nOK\r\n\r\n+QFTPGET:1587\r\n");
  EXPECT_EQ(modem.ram().files().at("fw.bin"), std::string(1587, 'f'));
  EXPECT_EQ(at("AT+QFTPGET=\"fw.bin\",102401"), "\r\nOK\r\n\r\n+QFTPGET:-13\r\n");
  modem.server().files["/big.bin"] = std::string(102401, 'b');
  EXPECT_EQ(at("AT+QFTPGET=\"big.bin\""), "\r\nOK\r\n\r\n+QFTPGET:-13\r\n");
  EXPECT_EQ(at("AT+QFTPGET=\"fw.bin\",-1"), "\r\nERROR\r\n");
  EXPECT_EQ(at("AT+QFTPGET=\"fw.bin\",1,2"), "\r\nERROR\r\n");
}

TEST_F(FieldFtp, WithoutTheSwitchAFullRamIsStillMinus1) {
  DeviceProfile p = shipped("m95-field.profile");
  p.out_of_memory_code = false;
  VirtualModem v1(p);
  v1.server().files["/big.bin"] = std::string(102401, 'b');
  v1.send("ATE0\rAT+QFTPOPEN=\"h\",21\rAT+QFTPCFG=4,\"/RAM/\"\r");
  v1.take_output();
  v1.send("AT+QFTPGET=\"big.bin\"\r");
  EXPECT_EQ(v1.take_output(), "\r\nOK\r\n\r\n+QFTPGET:-1\r\n");  // R/13
}

TEST_F(FieldFtp, TypeSixIsUnknownOnTheM95) {
  EXPECT_EQ(at("AT+QFTPCFG=6,1"), "\r\nERROR\r\n");
}

TEST_F(Mc60Field, TypeSixIsAcceptedAndReadBack) {
  EXPECT_EQ(at("AT+QFTPCFG=?"), "\r\n+QFTPCFG: (1-4)\r\n\r\nOK\r\n");  // as 2.2.8/01
  EXPECT_EQ(at("AT+QFTPCFG=6,1"), "\r\nOK\r\n\r\n+QFTPCFG:0\r\n");
  EXPECT_EQ(at("AT+QFTPCFG=6"), "\r\nOK\r\n\r\n+QFTPCFG:1\r\n");
  EXPECT_EQ(at("AT+QFTPCFG=6,2"), "\r\nERROR\r\n");
  EXPECT_EQ(at("AT+QFTPCFG=5,1"), "\r\nERROR\r\n");
  EXPECT_EQ(at("AT+QFTPSTAT"), "\r\n+QFTPSTAT:IDLE\r\n\r\nOK\r\n");  // the RIL's spacing
}

TEST_F(FieldFtp, StartUpCommandsAnswerAsTheM66ManualSays) {
  EXPECT_EQ(at("ATS0=0"), "\r\nOK\r\n");
  EXPECT_EQ(at("ATS0=3"), "\r\nOK\r\n");
  EXPECT_EQ(at("ATS0?"), "\r\n3\r\n\r\nOK\r\n");
  EXPECT_EQ(at("ATS0=256"), "\r\nERROR\r\n");
  EXPECT_EQ(at("AT+CREG?"), "\r\n+CREG: 0,1\r\n\r\nOK\r\n");
  EXPECT_EQ(at("AT+CREG=1"), "\r\nOK\r\n");
  EXPECT_EQ(at("AT+CGREG=1"), "\r\nOK\r\n");
  EXPECT_EQ(at("AT+CREG=3"), "\r\nERROR\r\n");
  EXPECT_EQ(at("AT+CLIP=1"), "\r\nOK\r\n");
  EXPECT_EQ(at("AT+CLIP?"), "\r\n+CLIP: 1,1\r\n\r\nOK\r\n");
  EXPECT_EQ(at("AT+COLP=0"), "\r\nOK\r\n");
  EXPECT_EQ(at("AT+COLP?"), "\r\n+COLP: 0,1\r\n\r\nOK\r\n");
  EXPECT_EQ(at("AT+COPS?"), "\r\n+COPS: 0,0,\"CHINA MOBILE\"\r\n\r\nOK\r\n");
  EXPECT_EQ(at("AT+QILOCIP"), "\r\nERROR\r\n");
  EXPECT_EQ(at("AT+QIACT"), "\r\nOK\r\n");
  EXPECT_EQ(at("AT+QILOCIP"), "\r\n10.76.1.23\r\n");
  modem.deliver({NetworkEvent{modem.now(), NetworkEvent::Kind::registration_lost}});
  EXPECT_EQ(modem.take_output(), "\r\n+CREG: 2\r\n\r\n+CGREG: 2\r\n");
  EXPECT_EQ(at("AT+CREG?"), "\r\n+CREG: 1,2\r\n\r\nOK\r\n");
  EXPECT_EQ(at("AT+CGREG=0"), "\r\nOK\r\n");
  modem.deliver({NetworkEvent{modem.now(), NetworkEvent::Kind::registration_back}});
  EXPECT_EQ(modem.take_output(), "\r\n+CREG: 1\r\n");
}

TEST_F(FieldFtp, PipelinedLinesRunInOrderAndUrcsFollowTheirLine) {
  open();
  // Two lines in one write: the second waits for the first; each URC follows its line's OK.
  modem.send("AT+QFTPSIZE=\"fw.bin\"\nAT+QFTPSTAT\n");
  EXPECT_EQ(modem.take_output(),
            "\r\nOK\r\n\r\n+QFTPSTAT: WORKING\r\n\r\nOK\r\n\r\n+QFTPSIZE:1587\r\n");
}

// The server model's directives act on the field commands' verbs as on any other (the fixture's
// vocabulary, fixtures/tests/test_field_verbs.py): the URC carries the negated reply (ruling 9).
TEST_F(FieldFtp, ServerDirectivesOnTheFieldVerbsGiveTheirCodes) {
  open();
  modem.fault("REPLY SIZE 550 times=1");
  EXPECT_EQ(at("AT+QFTPSIZE=\"fw.bin\""), "\r\nOK\r\n\r\n+QFTPSIZE:-550\r\n");
  modem.fault("REPLY DELE 450 times=1");
  EXPECT_EQ(at("AT+QFTPDELETE=\"fw.bin\""), "\r\nOK\r\n\r\n+QFTPDELETE:-450\r\n");
  EXPECT_EQ(modem.server().files.count("/fw.bin"), 1u);
  modem.fault("REPLY RNTO 553 times=1");
  EXPECT_EQ(at("AT+QFTPRENAME=\"fw.bin\",\"x.bin\""), "\r\nOK\r\n\r\n+QFTPRENAME:-553\r\n");
  EXPECT_EQ(modem.server().files.count("/fw.bin"), 1u);
  modem.fault("REPLY MKD 550 times=1");
  EXPECT_EQ(at("AT+QFTPMKDIR=\"d\""), "\r\nOK\r\n\r\n+QFTPMKDIR:-550\r\n");
  modem.fault("REPLY RMD 550 times=1");
  EXPECT_EQ(at("AT+QFTPRMDIR=\"pub\""), "\r\nOK\r\n\r\n+QFTPRMDIR:-550\r\n");
  // Once each: the same commands then succeed.
  EXPECT_EQ(at("AT+QFTPSIZE=\"fw.bin\""), "\r\nOK\r\n\r\n+QFTPSIZE:1587\r\n");
  EXPECT_EQ(at("AT+QFTPRENAME=\"fw.bin\",\"x.bin\""), "\r\nOK\r\n\r\n+QFTPRENAME:0\r\n");
}

}  // namespace
