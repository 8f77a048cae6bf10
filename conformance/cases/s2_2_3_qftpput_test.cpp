// s2_2_3_qftpput_test.cpp: spec 2.2.3, AT+QFTPPUT: test form, format errors, uploads through the
// UART (ruling 5: exactly <fileSz> bytes, <time>), from UFS with <fileSz> 0, limits and flow
// control.
#include <algorithm>

#include "harness/qftp_case.h"

namespace qftp::harness {
namespace {

using S2_2_3_Put = QftpCase;

bool sent_stor(const std::vector<std::string>& cmds) {
  return std::any_of(cmds.begin(), cmds.end(),
                     [](const std::string& c) { return c.rfind("STOR", 0) == 0; });
}

QFTP_CASE(S2_2_3_Put, TestCommandListsNameSizeAndTimeRange, "2.2.3/01") {
  QFTP_TRY(auto r, at_expect("AT+QFTPPUT=?", FinalKind::ok));
  QFTP_TRY(auto f, info_field(r, "+QFTPPUT"));
  EXPECT_EQ(f.value, "\"FILE NAME\",<fileSz>,(1-65535)");
}

QFTP_CASE(S2_2_3_Put, WrongFormatAnswersErrorAndStartsNothing, "2.2.3/02", "R/4") {
  QFTP_SETUP(open_session());
  for (const char* line :
       {"AT+QFTPPUT=f.bin,10", "AT+QFTPPUT=\"f.bin\"", "AT+QFTPPUT=\"f.bin\",-1",
        "AT+QFTPPUT=\"f.bin\",10,60,1", "AT+QFTPPUT=\"f.bin\",ten", "AT+QFTPPUT"}) {
    QFTP_DO(expect_error(line));
  }
  QFTP_TRY(auto cmds, ftp_commands());
  EXPECT_FALSE(sent_stor(cmds)) << "a malformed AT+QFTPPUT reached the server";
}

QFTP_CASE(S2_2_3_Put, UploadThroughTheUartGivesConnectAndTheSize, "2.2.3/03", "2.2.3/04", "R/5") {
  QFTP_SETUP(open_session());
  const std::string data = test_content("up.bin", 1000);
  QFTP_TRY(auto f, put_com("up.bin", data, 60));  // OK and CONNECT: 2.2.3/03 with the others
  QFTP_CHECKS("2.2.3/04", "R/5");
  EXPECT_EQ(f.value, "1000");
  QFTP_TRY(auto stored, read_server_file("up.bin"));
  EXPECT_TRUE(stored == data) << "the server holds " << stored.size()
                              << " bytes that differ from the 1000 sent";
}

QFTP_CASE(S2_2_3_Put, RefusedUploadGivesNegativeCode, "2.2.3/05") {
  QFTP_SETUP(open_session());
  QFTP_DO(fault("REPLY STOR 553"));
  QFTP_DO(at_expect("AT+QFTPPUT=\"refused.bin\",10,60", FinalKind::ok));
  QFTP_TRY(auto f, urc("+QFTPPUT", transfer_timeout()));
  EXPECT_TRUE(!f.value.empty() && f.value[0] == '-')
      << "the server refused STOR, yet +QFTPPUT:" << f.value;
}

QFTP_CASE(S2_2_3_Put, FileNameOf50IsAcceptedAnd51IsNot, "2.2.3/06", "R/4") {
  QFTP_SETUP(open_session());
  const std::string name50 = std::string(46, 'p') + ".bin";
  QFTP_TRY(auto f, put_com(name50, "0123456789", 60));
  EXPECT_TRUE(!f.value.empty() && f.value[0] != '-')
      << "a 50-character name gave +QFTPPUT:" << f.value;
  EXPECT_TRUE(server_has(name50)) << "the server has no " << name50;
  QFTP_DO(expect_error("AT+QFTPPUT=\"q" + name50 + "\",10,60"));
}

QFTP_CASE(S2_2_3_Put, StoredFileWithSizeZeroUploadsItsRealSize, "2.2.3/07") {
  QFTP_REQUIRE_PICS(pics().has_ufs, "PICS: no /UFS/");
  QFTP_SETUP(open_session());
  const std::string data = test_content("zero.bin", 700);
  QFTP_SETUP(make_local_file("/UFS/", "zero.bin", data));
  QFTP_SETUP(set_cfg(4, "\"/UFS/\""));
  QFTP_DO(at_expect("AT+QFTPPUT=\"zero.bin\",0", FinalKind::ok));
  QFTP_TRY(auto f, urc("+QFTPPUT", transfer_timeout()));
  EXPECT_EQ(f.value, "700");
  QFTP_TRY(auto stored, read_server_file("zero.bin"));
  EXPECT_TRUE(stored == data) << "the server holds " << stored.size()
                              << " bytes, not the UFS file's 700";
}

QFTP_CASE(S2_2_3_Put, TimeIsOptional, "2.2.3/08") {
  QFTP_SETUP(open_session());
  QFTP_DO(at_expect("AT+QFTPPUT=\"notime.bin\",10", FinalKind::ok));
  QFTP_DO(expect_connect("+QFTPPUT"));
  // In two writes: an input cut at once (a default <time> of 0) would have ended after the first.
  QFTP_DO(send_raw("01234"));
  QFTP_DO(send_raw("56789"));
  QFTP_TRY(auto f, urc("+QFTPPUT", transfer_timeout()));
  QFTP_TRY(auto stored, read_server_file("notime.bin"));
  EXPECT_EQ(f.value, std::to_string(stored.size()))
      << "+QFTPPUT must count the bytes the server received";
  EXPECT_GE(stored.size(), 6U) << "the upload stopped after the first write";
}

QFTP_CASE(S2_2_3_Put, TimeRangesFrom1To65535, "2.2.3/09", "R/4") {
  QFTP_SETUP(open_session());
  QFTP_DO(expect_error("AT+QFTPPUT=\"t.bin\",3,0"));
  QFTP_DO(expect_error("AT+QFTPPUT=\"t.bin\",3,65536"));
  for (const int time_s : {1, 65535}) {
    QFTP_TRY(auto f, put_com("t" + std::to_string(time_s) + ".bin", "abc", time_s));
    EXPECT_TRUE(!f.value.empty() && f.value[0] != '-')
        << "<time> " << time_s << " gave +QFTPPUT:" << f.value;
  }
}

QFTP_CASE(S2_2_3_Put, InputEndsAtFileSzAndTheRestIsCommandInput, "2.2.3/10", "R/5") {
  QFTP_SETUP(open_session());
  QFTP_DO(at_expect("AT+QFTPPUT=\"exact.bin\",10,60", FinalKind::ok));
  QFTP_DO(expect_connect("+QFTPPUT"));
  // One write: ten bytes of data, then a command line.
  QFTP_DO(send_raw("0123456789AT+QFTPLEN=?\r"));
  QFTP_DO(await_text("OK", transfer_timeout()));
  QFTP_TRY(auto f, urc("+QFTPPUT", transfer_timeout()));
  EXPECT_EQ(f.value, "10");
  QFTP_TRY(auto stored, read_server_file("exact.bin"));
  EXPECT_EQ(stored, "0123456789");
}

QFTP_CASE(S2_2_3_Put, InputEndsAtTimeWithWhatArrived, "2.2.3/11", "R/5") {
  QFTP_SETUP(open_session());
  QFTP_DO(at_expect("AT+QFTPPUT=\"timed.bin\",100,1", FinalKind::ok));
  QFTP_DO(expect_connect("+QFTPPUT"));
  QFTP_DO(send_raw("abc"));
  QFTP_TRY(auto f, urc("+QFTPPUT", transfer_timeout() + Ms(1000)));
  EXPECT_EQ(f.value, "3");
  QFTP_TRY(auto stored, read_server_file("timed.bin"));
  EXPECT_EQ(stored, "abc");
}

// A '+' after a guard time of silence may start an escape, so the DUT holds it back; no second
// '+' follows within the gap, so it is data (ruling 6), and the upload <time> ends keeps it.
QFTP_CASE(S2_2_3_Put, InputEndsAtTimeWithAHeldPlusAsData, "2.2.3/11", "R/5") {
  QFTP_SETUP(open_session());
  QFTP_DO(at_expect("AT+QFTPPUT=\"held.bin\",100,1", FinalKind::ok));
  QFTP_DO(expect_connect("+QFTPPUT"));
  QFTP_DO(send_raw("abc"));
  // Twice the guard time of silence, in which the DUT must send nothing.
  auto quiet = te().read_for(Ms(pixit().guard_ms) * 2);
  if (!quiet) QFTP_DO(Done{fail("the link during the upload: " + quiet.error())});
  EXPECT_TRUE(quiet->empty()) << "the DUT sent during an upload: " << *quiet;
  QFTP_DO(send_raw("+"));
  QFTP_TRY(auto f, urc("+QFTPPUT", transfer_timeout() + Ms(1000)));
  EXPECT_EQ(f.value, "4") << "the '+' held as a possible escape arrived before <time> ran out";
  QFTP_TRY(auto stored, read_server_file("held.bin"));
  EXPECT_EQ(stored, "abc+");
}

QFTP_CASE(S2_2_3_Put, HardwareFlowControlIsAccepted, "2.2.3/13") {
  QFTP_DO(at_expect("AT+IFC=2,2", FinalKind::ok));
  QFTP_TRY(auto r, at_expect("AT+IFC?", FinalKind::ok));
  QFTP_TRY(auto f, info_field(r, "+IFC"));
  EXPECT_EQ(f.value, "2,2");
  QFTP_DO(at_expect("AT+IFC=0,0", FinalKind::ok));
}

}  // namespace
}  // namespace qftp::harness
