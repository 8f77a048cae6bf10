// f_field_server_replies_test.cpp: F/36, the FTP commands after V1.1 against a server that refuses
// their verbs, caused with the fixture's REPLY directive (fixtures/ftp_fixture.py): each result URC
// carries the negated reply code (docs/field-facts.md §5, ruling 9) and the server is unchanged.
#include "harness/qftp_case.h"

namespace qftp::harness {
namespace {

using F_FieldServerReplies = QftpCase;

QFTP_CASE(F_FieldServerReplies, RefusedVerbsGiveTheirNegatedCodes, "F/36") {
  QFTP_REQUIRE_PICS(pics().field_ftp_commands, "PICS: no AT+QFTPSIZE and its siblings");
  QFTP_DO(server_file("f_refused.bin", test_content("refused", 64)));
  QFTP_SETUP(open_session());
  struct Refusal {
    const char* directive;
    const char* line;
    const char* urc;
    const char* code;
  };
  const Refusal refusals[] = {
      {"REPLY SIZE 550 times=1", "AT+QFTPSIZE=\"f_refused.bin\"", "+QFTPSIZE", "-550"},
      {"REPLY DELE 450 times=1", "AT+QFTPDELETE=\"f_refused.bin\"", "+QFTPDELETE", "-450"},
      {"REPLY RNTO 553 times=1", "AT+QFTPRENAME=\"f_refused.bin\",\"f_renamed.bin\"", "+QFTPRENAME",
       "-553"},
      {"REPLY MKD 550 times=1", "AT+QFTPMKDIR=\"f_refused_dir\"", "+QFTPMKDIR", "-550"},
  };
  for (const auto& r : refusals) {
    QFTP_DO(fault(r.directive));
    QFTP_TRY(auto got, urc_of(r.line, r.urc));
    EXPECT_EQ(got.value, r.code) << r.directive;
  }
  EXPECT_TRUE(server_has("f_refused.bin")) << "DELE and RNTO were refused: the file must stay";
  EXPECT_FALSE(server_has("f_renamed.bin"));
  EXPECT_FALSE(server_has("f_refused_dir"));
  QFTP_TRY(auto deleted, urc_of("AT+QFTPDELETE=\"f_refused.bin\"", "+QFTPDELETE"));
  EXPECT_EQ(deleted.value, "0") << "times=1: the next DELE is the server's";
  EXPECT_FALSE(server_has("f_refused.bin"));
}

}  // namespace
}  // namespace qftp::harness
