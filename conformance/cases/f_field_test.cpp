// f_field_test.cpp: the field-derived requirements F/ (docs/field-facts.md §5-§7, ruling 13): the
// FTP commands after V1.1, the FILE commands and the start-up commands, each on its first path (the
// f_*_test.cpp files beside it reach each one another way; the host drivers' sessions of §8 are
// f_driver_sessions_test.cpp's). Each case is not applicable unless the DUT's PICS declares its
// feature, so a V1.1 DUT is judged by none of them.
#include <algorithm>

#include "f_file_case.h"

namespace qftp::harness {
namespace {

using F_Field = FileCase;

// --- the FTP commands after V1.1 (§5) --------------------------------------------------------

QFTP_CASE(F_Field, SizeGivesTheServersSize, "F/01", "F/02") {
  QFTP_REQUIRE_PICS(pics().field_ftp_commands, "PICS: no AT+QFTPSIZE");
  {
    QFTP_CHECKS("F/02");
    QFTP_TRY(auto none, urc_of("AT+QFTPSIZE=\"f_size.bin\"", "+QFTPSIZE"));
    EXPECT_EQ(none.value, "-1") << "AT+QFTPSIZE without a session";
  }
  QFTP_DO(server_file("f_size.bin", test_content("size", 1234)));
  QFTP_SETUP(open_session());
  {
    QFTP_CHECKS("F/01");
    QFTP_DO(at_expect("AT+QFTPSIZE=?", FinalKind::ok));
    QFTP_TRY(auto size, urc_of("AT+QFTPSIZE=\"f_size.bin\"", "+QFTPSIZE"));
    EXPECT_EQ(size.value, "1234");
  }
  QFTP_CHECKS("F/02");
  QFTP_TRY(auto missing, urc_of("AT+QFTPSIZE=\"f_missing.bin\"", "+QFTPSIZE"));
  EXPECT_EQ(missing.value, "-550");
}

QFTP_CASE(F_Field, DeleteRenameAndMkdirChangeTheServer, "F/03", "F/04", "F/05") {
  QFTP_REQUIRE_PICS(pics().field_ftp_commands, "PICS: no AT+QFTPDELETE, RENAME, MKDIR");
  QFTP_DO(server_file("f_old.txt", test_content("ren", 100)));
  QFTP_DO(server_file("f_gone.txt", test_content("del", 10)));
  QFTP_SETUP(open_session());
  {
    QFTP_CHECKS("F/05");
    QFTP_TRY(auto made, urc_of("AT+QFTPMKDIR=\"f_dir\"", "+QFTPMKDIR"));
    EXPECT_EQ(made.value, "0");
    EXPECT_TRUE(server_has("f_dir")) << "MKD left no directory";
    QFTP_TRY(auto again, urc_of("AT+QFTPMKDIR=\"f_dir\"", "+QFTPMKDIR"));
    EXPECT_EQ(again.value.substr(0, 1), "-") << "an existing directory";
  }
  {
    QFTP_CHECKS("F/04");
    QFTP_TRY(auto moved, urc_of("AT+QFTPRENAME=\"f_old.txt\",\"f_dir/f_new.txt\"", "+QFTPRENAME"));
    EXPECT_EQ(moved.value, "0");
    EXPECT_FALSE(server_has("f_old.txt"));
    QFTP_TRY(auto content, read_server_file("f_dir/f_new.txt"));
    EXPECT_EQ(content, test_content("ren", 100));
    QFTP_TRY(auto folder, urc_of("AT+QFTPRENAME=\"f_dir\",\"f_dir2\"", "+QFTPRENAME"));
    EXPECT_EQ(folder.value, "0") << "a folder is renamed too";
    EXPECT_TRUE(server_has("f_dir2/f_new.txt"));
  }
  QFTP_CHECKS("F/03");
  QFTP_TRY(auto deleted, urc_of("AT+QFTPDELETE=\"f_gone.txt\"", "+QFTPDELETE"));
  EXPECT_EQ(deleted.value, "0");
  EXPECT_FALSE(server_has("f_gone.txt"));
  QFTP_TRY(auto twice, urc_of("AT+QFTPDELETE=\"f_gone.txt\"", "+QFTPDELETE"));
  EXPECT_EQ(twice.value, "-550");
}

QFTP_CASE(F_Field, RmdirRemovesAnEmptyDirectory, "F/06") {
  QFTP_REQUIRE_PICS(pics().ftp_rmdir, "PICS: no AT+QFTPRMDIR");
  QFTP_DO(server_file("f_rmd/keep.txt", "x"));
  std::error_code ec;
  std::filesystem::remove(suite().fixture()->root() / "f_rmd" / "keep.txt", ec);
  QFTP_SETUP(open_session());
  QFTP_TRY(auto removed, urc_of("AT+QFTPRMDIR=\"f_rmd\"", "+QFTPRMDIR"));
  EXPECT_EQ(removed.value, "0");
  EXPECT_FALSE(server_has("f_rmd"));
}

QFTP_CASE(F_Field, ListingsComeThroughTheUart, "F/07", "R/42") {
  QFTP_REQUIRE_PICS(pics().ftp_listing, "PICS: no AT+QFTPLIST/AT+QFTPNLST");
  QFTP_DO(server_file("f_listed.txt", test_content("lst", 10)));
  QFTP_SETUP(open_session());
  QFTP_SETUP(set_cfg(3, "7"));
  for (const char* command : {"AT+QFTPNLST", "AT+QFTPLIST"}) {
    const std::string name = std::string(command).substr(2);
    QFTP_DO(at_expect(command, FinalKind::ok));
    QFTP_DO(expect_connect(name));
    auto text = te().read_until(name + ":", transfer_timeout());
    if (!text) return stop(fail(std::string(command) + ": " + text.error()), __FILE__, __LINE__);
    QFTP_TRY(auto done, urc(name, transfer_timeout()));
    std::string listing = text.value();
    if (listing.size() >= 2) listing.resize(listing.size() - 2);  // the URC's framing
    EXPECT_NE(listing.find("f_listed.txt"), std::string::npos) << command << ": " << listing;
    EXPECT_EQ(done.value, std::to_string(listing.size())) << command;
    QFTP_CHECKS("R/42");
    QFTP_TRY(auto len, at_expect("AT+QFTPLEN", FinalKind::ok));
    QFTP_TRY(auto f, info_field(len, "+QFTPLEN"));
    EXPECT_EQ(f.value, done.value) << "AT+QFTPLEN after " << command;
  }
  QFTP_CHECKS("R/42");
  QFTP_TRY(auto point, query_cfg(3));
  EXPECT_EQ(point.value, "7") << "a listing neither uses nor resets the resume point";
}

QFTP_CASE(F_Field, GetTakesTheExpectedSize, "F/08") {
  QFTP_REQUIRE_PICS(pics().get_expected_size, "PICS: AT+QFTPGET takes no size");
  const std::string content = test_content("fota", 777);
  QFTP_DO(server_file("f_fota.bin", content));
  QFTP_SETUP(open_session());
  QFTP_DO(at_expect("AT+QFTPGET=\"f_fota.bin\",777", FinalKind::ok));
  QFTP_DO(expect_connect("+QFTPGET"));
  auto data = te().read_exactly(content.size(), transfer_timeout());
  if (!data) return stop(fail("the download: " + data.error()), __FILE__, __LINE__);
  EXPECT_EQ(data.value(), content);
  QFTP_DO(expect_urc("+QFTPGET", "777", transfer_timeout()));
}

QFTP_CASE(F_Field, CfgTypeSixIsAcceptedBeforeOpening, "F/09") {
  QFTP_REQUIRE_PICS(pics().cfg_type6, "PICS: no AT+QFTPCFG=6");
  QFTP_DO(set_cfg(6, "1"));
  QFTP_DO(open_session());
}

QFTP_CASE(F_Field, ARamDownloadThatDoesNotFitIsMinus13, "F/10") {
  QFTP_REQUIRE_PICS(pics().out_of_memory_code && pics().has_ram, "PICS: no -13 for RAM");
  QFTP_DO(server_file("f_big.bin", test_content("big", 100)));
  QFTP_SETUP(open_session());
  QFTP_SETUP(set_cfg(4, "\"/RAM/\""));
  const std::string too_big = std::to_string(pixit().ram_file_size + 1);
  QFTP_TRY(auto got, urc_of("AT+QFTPGET=\"f_big.bin\"," + too_big, "+QFTPGET", transfer_timeout()));
  EXPECT_EQ(got.value, "-13");
  QFTP_SETUP(set_cfg(4, "\"/COM/\""));
}

QFTP_CASE(F_Field, TestFormsAndFormatErrors, "F/26") {
  QFTP_REQUIRE_PICS(pics().field_ftp_commands, "PICS: no AT+QFTPSIZE and its siblings");
  for (const char* line : {"AT+QFTPSIZE=?", "AT+QFTPDELETE=?", "AT+QFTPRENAME=?", "AT+QFTPMKDIR=?"}) {
    QFTP_DO(at_expect(line, FinalKind::ok));
  }
  QFTP_DO(expect_error("AT+QFTPSIZE"));
  QFTP_DO(expect_error("AT+QFTPRENAME=\"a\""));
  QFTP_DO(expect_error("AT+QFTPDELETE=\"a\",\"b\""));
  QFTP_DO(expect_error("AT+QFTPSIZE=\"" + std::string(51, 'n') + "\""));
}

// --- the FILE commands (§6) ------------------------------------------------------------------

QFTP_CASE(F_Field, RamFilesAreOpenedSeekedAndReadBack, "F/11", "F/12") {
  QFTP_REQUIRE_PICS(pics().file_commands && pics().has_ram, "PICS: no FILE commands on RAM");
  const std::string content = test_content("ram", 1300);
  QFTP_SETUP(ram_file("f_ram.bin", content));
  std::string read;
  for (std::size_t ofs = 0; ofs < content.size(); ofs += 512) {
    QFTP_TRY(auto h, qfopen("RAM:f_ram.bin", 2));
    {
      QFTP_CHECKS("F/11");
      QFTP_DO(at_expect("AT+QFSEEK=" + h + "," + std::to_string(ofs) + ",0", FinalKind::ok));
    }
    QFTP_TRY(auto part, qfread(h, 512));
    {
      QFTP_CHECKS("F/11");
      EXPECT_EQ(part.size(), std::min<std::size_t>(512, content.size() - ofs)) << "CONNECT <n>";
      QFTP_DO(at_expect("AT+QFCLOSE=" + h, FinalKind::ok));
    }
    read += part;
  }
  QFTP_CHECKS("F/12");
  EXPECT_EQ(read, content) << "the RAM file read back differs from the server's";
}

QFTP_CASE(F_Field, RamFilesAreListedAndDeleted, "F/13") {
  QFTP_REQUIRE_PICS(pics().file_commands && pics().has_ram, "PICS: no FILE commands on RAM");
  QFTP_SETUP(ram_file("f_lst.bin", test_content("lst", 321)));
  QFTP_TRY(auto listed, at_expect("AT+QFLST=\"RAM:*\"", FinalKind::ok));
  bool found = false;
  for (const auto& l : listed.info) {
    if (l.text.rfind("+QFLST: \"RAM:f_lst.bin\",321", 0) == 0) found = true;
  }
  EXPECT_TRUE(found) << listed.describe();
  QFTP_DO(at_expect("AT+QFDEL=\"RAM:f_lst.bin\"", FinalKind::ok));
  QFTP_TRY(auto after, at_expect("AT+QFLST=\"RAM:*\"", FinalKind::ok));
  for (const auto& l : after.info) EXPECT_EQ(l.text.find("f_lst.bin"), std::string::npos) << l.text;
}

QFTP_CASE(F_Field, DownloadCarriesItsChecksum, "F/14") {
  QFTP_REQUIRE_PICS(pics().file_commands && pics().has_ram, "PICS: no FILE commands on RAM");
  const std::string content = test_content("dwl", 333);
  QFTP_SETUP(ram_file("f_dwl.bin", content));
  QFTP_TRY(auto r, at("AT+QFDWL=\"RAM:f_dwl.bin\"", transfer_timeout()));
  if (!r.is(FinalKind::connect)) QFTP_INCONCLUSIVE("no CONNECT: " + r.describe());
  auto data = te().read_exactly(content.size(), transfer_timeout());
  if (!data) return stop(fail("AT+QFDWL's bytes: " + data.error()), __FILE__, __LINE__);
  EXPECT_EQ(data.value(), content);
  QFTP_TRY(auto trailer, next_line());
  EXPECT_EQ(trailer.text, "+QFDWL: 333," + file_checksum(content));
  QFTP_TRY(auto ok, next_line());
  EXPECT_EQ(ok.text, "OK");
}

QFTP_CASE(F_Field, CmeeDecidesTheFormOfFileErrors, "F/15") {
  QFTP_REQUIRE_PICS(pics().cme_errors && pics().file_commands && pics().has_ram,
                    "PICS: no +CME ERROR for the FILE commands");
  // The PIXIT declares which of the FILE manual's two code sets the DUT answers (F/34).
  const std::string not_found = pixit().file_error_codes == "40xx" ? "4010" : "3919";
  QFTP_TRY(auto one, at("AT+QFOPEN=\"RAM:f_none.bin\",2"));
  EXPECT_EQ(one.final.text, "+CME ERROR: " + not_found) << "AT+CMEE=1 is the factory value";
  QFTP_DO(at_expect("AT+CMEE=2", FinalKind::ok));
  QFTP_TRY(auto two, at("AT+QFOPEN=\"RAM:f_none.bin\",2"));
  EXPECT_EQ(two.final.text, "+CME ERROR: file not found");
  QFTP_DO(at_expect("AT+CMEE=0", FinalKind::ok));
  QFTP_TRY(auto zero, at("AT+QFOPEN=\"RAM:f_none.bin\",2"));
  EXPECT_EQ(zero.final.text, "ERROR");
  QFTP_DO(at_expect("AT+CMEE=1", FinalKind::ok));
  QFTP_DO(expect_error("AT+QFTPCFG=9,1"));  // a format error of an FTP command
}

QFTP_CASE(F_Field, APipelinedLineIsKeptAndRunAfterTheFirst, "F/22") {
  QFTP_REQUIRE_PICS(pics().file_commands && pics().has_ram, "PICS: no FILE commands on RAM");
  const std::string content = test_content("pipe", 600);
  QFTP_SETUP(ram_file("f_pipe.bin", content));
  QFTP_SETUP(at_expect("ATE0", FinalKind::ok));
  QFTP_SETUP_TRY(auto h, qfopen("RAM:f_pipe.bin", 2));
  const std::string seek = "AT+QFSEEK=" + h + ",100,0";
  const std::string read = "AT+QFREAD=" + h + ",512";
  QFTP_DO(send_raw(seek + "\r\n" + read + "\r\n"));  // one write, as the M95 driver sends them
  QFTP_TRY(auto sought, response_to(seek));
  EXPECT_TRUE(sought.is(FinalKind::ok)) << sought.describe();
  QFTP_TRY(auto r, response_to(read, transfer_timeout()));
  QFTP_TRY(auto bytes, connect_bytes(r));
  EXPECT_EQ(bytes, content.substr(100, 500));
  QFTP_DO(at_expect("AT+QFCLOSE=" + h, FinalKind::ok));
}

// --- the start-up commands (§7) --------------------------------------------------------------

QFTP_CASE(F_Field, S0IsSetAndReadAsABareNumber, "F/16") {
  QFTP_REQUIRE_PICS(pics().startup_commands, "PICS: no start-up commands");
  QFTP_DO(at_expect("ATS0=2", FinalKind::ok));
  QFTP_TRY(auto r, at_expect("ATS0?", FinalKind::ok));
  ASSERT_EQ(r.info.size(), 1u) << r.describe();
  EXPECT_TRUE(r.info[0].text == "2" || r.info[0].text == "002") << r.info[0].text;
  QFTP_DO(at_expect("ATS0=0", FinalKind::ok));
}

QFTP_CASE(F_Field, RegistrationReportsAreSetAndReadBack, "F/17") {
  QFTP_REQUIRE_PICS(pics().startup_commands, "PICS: no start-up commands");
  for (const char* name : {"+CREG", "+CGREG"}) {
    QFTP_DO(at_expect(std::string("AT") + name + "=1", FinalKind::ok));
    QFTP_TRY(auto r, at_expect(std::string("AT") + name + "?", FinalKind::ok));
    QFTP_TRY(auto f, info_field(r, name));
    EXPECT_EQ(f.value.substr(0, 2), "1,") << name << "? after " << name << "=1: " << f.value;
    QFTP_DO(at_expect(std::string("AT") + name + "=0", FinalKind::ok));
  }
}

QFTP_CASE(F_Field, ClipAndColpAreSetAndReadBack, "F/18") {
  QFTP_REQUIRE_PICS(pics().startup_commands, "PICS: no start-up commands");
  for (const char* name : {"+CLIP", "+COLP"}) {
    QFTP_DO(at_expect(std::string("AT") + name + "=1", FinalKind::ok));
    QFTP_TRY(auto r, at_expect(std::string("AT") + name + "?", FinalKind::ok));
    QFTP_TRY(auto f, info_field(r, name));
    EXPECT_EQ(f.value.substr(0, 2), "1,") << f.value;
    QFTP_DO(at_expect(std::string("AT") + name + "=0", FinalKind::ok));
  }
}

QFTP_CASE(F_Field, CopsNamesTheOperator, "F/19") {
  QFTP_REQUIRE_PICS(pics().startup_commands, "PICS: no start-up commands");
  QFTP_TRY(auto r, at_expect("AT+COPS?", FinalKind::ok));
  QFTP_TRY(auto f, info_field(r, "+COPS"));
  EXPECT_FALSE(f.value.empty());
  EXPECT_TRUE(f.value[0] >= '0' && f.value[0] <= '4') << "<mode>: " << f.value;
}

QFTP_CASE(F_Field, QilocipAnswersTheBareAddress, "F/20") {
  QFTP_REQUIRE_PICS(pics().startup_commands, "PICS: no start-up commands");
  QFTP_SETUP(open_session());  // the context is active (R/24)
  QFTP_DO(send_raw("AT+QILOCIP\r"));
  QFTP_TRY(auto line, next_line());
  if (line.text == "AT+QILOCIP") {
    QFTP_TRY(auto after_echo, next_line());
    line = after_echo;
  }
  const bool dotted = !line.text.empty() &&
                      line.text.find_first_not_of("0123456789.") == std::string::npos &&
                      std::count(line.text.begin(), line.text.end(), '.') == 3;
  EXPECT_TRUE(dotted) << "not an address: \"" << line.text << "\"";
  QFTP_DO(expect_quiet("AT+QILOCIP's address"));  // no OK after it
}

QFTP_CASE(F_Field, AUrcDueDuringALineFollowsItsFinalResult, "F/21") {
  QFTP_REQUIRE_PICS(pics().startup_commands, "PICS: no start-up commands");
  QFTP_TRY(auto r, at_expect("AT+QFTPCFG=1,1;+QFTPSTAT", FinalKind::ok));
  for (const auto& l : r.info) {
    EXPECT_EQ(l.text.find("+QFTPCFG"), std::string::npos) << "a URC inside the response: " << l.text;
  }
  QFTP_DO(expect_urc("+QFTPCFG", "0"));
}

}  // namespace
}  // namespace qftp::harness
