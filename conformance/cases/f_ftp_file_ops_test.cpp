// f_ftp_file_ops_test.cpp: AT+QFTPSIZE, AT+QFTPDELETE, AT+QFTPRENAME, AT+QFTPMKDIR and AT+QFTPRMDIR
// (docs/field-facts.md §5, ruling 9) by other paths than f_field_test.cpp's: in a directory set
// by AT+QFTPPATH, on files the DUT itself uploaded, through nested directories, after a closed
// session, and at the 50-character name limit. Refused verbs: f_field_server_replies_test.cpp. Not
// applicable unless the PICS declares the commands.
#include "harness/qftp_case.h"

namespace qftp::harness {
namespace {

using F_FtpFileOps = QftpCase;

#define QFTP_REQUIRE_FILE_OPS() \
  QFTP_REQUIRE_PICS(pics().field_ftp_commands, "PICS: no AT+QFTPSIZE and its siblings")

QFTP_CASE(F_FtpFileOps, SizeInTheCurrentDirectoryOfEmptyAndLargeFiles, "F/01") {
  QFTP_REQUIRE_FILE_OPS();
  QFTP_DO(server_file("f_sz_dir/f_zero.bin", ""));
  QFTP_DO(server_file("f_sz_dir/f_large.bin", test_content("large", 70001)));
  QFTP_SETUP(open_session());
  QFTP_SETUP(set_path("/f_sz_dir/"));
  QFTP_TRY(auto zero, urc_of("AT+QFTPSIZE=\"f_zero.bin\"", "+QFTPSIZE"));
  EXPECT_EQ(zero.value, "0") << "an empty file";
  QFTP_TRY(auto large, urc_of("AT+QFTPSIZE=\"f_large.bin\"", "+QFTPSIZE"));
  EXPECT_EQ(large.value, "70001");
  QFTP_SETUP(put_com("f_sz_up.bin", test_content("szup", 321)));
  QFTP_TRY(auto uploaded, urc_of("AT+QFTPSIZE=\"f_sz_up.bin\"", "+QFTPSIZE"));
  EXPECT_EQ(uploaded.value, "321") << "the file the DUT uploaded just before";
}

QFTP_CASE(F_FtpFileOps, SizeAfterACloseAndOutsideTheCurrentDirectory, "F/02") {
  QFTP_REQUIRE_FILE_OPS();
  QFTP_DO(server_file("f_sz_root.bin", test_content("root", 50)));
  QFTP_DO(server_file("f_sz_sub/f_sz_other.bin", test_content("other", 5)));
  QFTP_SETUP(open_session());
  QFTP_SETUP(close_session());
  QFTP_TRY(auto closed, urc_of("AT+QFTPSIZE=\"f_sz_root.bin\"", "+QFTPSIZE"));
  EXPECT_EQ(closed.value, "-1") << "after AT+QFTPCLOSE";
  QFTP_SETUP(open_session());
  QFTP_SETUP(set_path("/f_sz_sub/"));
  QFTP_TRY(auto elsewhere, urc_of("AT+QFTPSIZE=\"f_sz_root.bin\"", "+QFTPSIZE"));
  EXPECT_EQ(elsewhere.value, "-550") << "a file of the root, asked for in /f_sz_sub/";
  QFTP_TRY(auto again, urc_of("AT+QFTPSIZE=\"f_sz_root.bin\"", "+QFTPSIZE"));
  EXPECT_EQ(again.value, "-550") << "the same query after the failure";
}

QFTP_CASE(F_FtpFileOps, DeleteTheFileTheDutUploadedInADirectory, "F/03") {
  QFTP_REQUIRE_FILE_OPS();
  QFTP_DO(server_file("f_del_dir/f_keep.txt", "keep"));
  QFTP_DO(server_file("f_del_dir/f_by_path.txt", "path"));
  QFTP_SETUP(open_session());
  QFTP_TRY(auto by_path, urc_of("AT+QFTPDELETE=\"f_del_dir/f_by_path.txt\"", "+QFTPDELETE"));
  EXPECT_EQ(by_path.value, "0") << "a file named with its directory";
  EXPECT_FALSE(server_has("f_del_dir/f_by_path.txt"));
  QFTP_SETUP(set_path("/f_del_dir/"));
  QFTP_SETUP(put_com("f_del_up.txt", test_content("delup", 200)));
  QFTP_TRY(auto deleted, urc_of("AT+QFTPDELETE=\"f_del_up.txt\"", "+QFTPDELETE"));
  EXPECT_EQ(deleted.value, "0");
  EXPECT_FALSE(server_has("f_del_dir/f_del_up.txt"));
  EXPECT_TRUE(server_has("f_del_dir/f_keep.txt")) << "DELE removed another file";
  QFTP_TRY(auto twice, urc_of("AT+QFTPDELETE=\"f_del_up.txt\"", "+QFTPDELETE"));
  EXPECT_EQ(twice.value.substr(0, 1), "-") << "a file no longer there: " << twice.value;
}

QFTP_CASE(F_FtpFileOps, RenameInTheCurrentDirectoryAndDownloadIt, "F/04") {
  QFTP_REQUIRE_FILE_OPS();
  const std::string content = test_content("rn2", 150);
  QFTP_DO(server_file("f_rn_dir/f_rn_old.txt", content));
  QFTP_SETUP(open_session());
  QFTP_SETUP(set_path("/f_rn_dir/"));
  QFTP_TRY(auto moved, urc_of("AT+QFTPRENAME=\"f_rn_old.txt\",\"f_rn_new.txt\"", "+QFTPRENAME"));
  EXPECT_EQ(moved.value, "0");
  EXPECT_FALSE(server_has("f_rn_dir/f_rn_old.txt"));
  QFTP_TRY(auto got, get_com("f_rn_new.txt", content.size()));
  EXPECT_EQ(got.data, content) << "the renamed file downloaded by its new name";
  EXPECT_EQ(got.result.value, std::to_string(content.size()));
}

QFTP_CASE(F_FtpFileOps, NestedDirectoriesAreMadeAndUsed, "F/05") {
  QFTP_REQUIRE_FILE_OPS();
  QFTP_SETUP(open_session());
  QFTP_TRY(auto outer, urc_of("AT+QFTPMKDIR=\"f_mk\"", "+QFTPMKDIR"));
  EXPECT_EQ(outer.value, "0");
  QFTP_TRY(auto inner, urc_of("AT+QFTPMKDIR=\"f_mk/f_sub\"", "+QFTPMKDIR"));
  EXPECT_EQ(inner.value, "0") << "a directory inside the one just made";
  EXPECT_TRUE(server_has("f_mk/f_sub"));
  QFTP_SETUP(set_path("/f_mk/f_sub/"));
  QFTP_SETUP(put_com("f_in.txt", "inside"));
  QFTP_TRY(auto content, read_server_file("f_mk/f_sub/f_in.txt"));
  EXPECT_EQ(content, "inside") << "an upload into the directory made";
  QFTP_TRY(auto again, urc_of("AT+QFTPMKDIR=\"/f_mk\"", "+QFTPMKDIR"));
  EXPECT_EQ(again.value.substr(0, 1), "-") << "an existing directory by its absolute path";
}

QFTP_CASE(F_FtpFileOps, RmdirRemovesWhatMkdirMade, "F/06") {
  QFTP_REQUIRE_PICS(pics().ftp_rmdir && pics().field_ftp_commands,
                    "PICS: no AT+QFTPRMDIR or no AT+QFTPMKDIR");
  QFTP_SETUP(open_session());
  QFTP_SETUP_TRY(auto outer, urc_of("AT+QFTPMKDIR=\"f_rm2\"", "+QFTPMKDIR"));
  QFTP_SETUP_TRY(auto inner, urc_of("AT+QFTPMKDIR=\"f_rm2/f_inner\"", "+QFTPMKDIR"));
  if (outer.value != "0" || inner.value != "0") QFTP_INCONCLUSIVE("AT+QFTPMKDIR did not make them");
  QFTP_TRY(auto nested, urc_of("AT+QFTPRMDIR=\"f_rm2/f_inner\"", "+QFTPRMDIR"));
  EXPECT_EQ(nested.value, "0");
  EXPECT_FALSE(server_has("f_rm2/f_inner"));
  EXPECT_TRUE(server_has("f_rm2")) << "RMD removed the parent too";
  QFTP_TRY(auto parent, urc_of("AT+QFTPRMDIR=\"f_rm2\"", "+QFTPRMDIR"));
  EXPECT_EQ(parent.value, "0") << "the parent, empty now";
  EXPECT_FALSE(server_has("f_rm2"));
}

QFTP_CASE(F_FtpFileOps, FormatErrorsInASessionAndTheNameLimit, "F/26") {
  QFTP_REQUIRE_FILE_OPS();
  QFTP_SETUP(open_session());
  const std::string fifty(50, 'n');
  QFTP_TRY(auto limit, urc_of("AT+QFTPDELETE=\"" + fifty + "\"", "+QFTPDELETE"));
  EXPECT_EQ(limit.value.substr(0, 1), "-") << "a 50-character name is accepted (and not found)";
  QFTP_DO(expect_error("AT+QFTPDELETE=\"" + fifty + "n\""));
  QFTP_DO(expect_error("AT+QFTPDELETE"));
  QFTP_DO(expect_error("AT+QFTPRENAME=\"a\",\"b\",\"c\""));
  QFTP_DO(expect_error("AT+QFTPMKDIR=\"a\",\"b\""));
  QFTP_DO(expect_error("AT+QFTPSIZE=\"a\",\"b\""));
}

}  // namespace
}  // namespace qftp::harness
