// r_hangup_test.cpp: docs/rulings.md ruling 15 as a host sees it: the host link ends (a DTR drop)
// and a host comes again. Under AT&D2 an upload keeps what arrived, a "++" held as a possible
// escape included, a download is abandoned, a half-typed line is forgotten, and the final URC
// waits for the next host (R/44); under AT&D0 data mode goes on (R/45). Applicable where the PICS
// declares host_link_hangup and the PIXIT's hangup_hold_ms says the bench can end the link.
#include <cstdlib>

#include "harness/qftp_case.h"

namespace qftp::harness {
namespace {

using R15_Hangup = QftpCase;

#define QFTP_REQUIRE_HANGUP()                                                          \
  do {                                                                                 \
    if (auto why = suite().host_link_hangup_unavailable())                             \
      return this->stop({Verdict::not_applicable, *why}, __FILE__, __LINE__);          \
  } while (0)

// The cases set AT&D2 (DTR off ends data mode; ruling 15 gives AT&D1 the same effect) or AT&D0;
// AT&D? is no standard read form, so the setting is made, not read back.

QFTP_CASE(R15_Hangup, AnUploadKeepsTheHeldPlusesAndReportsToTheNextHost, "R/44") {
  QFTP_REQUIRE_HANGUP();
  QFTP_SETUP(open_session());
  QFTP_SETUP(at_expect("AT&D2", FinalKind::ok));
  QFTP_SETUP(at_expect("AT+QFTPPUT=\"hup.bin\",100,60", FinalKind::ok));
  QFTP_SETUP(expect_connect("+QFTPPUT"));
  QFTP_DO(send_raw("hello"));
  // A guard time of silence, then "++": the DUT holds them as the start of an escape until the
  // third '+' or the gap limit; the link ends at once, before either.
  QFTP_DO(send_after_guard("++"));
  QFTP_DO(hang_up_host_link());
  // The next host gets the upload's result, counting the held "++": they arrived before the end.
  QFTP_TRY(auto put, urc("+QFTPPUT", transfer_timeout()));
  EXPECT_EQ(put.value, "7") << "+QFTPPUT after the host link ended: \"hello\" and the held \"++\"";
  QFTP_TRY(auto stored, read_server_file("hup.bin"));
  EXPECT_EQ(printable(stored), "hello++") << "the server's file after the host link ended";
  // The modem is in command mode with its FTP session as it was.
  QFTP_TRY(auto state, stat());
  EXPECT_EQ(state, "OPENED") << "the state after an upload the host link's end ended";
  QFTP_DO(expect_quiet("the upload's result"));
}

QFTP_CASE(R15_Hangup, ADownloadIsAbandonedAndReportsToTheNextHost, "R/44") {
  QFTP_REQUIRE_HANGUP();
  QFTP_SETUP(open_session());
  QFTP_SETUP(at_expect("AT&D2", FinalKind::ok));
  const std::size_t size = 200000;
  QFTP_DO(server_file("hup-big.bin", test_content("hup-big", size)));
  QFTP_DO(fault("SLOW 50000"));  // four seconds: the link ends in the middle
  QFTP_SETUP(at_expect("AT+QFTPGET=\"hup-big.bin\"", FinalKind::ok));
  QFTP_SETUP(expect_connect("+QFTPGET"));
  // Some of the file arrives, so the link ends while the download runs.
  auto first = te().read_exactly(1000, transfer_timeout());
  if (!first) QFTP_DO(Done{fail("no file data after CONNECT: " + first.error())});
  QFTP_DO(hang_up_host_link());
  // The next host reads no more of the file: the result, then command mode.
  QFTP_TRY(auto get, urc("+QFTPGET", transfer_timeout()));
  char* end = nullptr;
  const long moved = std::strtol(get.value.c_str(), &end, 10);
  EXPECT_TRUE(end != get.value.c_str() && *end == '\0')
      << "+QFTPGET:" << get.value << " is not a byte count";
  EXPECT_GE(moved, 1000) << "+QFTPGET counts less than the host had received";
  EXPECT_LT(moved, static_cast<long>(size)) << "the whole file was sent: the download went on";
  // Abandoned on the server's side too: its transfer did not run to the end.
  auto log = suite().control()->log();
  if (!log) QFTP_DO(Done{harness_error("fixture LOG: " + log.error())});
  for (const auto& e : log.value()) {
    EXPECT_FALSE(e.kind == "XFER" && e.text.find("complete=1") != std::string::npos &&
                 e.text.find("hup-big.bin") != std::string::npos)
        << "the server sent the whole file: the host link's end did not abandon the download";
  }
  QFTP_TRY(auto state, stat());
  EXPECT_EQ(state, "OPENED") << "the state after a download the host link's end abandoned";
  QFTP_DO(expect_quiet("the download's result"));
}

QFTP_CASE(R15_Hangup, AHalfTypedLineIsForgotten, "R/44") {
  QFTP_REQUIRE_HANGUP();
  QFTP_SETUP(at_expect("AT&D2", FinalKind::ok));
  // The name the reset set; a line joined across the hang-up would change it to "xy".
  const std::string before = "\"" + pixit().user + "\"";
  QFTP_DO(send_raw("AT+QFTPUSER=\"x"));
  QFTP_DO(hang_up_host_link());
  QFTP_DO(send_raw("y\"\r"));
  QFTP_TRY(auto r, at_expect("AT+QFTPUSER?", FinalKind::ok));
  QFTP_TRY(auto user, info_field(r, "+QFTPUSER"));
  EXPECT_EQ(user.value, before)
      << "the user name after the host link ended in the middle of AT+QFTPUSER=\"x";
  // The echo of the rest, junk without the AT prefix, is all the DUT may say to it.
  te().discard_queued([](const Line& l) { return l.text == "y\""; });
  QFTP_DO(expect_quiet("AT+QFTPUSER?"));
}

QFTP_CASE(R15_Hangup, UnderAtD0DataModeGoesOnForTheNextHost, "R/45") {
  QFTP_REQUIRE_HANGUP();
  QFTP_SETUP(open_session());
  QFTP_SETUP(at_expect("AT&D0", FinalKind::ok));
  QFTP_SETUP(at_expect("AT+QFTPPUT=\"hup-d0.bin\",10,60", FinalKind::ok));
  QFTP_SETUP(expect_connect("+QFTPPUT"));
  QFTP_DO(send_raw("hello"));
  QFTP_DO(hang_up_host_link());
  // The modem ignored DTR: the next host's bytes are the rest of the file.
  QFTP_DO(send_raw("world"));
  QFTP_TRY(auto put, urc("+QFTPPUT", transfer_timeout()));
  EXPECT_EQ(put.value, "10") << "+QFTPPUT after the host link ended under AT&D0";
  QFTP_TRY(auto stored, read_server_file("hup-d0.bin"));
  EXPECT_EQ(printable(stored), "helloworld") << "the server's file: both hosts' bytes";
  QFTP_TRY(auto state, stat());
  EXPECT_EQ(state, "OPENED");
}

// R/45 ended the other way: under AT&D0 the next host finds the upload still in data mode and ends
// it with the escape (ruling 6), before <fileSz>; the file holds both hosts' bytes.
QFTP_CASE(R15_Hangup, UnderAtD0TheNextHostEndsTheUploadWithTheEscape, "R/45") {
  QFTP_REQUIRE_HANGUP();
  QFTP_SETUP(open_session());
  QFTP_SETUP(at_expect("AT&D0", FinalKind::ok));
  QFTP_SETUP(at_expect("AT+QFTPPUT=\"hup-d0e.bin\",100,60", FinalKind::ok));
  QFTP_SETUP(expect_connect("+QFTPPUT"));
  QFTP_DO(send_raw("first"));
  QFTP_DO(hang_up_host_link());
  QFTP_DO(send_raw("second"));
  QFTP_DO(send_escape());
  QFTP_DO(await_text("OK", Ms(pixit().guard_ms) * 2 + command_timeout()));
  QFTP_TRY(auto after, settle_after_escape("+QFTPPUT", ""));
  EXPECT_EQ(after.result.value, "11") << "+QFTPPUT after the next host's escape under AT&D0";
  QFTP_TRY(auto stored, read_server_file("hup-d0e.bin"));
  EXPECT_EQ(printable(stored), "firstsecond") << "the server's file: both hosts' bytes";
}

}  // namespace
}  // namespace qftp::harness
