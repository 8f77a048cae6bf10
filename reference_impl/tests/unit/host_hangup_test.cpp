// Ruling 15 in the engine: the end of a host's link (HostHangup) is DTR going off. Under AT&D1 (the
// power-up setting) and AT&D2 data mode ends as the escape ends it, with no OK and the final URC
// left for the next host; the half-typed line is forgotten; AT&D0 ignores it.
#include <gtest/gtest.h>

#include "testing/virtual_modem.h"

namespace {

using qftp::modem::HostHangup;
using qftp::testing::VirtualModem;

class HostHangupTest : public ::testing::Test {
 protected:
  HostHangupTest() {
    modem.send("ATE0\r");
    modem.take_output();
    EXPECT_EQ(at("AT+QFTPOPEN=\"ftp.example\",21"), "\r\nOK\r\n\r\n+QFTPOPEN:0\r\n");
  }

  std::string at(const std::string& line) {
    modem.send(line + "\r");
    return modem.take_output();
  }
  void hang_up() { modem.deliver({HostHangup{modem.now()}}); }

  // An upload of 1000 bytes through the UART, 300 of them sent, then the hang-up.
  void upload_then_hang_up() {
    ASSERT_EQ(at("AT+QFTPPUT=\"up.bin\",1000,60"), "\r\nOK\r\n\r\nCONNECT\r\n");
    modem.send(std::string(300, 'u'));
    hang_up();
    modem.advance(1000);
  }

  VirtualModem modem;
};

TEST_F(HostHangupTest, AnUploadKeepsWhatArrivedAndItsResultWaitsForTheNextHost) {
  upload_then_hang_up();
  EXPECT_FALSE(modem.engine().in_data_mode());
  EXPECT_EQ(modem.take_output(), "\r\n+QFTPPUT:300\r\n");  // no OK: nobody asked
  EXPECT_EQ(modem.server().files["/up.bin"], std::string(300, 'u'));
  EXPECT_EQ(at("AT"), "\r\nOK\r\n");
  EXPECT_EQ(at("AT+QFTPSTAT"), "\r\n+QFTPSTAT: OPENED\r\n\r\nOK\r\n");
}

TEST_F(HostHangupTest, ADownloadIsAbandoned) {
  modem.server().files["/down.bin"] = std::string(1000, 'd');
  modem.fault("STALL RETR 100 times=1");
  ASSERT_EQ(at("AT+QFTPGET=\"down.bin\""), "\r\nOK\r\n\r\nCONNECT\r\n" + std::string(100, 'd'));
  hang_up();
  modem.advance(1000);
  EXPECT_FALSE(modem.engine().in_data_mode());
  EXPECT_EQ(modem.take_output(), "\r\n+QFTPGET:100\r\n");
  EXPECT_EQ(modem.server().log.back(), "ABOR");
  EXPECT_EQ(at("AT"), "\r\nOK\r\n");
}

TEST_F(HostHangupTest, AnUploadTheServerEndedGivesItsResultAtTheHangUp) {
  modem.fault("CUT STOR 100 times=1");
  ASSERT_EQ(at("AT+QFTPPUT=\"cut.bin\",1000,60"), "\r\nOK\r\n\r\nCONNECT\r\n");
  modem.send(std::string(300, 'u'));
  modem.advance(100);
  EXPECT_TRUE(modem.engine().in_data_mode());  // ruling 14: until <fileSz>, the escape, <time>
  EXPECT_EQ(modem.take_output(), "");
  hang_up();
  EXPECT_EQ(modem.take_output(), "\r\n+QFTPPUT:-426\r\n");
  EXPECT_EQ(at("AT"), "\r\nOK\r\n");
}

TEST_F(HostHangupTest, AHalfTypedLineIsForgotten) {
  modem.send("AT+QFTPCFG=3,12");  // kept, it would make the next line "AT+QFTPCFG=3,12AT"
  hang_up();
  EXPECT_EQ(at("AT"), "\r\nOK\r\n");
  EXPECT_EQ(at("AT+QFTPCFG=3"), "\r\nOK\r\n\r\n+QFTPCFG:0\r\n");
}

TEST_F(HostHangupTest, TheNextHostsRepeatIsNotTheOldHostsLine) {
  EXPECT_EQ(at("AT+QFTPPUT=\"x.bin\",0"), "\r\nOK\r\n\r\nCONNECT\r\n\r\n+QFTPPUT:0\r\n");
  hang_up();
  modem.send("A/");
  EXPECT_EQ(modem.take_output().find("CONNECT"), std::string::npos);
  EXPECT_EQ(std::count(modem.server().log.begin(), modem.server().log.end(), "STOR x.bin"), 1);
}

TEST_F(HostHangupTest, WithAtAmpD0DataModeGoesOnForTheNextHost) {
  ASSERT_EQ(at("AT&D0"), "\r\nOK\r\n");
  upload_then_hang_up();
  EXPECT_TRUE(modem.engine().in_data_mode());
  modem.send(std::string(700, 'v'));
  modem.advance(1000);
  EXPECT_EQ(modem.take_output(), "\r\n+QFTPPUT:1000\r\n");
  EXPECT_EQ(modem.server().files["/up.bin"], std::string(300, 'u') + std::string(700, 'v'));
}

TEST_F(HostHangupTest, AtAmpD2EndsDataModeLikeAtAmpD1) {
  ASSERT_EQ(at("AT&D2"), "\r\nOK\r\n");
  upload_then_hang_up();
  EXPECT_FALSE(modem.engine().in_data_mode());
  EXPECT_EQ(modem.take_output(), "\r\n+QFTPPUT:300\r\n");
}

TEST_F(HostHangupTest, AtAmpFRestoresAtAmpD1) {
  ASSERT_EQ(at("AT&D0"), "\r\nOK\r\n");
  ASSERT_EQ(at("AT&F"), "\r\nOK\r\n");
  ASSERT_EQ(at("ATE0"), "ATE0\r\r\nOK\r\n");  // AT&F turned the echo on again
  upload_then_hang_up();
  EXPECT_FALSE(modem.engine().in_data_mode());
}

TEST_F(HostHangupTest, AtAmpDTakesZeroToTwo) {
  EXPECT_EQ(at("AT&D"), "\r\nOK\r\n");
  EXPECT_EQ(at("AT&D1"), "\r\nOK\r\n");
  EXPECT_EQ(at("AT&D3"), "\r\nERROR\r\n");
  EXPECT_EQ(at("AT&D?"), "\r\nERROR\r\n");
  EXPECT_EQ(at("AT&D=1"), "\r\nERROR\r\n");
}

}  // namespace
