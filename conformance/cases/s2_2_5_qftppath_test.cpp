// s2_2_5_qftppath_test.cpp: spec 2.2.5, AT+QFTPPATH: test and read forms (ruling 3's two orders),
// setting the server path, format errors, a failed change, the <pathName> limit and its effect.
#include <algorithm>

#include "harness/qftp_case.h"

namespace qftp::harness {
namespace {

using S2_2_5_Path = QftpCase;

QFTP_CASE(S2_2_5_Path, TestCommandListsThePathName, "2.2.5/01") {
  QFTP_TRY(auto r, at_expect("AT+QFTPPATH=?", FinalKind::ok));
  QFTP_TRY(auto f, info_field(r, "+QFTPPATH"));
  EXPECT_EQ(f.value, "\"PATH NAME\"");
}

QFTP_CASE(S2_2_5_Path, ReadGivesThePathBeforeOrAfterOk, "2.2.5/02", "R/3") {
  QFTP_SETUP(open_session());
  QFTP_DO(server_file("pub/.keep", ""));
  QFTP_SETUP(set_path("/pub"));
  QFTP_TRY(auto r, at_expect("AT+QFTPPATH?", FinalKind::ok));
  bool ok_first = false;
  Field f;
  if (auto info = info_field(r, "+QFTPPATH"); info.ok()) {
    f = info.value();
  } else {
    QFTP_TRY(auto after, urc("+QFTPPATH", command_timeout()));
    f = after;
    ok_first = true;
  }
  note(std::string("ruling 3: AT+QFTPPATH? gave ") +
       (ok_first ? "OK, then +QFTPPATH (spec 2.2.5's order)"
                 : "+QFTPPATH, then OK (V.250's order)"));
  if (ok_first != pixit().path_read_ok_first) {
    note("ruling 3: the profile declares the other order (path_read_ok_first)");
  }
  EXPECT_EQ(f.value, "\"/pub\"");
}

QFTP_CASE(S2_2_5_Path, WriteAnswersOkThenZeroAndChangesDirectory, "2.2.5/03") {
  QFTP_SETUP(open_session());
  QFTP_DO(server_file("pub/.keep", ""));
  QFTP_DO(set_path("/pub"));
  QFTP_TRY(auto cmds, ftp_commands());
  EXPECT_NE(std::find(cmds.begin(), cmds.end(), "CWD /pub"), cmds.end())
      << "the server never saw CWD /pub";
}

QFTP_CASE(S2_2_5_Path, WrongFormatAnswersError, "2.2.5/04", "R/4") {
  QFTP_SETUP(open_session());
  for (const char* line :
       {"AT+QFTPPATH=pub", "AT+QFTPPATH=\"/a\",\"/b\"", "AT+QFTPPATH=", "AT+QFTPPATH"}) {
    QFTP_DO(expect_error(line));
  }
}

QFTP_CASE(S2_2_5_Path, MissingDirectoryGivesMinus550, "2.2.5/05") {
  QFTP_SETUP(open_session());
  QFTP_DO(at_expect("AT+QFTPPATH=\"/missing\"", FinalKind::ok));
  QFTP_DO(expect_urc("+QFTPPATH", "-550"));
}

QFTP_CASE(S2_2_5_Path, PathNameOf100IsAcceptedAnd101IsNot, "2.2.5/06", "R/4") {
  QFTP_SETUP(open_session());
  const std::string dir99(99, 'd');
  QFTP_DO(server_file(dir99 + "/.keep", ""));
  QFTP_DO(set_path("/" + dir99));
  QFTP_DO(expect_error("AT+QFTPPATH=\"//" + dir99 + "\""));
}

QFTP_CASE(S2_2_5_Path, UploadsAndDownloadsUseThePath, "2.2.5/07") {
  QFTP_SETUP(open_session());
  QFTP_DO(server_file("pub/there.txt", "from pub"));
  QFTP_SETUP(set_path("/pub"));
  QFTP_TRY(auto up, put_com("here.txt", "into pub", 60));
  static_cast<void>(up);
  EXPECT_TRUE(server_has("pub/here.txt")) << "the upload did not land in /pub";
  // there.txt exists only in /pub: a download that finds it read from the path.
  QFTP_TRY(auto d, get_result("there.txt"));
  EXPECT_TRUE(!d.value.empty() && d.value[0] != '-') << "a file in /pub gave +QFTPGET:" << d.value;
}

QFTP_CASE(S2_2_5_Path, EmptyPathIsAccepted, "2.2.5/08") {
  QFTP_SETUP(open_session());
  QFTP_DO(set_path(""));
}

QFTP_CASE(S2_2_5_Path, FailedChangeKeepsThePath, "2.2.5/09", "R/27") {
  QFTP_SETUP(open_session());
  QFTP_DO(server_file("pub/.keep", ""));
  QFTP_SETUP(set_path("/pub"));
  QFTP_DO(at_expect("AT+QFTPPATH=\"/missing\"", FinalKind::ok));
  QFTP_TRY(auto failed, urc("+QFTPPATH"));
  EXPECT_NE(failed.value, "0");
  QFTP_TRY(auto r, at_expect("AT+QFTPPATH?", FinalKind::ok));
  Field f;
  if (auto info = info_field(r, "+QFTPPATH"); info.ok()) {
    f = info.value();
  } else {
    QFTP_TRY(auto after, urc("+QFTPPATH", command_timeout()));
    f = after;
  }
  EXPECT_EQ(f.value, "\"/pub\"");
}

// Second paths: a nested path read back, other malformed lines, the limit judged without a
// session, uploads and downloads in a nested path, and a change the server refuses for a
// directory that exists.

class S2_2_5_PathAgain : public QftpCase {
 protected:
  // AT+QFTPPATH?'s value, its information text before or after the OK (ruling 3).
  Step<std::string> read_path() {
    auto r = at_expect("AT+QFTPPATH?", FinalKind::ok);
    if (!r.ok()) return r.outcome();
    if (auto info = info_field(r.value(), "+QFTPPATH"); info.ok()) return info.value().value;
    auto after = urc("+QFTPPATH", command_timeout());
    if (!after.ok()) return after.outcome();
    return after.value().value;
  }
};

QFTP_CASE(S2_2_5_PathAgain, ReadGivesANestedPath, "2.2.5/02", "R/3") {
  QFTP_SETUP(open_session());
  QFTP_DO(server_file("pub/deep/.keep", ""));
  QFTP_SETUP(set_path("/pub/deep"));
  QFTP_TRY(auto v, read_path());
  EXPECT_EQ(v, "\"/pub/deep\"");
}

QFTP_CASE(S2_2_5_PathAgain, OtherMalformedLinesAnswerErrorAndChangeNothing, "2.2.5/04") {
  QFTP_SETUP(open_session());
  for (const char* line : {"AT+QFTPPATH=\"/a", "AT+QFTPPATH=5", "AT+QFTPPATH=,\"/a\""}) {
    QFTP_DO(expect_error(line));
  }
  QFTP_TRY(auto cmds, ftp_commands());
  EXPECT_TRUE(std::none_of(cmds.begin(), cmds.end(), [](const std::string& c) {
    return c.rfind("CWD", 0) == 0;
  })) << "a malformed AT+QFTPPATH reached the server";
}

QFTP_CASE(S2_2_5_PathAgain, PathNameOf101IsRefusedWithoutASessionToo, "2.2.5/06") {
  QFTP_TRY(auto state, stat());
  if (state != "IDLE" && state != "CLOSED")
    QFTP_INCONCLUSIVE("the service is " + state + " after the reset");
  const std::string path100 = "/" + std::string(99, 'e');
  QFTP_DO(expect_error("AT+QFTPPATH=\"/" + path100 + "\""));
  QFTP_DO(at_expect("AT+QFTPPATH=\"" + path100 + "\"", FinalKind::ok));
  QFTP_DO(expect_urc("+QFTPPATH", "-1"));  // R/10: the format was right
}

QFTP_CASE(S2_2_5_PathAgain, UploadsAndDownloadsUseANestedPath, "2.2.5/07") {
  QFTP_SETUP(open_session());
  QFTP_DO(server_file("a/b/only-here.bin", "only in a/b"));
  QFTP_SETUP(set_path("/a/b"));
  // only-here.bin exists only in /a/b: a download that finds it read from the path.
  QFTP_TRY(auto d, get_result("only-here.bin"));
  EXPECT_TRUE(!d.value.empty() && d.value[0] != '-') << "a file in /a/b gave +QFTPGET:" << d.value;
  QFTP_TRY(auto up, put_com("landed.bin", "in a/b", 60));
  static_cast<void>(up);
  EXPECT_TRUE(server_has("a/b/landed.bin")) << "the upload did not land in /a/b";
  EXPECT_FALSE(server_has("landed.bin")) << "the upload landed in the login directory";
}

QFTP_CASE(S2_2_5_PathAgain, ARefusedChangeToAnExistingDirectoryKeepsThePath, "2.2.5/09",
          "R/27") {
  QFTP_SETUP(open_session());
  QFTP_DO(server_file("pub/.keep", ""));
  QFTP_DO(server_file("other/.keep", ""));
  QFTP_SETUP(set_path("/pub"));
  QFTP_DO(fault("REPLY CWD 550 times=1"));
  QFTP_DO(at_expect("AT+QFTPPATH=\"/other\"", FinalKind::ok));
  QFTP_TRY(auto refused, urc("+QFTPPATH"));
  EXPECT_NE(refused.value, "0") << "the server refused CWD /other";
  QFTP_TRY(auto v, read_path());
  EXPECT_EQ(v, "\"/pub\"") << "after the server refused CWD /other";
  QFTP_TRY(auto up, put_com("still-pub.bin", "pub", 60));
  static_cast<void>(up);
  EXPECT_TRUE(server_has("pub/still-pub.bin")) << "the upload after the refused change left /pub";
}

}  // namespace
}  // namespace qftp::harness
