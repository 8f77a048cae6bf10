// f_file_data_mode_test.cpp: the FILE commands' data mode (docs/field-facts.md §6, ruling 17):
// AT+QFWRITE and AT+QFUPL taking the host's bytes, with their <timeout>, ACK mode and the escape;
// the escape ending AT+QFDWL; AT+QFMOV; and the +CME ERROR codes of the declared set under each
// AT+CMEE. Not applicable unless the PICS declares file_commands (and cme_errors for F/34).

#include "f_file_case.h"

namespace qftp::harness {
namespace {

using F_FileData = FileCase;

#define QFTP_REQUIRE_RAM_FILES() \
  QFTP_REQUIRE_PICS(pics().file_commands && pics().has_ram, "PICS: no FILE commands on RAM")

QFTP_CASE(F_FileData, WriteGoesToTheHandlesPosition, "F/27") {
  QFTP_REQUIRE_RAM_FILES();
  QFTP_SETUP_TRY(auto h, qfopen("RAM:f_wr.bin", 1));
  QFTP_DO(expect_connect_to("AT+QFWRITE=" + h + ",10"));
  QFTP_DO(send_raw("0123456789"));
  QFTP_TRY(auto first, result_line("+QFWRITE"));
  EXPECT_EQ(first, "10,10");
  QFTP_DO(at_expect("AT+QFSEEK=" + h + ",3,0", FinalKind::ok));
  QFTP_DO(expect_connect_to("AT+QFWRITE=" + h + ",4"));
  QFTP_DO(send_raw("ABCDAT\r"));  // the bytes after the fourth are a command line again
  QFTP_TRY(auto over, result_line("+QFWRITE"));
  EXPECT_EQ(over, "4,10") << "four bytes written over the middle of a 10-byte file";
  QFTP_TRY(auto at_ok, response_to("AT"));
  EXPECT_TRUE(at_ok.is(FinalKind::ok)) << "the bytes after <length>: " << at_ok.describe();
  QFTP_TRY(auto pos, at_expect("AT+QFPOSITION=" + h, FinalKind::ok));
  QFTP_TRY(auto p, info_field(pos, "+QFPOSITION"));
  EXPECT_EQ(p.value, "7");
  QFTP_DO(at_expect("AT+QFSEEK=" + h + ",8,0", FinalKind::ok));
  QFTP_DO(expect_connect_to("AT+QFWRITE=" + h + ",4"));
  QFTP_DO(send_raw("WXYZ"));
  QFTP_TRY(auto past, result_line("+QFWRITE"));
  EXPECT_EQ(past, "4,12") << "four bytes from offset 8 of a 10-byte file";
  QFTP_DO(at_expect("AT+QFCLOSE=" + h, FinalKind::ok));
  QFTP_TRY(auto content, download("RAM:f_wr.bin"));
  EXPECT_EQ(content, "012ABCD7WXYZ");
  QFTP_DO(at_expect("AT+QFDEL=\"RAM:f_wr.bin\"", FinalKind::ok));
}

// Ruling 17: the LF of a command line ended by CR LF belongs to the line, not to the data after
// its CONNECT.
QFTP_CASE(F_FileData, AWriteWhoseLineEndsInCrLfTakesNoLf, "F/27") {
  QFTP_REQUIRE_RAM_FILES();
  QFTP_SETUP_TRY(auto h, qfopen("RAM:f_crlf.bin", 1));
  const std::string line = "AT+QFWRITE=" + h + ",3";
  QFTP_DO(send_raw(line + "\r\n"));
  QFTP_TRY(auto r, response_to(line, transfer_timeout()));
  if (!r.is(FinalKind::connect)) QFTP_DO(Done{fail(line + " ended by CR LF: " + r.describe())});
  QFTP_DO(send_raw("abc"));
  QFTP_TRY(auto done, result_line("+QFWRITE"));
  EXPECT_EQ(done, "3,3");
  QFTP_DO(at_expect("AT+QFCLOSE=" + h, FinalKind::ok));
  QFTP_TRY(auto content, download("RAM:f_crlf.bin"));
  EXPECT_EQ(printable(content), printable("abc")) << "the line's LF is no byte of the file";
  QFTP_DO(at_expect("AT+QFDEL=\"RAM:f_crlf.bin\"", FinalKind::ok));
}

QFTP_CASE(F_FileData, WriteEndsAfterItsTimeout, "F/28") {
  QFTP_REQUIRE_RAM_FILES();
  QFTP_SETUP_TRY(auto h, qfopen("RAM:f_wto.bin", 1));
  QFTP_DO(expect_connect_to("AT+QFWRITE=" + h + ",100,1"));
  QFTP_DO(send_raw("abc"));
  QFTP_TRY(auto done, result_line("+QFWRITE", transfer_timeout() + Ms(1000)));
  EXPECT_EQ(done, "3,3") << "three of 100 bytes, then one second of silence";
  QFTP_DO(at_expect("AT+QFCLOSE=" + h, FinalKind::ok));
  QFTP_TRY(auto content, download("RAM:f_wto.bin"));
  EXPECT_EQ(content, "abc");
  QFTP_DO(at_expect("AT+QFDEL=\"RAM:f_wto.bin\"", FinalKind::ok));
}

// F/28 with the <timeout> given, not a default: a write told 1 s ends about 1 s after its last
// byte, well before the 5 s that AT+QFWRITE takes without one (docs/field-facts.md §6). Its last
// byte is a '+' after a guard time, which the DUT holds as a possible escape: no second '+'
// comes, so it is data, written when the timeout ends the write.
QFTP_CASE(F_FileData, WriteEndsAtTheTimeoutItWasGivenWithAHeldPlus, "F/28") {
  QFTP_REQUIRE_RAM_FILES();
  QFTP_REQUIRE_PICS(pixit().guard_ms * 3 / 2 < 900,
                    "the guard time leaves no room before a 1 s <timeout>");
  QFTP_SETUP_TRY(auto h, qfopen("RAM:f_wto1.bin", 1));
  QFTP_DO(expect_connect_to("AT+QFWRITE=" + h + ",100,1"));
  QFTP_DO(send_raw("abc"));
  auto quiet = te().read_for(Ms(pixit().guard_ms) * 3 / 2);
  if (!quiet) QFTP_DO(Done{fail("the link during the write: " + quiet.error())});
  EXPECT_TRUE(quiet->empty()) << "the DUT ended the write early: " << printable(*quiet);
  QFTP_DO(send_raw("+"));
  // 1 s of <timeout>, and 2.5 s for the DUT and the link: still short of the 5 s default.
  QFTP_TRY(auto done, result_line("+QFWRITE", Ms(3500)));
  EXPECT_EQ(done, "4,4") << "\"abc\" and the held '+', then one second of silence";
  QFTP_DO(at_expect("AT+QFCLOSE=" + h, FinalKind::ok));
  QFTP_TRY(auto content, download("RAM:f_wto1.bin"));
  EXPECT_EQ(printable(content), printable("abc+"));
  QFTP_DO(at_expect("AT+QFDEL=\"RAM:f_wto1.bin\"", FinalKind::ok));
}

QFTP_CASE(F_FileData, ANewRamFileStopsAtItsLength, "F/37") {
  QFTP_REQUIRE_RAM_FILES();
  QFTP_SETUP(at("AT+QFDEL=\"RAM:f_cap.bin\""));
  QFTP_SETUP_TRY(auto h, qfopen("RAM:f_cap.bin", 1, 5));
  QFTP_DO(expect_connect_to("AT+QFWRITE=" + h + ",8"));
  QFTP_DO(send_raw("01234567AT\r"));  // eight bytes of data, then a command line
  QFTP_TRY(auto written, result_line("+QFWRITE"));
  EXPECT_EQ(written, "5,5") << "eight bytes into a RAM file opened with <length> 5";
  QFTP_TRY(auto at_ok, response_to("AT"));
  EXPECT_TRUE(at_ok.is(FinalKind::ok)) << "the bytes after <length>: " << at_ok.describe();
  QFTP_DO(at_expect("AT+QFCLOSE=" + h, FinalKind::ok));
  QFTP_TRY(auto content, download("RAM:f_cap.bin"));
  EXPECT_EQ(content, "01234");
  QFTP_DO(at_expect("AT+QFDEL=\"RAM:f_cap.bin\"", FinalKind::ok));
}

// F/37 with the default <length>, 10240 (docs/field-facts.md §6): one byte more is not written.
QFTP_CASE(F_FileData, ANewRamFileOfTheDefaultLengthStopsAt10240, "F/37") {
  QFTP_REQUIRE_RAM_FILES();
  QFTP_SETUP(at("AT+QFDEL=\"RAM:f_cap10k.bin\""));
  QFTP_SETUP_TRY(auto h, qfopen("RAM:f_cap10k.bin", 1));
  const std::string data = test_content("cap10k", 10241);
  QFTP_DO(expect_connect_to("AT+QFWRITE=" + h + ",10241"));
  QFTP_DO(send_raw(data));
  QFTP_TRY(auto written, result_line("+QFWRITE"));
  EXPECT_EQ(written, "10240,10240") << "10241 bytes into a RAM file opened without <length>";
  QFTP_DO(at_expect("AT+QFCLOSE=" + h, FinalKind::ok));
  QFTP_DO(at_expect("AT+QFDEL=\"RAM:f_cap10k.bin\"", FinalKind::ok));
}

QFTP_CASE(F_FileData, UploadCarriesItsChecksum, "F/29") {
  QFTP_REQUIRE_RAM_FILES();
  const std::string content = test_content("upl", 2000);
  QFTP_DO(at("AT+QFDEL=\"RAM:f_upl.bin\""));
  QFTP_DO(expect_connect_to("AT+QFUPL=\"RAM:f_upl.bin\",2000"));
  QFTP_DO(send_raw(content));
  QFTP_TRY(auto done, result_line("+QFUPL"));
  EXPECT_EQ(done, "2000," + file_checksum(content));
  QFTP_TRY(auto back, download("RAM:f_upl.bin"));
  EXPECT_EQ(back, content) << "AT+QFDWL of the uploaded file";
  QFTP_DO(at_expect("AT+QFDEL=\"RAM:f_upl.bin\"", FinalKind::ok));
}

QFTP_CASE(F_FileData, UploadInAckModeWaitsForEachA, "F/30") {
  QFTP_REQUIRE_RAM_FILES();
  const std::string content = test_content("ack", 2500);
  QFTP_DO(at("AT+QFDEL=\"RAM:f_ack.bin\""));
  QFTP_TRY(auto done, upload_acked("RAM:f_ack.bin", content, 5));
  EXPECT_EQ(done, "2500," + file_checksum(content));
  QFTP_TRY(auto back, download("RAM:f_ack.bin"));
  EXPECT_EQ(back, content);
  QFTP_DO(at_expect("AT+QFDEL=\"RAM:f_ack.bin\"", FinalKind::ok));
}

QFTP_CASE(F_FileData, TheEscapeEndsAnUploadAndAWrite, "F/31") {
  QFTP_REQUIRE_RAM_FILES();
  QFTP_DO(at("AT+QFDEL=\"RAM:f_esc.bin\""));
  QFTP_DO(expect_connect_to("AT+QFUPL=\"RAM:f_esc.bin\",1000"));
  QFTP_DO(send_raw("abcdef"));
  QFTP_DO(send_escape());
  QFTP_TRY(auto upl, result_line("+QFUPL"));
  EXPECT_EQ(upl, "6," + file_checksum("abcdef"));
  QFTP_SETUP_TRY(auto h, qfopen("RAM:f_esc.bin", 0));
  QFTP_DO(expect_connect_to("AT+QFWRITE=" + h + ",100"));
  QFTP_DO(send_raw("xyz"));
  QFTP_DO(send_escape());
  QFTP_TRY(auto wrote, result_line("+QFWRITE"));
  EXPECT_EQ(wrote, "3,6");
  QFTP_DO(at_expect("AT+QFCLOSE=" + h, FinalKind::ok));
  QFTP_TRY(auto content, download("RAM:f_esc.bin"));
  EXPECT_EQ(content, "xyzdef");
  QFTP_DO(at_expect("AT+QFDEL=\"RAM:f_esc.bin\"", FinalKind::ok));
}

QFTP_CASE(F_FileData, TheEscapeEndsADownload, "F/32") {
  QFTP_REQUIRE_RAM_FILES();
  const std::string content = test_content("dwlesc", 20000);
  QFTP_SETUP(upload("RAM:f_dwlesc.bin", content));
  QFTP_TRY(auto sent, escaped_download("RAM:f_dwlesc.bin", content));
  static_cast<void>(sent);  // checked by escaped_download()
  QFTP_DO(at_expect("AT", FinalKind::ok));
  QFTP_DO(at_expect("AT+QFDEL=\"RAM:f_dwlesc.bin\"", FinalKind::ok));
}

QFTP_CASE(F_FileData, MoveAndCopyFiles, "F/33") {
  QFTP_REQUIRE_PICS(pics().file_commands && pics().has_ufs, "PICS: no FILE commands on UFS");
  const std::string content = test_content("mov", 300);
  QFTP_SETUP(upload("f_mov_src.txt", content));
  QFTP_SETUP(upload("f_mov_dst.txt", "old"));
  QFTP_TRY(auto kept, at("AT+QFMOV=\"f_mov_src.txt\",\"f_mov_dst.txt\",1,0"));
  EXPECT_TRUE(refused(kept)) << "an existing destination without <overwrite>: " << kept.describe();
  QFTP_TRY(auto old, download("f_mov_dst.txt"));
  EXPECT_EQ(old, "old");
  QFTP_DO(at_expect("AT+QFMOV=\"f_mov_src.txt\",\"f_mov_dst.txt\",1,1", FinalKind::ok));
  QFTP_TRY(auto copied, download("f_mov_dst.txt"));
  EXPECT_EQ(copied, content);
  QFTP_DO(at_expect("AT+QFMOV=\"f_mov_src.txt\",\"f_mov_new.txt\",0,0", FinalKind::ok));
  QFTP_TRY(auto gone, at("AT+QFDWL=\"f_mov_src.txt\""));
  EXPECT_TRUE(refused(gone)) << "the moved source: " << gone.describe();
  QFTP_TRY(auto moved, download("f_mov_new.txt"));
  EXPECT_EQ(moved, content);
  QFTP_DO(at_expect("AT+QFDEL=\"f_mov_dst.txt\"", FinalKind::ok));
  QFTP_DO(at_expect("AT+QFDEL=\"f_mov_new.txt\"", FinalKind::ok));
}

QFTP_CASE(F_FileData, FileErrorsCarryTheDeclaredCodes, "F/34") {
  QFTP_REQUIRE_PICS(pics().cme_errors && pics().file_commands && pics().has_ram,
                    "PICS: no +CME ERROR for the FILE commands");
  QFTP_TRY(auto input, at("AT+QFOPEN=\"RAM:f_err.bin\",7"));
  EXPECT_EQ(input.final.text, "+CME ERROR: " + code(3765)) << "a mode out of range";
  QFTP_TRY(auto name, at("AT+QFOPEN=\"RAM:f/err.bin\",0"));
  EXPECT_EQ(name.final.text, "+CME ERROR: " + code(3920)) << "a name with '/'";
  QFTP_TRY(auto missing, at("AT+QFDWL=\"RAM:f_err_none.bin\""));
  EXPECT_EQ(missing.final.text, "+CME ERROR: " + code(3919));
  if (pics().has_ufs) {
    QFTP_SETUP(upload("f_err_a.txt", "a"));
    QFTP_SETUP(upload("f_err_b.txt", "b"));
    const std::string mov = "AT+QFMOV=\"f_err_a.txt\",\"f_err_b.txt\",1,0";
    QFTP_TRY(auto exists, at(mov));
    EXPECT_EQ(exists.final.text, "+CME ERROR: " + code(3921));
    QFTP_TRY(auto upl, at("AT+QFUPL=\"f_err_b.txt\",1"));
    EXPECT_EQ(upl.final.text, "+CME ERROR: " + code(3921)) << "AT+QFUPL to a name that exists (ruling 17)";
    QFTP_DO(at_expect("AT+CMEE=2", FinalKind::ok));
    QFTP_TRY(auto text, at(mov));
    EXPECT_EQ(text.final.text, "+CME ERROR: file exists");
    QFTP_DO(at_expect("AT+CMEE=0", FinalKind::ok));
    QFTP_TRY(auto bare, at(mov));
    EXPECT_EQ(bare.final.text, "ERROR");
    QFTP_DO(at_expect("AT+CMEE=1", FinalKind::ok));
    QFTP_DO(at_expect("AT+QFDEL=\"f_err_a.txt\"", FinalKind::ok));
    QFTP_DO(at_expect("AT+QFDEL=\"f_err_b.txt\"", FinalKind::ok));
  }
  QFTP_DO(at_expect("AT+CMEE=2", FinalKind::ok));
  QFTP_TRY(auto text, at("AT+QFOPEN=\"RAM:f_err.bin\",7"));
  EXPECT_EQ(text.final.text, "+CME ERROR: " + invalid_input_text());
  QFTP_DO(at_expect("AT+CMEE=0", FinalKind::ok));
  QFTP_TRY(auto bare, at("AT+QFOPEN=\"RAM:f_err.bin\",7"));
  EXPECT_EQ(bare.final.text, "ERROR");
  QFTP_DO(at_expect("AT+CMEE=1", FinalKind::ok));
}

}  // namespace
}  // namespace qftp::harness
