// s3_network_faults_test.cpp: spec chapter 3 for what the network does to a session, caused with
// the emulator's network control (not applicable to other DUTs): the link going down while no
// command runs, and the context lost in the middle of a download through the UART.
#include "harness/qftp_case.h"

namespace qftp::harness {
namespace {

using S3_NetworkFaults = QftpCase;

QFTP_CASE(S3_NetworkFaults, TheLinkGoingDownEndsAnIdleSessionWithMinus6, "3/-6", "3/01") {
  QFTP_REQUIRE_PICS(suite().has_network_control(),
                    "needs the emulator's network control (LINK DOWN)");
  QFTP_SETUP(open_session());
  QFTP_DO(network("LINK DOWN"));
  QFTP_DO(expect_urc("+QFTPERROR", "-6", urc_timeout()));
  QFTP_TRY(auto state, stat());
  EXPECT_EQ(state, "CLOSED");
}

// The download ends with -8 and the session with it (the bytes before the loss are R/31's).
QFTP_CASE(S3_NetworkFaults, TheContextLostDuringADownloadThroughTheUartGivesMinus8, "3/-8",
          "2.2.4/05") {
  QFTP_REQUIRE_PICS(suite().has_network_control(),
                    "needs the emulator's network control (CONTEXT LOST)");
  QFTP_SETUP(open_session());
  const std::string file = test_content("lost", 200000);
  QFTP_DO(server_file("lost.bin", file));
  QFTP_DO(fault("SLOW 20000"));  // ten seconds: the loss lands in the middle
  QFTP_DO(at_expect("AT+QFTPGET=\"lost.bin\"", FinalKind::ok));
  QFTP_SETUP(expect_connect("+QFTPGET"));
  auto first = te().read_exactly(1000, transfer_timeout());
  if (!first) QFTP_SETUP(Done{fail("the download did not start: " + first.error())});
  QFTP_DO(network("CONTEXT LOST"));
  auto rest = te().read_until("+QFTPGET:", transfer_timeout());
  if (!rest) QFTP_DO(Done{fail("no +QFTPGET after the loss: " + rest.error())});
  std::string received = std::move(first).value() + std::move(rest).value();
  if (received.size() >= 2 && received.compare(received.size() - 2, 2, "\r\n") == 0)
    received.resize(received.size() - 2);
  QFTP_TRY(auto f, urc("+QFTPGET", transfer_timeout()));
  EXPECT_EQ(f.value, "-8");
  if (received.size() >= file.size())
    QFTP_INCONCLUSIVE("the whole file arrived: the loss came too late to judge");
  QFTP_TRY(auto state, stat());
  EXPECT_EQ(state, "CLOSED");
}

// Ruling 9, a session that ends during a transfer: the link going down takes the control
// connection with it, so the transfer ends with -6 and the session too. The fixture holds each
// transfer in the middle (STALL) until the link goes.
QFTP_CASE(S3_NetworkFaults, TheLinkGoingDownDuringADownloadGivesMinus6, "3/-6", "R/9") {
  QFTP_REQUIRE_PICS(suite().has_network_control(),
                    "needs the emulator's network control (LINK DOWN)");
  QFTP_SETUP(open_session());
  const std::string file = test_content("down", 5000);
  QFTP_DO(server_file("down.bin", file));
  QFTP_DO(fault("STALL RETR 1000 times=1"));
  QFTP_DO(at_expect("AT+QFTPGET=\"down.bin\"", FinalKind::ok));
  QFTP_SETUP(expect_connect("+QFTPGET"));
  // Some of the 1000 bytes before the stall: the transfer is under way (a DUT that lost a byte
  // still gets here).
  auto first = te().read_exactly(500, transfer_timeout());
  if (!first) QFTP_SETUP(Done{fail("the download did not start: " + first.error())});
  QFTP_DO(network("LINK DOWN"));
  QFTP_DO(expect_urc("+QFTPGET", "-6", transfer_timeout()));
  QFTP_DO(network("LINK UP"));
  QFTP_TRY(auto state, stat());
  EXPECT_EQ(state, "CLOSED");
}

// The same for an upload through the UART: the host goes on writing its file, and its bytes after
// the end, lines that read as commands among them, are data until <fileSz> (R/41).
QFTP_CASE(S3_NetworkFaults, TheLinkGoingDownDuringAnUploadGivesMinus6, "3/-6", "R/9", "R/41") {
  QFTP_REQUIRE_PICS(suite().has_network_control(),
                    "needs the emulator's network control (LINK DOWN)");
  QFTP_SETUP(open_session());
  std::string data = test_content("up", 4000);
  data.replace(2500, 10, "\rA/\rAT\rA/\r");
  QFTP_DO(fault("STALL STOR 1000 times=1"));
  QFTP_DO(at_expect("AT+QFTPPUT=\"up.bin\",4000,60", FinalKind::ok));
  QFTP_SETUP(expect_connect("+QFTPPUT"));
  QFTP_DO(send_raw(data.substr(0, 2000)));
  QFTP_DO(network("LINK DOWN"));
  QFTP_DO(send_raw(data.substr(2000)));
  QFTP_DO(expect_urc("+QFTPPUT", "-6", transfer_timeout()));
  QFTP_DO(network("LINK UP"));
  QFTP_TRY(auto state, stat());
  EXPECT_EQ(state, "CLOSED");
  for (const auto& l : te().take_queued()) ADD_FAILURE() << "after the upload: " << l.text;
}

}  // namespace
}  // namespace qftp::harness
