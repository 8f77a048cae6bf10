// transfer_sizes_test.cpp: awkward sizes and contents up and down through /COM/ and /UFS/, byte for
// byte on both ends; resumed transfers in two parts; one ASCII-type and one active-mode transfer.
#include <algorithm>

#include "e2e_fixture.h"

namespace qftp::e2e {
namespace {

class TransferSizes : public ModemTest {
 protected:
  // Binary type (the default); each direction and position in turn, in one session.
  void round_trip(const std::string& content) {
    const std::string n = std::to_string(content.size());
    ASSERT_TRUE(open_session());
    {
      SCOPED_TRACE("upload through /COM/");
      ASSERT_TRUE(command("AT+QFTPPUT=\"up_com.bin\"," + n + ",60", "\r\nOK\r\n\r\nCONNECT\r\n"));
      ASSERT_TRUE(send(content));
      ASSERT_TRUE(expect("\r\n+QFTPPUT:" + n + "\r\n"));
      EXPECT_TRUE(same_bytes(server_file("up_com.bin"), content));
    }
    {
      SCOPED_TRACE("download through /COM/");
      put_server_file("down.bin", content);
      ASSERT_TRUE(command("AT+QFTPGET=\"down.bin\"",
                          "\r\nOK\r\n\r\nCONNECT\r\n" + content + "\r\n+QFTPGET:" + n + "\r\n"));
      // 4.3.1: the content may look like a URC; an AT answered OK shows the download is over.
      EXPECT_TRUE(command("AT", "\r\nOK\r\n"));
      EXPECT_TRUE(command("AT+QFTPLEN", "\r\n+QFTPLEN: " + n + "\r\n\r\nOK\r\n"));
    }
    {
      SCOPED_TRACE("upload from /UFS/");
      put_ufs_file("up_ufs.bin", content);
      ASSERT_TRUE(command("AT+QFTPCFG=4,\"/UFS/\"", "\r\nOK\r\n\r\n+QFTPCFG:0\r\n"));
      ASSERT_TRUE(
          command("AT+QFTPPUT=\"up_ufs.bin\"," + n, "\r\nOK\r\n\r\n+QFTPPUT:" + n + "\r\n"));
      EXPECT_TRUE(same_bytes(server_file("up_ufs.bin"), content));
    }
    {
      SCOPED_TRACE("download into /UFS/");
      ASSERT_TRUE(command("AT+QFTPCFG=4,\"/UFS/got.bin\"", "\r\nOK\r\n\r\n+QFTPCFG:0\r\n"));
      ASSERT_TRUE(command("AT+QFTPGET=\"down.bin\"", "\r\nOK\r\n\r\n+QFTPGET:" + n + "\r\n"));
      EXPECT_TRUE(same_bytes(ufs_file("got.bin"), content));
    }
    EXPECT_TRUE(close_session());
  }
};

TEST_F(TransferSizes, ZeroBytes) {
  round_trip("");
}
TEST_F(TransferSizes, OneByte) {
  round_trip("Z");
}
TEST_F(TransferSizes, Bytes1587) {
  round_trip(pseudo_random_bytes(1587, 1587));
}
TEST_F(TransferSizes, OneMebibyte) {
  round_trip(pseudo_random_bytes(1 << 20, 20));
}

TEST_F(TransferSizes, EveryByteValue) {
  std::string content;
  for (int i = 0; i < 4; ++i) content += every_byte_value();
  std::reverse(content.begin() + 256, content.begin() + 512);  // each value beside other neighbours
  round_trip(content);
}

// docs/field-facts.md §2: "+++" with no pause around it, even "+++ATH<CR>", is data (ruling 6).
TEST_F(TransferSizes, PlusRunsWithoutGuardPausesStayData) {
  round_trip("abc+++def++++++ghi+++ATH\r+++\r\nOK\r\n++x+" + std::string(100, '+') + "end+++");
}

// 4.3.1's warning: the file itself may hold the text of the final URC.
TEST_F(TransferSizes, FileHoldingTheFinalUrcText) {
  round_trip("head\r\n+QFTPGET:1587\r\n\r\nOK\r\n\r\n+QFTPPUT:1587\r\ntail");
}

// 3587 bytes through /COM/ in two downloads: the first cut by the server, the rest from the
// resuming point (4.4.2's story, with a real interruption). Where the cut lands for the modem is
// not exact: the 426 and the data race on two sockets, and the client drops data still unread
// when the 426 wins (see the report). What arrived is a prefix, counted right, and the resume
// from there completes the file.
TEST_F(TransferSizes, Bytes3587InTwoResumedDownloadsThroughCom) {
  const std::string content = pseudo_random_bytes(3587, 3587);
  put_server_file("big.bin", content);
  ASSERT_TRUE(open_session());
  fault("CUT RETR 1587 times=1");
  ASSERT_TRUE(command("AT+QFTPGET=\"big.bin\"", "\r\nOK\r\n\r\nCONNECT\r\n"));
  const std::string first = read_until("\r\n+QFTPGET:-426\r\n");
  ASSERT_FALSE(first.empty());
  const std::string part = first.substr(0, first.size() - 17);
  ASSERT_LE(part.size(), 1587U);
  EXPECT_TRUE(same_bytes(part, content.substr(0, part.size())));
  const std::string k = std::to_string(part.size());
  ASSERT_TRUE(command("AT+QFTPLEN", "\r\n+QFTPLEN: " + k + "\r\n\r\nOK\r\n"));
  ASSERT_TRUE(command("AT+QFTPCFG=3," + k, "\r\nOK\r\n\r\n+QFTPCFG:0\r\n"));
  ASSERT_TRUE(command("AT+QFTPGET=\"big.bin\"",
                      "\r\nOK\r\n\r\nCONNECT\r\n" + content.substr(part.size()) +
                          "\r\n+QFTPGET:" + std::to_string(3587 - part.size()) + "\r\n"));
}

// The same into a UFS file: the interrupted download leaves a prefix there, the resumed one
// writes from that point on (ruling 8).
TEST_F(TransferSizes, Bytes3587InTwoResumedDownloadsIntoUfsAfterACut) {
  const std::string content = pseudo_random_bytes(3587, 3588);
  put_server_file("big.bin", content);
  ASSERT_TRUE(open_session());
  ASSERT_TRUE(command("AT+QFTPCFG=4,\"/UFS/part.bin\"", "\r\nOK\r\n\r\n+QFTPCFG:0\r\n"));
  fault("CUT RETR 1587 times=1");
  ASSERT_TRUE(command("AT+QFTPGET=\"big.bin\"", "\r\nOK\r\n\r\n+QFTPGET:-426\r\n"));
  const std::string part = ufs_file("part.bin").value_or("");
  ASSERT_LE(part.size(), 1587U);
  EXPECT_TRUE(same_bytes(part, content.substr(0, part.size())));
  const std::string k = std::to_string(part.size());
  ASSERT_TRUE(command("AT+QFTPLEN", "\r\n+QFTPLEN: " + k + "\r\n\r\nOK\r\n"));
  ASSERT_TRUE(command("AT+QFTPCFG=3," + k, "\r\nOK\r\n\r\n+QFTPCFG:0\r\n"));
  ASSERT_TRUE(command("AT+QFTPGET=\"big.bin\"",
                      "\r\nOK\r\n\r\n+QFTPGET:" + std::to_string(3587 - part.size()) + "\r\n"));
  EXPECT_TRUE(same_bytes(ufs_file("part.bin"), content));
}

// Exactly 1587 + 2000 into UFS: the first 1587 bytes are there from an earlier download.
TEST_F(TransferSizes, Bytes3587InTwoResumedDownloadsIntoUfs) {
  const std::string content = pseudo_random_bytes(3587, 3590);
  put_server_file("big.bin", content);
  ASSERT_TRUE(open_session());
  ASSERT_TRUE(command("AT+QFTPCFG=4,\"/UFS/part.bin\"", "\r\nOK\r\n\r\n+QFTPCFG:0\r\n"));
  ASSERT_TRUE(command("AT+QFTPGET=\"big.bin\"", "\r\nOK\r\n\r\n+QFTPGET:3587\r\n"));
  // Keep the first 1587 bytes, spoil the rest: the resumed part must overwrite from the point.
  put_ufs_file("part.bin", content.substr(0, 1587) + std::string(2000, '#'));
  ASSERT_TRUE(command("AT+QFTPCFG=3,1587", "\r\nOK\r\n\r\n+QFTPCFG:0\r\n"));
  ASSERT_TRUE(command("AT+QFTPGET=\"big.bin\"", "\r\nOK\r\n\r\n+QFTPGET:2000\r\n"));
  EXPECT_TRUE(same_bytes(ufs_file("part.bin"), content));
}

// 4.4.1's note: from a stored file, the resumed upload sends the file from the point.
TEST_F(TransferSizes, Bytes3587InTwoResumedUploadsFromUfs) {
  const std::string content = pseudo_random_bytes(3587, 3589);
  put_ufs_file("big.bin", content);
  ASSERT_TRUE(open_session());
  ASSERT_TRUE(command("AT+QFTPCFG=4,\"/UFS/\"", "\r\nOK\r\n\r\n+QFTPCFG:0\r\n"));
  ASSERT_TRUE(command("AT+QFTPPUT=\"big.bin\",1587", "\r\nOK\r\n\r\n+QFTPPUT:1587\r\n"));
  EXPECT_TRUE(same_bytes(server_file("big.bin"), content.substr(0, 1587)));
  ASSERT_TRUE(command("AT+QFTPCFG=3,1587", "\r\nOK\r\n\r\n+QFTPCFG:0\r\n"));
  ASSERT_TRUE(command("AT+QFTPPUT=\"big.bin\",2000", "\r\nOK\r\n\r\n+QFTPPUT:2000\r\n"));
  EXPECT_TRUE(same_bytes(server_file("big.bin"), content));
}

// 4.2.2: <fileSz> 0 uploads a stored file whole.
TEST_F(TransferSizes, UfsUploadWithFileSizeZeroSendsTheWholeFile) {
  const std::string content = pseudo_random_bytes(5000, 5000);
  put_ufs_file("whole.bin", content);
  ASSERT_TRUE(open_session());
  ASSERT_TRUE(command("AT+QFTPCFG=4,\"/UFS/\"", "\r\nOK\r\n\r\n+QFTPCFG:0\r\n"));
  ASSERT_TRUE(command("AT+QFTPPUT=\"whole.bin\",0,200", "\r\nOK\r\n\r\n+QFTPPUT:5000\r\n"));
  EXPECT_TRUE(same_bytes(server_file("whole.bin"), content));
}

// ASCII type (AT+QFTPCFG=2,1): TYPE A on the wire, and the server's line-end conversion (pyftpdlib
// stores CR LF as LF and sends LF as CR LF) is what crosses.
TEST_F(TransferSizes, AsciiTypeTransfer) {
  ASSERT_TRUE(open_session());
  ASSERT_TRUE(command("AT+QFTPCFG=2,1", "\r\nOK\r\n\r\n+QFTPCFG:0\r\n"));
  ASSERT_TRUE(command("AT+QFTPCFG=2", "\r\nOK\r\n\r\n+QFTPCFG:1\r\n"));
  const std::string sent = "line one\r\nline two\r\n";
  ASSERT_TRUE(command("AT+QFTPPUT=\"text.txt\",20,60", "\r\nOK\r\n\r\nCONNECT\r\n"));
  ASSERT_TRUE(send(sent));
  ASSERT_TRUE(expect("\r\n+QFTPPUT:20\r\n"));
  EXPECT_TRUE(same_bytes(server_file("text.txt"), "line one\nline two\n"));
  ASSERT_TRUE(command("AT+QFTPGET=\"text.txt\"",
                      "\r\nOK\r\n\r\nCONNECT\r\n" + sent + "\r\n+QFTPGET:20\r\n"));
  const auto cmds = fixture_commands();
  EXPECT_NE(std::find(cmds.begin(), cmds.end(), "TYPE A"), cmds.end());
  EXPECT_EQ(std::find(cmds.begin(), cmds.end(), "TYPE I"), cmds.end());
}

// Active mode (AT+QFTPCFG=1,0): PORT instead of PASV, the server connects to the modem.
TEST_F(TransferSizes, ActiveModeTransfer) {
  const std::string content = pseudo_random_bytes(40000, 1);
  ASSERT_TRUE(open_session());
  ASSERT_TRUE(command("AT+QFTPCFG=1,0", "\r\nOK\r\n\r\n+QFTPCFG:0\r\n"));
  ASSERT_TRUE(command("AT+QFTPPUT=\"active.bin\",40000,60", "\r\nOK\r\n\r\nCONNECT\r\n"));
  ASSERT_TRUE(send(content));
  ASSERT_TRUE(expect("\r\n+QFTPPUT:40000\r\n"));
  EXPECT_TRUE(same_bytes(server_file("active.bin"), content));
  ASSERT_TRUE(command("AT+QFTPGET=\"active.bin\"",
                      "\r\nOK\r\n\r\nCONNECT\r\n" + content + "\r\n+QFTPGET:40000\r\n"));
  const auto cmds = fixture_commands();
  const auto ports = std::count_if(cmds.begin(), cmds.end(), [](const std::string& c) {
    return c.rfind("PORT 127,0,0,1,", 0) == 0;
  });
  EXPECT_EQ(ports, 2);
  EXPECT_EQ(std::find(cmds.begin(), cmds.end(), "PASV"), cmds.end());
}

}  // namespace
}  // namespace qftp::e2e
