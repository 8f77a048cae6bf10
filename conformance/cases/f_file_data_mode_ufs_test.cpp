// f_file_data_mode_ufs_test.cpp: the FILE commands' data mode (docs/field-facts.md §6, ruling 17)
// on UFS files and in other states than f_file_data_mode_test.cpp's: writes at the end and inside
// an existing file opened with mode 0, a 1-byte and an every-byte-value upload, ACK mode with each
// block sent in two pieces, the escape after a file was emptied, a download again after an escaped
// one, and AT+QFMOV out of RAM. Not applicable unless the PICS declares the FILE commands on UFS.
#include "f_file_case.h"

namespace qftp::harness {
namespace {

using F_FileDataUfs = FileCase;

#define QFTP_REQUIRE_UFS_FILES() \
  QFTP_REQUIRE_PICS(pics().file_commands && pics().has_ufs, "PICS: no FILE commands on UFS")

QFTP_CASE(F_FileDataUfs, WritesAtTheEndAndInsideAnExistingFile, "F/27") {
  QFTP_REQUIRE_UFS_FILES();
  QFTP_SETUP(upload("f_wr_ufs.txt", "hello"));
  QFTP_SETUP_TRY(auto h, qfopen("f_wr_ufs.txt", 0));
  QFTP_DO(at_expect("AT+QFSEEK=" + h + ",0,2", FinalKind::ok));
  QFTP_DO(expect_connect_to("AT+QFWRITE=" + h + ",3"));
  QFTP_DO(send_raw(std::string("a\0z", 3)));
  QFTP_TRY(auto appended, result_line("+QFWRITE"));
  EXPECT_EQ(appended, "3,8") << "three bytes after the end of a 5-byte file";
  QFTP_TRY(auto end, qfposition(h));
  EXPECT_EQ(end, "8");
  QFTP_DO(at_expect("AT+QFSEEK=" + h + ",1,0", FinalKind::ok));
  QFTP_DO(expect_connect_to("AT+QFWRITE=" + h + ",2"));
  QFTP_DO(send_raw("XY"));
  QFTP_TRY(auto inside, result_line("+QFWRITE"));
  EXPECT_EQ(inside, "2,8") << "two bytes over the second and third";
  QFTP_TRY(auto moved, qfposition(h));
  EXPECT_EQ(moved, "3");
  QFTP_DO(at_expect("AT+QFCLOSE=" + h, FinalKind::ok));
  QFTP_TRY(auto content, download("f_wr_ufs.txt"));
  EXPECT_EQ(content, std::string("hXYloa\0z", 8));
  QFTP_DO(at_expect("AT+QFDEL=\"f_wr_ufs.txt\"", FinalKind::ok));
}

QFTP_CASE(F_FileDataUfs, AWriteInsideAFileEndsAfterItsTimeout, "F/28") {
  QFTP_REQUIRE_UFS_FILES();
  QFTP_SETUP(upload("f_wto_ufs.txt", "0123456789"));
  QFTP_SETUP_TRY(auto h, qfopen("f_wto_ufs.txt", 0));
  QFTP_DO(at_expect("AT+QFSEEK=" + h + ",4,0", FinalKind::ok));
  QFTP_DO(expect_connect_to("AT+QFWRITE=" + h + ",50,1"));
  QFTP_DO(send_raw("xyz"));
  QFTP_TRY(auto done, result_line("+QFWRITE", transfer_timeout() + Ms(1000)));
  EXPECT_EQ(done, "3,10") << "three of 50 bytes inside a 10-byte file, then one second of silence";
  QFTP_DO(at_expect("AT", FinalKind::ok));  // command mode again
  QFTP_DO(at_expect("AT+QFCLOSE=" + h, FinalKind::ok));
  QFTP_TRY(auto content, download("f_wto_ufs.txt"));
  EXPECT_EQ(content, "0123xyz789");
  QFTP_DO(at_expect("AT+QFDEL=\"f_wto_ufs.txt\"", FinalKind::ok));
}

QFTP_CASE(F_FileDataUfs, OneByteAndEveryByteValueUploads, "F/29") {
  QFTP_REQUIRE_UFS_FILES();
  QFTP_TRY(auto one, upload("f_one.txt", "Z"));
  EXPECT_EQ(one, "1," + file_checksum("Z")) << "one byte, padded";
  QFTP_TRY(auto back_one, download("f_one.txt"));
  EXPECT_EQ(back_one, "Z");
  const std::string bytes = every_byte_value();
  QFTP_TRY(auto all, upload("f_bytes_ufs.bin", bytes));
  EXPECT_EQ(all, "257," + file_checksum(bytes));
  QFTP_TRY(auto back, download("f_bytes_ufs.bin"));
  EXPECT_EQ(back, bytes) << "AT+QFDWL of the uploaded bytes";
  QFTP_DO(at_expect("AT+QFDEL=\"f_one.txt\"", FinalKind::ok));
  QFTP_DO(at_expect("AT+QFDEL=\"f_bytes_ufs.bin\"", FinalKind::ok));
}

QFTP_CASE(F_FileDataUfs, AckModeWithBlocksSentInPieces, "F/30") {
  QFTP_REQUIRE_UFS_FILES();
  const std::string content = test_content("ackufs", 3000);
  QFTP_DO(at("AT+QFDEL=\"f_ack_ufs.bin\""));
  QFTP_TRY(auto done, upload_acked("f_ack_ufs.bin", content, 3, 600));  // each block in two writes
  EXPECT_EQ(done, "3000," + file_checksum(content));
  QFTP_TRY(auto back, download("f_ack_ufs.bin"));
  EXPECT_EQ(back, content);
  QFTP_DO(at_expect("AT+QFDEL=\"f_ack_ufs.bin\"", FinalKind::ok));
}

QFTP_CASE(F_FileDataUfs, TheEscapeAfterAFileWasEmptied, "F/31") {
  QFTP_REQUIRE_UFS_FILES();
  QFTP_DO(at("AT+QFDEL=\"f_esc_ufs.txt\""));
  QFTP_DO(expect_connect_to("AT+QFUPL=\"f_esc_ufs.txt\",500"));
  QFTP_DO(send_raw("0123456789"));
  QFTP_DO(send_escape());
  QFTP_TRY(auto upl, result_line("+QFUPL"));
  EXPECT_EQ(upl, "10," + file_checksum("0123456789"));
  QFTP_TRY(auto listed, at_expect("AT+QFLST=\"f_esc_ufs.txt\"", FinalKind::ok));
  ASSERT_EQ(listed.info.size(), 1u) << listed.describe();
  EXPECT_EQ(listed.info[0].text, "+QFLST: \"f_esc_ufs.txt\",10") << "the bytes before the escape";
  QFTP_SETUP_TRY(auto h, qfopen("f_esc_ufs.txt", 1));  // mode 1 empties it
  QFTP_DO(expect_connect_to("AT+QFWRITE=" + h + ",100"));
  QFTP_DO(send_raw("ab"));
  QFTP_DO(send_escape());
  QFTP_TRY(auto wrote, result_line("+QFWRITE"));
  EXPECT_EQ(wrote, "2,2") << "two bytes into an emptied file";
  QFTP_DO(at_expect("AT+QFCLOSE=" + h, FinalKind::ok));
  QFTP_TRY(auto content, download("f_esc_ufs.txt"));
  EXPECT_EQ(content, "ab");
  QFTP_DO(at_expect("AT+QFDEL=\"f_esc_ufs.txt\"", FinalKind::ok));
}

QFTP_CASE(F_FileDataUfs, ADownloadAfterAnEscapedOneIsWhole, "F/32") {
  QFTP_REQUIRE_UFS_FILES();
  const std::string content = test_content("dwlufs", 20000);
  QFTP_SETUP(upload("f_dwl_ufs.bin", content));
  QFTP_TRY(auto sent, escaped_download("f_dwl_ufs.bin", content));
  static_cast<void>(sent);  // checked by escaped_download()
  QFTP_TRY(auto whole, download("f_dwl_ufs.bin"));
  EXPECT_EQ(whole, content) << "AT+QFDWL again, after the escaped one";
  QFTP_DO(at_expect("AT+QFDEL=\"f_dwl_ufs.bin\"", FinalKind::ok));
}

QFTP_CASE(F_FileDataUfs, MoveOutOfRamAndCopyOverAFile, "F/33") {
  QFTP_REQUIRE_PICS(pics().file_commands && pics().has_ufs && pics().has_ram,
                    "PICS: no FILE commands on UFS and RAM");
  const std::string content = test_content("movram", 500);
  QFTP_SETUP(upload("RAM:f_mv_src.bin", content));
  QFTP_SETUP(upload("f_mv_old.bin", "old"));
  QFTP_DO(at("AT+QFDEL=\"f_mv_dst.bin\""));
  QFTP_DO(at_expect("AT+QFMOV=\"RAM:f_mv_src.bin\",\"f_mv_dst.bin\",0,0", FinalKind::ok));
  QFTP_TRY(auto gone, at("AT+QFDWL=\"RAM:f_mv_src.bin\""));
  EXPECT_TRUE(refused(gone)) << "the RAM source after the move: " << gone.describe();
  QFTP_TRY(auto moved, download("f_mv_dst.bin"));
  EXPECT_EQ(moved, content);
  QFTP_TRY(auto kept, at("AT+QFMOV=\"f_mv_dst.bin\",\"f_mv_old.bin\",0,0"));
  EXPECT_TRUE(refused(kept)) << "a move onto an existing file without <overwrite>";
  QFTP_TRY(auto still, download("f_mv_dst.bin"));
  EXPECT_EQ(still, content) << "the refused move removed its source";
  QFTP_TRY(auto old, download("f_mv_old.bin"));
  EXPECT_EQ(old, "old");
  QFTP_DO(at_expect("AT+QFMOV=\"f_mv_dst.bin\",\"f_mv_old.bin\",1,1", FinalKind::ok));
  QFTP_TRY(auto copied, download("f_mv_old.bin"));
  EXPECT_EQ(copied, content) << "a copy over the existing file";
  QFTP_TRY(auto source, download("f_mv_dst.bin"));
  EXPECT_EQ(source, content) << "the copy's source";
  QFTP_DO(at_expect("AT+QFDEL=\"f_mv_dst.bin\"", FinalKind::ok));
  QFTP_DO(at_expect("AT+QFDEL=\"f_mv_old.bin\"", FinalKind::ok));
}

}  // namespace
}  // namespace qftp::harness
