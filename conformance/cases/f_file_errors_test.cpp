// f_file_errors_test.cpp: the FILE commands' +CME ERROR codes (docs/field-facts.md §6-§7) reached by
// other commands, stores and states than f_field_test.cpp and f_file_data_mode_test.cpp reach them:
// a missing UFS file under each AT+CMEE, and the invalid-input, invalid-name and file-exists
// failures of AT+QFLDS, AT+QFCLOSE, AT+QFDEL and AT+QFMOV out of RAM, each followed by a query that
// the failure changed nothing. Not applicable unless the PICS declares cme_errors and the FILE
// commands on UFS.
#include "f_file_case.h"

namespace qftp::harness {
namespace {

using F_FileErrors = FileCase;

#define QFTP_REQUIRE_UFS_CME()                                                \
  QFTP_REQUIRE_PICS(pics().cme_errors && pics().file_commands && pics().has_ufs, \
                    "PICS: no +CME ERROR for the FILE commands on UFS")

QFTP_CASE(F_FileErrors, AMissingUfsFileUnderEachCmee, "F/15") {
  QFTP_REQUIRE_UFS_CME();
  QFTP_DO(at("AT+QFDEL=\"f_cme_none.txt\""));  // whatever an earlier run left
  const std::string lines[] = {"AT+QFDWL=\"f_cme_none.txt\"", "AT+QFDEL=\"f_cme_none.txt\"",
                               "AT+QFOPEN=\"f_cme_none.txt\",2"};
  for (const auto& line : lines) {
    QFTP_TRY(auto one, at(line));
    EXPECT_EQ(one.final.text, "+CME ERROR: " + code(3919)) << line << " under the factory AT+CMEE=1";
  }
  QFTP_DO(at_expect("AT+CMEE=2", FinalKind::ok));
  for (const auto& line : lines) {
    QFTP_TRY(auto two, at(line));
    EXPECT_EQ(two.final.text, "+CME ERROR: file not found") << line << " under AT+CMEE=2";
  }
  // A format error of an FTP command stays a bare ERROR whatever AT+CMEE says.
  QFTP_DO(expect_error("AT+QFTPCFG=9,1"));
  QFTP_DO(expect_error("AT+QFTPGET"));
  QFTP_DO(at_expect("AT+CMEE=0", FinalKind::ok));
  for (const auto& line : lines) {
    QFTP_TRY(auto zero, at(line));
    EXPECT_EQ(zero.final.text, "ERROR") << line << " under AT+CMEE=0";
  }
  QFTP_DO(at_expect("AT+CMEE=1", FinalKind::ok));
  QFTP_TRY(auto back, at("AT+QFDWL=\"f_cme_none.txt\""));
  EXPECT_EQ(back.final.text, "+CME ERROR: " + code(3919)) << "AT+CMEE=1 set again";
}

QFTP_CASE(F_FileErrors, DriveAndHandleFailuresAreInvalidInput, "F/34") {
  QFTP_REQUIRE_UFS_CME();
  // AT+QFLDS takes one drive: a second parameter is invalid input, as an unknown drive is.
  for (const char* line : {"AT+QFLDS=\"UFS\",1", "AT+QFLDS=\"UFS\",\"RAM\"", "AT+QFLDS=\"XYZ\""}) {
    QFTP_TRY(auto extra, at(line));
    EXPECT_EQ(extra.final.text, "+CME ERROR: " + code(3765)) << line;
  }
  // AT+QFDWL takes one name: a second parameter is invalid input too, and nothing is sent.
  QFTP_SETUP(upload("f_cme_dwl.txt", "dwl"));
  QFTP_TRY(auto dwl_extra, at("AT+QFDWL=\"f_cme_dwl.txt\",1"));
  EXPECT_EQ(dwl_extra.final.text, "+CME ERROR: " + code(3765)) << "AT+QFDWL with a second parameter";
  QFTP_DO(at_expect("AT+QFDEL=\"f_cme_dwl.txt\"", FinalKind::ok));
  QFTP_TRY(auto drive, at_expect("AT+QFLDS=\"UFS\"", FinalKind::ok));
  QFTP_TRY(auto free_total, info_field(drive, "+QFLDS"));
  EXPECT_NE(free_total.value.find(','), std::string::npos) << "AT+QFLDS=\"UFS\" after the refusals";
  QFTP_SETUP(upload("f_cme_handle.txt", "handle"));
  QFTP_SETUP_TRY(auto h, qfopen("f_cme_handle.txt", 2));
  QFTP_DO(at_expect("AT+QFCLOSE=" + h, FinalKind::ok));
  QFTP_TRY(auto closed, at("AT+QFCLOSE=" + h));
  EXPECT_EQ(closed.final.text, "+CME ERROR: " + code(3765)) << "a handle already closed";
  QFTP_DO(at_expect("AT+CMEE=2", FinalKind::ok));
  QFTP_TRY(auto text, at("AT+QFLDS=\"UFS\",1"));
  EXPECT_EQ(text.final.text, "+CME ERROR: " + invalid_input_text());
  QFTP_DO(at_expect("AT+CMEE=0", FinalKind::ok));
  QFTP_TRY(auto bare, at("AT+QFLDS=\"UFS\",1"));
  EXPECT_EQ(bare.final.text, "ERROR");
  QFTP_DO(at_expect("AT+CMEE=1", FinalKind::ok));
  QFTP_DO(at_expect("AT+QFDEL=\"f_cme_handle.txt\"", FinalKind::ok));
}

QFTP_CASE(F_FileErrors, ABadNameAndAMoveOutOfRamOntoAFile, "F/34") {
  QFTP_REQUIRE_UFS_CME();
  QFTP_REQUIRE_PICS(pics().has_ram, "PICS: no RAM files");
  const std::string content = test_content("cmeram", 25);
  QFTP_SETUP(upload("RAM:f_cme_src.bin", content));
  QFTP_SETUP(upload("f_cme_dst.txt", "dst"));
  QFTP_TRY(auto slash, at("AT+QFDEL=\"f_cme/x.txt\""));
  EXPECT_EQ(slash.final.text, "+CME ERROR: " + code(3920)) << "AT+QFDEL of a name with '/'";
  const std::string mov = "AT+QFMOV=\"RAM:f_cme_src.bin\",\"f_cme_dst.txt\",0,0";
  QFTP_TRY(auto exists, at(mov));
  EXPECT_EQ(exists.final.text, "+CME ERROR: " + code(3921)) << "a move onto an existing file";
  QFTP_DO(at_expect("AT+CMEE=2", FinalKind::ok));
  QFTP_TRY(auto name_text, at("AT+QFDEL=\"f_cme/x.txt\""));
  EXPECT_EQ(name_text.final.text, "+CME ERROR: " + std::string(pixit().file_error_codes == "40xx"
                                                                    ? "invalid parameter"
                                                                    : "invalid file name"));
  QFTP_TRY(auto exists_text, at(mov));
  EXPECT_EQ(exists_text.final.text, "+CME ERROR: file exists");
  QFTP_DO(at_expect("AT+CMEE=1", FinalKind::ok));
  QFTP_TRY(auto source, download("RAM:f_cme_src.bin"));
  EXPECT_EQ(source, content) << "the refused move removed its source";
  QFTP_TRY(auto kept, download("f_cme_dst.txt"));
  EXPECT_EQ(kept, "dst") << "the refused move changed the destination";
  QFTP_DO(at_expect("AT+QFDEL=\"RAM:f_cme_src.bin\"", FinalKind::ok));
  QFTP_DO(at_expect("AT+QFDEL=\"f_cme_dst.txt\"", FinalKind::ok));
}

}  // namespace
}  // namespace qftp::harness
