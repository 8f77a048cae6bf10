// escape_test.cpp: leaving data mode with "+++" (ruling 6) during an upload and a download through
// /COM/, on a profile with a 100 ms guard time (the default 500 ms would only make this slower).
#include <algorithm>
#include <thread>

#include "e2e_fixture.h"

namespace qftp::e2e {
namespace {

constexpr Ms kGuard{100};
// The escape needs the line silent for the guard time. Silence is not an event, so the TE keeps
// quiet for a bounded time: comfortably more than the guard, as a host driver would.
constexpr Ms kSilence{kGuard * 3};

void keep_silent() {
  std::this_thread::sleep_for(kSilence);
}

class Escape : public ModemTest {
 protected:
  static void SetUpTestSuite() { start_env(emulator_options("guard_ms = 100\ngap_ms = 20\n")); }
  static void TearDownTestSuite() { stop_env(); }
};

TEST_F(Escape, DuringUploadKeepsTheBytesReceived) {
  const std::string data = letters(1000);
  ASSERT_TRUE(open_session());
  ASSERT_TRUE(command("AT+QFTPPUT=\"esc.bin\",100000,60", "\r\nOK\r\n\r\nCONNECT\r\n"));
  ASSERT_TRUE(send(data));
  keep_silent();
  ASSERT_TRUE(send("+++"));
  ASSERT_TRUE(expect("\r\nOK\r\n"));
  ASSERT_TRUE(expect("\r\n+QFTPPUT:1000\r\n"));
  EXPECT_TRUE(same_bytes(server_file("esc.bin"), data));
  EXPECT_TRUE(command("ATO", "\r\nNO CARRIER\r\n"));
  EXPECT_TRUE(command("AT+QFTPLEN", "\r\n+QFTPLEN: 1000\r\n\r\nOK\r\n"));
  EXPECT_EQ(stat(), "OPENED");
}

TEST_F(Escape, DuringDownloadAbortsAndCountsWhatTheTeReceived) {
  // Letters only: the "\r\nOK\r\n" that ends data mode cannot hide in the data.
  put_server_file("slow.bin", letters(400000));
  ASSERT_TRUE(open_session());
  fault("SLOW 20000");
  ASSERT_TRUE(command("AT+QFTPGET=\"slow.bin\"", "\r\nOK\r\n\r\nCONNECT\r\n"));
  auto first = te().read_exactly(2000, kDeadline);
  ASSERT_TRUE(first.ok()) << first.error();
  keep_silent();
  ASSERT_TRUE(send("+++"));
  const std::string tail = read_until("\r\nOK\r\n");
  ASSERT_FALSE(tail.empty());
  const std::string received = first.value() + tail.substr(0, tail.size() - 6);
  EXPECT_TRUE(same_bytes(received, letters(received.size())));
  EXPECT_LT(received.size(), 400000U) << "the escape came too late to abort anything";
  EXPECT_EQ(urc("+QFTPGET").value_or("?"), std::to_string(received.size()));
  EXPECT_TRUE(command("ATO", "\r\nNO CARRIER\r\n"));
  EXPECT_TRUE(
      command("AT+QFTPLEN", "\r\n+QFTPLEN: " + std::to_string(received.size()) + "\r\n\r\nOK\r\n"));
  EXPECT_EQ(stat(), "OPENED");
  const auto cmds = fixture_commands();
  EXPECT_NE(std::find(cmds.begin(), cmds.end(), "ABOR"), cmds.end());
  // The session survives the aborted transfer.
  EXPECT_TRUE(command("AT+QFTPPATH=\"/\"", "\r\nOK\r\n\r\n+QFTPPATH:0\r\n"));
}

// Ruling 6: "+++" followed by anything within the guard time is data.
TEST_F(Escape, PlusesFollowedByDataWithinTheGuardAreData) {
  ASSERT_TRUE(open_session());
  ASSERT_TRUE(command("AT+QFTPPUT=\"data.bin\",14,60", "\r\nOK\r\n\r\nCONNECT\r\n"));
  ASSERT_TRUE(send("0123456789"));
  keep_silent();
  ASSERT_TRUE(send("+++x"));
  ASSERT_TRUE(expect("\r\n+QFTPPUT:14\r\n"));
  EXPECT_TRUE(same_bytes(server_file("data.bin"), "0123456789+++x"));
}

// Ruling 6: the '+'s must follow each other within the gap (20 ms); slower ones are data. Waiting
// longer than the gap can only make them later, so the result does not depend on the scheduler.
TEST_F(Escape, PlusesSlowerThanTheGapAreData) {
  ASSERT_TRUE(open_session());
  ASSERT_TRUE(command("AT+QFTPPUT=\"slowplus.bin\",5,60", "\r\nOK\r\n\r\nCONNECT\r\n"));
  ASSERT_TRUE(send("ab"));
  keep_silent();
  ASSERT_TRUE(send("+"));
  std::this_thread::sleep_for(Ms{60});
  ASSERT_TRUE(send("++"));
  ASSERT_TRUE(expect("\r\n+QFTPPUT:5\r\n"));
  EXPECT_TRUE(same_bytes(server_file("slowplus.bin"), "ab+++"));
}

// The escape right after CONNECT (nothing sent yet) ends the upload with nothing stored.
TEST_F(Escape, DuringUploadBeforeAnyData) {
  ASSERT_TRUE(open_session());
  ASSERT_TRUE(command("AT+QFTPPUT=\"empty.bin\",100,60", "\r\nOK\r\n\r\nCONNECT\r\n"));
  keep_silent();
  ASSERT_TRUE(send("+++"));
  ASSERT_TRUE(expect("\r\nOK\r\n\r\n+QFTPPUT:0\r\n"));
  EXPECT_TRUE(same_bytes(server_file("empty.bin"), ""));
  EXPECT_TRUE(command("ATO", "\r\nNO CARRIER\r\n"));
}

}  // namespace
}  // namespace qftp::e2e
