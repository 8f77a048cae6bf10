// f_field_server_replies_test.cpp: F/36, the FTP commands after V1.1 against a server that refuses
// their verbs, caused with the fixture's REPLY directive (fixtures/ftp_fixture.py): each result URC
// carries the negated reply code (docs/field-facts.md §5, ruling 9) and the server is unchanged.
// Two sets of verbs and codes, each followed by the one verb the directive no longer strikes.
#include <initializer_list>

#include "harness/qftp_case.h"

namespace qftp::harness {
namespace {

struct Refusal {
  const char* directive;  // a fixture directive for one match
  const char* line;       // the AT command that meets it
  const char* urc;
  const char* code;  // the URC's value: the reply code negated
};

class F_FieldServerReplies : public QftpCase {
 protected:
  // Each refusal set, its AT command run, and its URC compared with the negated code.
  Done expect_refused(std::initializer_list<Refusal> refusals) {
    for (const auto& r : refusals) {
      if (auto id = fault(r.directive); !id.ok()) return id.outcome();
      auto got = urc_of(r.line, r.urc);
      if (!got.ok()) return got.outcome();
      EXPECT_EQ(got.value().value, r.code) << r.directive;
    }
    return {};
  }
};

QFTP_CASE(F_FieldServerReplies, RefusedVerbsGiveTheirNegatedCodes, "F/36") {
  QFTP_REQUIRE_PICS(pics().field_ftp_commands, "PICS: no AT+QFTPSIZE and its siblings");
  QFTP_DO(server_file("f_refused.bin", test_content("refused", 64)));
  QFTP_SETUP(open_session());
  QFTP_DO(expect_refused({
      {"REPLY SIZE 550 times=1", "AT+QFTPSIZE=\"f_refused.bin\"", "+QFTPSIZE", "-550"},
      {"REPLY DELE 450 times=1", "AT+QFTPDELETE=\"f_refused.bin\"", "+QFTPDELETE", "-450"},
      {"REPLY RNTO 553 times=1", "AT+QFTPRENAME=\"f_refused.bin\",\"f_renamed.bin\"", "+QFTPRENAME",
       "-553"},
      {"REPLY MKD 550 times=1", "AT+QFTPMKDIR=\"f_refused_dir\"", "+QFTPMKDIR", "-550"},
  }));
  EXPECT_TRUE(server_has("f_refused.bin")) << "DELE and RNTO were refused: the file must stay";
  EXPECT_FALSE(server_has("f_renamed.bin"));
  EXPECT_FALSE(server_has("f_refused_dir"));
  QFTP_TRY(auto deleted, urc_of("AT+QFTPDELETE=\"f_refused.bin\"", "+QFTPDELETE"));
  EXPECT_EQ(deleted.value, "0") << "times=1: the next DELE is the server's";
  EXPECT_FALSE(server_has("f_refused.bin"));
}

QFTP_CASE(F_FieldServerReplies, OtherRefusedRepliesAreNegated, "F/36") {
  QFTP_REQUIRE_PICS(pics().field_ftp_commands, "PICS: no AT+QFTPSIZE and its siblings");
  QFTP_DO(server_file("f_refused2.bin", test_content("refused2", 64)));
  QFTP_SETUP(open_session());
  QFTP_DO(expect_refused({
      {"REPLY RNFR 450 times=1", "AT+QFTPRENAME=\"f_refused2.bin\",\"f_renamed2.bin\"",
       "+QFTPRENAME", "-450"},
      {"REPLY SIZE 501 times=1", "AT+QFTPSIZE=\"f_refused2.bin\"", "+QFTPSIZE", "-501"},
      {"REPLY DELE 550 times=1", "AT+QFTPDELETE=\"f_refused2.bin\"", "+QFTPDELETE", "-550"},
      {"REPLY MKD 553 times=1", "AT+QFTPMKDIR=\"f_refused2_dir\"", "+QFTPMKDIR", "-553"},
  }));
  EXPECT_TRUE(server_has("f_refused2.bin")) << "RNFR and DELE were refused: the file must stay";
  EXPECT_FALSE(server_has("f_renamed2.bin"));
  EXPECT_FALSE(server_has("f_refused2_dir"));
  QFTP_TRY(auto size, urc_of("AT+QFTPSIZE=\"f_refused2.bin\"", "+QFTPSIZE"));
  EXPECT_EQ(size.value, "64") << "times=1: the next SIZE is the server's";
}

}  // namespace
}  // namespace qftp::harness
