// r_escape_test.cpp: docs/rulings.md ruling 6 with spec 2.2.3/2.2.4 note "+++": the escape from an
// upload and from a download, "+++" without guard times staying data, ATO afterwards (both
// readings), and AT+QFTPLEN after a transfer the escape ended (2.2.10).
#include "harness/qftp_case.h"

namespace qftp::harness {
namespace {

using R6_Escape = QftpCase;

QFTP_CASE(R6_Escape, EscapeFromAnUploadKeepsWhatWasSent, "R/6", "R/6.2", "2.2.3/12", "R/40") {
  QFTP_SETUP(open_session());
  QFTP_SETUP(at_expect("AT+QFTPPUT=\"esc.bin\",100,60", FinalKind::ok));
  QFTP_SETUP(expect_connect("+QFTPPUT"));
  QFTP_DO(send_raw("hello"));
  QFTP_DO(send_escape());
  QFTP_CHECKS("R/6", "2.2.3/12");  // the escape leaves data mode
  QFTP_DO(await_text("OK", Ms(pixit().guard_ms) * 2 + command_timeout()));
  // A DUT that suspends instead gets the remaining 95 bytes after ATO's CONNECT.
  const std::string rest = test_content("esc-rest", 95);
  QFTP_CHECKS("R/6.2");  // ATO: NO CARRIER or CONNECT
  QFTP_TRY(auto after, settle_after_escape("+QFTPPUT", rest));
  QFTP_CHECKS("R/6");  // the upload keeps what it received, and counts it
  const std::string expected = after.resumed ? "hello" + rest : "hello";
  EXPECT_EQ(after.result.value, std::to_string(expected.size()));
  QFTP_TRY(auto stored, read_server_file("esc.bin"));
  EXPECT_EQ(stored, expected) << "the server's file after the escape";
  // R/40: the session is usable after the escape: OPENED, and a path change completes.
  QFTP_CHECKS("R/40");
  QFTP_TRY(auto state, stat());
  EXPECT_EQ(state, "OPENED") << "the state after an escaped upload";
  QFTP_DO(at_expect("AT+QFTPPATH=\"/\"", FinalKind::ok));
  QFTP_TRY(auto path, urc("+QFTPPATH"));
  EXPECT_EQ(path.value, "0") << "a path change after an escaped upload";
}

QFTP_CASE(R6_Escape, EscapeFromADownloadAbortsIt, "R/6", "R/6.2", "2.2.4/07", "R/40", "2.2.9/05",
          "2.2.5/03") {
  QFTP_SETUP(open_session());
  const std::size_t size = 200000;
  const std::string file = test_content("big", size);
  QFTP_DO(server_file("big.bin", file));
  QFTP_DO(fault("SLOW 50000"));  // four seconds: the escape lands in the middle
  QFTP_SETUP(at_expect("AT+QFTPGET=\"big.bin\"", FinalKind::ok));
  QFTP_SETUP(expect_connect("+QFTPGET"));
  QFTP_DO(send_escape());
  QFTP_CHECKS("R/6", "2.2.4/07");  // the escape leaves data mode
  // The data runs on until the DUT sees the escape; the OK ends it. The file has no "OK".
  auto data = te().read_until("\r\nOK\r\n", transfer_timeout());
  if (!data) {
    QFTP_DO(Done{fail("no OK after the escape: " + data.error())});
  }
  QFTP_DO(await_text("OK", command_timeout()));
  std::string received = std::move(data).value();
  QFTP_CHECKS("R/6.2");  // ATO: NO CARRIER or CONNECT
  QFTP_TRY(auto after, settle_after_escape("+QFTPGET", ""));
  received += after.data_after;
  QFTP_CHECKS("R/6");  // a download is aborted
  EXPECT_LE(received.size(), size);
  if (!after.resumed) {
    EXPECT_LT(received.size(), size) << "the whole file arrived: the escape came too late to judge";
  }
  EXPECT_EQ(after.result.value, std::to_string(received.size()))
      << "+QFTPGET must count the bytes sent";
  if (!after.resumed) {
    // Aborted on the server's side too: its transfer of big.bin did not run to the end.
    auto log = suite().control()->log();
    if (!log) QFTP_DO(Done{harness_error("fixture LOG: " + log.error())});
    bool completed = false;
    for (const auto& e : log.value()) {
      if (e.kind == "XFER" && e.text.find("complete=1") != std::string::npos &&
          e.text.find("big.bin") != std::string::npos) {
        completed = true;
      }
    }
    EXPECT_FALSE(completed) << "the server sent the whole file: the escape did not abort the download";
  }
  // R/40: the aborted download leaves the session usable: OPENED, and the next path change and
  // download complete (the replies to ABOR and RETR are not taken for theirs).
  QFTP_TRY(auto state, stat());
  {
    QFTP_CHECKS("R/40", "2.2.9/05");
    EXPECT_EQ(state, "OPENED") << "the state after an escaped download";
  }
  QFTP_DO(at_expect("AT+QFTPPATH=\"/\"", FinalKind::ok));
  QFTP_TRY(auto path, urc("+QFTPPATH"));
  {
    QFTP_CHECKS("R/40", "2.2.5/03");
    EXPECT_EQ(path.value, "0") << "a path change after an escaped download";
  }
  QFTP_CHECKS("R/40");
  const std::string small = test_content("after", 500);
  QFTP_DO(server_file("after.bin", small));
  QFTP_TRY(auto d, get_com("after.bin", small.size()));
  EXPECT_EQ(d.data, small) << "a download after an escaped download";
  EXPECT_EQ(d.result.value, std::to_string(small.size()));
}

QFTP_CASE(R6_Escape, LenAfterAnEscapedUploadIsWhatWasStored, "2.2.10/04") {
  QFTP_SETUP(open_session());
  QFTP_SETUP(at_expect("AT+QFTPPUT=\"part.bin\",100,60", FinalKind::ok));
  QFTP_SETUP(expect_connect("+QFTPPUT"));
  QFTP_DO(send_raw("0123456"));
  QFTP_SETUP(send_escape());
  QFTP_SETUP(await_text("OK", Ms(pixit().guard_ms) * 2 + command_timeout()));
  QFTP_SETUP_TRY(auto after, settle_after_escape("+QFTPPUT", test_content("part-rest", 93)));
  static_cast<void>(after);
  QFTP_TRY(auto stored, read_server_file("part.bin"));
  QFTP_TRY(auto r, at_expect("AT+QFTPLEN", FinalKind::ok));
  QFTP_TRY(auto len, info_field(r, "+QFTPLEN"));
  EXPECT_EQ(len.value, std::to_string(stored.size()))
      << "AT+QFTPLEN after a transfer the escape ended";
}

QFTP_CASE(R6_Escape, PlusesWithoutGuardTimesAreData, "R/6.1") {
  QFTP_SETUP(open_session());
  // docs/field-facts.md §2: some hosts send "+++ATH" with no pause; inside an upload it is data.
  const std::string data = "data+++ATH\r";
  QFTP_DO(
      at_expect("AT+QFTPPUT=\"plus.bin\"," + std::to_string(data.size()) + ",60", FinalKind::ok));
  QFTP_DO(expect_connect("+QFTPPUT"));
  QFTP_DO(send_raw(data));
  QFTP_TRY(auto f, urc("+QFTPPUT", transfer_timeout()));
  EXPECT_EQ(f.value, std::to_string(data.size()));
  QFTP_TRY(auto stored, read_server_file("plus.bin"));
  EXPECT_EQ(printable(stored), printable(data));
}

// 2.2.4/07 through the other data connection form (active mode), and 2.2.10/04 after a download
// the escape aborted (the case above: after an upload).
QFTP_CASE(R6_Escape, EscapeFromAnActiveModeDownloadAbortsItAndLenCountsWhatArrived, "2.2.4/07",
          "2.2.10/04") {
  QFTP_REQUIRE_PICS(pics().active_mode, "PICS: no active mode");
  QFTP_SETUP(open_session());
  QFTP_SETUP(set_cfg(1, "0"));
  const std::size_t size = 200000;
  QFTP_DO(server_file("big-active.bin", test_content("big-active", size)));
  QFTP_DO(fault("SLOW 50000"));  // four seconds: the escape lands in the middle
  QFTP_SETUP(at_expect("AT+QFTPGET=\"big-active.bin\"", FinalKind::ok));
  QFTP_SETUP(expect_connect("+QFTPGET"));
  QFTP_DO(send_escape());
  auto data = te().read_until("\r\nOK\r\n", transfer_timeout());
  if (!data) QFTP_DO(Done{fail("no OK after the escape: " + data.error())});
  QFTP_DO(await_text("OK", command_timeout()));
  std::string received = std::move(data).value();
  QFTP_TRY(auto after, settle_after_escape("+QFTPGET", ""));
  received += after.data_after;
  {
    QFTP_CHECKS("2.2.4/07");
    EXPECT_LE(received.size(), size);
    if (!after.resumed) {
      EXPECT_LT(received.size(), size) << "the whole file arrived: the escape came too late to judge";
    }
    EXPECT_EQ(after.result.value, std::to_string(received.size()))
        << "+QFTPGET must count the bytes sent";
  }
  QFTP_CHECKS("2.2.10/04");
  QFTP_TRY(auto r, at_expect("AT+QFTPLEN", FinalKind::ok));
  QFTP_TRY(auto len, info_field(r, "+QFTPLEN"));
  EXPECT_EQ(len.value, std::to_string(received.size()))
      << "AT+QFTPLEN after a download the escape ended";
}

}  // namespace
}  // namespace qftp::harness
