// r_server_replies_test.cpp: how the DUT reads a server's replies. R/36: the class of a reply
// decides its meaning (RFC 959 §4.2): every 2yz completes the command, at both ends of the class
// (200 and 299), in a path change and in a transfer's set-up. R/37: a multi-line reply (RFC 959
// §4.2) means what its one-line form means: success, failure codes and a transfer's replies.
// R/38: a server that does not know PASV either ends the transfer with the refusal's code or is
// used through EPSV (RFC 2428), and then the transfer is complete; in active mode a refused PORT
// ends the transfer with its code (R/9). R/39: a download whose data connection has ended before
// the server's 150 arrives still delivers every byte.
#include <algorithm>

#include "harness/qftp_case.h"

namespace qftp::harness {
namespace {

using R_ServerReplies = QftpCase;

QFTP_CASE(R_ServerReplies, AnyTwoHundredCompletesAPathChange, "R/36", "2.2.5/03") {
  QFTP_SETUP(open_session());
  for (const char* code : {"200", "299"}) {
    QFTP_DO(fault(std::string("REPLY CWD ") + code + " Directory is fine. times=1"));
    QFTP_DO(at_expect("AT+QFTPPATH=\"/\"", FinalKind::ok));
    QFTP_TRY(auto f, urc("+QFTPPATH"));
    EXPECT_EQ(f.value, "0") << "CWD answered " << code << ", a positive completion (2yz)";
  }
}

QFTP_CASE(R_ServerReplies, AnyTwoHundredCompletesATransferSetUp, "R/36", "2.2.4/03", "2.2.4/04") {
  QFTP_SETUP(open_session());
  // TYPE is answered without being run, so the fixture stays in ASCII mode: content without line
  // ends reads the same in both modes.
  std::string content;
  for (int i = 0; i < 300; ++i) content.push_back(static_cast<char>('a' + i % 26));
  QFTP_DO(server_file("class.bin", content));
  for (const char* code : {"200", "299"}) {
    QFTP_DO(fault(std::string("REPLY TYPE ") + code + " Type is fine. times=1"));
    QFTP_TRY(auto d, get_com("class.bin", content.size()));
    {
      QFTP_CHECKS("R/36", "2.2.4/03");
      EXPECT_EQ(d.data, content) << "TYPE answered " << code;
    }
    QFTP_CHECKS("R/36", "2.2.4/04");
    EXPECT_EQ(d.result.value, std::to_string(content.size())) << "TYPE answered " << code;
  }
}

QFTP_CASE(R_ServerReplies, MultiLineRepliesMeanWhatTheirOneLineFormMeans, "R/37", "2.2.5/05") {
  QFTP_SETUP(open_session());
  QFTP_DO(server_file("pub/ml.bin", test_content("ml", 700)));
  QFTP_DO(fault("MULTILINE CWD"));
  QFTP_DO(set_path("/pub"));
  QFTP_DO(fault("REPLY CWD 550"));
  QFTP_DO(fault("MULTILINE CWD"));
  QFTP_DO(at_expect("AT+QFTPPATH=\"/gone\"", FinalKind::ok));
  QFTP_TRY(auto failed, urc("+QFTPPATH"));
  {
    QFTP_CHECKS("R/37", "2.2.5/05");
    EXPECT_EQ(failed.value, "-550") << "CWD answered by a multi-line 550";
  }
  QFTP_CHECKS("R/37");
  for (const char* cmd : {"TYPE", "PASV", "RETR"}) {
    QFTP_DO(fault(std::string("MULTILINE ") + cmd));
  }
  const std::string content = test_content("ml", 700);
  QFTP_TRY(auto d, get_com("ml.bin", content.size()));
  EXPECT_EQ(d.data, content) << "a download whose TYPE, PASV and RETR replies were multi-line";
  EXPECT_EQ(d.result.value, std::to_string(content.size()));
}

QFTP_CASE(R_ServerReplies, APasvRefusalEndsTheTransferOrFallsBackToEpsv, "R/38") {
  QFTP_SETUP(open_session());
  const std::string content = test_content("epsv", 900);
  QFTP_DO(server_file("epsv.bin", content));
  for (const std::string code : {"500", "502"}) {
    const std::size_t before = [&] {
      auto cmds = ftp_commands();
      return cmds.ok() ? cmds.value().size() : 0;
    }();
    QFTP_DO(fault("REPLY PASV " + code + " times=1"));
    QFTP_DO(at_expect("AT+QFTPGET=\"epsv.bin\"", FinalKind::ok));
    auto first = te().await_line(
        [](const Line& l) { return l.text == "CONNECT" || parse_field(l, "+QFTPGET"); },
        transfer_timeout());
    if (!first) QFTP_DO(Done{fail("neither CONNECT nor +QFTPGET: " + first.error())});
    QFTP_TRY(auto cmds, ftp_commands());
    if (std::find(cmds.begin() + static_cast<std::ptrdiff_t>(std::min(before, cmds.size())),
                  cmds.end(), "EPSV") == cmds.end()) {
      note("R/38: PASV answered " + code + " and no EPSV followed: the transfer ends with it");
      const auto f = parse_field(*first, "+QFTPGET");
      EXPECT_TRUE(f && f->value == "-" + code) << "PASV answered " << code << ", then " << first->text;
      continue;
    }
    note("R/38: PASV answered " + code + ", the download went on through EPSV");
    if (first->text != "CONNECT") QFTP_DO(Done{fail("EPSV was sent, then " + first->text)});
    auto data = te().read_exactly(content.size(), transfer_timeout());
    if (!data) QFTP_DO(Done{fail("the download through EPSV: " + data.error())});
    EXPECT_EQ(*data, content) << "the download through EPSV after PASV answered " << code;
    QFTP_TRY(auto f, urc("+QFTPGET", transfer_timeout()));
    EXPECT_EQ(f.value, std::to_string(content.size()));
  }
}

QFTP_CASE(R_ServerReplies, ADownloadWhoseDataEndsBeforeIts150IsComplete, "R/39", "2.2.4/03",
          "2.2.4/04") {
  QFTP_SETUP(open_session());
  for (const std::size_t size : {std::size_t{1}, std::size_t{1500}}) {
    const std::string content = test_content("burst", size);
    QFTP_DO(server_file("burst.bin", content));
    // The 150 is held back and leaves with the 226, after the data connection closed.
    QFTP_DO(fault("BURST RETR"));
    QFTP_TRY(auto d, get_com("burst.bin", content.size()));
    {
      QFTP_CHECKS("R/39", "2.2.4/03");
      EXPECT_EQ(d.data, content) << size << " bytes whose 150 came after the data";
    }
    QFTP_CHECKS("R/39", "2.2.4/04");
    EXPECT_EQ(d.result.value, std::to_string(size)) << size << " bytes whose 150 came after the data";
  }
}

// R/39 with the data's end well before the 150: the fixture holds the 150 and the 226 back for a
// while after the data connection closed, so that the DUT has certainly seen the end of the data
// (a closed data connection, not one still open) when the 150 arrives. The hold stays well within
// the DUT's FTP reply timeout.
QFTP_CASE(R_ServerReplies, ADownloadWhoseDataEndedLongBeforeIts150IsComplete, "R/39") {
  const auto hold = std::min<std::uint32_t>(300, pixit().dut_reply_timeout_ms.value_or(3000) / 3);
  QFTP_SETUP(open_session());
  for (const std::size_t size : {std::size_t{1}, std::size_t{1500}}) {
    const std::string content = test_content("held", size);
    QFTP_DO(server_file("held.bin", content));
    QFTP_DO(fault("BURST RETR " + std::to_string(hold)));
    QFTP_TRY(auto d, get_com("held.bin", content.size()));
    EXPECT_EQ(d.data, content) << size << " bytes whose 150 came " << hold << " ms after the data";
    EXPECT_EQ(d.result.value, std::to_string(size))
        << size << " bytes whose 150 came " << hold << " ms after the data";
  }
}

// R/37 for an upload: multi-line replies to TYPE, PASV and STOR (preliminary and final), and a
// multi-line refusal of STOR. R/38 for an upload.
QFTP_CASE(R_ServerReplies, MultiLineRepliesToAnUploadMeanTheirOneLineForm, "R/37", "2.2.3/04") {
  QFTP_CHECKS("R/37");
  QFTP_SETUP(open_session());
  for (const char* cmd : {"TYPE", "PASV", "STOR"}) {
    QFTP_DO(fault(std::string("MULTILINE ") + cmd));
  }
  const std::string content = test_content("ml-up", 900);
  QFTP_TRY(auto f, put_com("ml-up.bin", content, 60));
  {
    QFTP_CHECKS("R/37");  // the upload completes: its count is what the server holds
    QFTP_TRY(auto stored, read_server_file("ml-up.bin"));
    EXPECT_EQ(f.value, std::to_string(stored.size()))
        << "an upload whose TYPE, PASV and STOR replies were multi-line";
    QFTP_CHECKS("2.2.3/04");  // every byte: the upload's own requirement
    EXPECT_TRUE(stored == content) << "the server holds " << stored.size() << " bytes";
  }
  QFTP_DO(fault("REPLY STOR 552"));
  QFTP_DO(fault("MULTILINE STOR"));
  QFTP_DO(at_expect("AT+QFTPPUT=\"ml-refused.bin\",10,60", FinalKind::ok));
  QFTP_TRY(auto refused, urc("+QFTPPUT", transfer_timeout()));
  EXPECT_EQ(refused.value, "-552") << "STOR answered by a multi-line 552";
}

QFTP_CASE(R_ServerReplies, APasvRefusalOfAnUploadEndsItOrFallsBackToEpsv, "R/38", "2.2.3/04") {
  QFTP_CHECKS("R/38");
  QFTP_SETUP(open_session());
  for (const std::string code : {"500", "502"}) {
    const std::string name = "pasv" + code + ".bin";
    QFTP_DO(fault("REPLY PASV " + code + " times=1"));
    QFTP_TRY(auto before, ftp_commands());
    QFTP_DO(at_expect("AT+QFTPPUT=\"" + name + "\",10,60", FinalKind::ok));
    auto first = te().await_line(
        [](const Line& l) { return l.text == "CONNECT" || parse_field(l, "+QFTPPUT"); },
        transfer_timeout());
    if (!first) QFTP_DO(Done{fail("neither CONNECT nor +QFTPPUT: " + first.error())});
    if (first->text != "CONNECT") {
      const auto f = parse_field(*first, "+QFTPPUT");
      EXPECT_TRUE(f && f->value == "-" + code) << "PASV answered " << code << ", then " << first->text;
      note("R/38: PASV answered " + code + " and the upload ended with it");
      continue;
    }
    QFTP_DO(send_raw("0123456789"));
    QFTP_TRY(auto f, urc("+QFTPPUT", transfer_timeout()));
    QFTP_TRY(auto cmds, ftp_commands());
    const bool epsv = std::find(cmds.begin() + static_cast<std::ptrdiff_t>(
                                                   std::min(before.size(), cmds.size())),
                                cmds.end(), "EPSV") != cmds.end();
    EXPECT_TRUE(epsv) << "PASV answered " << code << ", yet the upload started without EPSV";
    note("R/38: PASV answered " + code + ", the upload went on through EPSV");
    QFTP_TRY(auto stored, read_server_file(name));
    EXPECT_EQ(f.value, std::to_string(stored.size())) << "the count after the fallback";
    QFTP_CHECKS("2.2.3/04");  // every byte: the upload's own requirement
    EXPECT_EQ(stored, "0123456789");
  }
}

// Active mode (AT+QFTPCFG=1,0): a server that refuses PORT ends the download with the refusal's
// code (R/9), at once rather than at some time-out; a DUT that tries EPRT (RFC 2428) after it is
// judged on the download it then makes.
QFTP_CASE(R_ServerReplies, APortRefusalInActiveModeEndsTheDownloadWithItsCode, "R/9", "2.2.4/05") {
  QFTP_SETUP(open_session());
  QFTP_SETUP(set_cfg(1, "0"));
  const std::string content = test_content("port", 300);
  QFTP_DO(server_file("port.bin", content));
  for (const std::string code : {"500", "501"}) {
    QFTP_TRY(auto before, ftp_commands());
    QFTP_DO(fault("REPLY PORT " + code + " times=1"));
    QFTP_DO(at_expect("AT+QFTPGET=\"port.bin\"", FinalKind::ok));
    auto first = te().await_line(
        [](const Line& l) { return l.text == "CONNECT" || parse_field(l, "+QFTPGET"); },
        transfer_timeout());
    if (!first) {
      QFTP_DO(Done{fail("PORT answered " + code + ", then neither CONNECT nor +QFTPGET: " +
                        first.error())});
    }
    QFTP_TRY(auto cmds, ftp_commands());
    const auto from =
        cmds.begin() + static_cast<std::ptrdiff_t>(std::min(before.size(), cmds.size()));
    if (std::none_of(from, cmds.end(),
                     [](const std::string& c) { return c.rfind("PORT", 0) == 0; })) {
      note("the DUT sent no PORT in active mode, so it met no refusal");
      continue;
    }
    if (first->text == "CONNECT") {
      note("PORT answered " + code + ", the download went on (EPRT or another PORT)");
      auto data = te().read_exactly(content.size(), transfer_timeout());
      if (!data) QFTP_DO(Done{fail("the download after the refused PORT: " + data.error())});
      EXPECT_EQ(*data, content) << "the download after PORT answered " << code;
      QFTP_TRY(auto f, urc("+QFTPGET", transfer_timeout()));
      EXPECT_EQ(f.value, std::to_string(content.size()));
      continue;
    }
    const auto f = parse_field(*first, "+QFTPGET");
    EXPECT_TRUE(f && f->value == "-" + code)
        << "PORT answered " << code << ", then " << first->text;
  }
}

}  // namespace
}  // namespace qftp::harness
