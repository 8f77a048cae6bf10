// client_choices_test.cpp: what the emulator's FTP client chooses where the spec leaves it free,
// against the real fixture server: EPSV when PASV is refused, a missing local file never reaching
// the server, and how a transfer cut without a final reply ends. The spec's error codes themselves
// are the conformance suite's (conformance/cases/s3_*).
#include <algorithm>

#include "e2e_fixture.h"

namespace qftp::e2e {
namespace {

using ClientChoices = ModemTest;

// A server that does not know PASV (502) gets EPSV, and the transfer works.
TEST_F(ClientChoices, PasvRefusedWith502FallsBackToEpsv) {
  put_server_file("f.bin", "data");
  ASSERT_TRUE(open_session());
  fault("REPLY PASV 502 times=1");
  ASSERT_TRUE(command("AT+QFTPGET=\"f.bin\"", "\r\nOK\r\n\r\nCONNECT\r\ndata\r\n+QFTPGET:4\r\n"));
  const auto cmds = fixture_commands();
  EXPECT_NE(std::find(cmds.begin(), cmds.end(), "EPSV"), cmds.end());
}

// The local file is looked for before the server hears of the transfer.
TEST_F(ClientChoices, AMissingLocalFileNeverReachesTheServer) {
  ASSERT_TRUE(open_session());
  ASSERT_TRUE(command("AT+QFTPCFG=4,\"/UFS/\"", "\r\nOK\r\n\r\n+QFTPCFG:0\r\n"));
  ASSERT_TRUE(command("AT+QFTPPUT=\"absent.bin\",0", "\r\nOK\r\n\r\n+QFTPPUT:-11\r\n"));
  const auto cmds = fixture_commands();
  EXPECT_TRUE(std::none_of(cmds.begin(), cmds.end(), [](const std::string& c) {
    return c.rfind("TYPE", 0) == 0 || c.rfind("STOR", 0) == 0;
  })) << "the transfer reached the server";
}

// On a profile with 1 s timeouts: a server that cuts a transfer and never sends its final reply
// (only a repeated preliminary one).
class ClientChoicesTimeouts : public ModemTest {
 protected:
  static void SetUpTestSuite() {
    start_env(emulator_options(
        "reply_timeout_ms = 1000\nconnect_timeout_ms = 1000\ndata_timeout_ms = 1000\n"));
  }
  static void TearDownTestSuite() { stop_env(); }
};

// An upload: the client knows its data did not all arrive, so the timeout is a lost data
// connection, -7, not a plain -9.
TEST_F(ClientChoicesTimeouts, AnUploadCutWithoutAFinalReplyIsMinus7) {
  const std::string data(100, 'u');
  ASSERT_TRUE(open_session());
  fault("CUT STOR 100 150 times=1");
  // <time> 2 s ends the host's input (ruling 14: data mode outlasts the cut until then).
  ASSERT_TRUE(command("AT+QFTPPUT=\"f.bin\",1000,2", "\r\nOK\r\n\r\nCONNECT\r\n"));
  ASSERT_TRUE(send(data));
  EXPECT_TRUE(expect("\r\n+QFTPPUT:-7\r\n"));
  expect_usable();
}

// A download: the end of the data connection is the end of the file, so only the missing reply is
// wrong: -9, after the bytes that came.
TEST_F(ClientChoicesTimeouts, ADownloadCutWithoutAFinalReplyIsMinus9) {
  const std::string content = pseudo_random_bytes(1000, 9);
  put_server_file("f.bin", content);
  ASSERT_TRUE(open_session());
  fault("CUT RETR 100 150 times=1");
  ASSERT_TRUE(
      command("AT+QFTPGET=\"f.bin\"", "\r\nOK\r\n\r\nCONNECT\r\n" + content.substr(0, 100)));
  EXPECT_TRUE(expect("\r\n+QFTPGET:-9\r\n"));
  expect_usable();
}

}  // namespace
}  // namespace qftp::e2e
