// status_test.cpp: AT+QFTPSTAT (spec 2.2.9) polled while things happen on the real network: a
// slowed UFS download answers TRANSFER, a delayed greeting OPENING, as drivers poll
// (docs/field-facts.md §2).
#include "e2e_fixture.h"

namespace qftp::e2e {
namespace {

class Status : public ModemTest {};

TEST_F(Status, PolledDuringAUfsTransferAnswersTransfer) {
  const std::string content = pseudo_random_bytes(60000, 60);
  put_server_file("slow.bin", content);
  ASSERT_TRUE(open_session());
  ASSERT_TRUE(command("AT+QFTPCFG=4,\"/UFS/\"", "\r\nOK\r\n\r\n+QFTPCFG:0\r\n"));
  fault("SLOW 60000");
  ASSERT_TRUE(command("AT+QFTPGET=\"slow.bin\"", "\r\nOK\r\n"));
  // Each poll waits for its answer; until the data flows the service may still be WORKING.
  std::string state = stat();
  for (int polls = 0; state == "WORKING" && polls < 200; ++polls) state = stat();
  EXPECT_EQ(state, "TRANSFER");
  EXPECT_EQ(stat(), "TRANSFER") << "asked again while the slowed transfer still runs";
  EXPECT_EQ(urc("+QFTPGET").value_or("?"), "60000");
  EXPECT_TRUE(same_bytes(ufs_file("slow.bin"), content));
  EXPECT_EQ(stat(), "OPENED");
}

TEST_F(Status, PolledWhileTheServerDelaysItsGreetingAnswersOpening) {
  fault("DELAY GREETING 1000 times=1");
  ASSERT_TRUE(command(open_line(), "\r\nOK\r\n"));
  EXPECT_EQ(stat(), "OPENING");
  ASSERT_TRUE(expect("\r\n+QFTPOPEN:0\r\n"));
  EXPECT_EQ(stat(), "OPENED");
}

TEST_F(Status, EachStateOfAnOrdinarySession) {
  // IDLE only until the first session: a modem fresh from power-up.
  ASSERT_TRUE(restart_emulator());
  EXPECT_EQ(stat(), "IDLE");
  ASSERT_TRUE(open_session());
  EXPECT_EQ(stat(), "OPENED");
  ASSERT_TRUE(close_session());
  EXPECT_EQ(stat(), "CLOSED");
}

}  // namespace
}  // namespace qftp::e2e
