// error_codes_test.cpp: each chapter-3 error code the emulator can produce, provoked for real
// through the fixture or the emulator control (ruling 9), and the modem usable after each one.
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>

#include "e2e_fixture.h"

namespace qftp::e2e {
namespace {

class ErrorCodes : public ModemTest {
 protected:
  // `line` is well-formed (OK) and its outcome is the URC `name`:`code`, with nothing between.
  void expect_outcome(const std::string& line, const std::string& name, int code) {
    ASSERT_TRUE(command(line, "\r\nOK\r\n"));
    EXPECT_TRUE(expect("\r\n" + name + ":" + std::to_string(code) + "\r\n"));
  }

  // A download of `file` through /COM/ that fails after CONNECT and `data`.
  void expect_get_failure_after_data(const std::string& file, const std::string& data, int code) {
    ASSERT_TRUE(command("AT+QFTPGET=\"" + file + "\"", "\r\nOK\r\n\r\nCONNECT\r\n" + data));
    EXPECT_TRUE(expect("\r\n+QFTPGET:" + std::to_string(code) + "\r\n"));
  }
};

// --- FTP reply codes (ruling 9: the negated code) ----------------------------------------------

TEST_F(ErrorCodes, Minus421FromTheGreeting) {
  fault("REPLY GREETING 421 times=1");
  expect_outcome(open_line(), "+QFTPOPEN", -421);
  expect_usable();
}

TEST_F(ErrorCodes, Minus421OnRetrThenTheServerHangsUp) {
  put_server_file("f.bin", "data");
  ASSERT_TRUE(open_session());
  fault("REPLY RETR 421 times=1");
  expect_outcome("AT+QFTPGET=\"f.bin\"", "+QFTPGET", -421);
  // RFC 959: a 421 closes the control connection; the modem reports that as it happens.
  EXPECT_TRUE(expect("\r\n+QFTPERROR:-6\r\n"));
  expect_usable();
}

TEST_F(ErrorCodes, Minus425WhenTheDataConnectionNeverServes) {
  put_server_file("f.bin", "data");
  ASSERT_TRUE(open_session());
  fault("NODATACONN times=1");
  expect_outcome("AT+QFTPGET=\"f.bin\"", "+QFTPGET", -425);
  expect_usable();
}

// The 426 and the data race on two sockets; whichever arrives first, the modem delivers all 100
// bytes the server sent before it reports the 426.
TEST_F(ErrorCodes, Minus426WhenTheServerCutsADownload) {
  const std::string content = letters(1000);
  put_server_file("f.bin", content);
  ASSERT_TRUE(open_session());
  fault("CUT RETR 100 times=1");
  ASSERT_TRUE(command("AT+QFTPGET=\"f.bin\"", "\r\nOK\r\n\r\nCONNECT\r\n"));
  const std::string got = read_until("\r\n+QFTPGET:-426\r\n");
  ASSERT_EQ(got.size(), 100U + 17U);
  EXPECT_TRUE(same_bytes(got.substr(0, 100), content.substr(0, 100)));
  expect_usable();
}

TEST_F(ErrorCodes, Minus426WhenTheServerCutsAnUpload) {
  ASSERT_TRUE(open_session());
  fault("CUT STOR 100 times=1");
  ASSERT_TRUE(command("AT+QFTPPUT=\"f.bin\",1000,60", "\r\nOK\r\n\r\nCONNECT\r\n"));
  ASSERT_TRUE(send(letters(100)));
  EXPECT_TRUE(expect("\r\n+QFTPPUT:-426\r\n"));
  EXPECT_TRUE(same_bytes(server_file("f.bin"), letters(100)));
  expect_usable();
}

TEST_F(ErrorCodes, Minus450OnRetr) {
  put_server_file("f.bin", "data");
  ASSERT_TRUE(open_session());
  fault("REPLY RETR 450 times=1");
  expect_outcome("AT+QFTPGET=\"f.bin\"", "+QFTPGET", -450);
  expect_usable();
}

TEST_F(ErrorCodes, Minus452OnStor) {
  ASSERT_TRUE(open_session());
  fault("REPLY STOR 452 times=1");
  expect_outcome("AT+QFTPPUT=\"f.bin\",10,60", "+QFTPPUT", -452);
  expect_usable();
}

TEST_F(ErrorCodes, Minus500OnType) {
  put_server_file("f.bin", "data");
  ASSERT_TRUE(open_session());
  fault("REPLY TYPE 500 times=1");
  expect_outcome("AT+QFTPGET=\"f.bin\"", "+QFTPGET", -500);
  expect_usable();
}

TEST_F(ErrorCodes, Minus501OnPasv) {
  put_server_file("f.bin", "data");
  ASSERT_TRUE(open_session());
  fault("REPLY PASV 501 times=1");
  expect_outcome("AT+QFTPGET=\"f.bin\"", "+QFTPGET", -501);
  expect_usable();
}

TEST_F(ErrorCodes, Minus502OnType) {
  ASSERT_TRUE(open_session());
  fault("REPLY TYPE 502 times=1");
  expect_outcome("AT+QFTPPUT=\"f.bin\",10,60", "+QFTPPUT", -502);
  expect_usable();
}

// Not an error: a server that does not know PASV (502) gets EPSV, and the transfer works.
TEST_F(ErrorCodes, PasvRefusedWith502FallsBackToEpsv) {
  put_server_file("f.bin", "data");
  ASSERT_TRUE(open_session());
  fault("REPLY PASV 502 times=1");
  ASSERT_TRUE(command("AT+QFTPGET=\"f.bin\"", "\r\nOK\r\n\r\nCONNECT\r\ndata\r\n+QFTPGET:4\r\n"));
  const auto cmds = fixture_commands();
  EXPECT_NE(std::find(cmds.begin(), cmds.end(), "EPSV"), cmds.end());
}

TEST_F(ErrorCodes, Minus530OnUser) {
  fault("REPLY USER 530 times=1");
  expect_outcome(open_line(), "+QFTPOPEN", -530);
  expect_usable();
}

TEST_F(ErrorCodes, Minus530ForAWrongPassword) {
  ASSERT_TRUE(command("AT+QFTPPASS=\"wrong\"", "\r\nOK\r\n"));
  expect_outcome(open_line(), "+QFTPOPEN", -530);
  ASSERT_TRUE(command("AT+QFTPPASS=\"123456\"", "\r\nOK\r\n"));
  expect_usable();
}

TEST_F(ErrorCodes, Minus532OnPass) {
  fault("REPLY PASS 532 times=1");
  expect_outcome(open_line(), "+QFTPOPEN", -532);
  expect_usable();
}

TEST_F(ErrorCodes, Minus550ForAMissingFile) {
  ASSERT_TRUE(open_session());
  expect_outcome("AT+QFTPGET=\"missing.bin\"", "+QFTPGET", -550);
  expect_usable();
}

TEST_F(ErrorCodes, Minus550ForAMissingPath) {
  ASSERT_TRUE(open_session());
  expect_outcome("AT+QFTPPATH=\"/nowhere\"", "+QFTPPATH", -550);
  EXPECT_TRUE(command("AT+QFTPPATH?", "\r\n+QFTPPATH:\"\"\r\n\r\nOK\r\n"))
      << "the path is unchanged";
  expect_usable();
}

TEST_F(ErrorCodes, Minus551OnStor) {
  ASSERT_TRUE(open_session());
  fault("REPLY STOR 551 times=1");
  expect_outcome("AT+QFTPPUT=\"f.bin\",10,60", "+QFTPPUT", -551);
  expect_usable();
}

TEST_F(ErrorCodes, Minus552AfterAWholeUpload) {
  put_ufs_file("f.bin", letters(3000));
  ASSERT_TRUE(open_session());
  ASSERT_TRUE(command("AT+QFTPCFG=4,\"/UFS/\"", "\r\nOK\r\n\r\n+QFTPCFG:0\r\n"));
  fault("FINAL STOR 552 times=1");
  expect_outcome("AT+QFTPPUT=\"f.bin\",0", "+QFTPPUT", -552);
  expect_usable();
}

TEST_F(ErrorCodes, Minus553OnStor) {
  ASSERT_TRUE(open_session());
  fault("REPLY STOR 553 times=1");
  expect_outcome("AT+QFTPPUT=\"f.bin\",10,60", "+QFTPPUT", -553);
  expect_usable();
}

// --- the network (emulator control and the fixture's listener) --------------------------------

TEST_F(ErrorCodes, Minus4WhenTheNameDoesNotResolve) {
  ASSERT_EQ(emu_control("DNS FAIL"), "OK");
  expect_outcome(open_line(), "+QFTPOPEN", -4);
  ASSERT_EQ(emu_control("DNS OK"), "OK");
  expect_usable();
}

TEST_F(ErrorCodes, Minus5WhenTheConnectionIsRefused) {
  // A port that was free a moment ago and has no listener now.
  const int s = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::bind(s, reinterpret_cast<const sockaddr*>(&addr), sizeof addr), 0);
  socklen_t len = sizeof addr;
  ASSERT_EQ(::getsockname(s, reinterpret_cast<sockaddr*>(&addr), &len), 0);
  ::close(s);
  expect_outcome("AT+QFTPOPEN=\"127.0.0.1\"," + std::to_string(ntohs(addr.sin_port)), "+QFTPOPEN",
                 -5);
  expect_usable();
}

TEST_F(ErrorCodes, Minus5WhenTheServerStopsListening) {
  fault("REFUSE");
  expect_outcome(open_line(), "+QFTPOPEN", -5);
  expect_usable();
}

TEST_F(ErrorCodes, Minus5WhenTheContextCannotBeActivated) {
  ASSERT_TRUE(command("AT+QIDEACT", "\r\nDEACT OK\r\n"));
  ASSERT_EQ(emu_control("ACTIVATION FAIL"), "OK");
  EXPECT_TRUE(command("AT+QIACT", "\r\nERROR\r\n"));
  expect_outcome(open_line(), "+QFTPOPEN", -5);
  ASSERT_EQ(emu_control("ACTIVATION OK"), "OK");
  expect_usable();
}

TEST_F(ErrorCodes, Minus5WhenTheLinkIsDown) {
  ASSERT_EQ(emu_control("LINK DOWN"), "OK");
  expect_outcome(open_line(), "+QFTPOPEN", -5);
  ASSERT_EQ(emu_control("LINK UP"), "OK");
  expect_usable();
}

TEST_F(ErrorCodes, Minus6WhenTheServerClosesOnCwd) {
  ASSERT_TRUE(open_session());
  fault("CLOSE CWD times=1");
  expect_outcome("AT+QFTPPATH=\"/\"", "+QFTPPATH", -6);
  expect_usable();
}

TEST_F(ErrorCodes, Minus6WhenTheServerClosesOnRetr) {
  put_server_file("f.bin", "data");
  ASSERT_TRUE(open_session());
  fault("CLOSE RETR times=1");
  expect_outcome("AT+QFTPGET=\"f.bin\"", "+QFTPGET", -6);
  expect_usable();
}

// -7: the server ends the data connection of an upload early, yet claims success (226). The
// modem knows the upload had not ended, so the 226 is no success.
TEST_F(ErrorCodes, Minus7WhenTheServerClosesTheUploadDataConnectionEarly) {
  ASSERT_TRUE(open_session());
  fault("CUT STOR 100 226 times=1");
  ASSERT_TRUE(command("AT+QFTPPUT=\"f.bin\",1000,60", "\r\nOK\r\n\r\nCONNECT\r\n"));
  ASSERT_TRUE(send(letters(100)));
  EXPECT_TRUE(expect("\r\n+QFTPPUT:-7\r\n"));
  expect_usable();
}

// The download counterpart cannot be -7: in stream mode the end of the data connection is the
// end of the file, so a download the server cuts yet confirms (226) is a success with what came.
TEST_F(ErrorCodes, DownloadCutButConfirmedIsAShortSuccess) {
  const std::string content = letters(1000);
  put_server_file("f.bin", content);
  ASSERT_TRUE(open_session());
  fault("CUT RETR 100 226 times=1");
  ASSERT_TRUE(command("AT+QFTPGET=\"f.bin\"", "\r\nOK\r\n\r\nCONNECT\r\n" + content.substr(0, 100) +
                                                  "\r\n+QFTPGET:100\r\n"));
}

// The network control takes the link down in the middle of a session (README: -6 or -7).
TEST_F(ErrorCodes, LinkDownDuringASessionEndsIt) {
  ASSERT_TRUE(open_session());
  ASSERT_EQ(emu_control("LINK DOWN"), "OK");
  EXPECT_TRUE(expect("\r\n+QFTPERROR:-6\r\n"));
  ASSERT_EQ(emu_control("LINK UP"), "OK");
  expect_usable();
}

TEST_F(ErrorCodes, Minus8WhenTheContextIsLostDuringASession) {
  ASSERT_TRUE(open_session());
  ASSERT_EQ(emu_control("CONTEXT LOST"), "OK");
  EXPECT_TRUE(expect("\r\n+QFTPERROR:-8\r\n"));
  EXPECT_EQ(stat(), "CLOSED");
  expect_usable();
}

TEST_F(ErrorCodes, Minus8WhenTheContextIsLostDuringATransfer) {
  const std::string content = letters(200000);
  put_server_file("slow.bin", content);
  ASSERT_TRUE(open_session());
  fault("SLOW 20000");
  ASSERT_TRUE(command("AT+QFTPGET=\"slow.bin\"", "\r\nOK\r\n\r\nCONNECT\r\n"));
  auto first = te().read_exactly(1000, kDeadline);
  ASSERT_TRUE(first.ok()) << first.error();
  ASSERT_EQ(emu_control("CONTEXT LOST"), "OK");
  const std::string rest = read_until("\r\n+QFTPGET:-8\r\n");
  EXPECT_TRUE(same_bytes(first.value() + rest.substr(0, rest.size() - 15),
                         content.substr(0, 1000 + rest.size() - 15)));
  EXPECT_EQ(stat(), "CLOSED");
  expect_usable();
}

TEST_F(ErrorCodes, Minus8WhenTheHostDeactivatesTheContext) {
  ASSERT_TRUE(open_session());
  EXPECT_TRUE(command("AT+QIDEACT", "\r\nDEACT OK\r\n\r\n+QFTPERROR:-8\r\n"));
  expect_usable();
}

// --- parameters, local storage and state --------------------------------------------------------

TEST_F(ErrorCodes, Minus10ForAPositionTheDeviceLacks) {
  ASSERT_TRUE(command("AT+QFTPCFG=4,\"/NOWHERE/\"", "\r\nOK\r\n\r\n+QFTPCFG:-10\r\n"));
  // The default device has no SD card or RAM position (M33 only).
  ASSERT_TRUE(command("AT+QFTPCFG=4,\"/SD/\"", "\r\nOK\r\n\r\n+QFTPCFG:-10\r\n"));
  ASSERT_TRUE(command("AT+QFTPCFG=4", "\r\nOK\r\n\r\n+QFTPCFG:\"/COM/\"\r\n")) << "unchanged";
  expect_usable();
}

TEST_F(ErrorCodes, Minus10ForAnEmptyHostOrFileName) {
  expect_outcome("AT+QFTPOPEN=\"\",21", "+QFTPOPEN", -10);
  ASSERT_TRUE(open_session());
  expect_outcome("AT+QFTPGET=\"\"", "+QFTPGET", -10);
  expect_usable();
}

TEST_F(ErrorCodes, Minus11ForAUfsUploadOfAMissingFile) {
  ASSERT_TRUE(open_session());
  ASSERT_TRUE(command("AT+QFTPCFG=4,\"/UFS/\"", "\r\nOK\r\n\r\n+QFTPCFG:0\r\n"));
  expect_outcome("AT+QFTPPUT=\"absent.bin\",0", "+QFTPPUT", -11);
  const auto cmds = fixture_commands();
  EXPECT_TRUE(std::none_of(cmds.begin(), cmds.end(), [](const std::string& c) {
    return c.rfind("TYPE", 0) == 0 || c.rfind("STOR", 0) == 0;
  })) << "the transfer never reached the server";
  expect_usable();
}

TEST_F(ErrorCodes, Minus12ForAResumeIntoAShorterLocalFile) {
  put_server_file("big.bin", letters(3587));
  put_ufs_file("part.bin", letters(10));
  ASSERT_TRUE(open_session());
  ASSERT_TRUE(command("AT+QFTPCFG=4,\"/UFS/part.bin\"", "\r\nOK\r\n\r\n+QFTPCFG:0\r\n"));
  ASSERT_TRUE(command("AT+QFTPCFG=3,1587", "\r\nOK\r\n\r\n+QFTPCFG:0\r\n"));
  expect_outcome("AT+QFTPGET=\"big.bin\"", "+QFTPGET", -12);
  EXPECT_TRUE(same_bytes(ufs_file("part.bin"), letters(10))) << "the local file is untouched";
  EXPECT_TRUE(command("AT+QFTPCFG=3", "\r\nOK\r\n\r\n+QFTPCFG:0\r\n")) << "ruling 7";
  expect_usable();
}

TEST_F(ErrorCodes, Minus12ForAnUploadResumedPastTheEndOfTheFile) {
  put_ufs_file("small.bin", letters(100));
  ASSERT_TRUE(open_session());
  ASSERT_TRUE(command("AT+QFTPCFG=4,\"/UFS/\"", "\r\nOK\r\n\r\n+QFTPCFG:0\r\n"));
  ASSERT_TRUE(command("AT+QFTPCFG=3,1587", "\r\nOK\r\n\r\n+QFTPCFG:0\r\n"));
  expect_outcome("AT+QFTPPUT=\"small.bin\",0", "+QFTPPUT", -12);
  expect_usable();
}

TEST_F(ErrorCodes, Minus3ForPathWhileOpening) {
  fault("DELAY GREETING 1000 times=1");
  ASSERT_TRUE(command(open_line(), "\r\nOK\r\n"));
  expect_outcome("AT+QFTPPATH=\"/\"", "+QFTPPATH", -3);
  expect_outcome(open_line(), "+QFTPOPEN", -3);
  EXPECT_TRUE(expect("\r\n+QFTPOPEN:0\r\n")) << "the first open goes on";
  expect_usable();
}

TEST_F(ErrorCodes, Minus1ForTransfersWithoutASession) {
  expect_outcome("AT+QFTPPUT=\"f.bin\",10,60", "+QFTPPUT", -1);
  expect_outcome("AT+QFTPGET=\"f.bin\"", "+QFTPGET", -1);
  expect_outcome("AT+QFTPPATH=\"/\"", "+QFTPPATH", -1);
  EXPECT_TRUE(fixture_commands().empty()) << "nothing reached the server";
  expect_usable();
}

// --- -9: a server that does not answer in time, on a profile with 1 s timeouts ----------------

class Timeouts : public ErrorCodes {
 protected:
  static void SetUpTestSuite() {
    start_env(emulator_options(
        "reply_timeout_ms = 1000\nconnect_timeout_ms = 1000\ndata_timeout_ms = 1000\n"));
  }
  static void TearDownTestSuite() { stop_env(); }
};

TEST_F(Timeouts, Minus9WhenTheGreetingIsLate) {
  fault("DELAY GREETING 3000 times=1");
  expect_outcome(open_line(), "+QFTPOPEN", -9);
  expect_usable();
}

TEST_F(Timeouts, Minus9WhenPassIsNotAnswered) {
  fault("DELAY PASS 3000 times=1");
  expect_outcome(open_line(), "+QFTPOPEN", -9);
  expect_usable();
}

TEST_F(Timeouts, Minus9WhenCwdIsNotAnswered) {
  ASSERT_TRUE(open_session());
  fault("DELAY CWD 3000 times=1");
  expect_outcome("AT+QFTPPATH=\"/\"", "+QFTPPATH", -9);
  expect_usable();
}

TEST_F(Timeouts, Minus9WhenRetrIsNotAnswered) {
  put_server_file("f.bin", "data");
  ASSERT_TRUE(open_session());
  fault("DELAY RETR 3000 times=1");
  expect_outcome("AT+QFTPGET=\"f.bin\"", "+QFTPGET", -9);
  expect_usable();
}

// The server cuts an upload's data connection and never sends a final reply (only a repeated
// preliminary one): the modem knows its data did not all arrive, so the timeout is a lost data
// connection, -7, not a plain -9.
TEST_F(Timeouts, Minus7WhenAnUploadIsCutAndNoFinalReplyComes) {
  ASSERT_TRUE(open_session());
  fault("CUT STOR 100 150 times=1");
  ASSERT_TRUE(command("AT+QFTPPUT=\"f.bin\",1000,60", "\r\nOK\r\n\r\nCONNECT\r\n"));
  ASSERT_TRUE(send(letters(100)));
  EXPECT_TRUE(expect("\r\n+QFTPPUT:-7\r\n"));
  expect_usable();
}

// The same cut during a download is a stall: -9.
TEST_F(Timeouts, Minus9WhenADownloadIsCutAndNoFinalReplyComes) {
  const std::string content = letters(1000);
  put_server_file("f.bin", content);
  ASSERT_TRUE(open_session());
  fault("CUT RETR 100 150 times=1");
  expect_get_failure_after_data("f.bin", content.substr(0, 100), -9);
  expect_usable();
}

TEST_F(Timeouts, Minus9WhenTheNetworkIsTooSlow) {
  ASSERT_EQ(emu_control("LATENCY 3000"), "OK");
  ASSERT_TRUE(command(open_line(), "\r\nOK\r\n"));
  EXPECT_TRUE(expect("\r\n+QFTPOPEN:-9\r\n"));
  ASSERT_EQ(emu_control("LATENCY 0"), "OK");
  expect_usable();
}

}  // namespace
}  // namespace qftp::e2e
