// The QFTP service of spec 2.2.1-2.2.10 on the virtual modem with the in-process FTP server:
// URCs, states, data mode (rulings 5, 6), local storage, resume (7, 8) and error mapping (9).
#include <gtest/gtest.h>

#include "testing/virtual_modem.h"

namespace {

using qftp::modem::ServiceState;
using qftp::testing::VirtualModem;

class QftpService : public ::testing::Test {
 protected:
  QftpService() {
    modem.send("ATE0\r");
    modem.take_output();
    modem.server().dirs.insert("/pub");
    modem.server().files["/sscom.ini"] = std::string(1587, 'a');
  }

  // Sends a command line and returns everything the modem wrote in answer.
  std::string at(const std::string& line) {
    modem.send(line + "\r");
    return modem.take_output();
  }

  void open() {
    ASSERT_EQ(at("AT+QFTPUSER=\"quectel\""), "\r\nOK\r\n");
    ASSERT_EQ(at("AT+QFTPPASS=\"123456\""), "\r\nOK\r\n");
    ASSERT_EQ(at("AT+QFTPOPEN=\"ftp.example\",21"), "\r\nOK\r\n\r\n+QFTPOPEN:0\r\n");
    ASSERT_EQ(modem.engine().state(), ServiceState::opened);
  }

  VirtualModem modem;
};

TEST_F(QftpService, OpenAndCloseMoveThroughTheStatesOf229) {
  EXPECT_EQ(at("AT+QFTPSTAT"), "\r\n+QFTPSTAT: IDLE\r\n\r\nOK\r\n");
  open();
  EXPECT_EQ(at("AT+QFTPSTAT"), "\r\n+QFTPSTAT: OPENED\r\n\r\nOK\r\n");
  EXPECT_EQ(at("AT+QFTPOPEN?"), "\r\n+QFTPOPEN:\"ftp.example\",21\r\n\r\nOK\r\n");
  EXPECT_EQ(at("AT+QFTPCLOSE"), "\r\nOK\r\n\r\n+QFTPCLOSE:0\r\n");
  EXPECT_EQ(at("AT+QFTPSTAT"), "\r\n+QFTPSTAT: CLOSED\r\n\r\nOK\r\n");
  EXPECT_EQ(at("AT+QFTPOPEN?"), "\r\n+QFTPOPEN:\"\",\r\n\r\nOK\r\n");
  EXPECT_EQ(modem.server().log.back(), "QUIT");
}

TEST_F(QftpService, OpeningIsVisibleWhileTheServerHasNotAnswered) {
  modem.fault("DELAY PASS 3600000");
  EXPECT_EQ(at("AT+QFTPOPEN=\"h\",21"), "\r\nOK\r\n");
  EXPECT_EQ(at("AT+QFTPSTAT"), "\r\n+QFTPSTAT: OPENING\r\n\r\nOK\r\n");
  EXPECT_EQ(at("AT+QFTPOPEN=\"h\",21"), "\r\nOK\r\n\r\n+QFTPOPEN:-3\r\n");
  modem.advance(30000);
  EXPECT_EQ(modem.take_output(), "\r\n+QFTPOPEN:-9\r\n");
  EXPECT_EQ(at("AT+QFTPSTAT"), "\r\n+QFTPSTAT: IDLE\r\n\r\nOK\r\n");
}

TEST_F(QftpService, AnonymousLoginWhenTheUserNameIsEmpty) {
  EXPECT_EQ(at("AT+QFTPOPEN=\"h\",\"21\""), "\r\nOK\r\n\r\n+QFTPOPEN:0\r\n");
  EXPECT_EQ(modem.server().log.front(), "USER anonymous");
}

TEST_F(QftpService, UserAndPassAreRefusedWhileTheServiceIsNotIdle) {
  open();
  EXPECT_EQ(at("AT+QFTPUSER=\"other\""), "\r\nERROR\r\n");
  EXPECT_EQ(at("AT+QFTPPASS=\"other\""), "\r\nERROR\r\n");
  EXPECT_EQ(at("AT+QFTPUSER?"), "\r\n+QFTPUSER:\"quectel\"\r\n\r\nOK\r\n");
}

TEST_F(QftpService, OpenFailuresMapToChapter3Codes) {
  ASSERT_EQ(at("AT+QFTPUSER=\"quectel\""), "\r\nOK\r\n");
  modem.server().password = "other";
  EXPECT_EQ(at("AT+QFTPOPEN=\"h\",21"), "\r\nOK\r\n\r\n+QFTPOPEN:-530\r\n");
  modem.fault("REPLY GREETING 421 times=1");
  EXPECT_EQ(at("AT+QFTPOPEN=\"h\",21"), "\r\nOK\r\n\r\n+QFTPOPEN:-421\r\n");
  const int refuse = modem.fault("REFUSE");
  EXPECT_EQ(at("AT+QFTPOPEN=\"h\",21"), "\r\nOK\r\n\r\n+QFTPOPEN:-5\r\n");
  modem.clear_fault(refuse);
  modem.network().dns_fails = true;
  EXPECT_EQ(at("AT+QFTPOPEN=\"h\",21"), "\r\nOK\r\n\r\n+QFTPOPEN:-4\r\n");
  EXPECT_EQ(at("AT+QFTPSTAT"), "\r\n+QFTPSTAT: IDLE\r\n\r\nOK\r\n");
}

TEST_F(QftpService, PathIsSetWithCwdAndReadBack) {
  open();
  EXPECT_EQ(at("AT+QFTPPATH=\"/pub\""), "\r\nOK\r\n\r\n+QFTPPATH:0\r\n");
  EXPECT_EQ(at("AT+QFTPPATH?"), "\r\n+QFTPPATH:\"/pub\"\r\n\r\nOK\r\n");
  EXPECT_EQ(at("AT+QFTPPATH=\"/missing\""), "\r\nOK\r\n\r\n+QFTPPATH:-550\r\n");
  EXPECT_EQ(at("AT+QFTPPATH?"), "\r\n+QFTPPATH:\"/pub\"\r\n\r\nOK\r\n");
  EXPECT_EQ(at("AT+QFTPPATH=\"\""), "\r\nOK\r\n\r\n+QFTPPATH:0\r\n");
}

TEST_F(QftpService, UploadThroughTheUartTakesExactlyFileSzBytes) {
  open();
  EXPECT_EQ(at("AT+QFTPPUT=\"up.bin\",10,200"), "\r\nOK\r\n\r\nCONNECT\r\n");
  EXPECT_TRUE(modem.engine().in_data_mode());
  // Ruling 5: bytes after the 10th are command-mode input again.
  modem.send("0123456789AT\r");
  // The AT is answered at once; the URC follows when the server confirms the upload.
  EXPECT_EQ(modem.take_output(), "\r\nOK\r\n\r\n+QFTPPUT:10\r\n");
  EXPECT_EQ(modem.server().files["/up.bin"], "0123456789");
  EXPECT_EQ(at("AT+QFTPLEN"), "\r\n+QFTPLEN: 10\r\n\r\nOK\r\n");
}

TEST_F(QftpService, UploadEndsAtTimeWithWhatArrived) {
  open();
  EXPECT_EQ(at("AT+QFTPPUT=\"up.bin\",100,2"), "\r\nOK\r\n\r\nCONNECT\r\n");
  modem.send("abc");
  modem.advance(1999);
  EXPECT_EQ(modem.take_output(), "");
  modem.advance(1);
  EXPECT_EQ(modem.take_output(), "\r\n+QFTPPUT:3\r\n");
  EXPECT_EQ(modem.server().files["/up.bin"], "abc");
}

TEST_F(QftpService, EscapeDuringUploadKeepsWhatWasReceived) {
  open();
  EXPECT_EQ(at("AT+QFTPPUT=\"up.bin\",100"), "\r\nOK\r\n\r\nCONNECT\r\n");
  modem.send("data+++ATH\r");  // no guard times: all data (docs/field-facts.md §2)
  modem.advance(500);
  modem.send("+++");
  modem.advance(499);
  EXPECT_EQ(modem.take_output(), "");
  modem.advance(1);
  EXPECT_EQ(modem.take_output(), "\r\nOK\r\n\r\n+QFTPPUT:11\r\n");
  EXPECT_EQ(modem.server().files["/up.bin"], "data+++ATH\r");
  EXPECT_EQ(at("ATO"), "\r\nNO CARRIER\r\n");
}

TEST_F(QftpService, DownloadThroughTheUartHoldsUrcsUntilDataModeEnds) {
  open();
  EXPECT_EQ(at("AT+QFTPGET=\"sscom.ini\""),
            "\r\nOK\r\n\r\nCONNECT\r\n" + std::string(1587, 'a') + "\r\n+QFTPGET:1587\r\n");
  EXPECT_FALSE(modem.engine().in_data_mode());
  EXPECT_EQ(at("AT+QFTPLEN"), "\r\n+QFTPLEN: 1587\r\n\r\nOK\r\n");
}

TEST_F(QftpService, EscapeDuringDownloadAbortsAndReportsWhatWasSent) {
  open();
  modem.fault("STALL RETR 100");
  EXPECT_EQ(at("AT+QFTPGET=\"sscom.ini\""), "\r\nOK\r\n\r\nCONNECT\r\n" + std::string(100, 'a'));
  EXPECT_EQ(at("AT+QFTPSTAT"), "");  // data mode: no command is read
  modem.advance(500);
  modem.send("+++");
  modem.advance(500);
  EXPECT_EQ(modem.take_output(), "\r\nOK\r\n\r\n+QFTPGET:100\r\n");
  EXPECT_EQ(at("AT+QFTPSTAT"), "\r\n+QFTPSTAT: OPENED\r\n\r\nOK\r\n");
}

TEST_F(QftpService, DownloadCutShortReportsTheMappedError) {
  open();
  modem.fault("CUT RETR 100");
  const auto out = at("AT+QFTPGET=\"sscom.ini\"");
  EXPECT_EQ(out.substr(out.size() - 15), "+QFTPGET:-426\r\n");
  EXPECT_EQ(at("AT+QFTPGET=\"missing\""), "\r\nOK\r\n\r\n+QFTPGET:-550\r\n");
}

TEST_F(QftpService, UploadAndDownloadThroughUfs) {
  open();
  modem.ufs().put("local.txt", "from ufs");
  EXPECT_EQ(at("AT+QFTPCFG=4,\"/UFS/\""), "\r\nOK\r\n\r\n+QFTPCFG:0\r\n");
  EXPECT_EQ(at("AT+QFTPPUT=\"local.txt\",0"), "\r\nOK\r\n\r\n+QFTPPUT:8\r\n");
  EXPECT_EQ(modem.server().files["/local.txt"], "from ufs");
  EXPECT_EQ(at("AT+QFTPPUT=\"local.txt\",4"), "\r\nOK\r\n\r\n+QFTPPUT:4\r\n");
  EXPECT_EQ(at("AT+QFTPPUT=\"absent.txt\",0"), "\r\nOK\r\n\r\n+QFTPPUT:-11\r\n");
  EXPECT_EQ(at("AT+QFTPGET=\"sscom.ini\""), "\r\nOK\r\n\r\n+QFTPGET:1587\r\n");
  EXPECT_EQ(modem.ufs().files().at("sscom.ini"), std::string(1587, 'a'));
  EXPECT_EQ(at("AT+QFTPCFG=4,\"/UFS/dwl.txt\""), "\r\nOK\r\n\r\n+QFTPCFG:0\r\n");
  EXPECT_EQ(at("AT+QFTPGET=\"sscom.ini\""), "\r\nOK\r\n\r\n+QFTPGET:1587\r\n");
  EXPECT_EQ(modem.ufs().files().at("dwl.txt").size(), 1587u);
}

TEST_F(QftpService, ResumeFromThePointAndResetAfterwards) {
  open();
  modem.server().files["/big.bin"] = std::string(1587, 'x') + std::string(2000, 'y');
  EXPECT_EQ(at("AT+QFTPCFG=3,1587"), "\r\nOK\r\n\r\n+QFTPCFG:0\r\n");
  EXPECT_EQ(at("AT+QFTPGET=\"big.bin\""),
            "\r\nOK\r\n\r\nCONNECT\r\n" + std::string(2000, 'y') + "\r\n+QFTPGET:2000\r\n");
  EXPECT_EQ(at("AT+QFTPCFG=3"), "\r\nOK\r\n\r\n+QFTPCFG:0\r\n");  // ruling 7
  // Ruling 8: into a local file shorter than the point, -12.
  EXPECT_EQ(at("AT+QFTPCFG=4,\"/UFS/part.bin\""), "\r\nOK\r\n\r\n+QFTPCFG:0\r\n");
  modem.ufs().put("part.bin", std::string(10, 'x'));
  EXPECT_EQ(at("AT+QFTPCFG=3,1587"), "\r\nOK\r\n\r\n+QFTPCFG:0\r\n");
  EXPECT_EQ(at("AT+QFTPGET=\"big.bin\""), "\r\nOK\r\n\r\n+QFTPGET:-12\r\n");
  modem.ufs().put("part.bin", std::string(1587, 'x'));
  EXPECT_EQ(at("AT+QFTPCFG=3,1587"), "\r\nOK\r\n\r\n+QFTPCFG:0\r\n");
  EXPECT_EQ(at("AT+QFTPGET=\"big.bin\""), "\r\nOK\r\n\r\n+QFTPGET:2000\r\n");
  EXPECT_EQ(modem.ufs().files().at("part.bin"), modem.server().files["/big.bin"]);
  EXPECT_NE(std::find(modem.server().log.begin(), modem.server().log.end(), "REST 1587"),
            modem.server().log.end());
}

TEST_F(QftpService, ActiveModeAndAsciiTypeReachTheServer) {
  open();
  EXPECT_EQ(at("AT+QFTPCFG=1,0"), "\r\nOK\r\n\r\n+QFTPCFG:0\r\n");
  EXPECT_EQ(at("AT+QFTPCFG=2,1"), "\r\nOK\r\n\r\n+QFTPCFG:0\r\n");
  const auto out = at("AT+QFTPGET=\"sscom.ini\"");
  EXPECT_EQ(out, "\r\nOK\r\n\r\nCONNECT\r\n" + std::string(1587, 'a') + "\r\n+QFTPGET:1587\r\n");
  const auto& log = modem.server().log;
  EXPECT_NE(std::find(log.begin(), log.end(), "TYPE A"), log.end());
  EXPECT_TRUE(std::any_of(log.begin(), log.end(), [](const auto& l) { return l.rfind("PORT ", 0) == 0; }));
}

TEST_F(QftpService, IdleServerTimeoutGives421ThenSessionClosed) {
  open();
  modem.server().idle_timeout(modem.now());
  modem.advance(0);
  EXPECT_EQ(modem.take_output(), "\r\n+QFTPERROR:-421\r\n\r\n+QFTPERROR:-6\r\n");
  EXPECT_EQ(at("AT+QFTPSTAT"), "\r\n+QFTPSTAT: CLOSED\r\n\r\nOK\r\n");
  EXPECT_EQ(at("AT+QFTPOPEN=\"h\",21"), "\r\nOK\r\n\r\n+QFTPOPEN:0\r\n");
}

TEST_F(QftpService, ContextDeactivationEndsTheSessionWithMinus8) {
  open();
  EXPECT_EQ(at("AT+QIDEACT"), "\r\nDEACT OK\r\n\r\n+QFTPERROR:-8\r\n");
  EXPECT_EQ(at("AT+QFTPSTAT"), "\r\n+QFTPSTAT: CLOSED\r\n\r\nOK\r\n");
}

TEST_F(QftpService, FormatErrorsSendNothingToTheServer) {
  open();
  const auto before = modem.server().log.size();
  for (const char* bad : {"AT+QFTPPUT=\"f\"", "AT+QFTPPUT=f,1", "AT+QFTPPUT=\"f\",1,0",
                          "AT+QFTPPUT=\"f\",1,65536", "AT+QFTPGET=\"f\",1", "AT+QFTPGET",
                          "AT+QFTPPATH=\"" "12345678901234567890123456789012345678901234567890"
                          "123456789012345678901234567890123456789012345678901\"",
                          "AT+QFTPGET=\"123456789012345678901234567890123456789012345678901\""}) {
    EXPECT_EQ(at(bad), "\r\nERROR\r\n") << bad;
  }
  EXPECT_EQ(modem.server().log.size(), before);
}

}  // namespace

namespace {

// Chapter 3: +QFTPERROR is for errors while no command runs. A context lost during a transfer ends
// that transfer with -8 and says nothing more.
TEST_F(QftpService, ContextLostDuringATransferIsReportedOnce) {
  open();
  modem.fault("STALL RETR 10");
  ASSERT_EQ(at("AT+QFTPCFG=4,\"/UFS/\""), "\r\nOK\r\n\r\n+QFTPCFG:0\r\n");
  ASSERT_EQ(at("AT+QFTPGET=\"sscom.ini\""), "\r\nOK\r\n");
  modem.deliver({qftp::modem::NetworkEvent{modem.now(), qftp::modem::NetworkEvent::Kind::context_lost}});
  EXPECT_EQ(modem.take_output(), "\r\n+QFTPGET:-8\r\n");
  EXPECT_EQ(at("AT+QFTPSTAT"), "\r\n+QFTPSTAT: CLOSED\r\n\r\nOK\r\n");
}

}  // namespace

namespace {

// A download whose server sends nothing at all: at the data timeout the client sends ABOR, and
// the server's one 225 (nothing had moved, so no reply to RETR follows) ends it with -9; the
// session stays open.
TEST_F(QftpService, AStalledDownloadThatMovedNothingKeepsTheSession) {
  open();
  modem.fault("STALL RETR 0 times=1");
  ASSERT_EQ(at("AT+QFTPGET=\"sscom.ini\""), "\r\nOK\r\n\r\nCONNECT\r\n");
  modem.advance(modem.engine().profile().data_timeout_ms + 1000);
  EXPECT_EQ(modem.take_output(), "\r\n+QFTPGET:-9\r\n");
  EXPECT_EQ(at("AT+QFTPSTAT"), "\r\n+QFTPSTAT: OPENED\r\n\r\nOK\r\n");
  EXPECT_EQ(modem.server().log.back(), "ABOR");
}

}  // namespace
