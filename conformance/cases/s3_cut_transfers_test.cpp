// s3_cut_transfers_test.cpp: transfers the server ends in the middle or after the data (spec
// chapter 3 with 2.2.3, 2.2.4, 2.2.10 and 4.4.2): the cut's code, what was delivered before it
// counted and intact, a resumed download completing the file from there, and a final reply that
// is no success deciding.
#include <algorithm>

#include "harness/qftp_case.h"

namespace qftp::harness {
namespace {

class S3_CutTransfers : public QftpCase {
 protected:
  static constexpr std::size_t kCut = 100;
  const std::string file_ = test_content("cut", 3587);

  // AT+QFTPGET of a file the server cuts after kCut bytes (426): the bytes that arrived before
  // +QFTPGET (a DUT may have dropped some still unread when the 426 came), and its value.
  struct Cut {
    std::string part;
    std::string value;
  };
  Step<Cut> cut_download() {
    if (auto st = open_session(); !st.ok()) return as_precondition(st.outcome());
    if (auto st = server_file("cut.bin", file_); !st.ok()) return st.outcome();
    if (auto id = fault("CUT RETR " + std::to_string(kCut) + " times=1"); !id.ok())
      return id.outcome();
    if (auto r = at_expect("AT+QFTPGET=\"cut.bin\"", FinalKind::ok); !r.ok()) return r.outcome();
    // Whether a download says CONNECT is 2.2.4's question, not these cases'.
    if (auto st = expect_connect("+QFTPGET"); !st.ok()) return as_precondition(st.outcome());
    auto data = te().read_until("+QFTPGET:", transfer_timeout());
    if (!data) return fail("no +QFTPGET after the cut: " + data.error());
    Cut c;
    c.part = std::move(data).value();
    if (c.part.size() >= 2 && c.part.compare(c.part.size() - 2, 2, "\r\n") == 0)
      c.part.resize(c.part.size() - 2);
    auto f = urc("+QFTPGET", transfer_timeout());
    if (!f.ok()) return f.outcome();
    c.value = f.value().value;
    if (c.part.size() < kCut)
      note("the DUT delivered " + std::to_string(c.part.size()) + " of the " +
           std::to_string(kCut) + " bytes sent before the cut");
    return c;
  }
};

QFTP_CASE(S3_CutTransfers, ADownloadCutByTheServerGivesMinus426, "3/-426") {
  QFTP_TRY(auto c, cut_download());
  EXPECT_EQ(c.value, "-426");
}

// Ruling 12: AT+QFTPLEN counts the bytes the cut download delivered.
QFTP_CASE(S3_CutTransfers, LenAfterACutDownloadCountsWhatArrived, "2.2.10/03", "R/34") {
  QFTP_TRY(auto c, cut_download());
  QFTP_TRY(auto r, at_expect("AT+QFTPLEN", FinalKind::ok));
  QFTP_TRY(auto len, info_field(r, "+QFTPLEN"));
  EXPECT_EQ(len.value, std::to_string(c.part.size())) << "AT+QFTPLEN after the cut download";
}

// 4.4.2 with a real interruption: the bytes before the cut are the file's first bytes, and a
// download resumed from their count completes the file.
QFTP_CASE(S3_CutTransfers, ADownloadResumedFromWhatArrivedCompletesTheFile, "4.4.2/01") {
  QFTP_REQUIRE_PICS(pics().resume, "PICS: no resume");
  QFTP_TRY(auto c, cut_download());
  EXPECT_LE(c.part.size(), kCut) << "more than the server sent before its cut";
  EXPECT_TRUE(c.part == file_.substr(0, c.part.size()))
      << "the " << c.part.size() << " bytes before the cut differ from the file";
  QFTP_DO(set_cfg(3, std::to_string(c.part.size())));
  QFTP_TRY(auto rest, get_com("cut.bin", file_.size() - c.part.size()));
  EXPECT_TRUE(c.part + rest.data == file_)
      << "the download resumed from " << c.part.size() << " does not complete the file";
  EXPECT_EQ(rest.result.value, std::to_string(file_.size() - c.part.size()));
}

// The server keeps 100 bytes of an upload and says 426: the DUT reports -426, and the server
// holds the bytes it took.
QFTP_CASE(S3_CutTransfers, AnUploadCutByTheServerGivesMinus426, "3/-426", "2.2.3/05", "R/41") {
  QFTP_SETUP(open_session());
  // The host writes its whole file, as a host that cannot see the cut does: after the server's
  // 100 bytes come lines that read as commands. R/41: they are data of the cut upload, discarded,
  // and neither A/ (repeat AT+QFTPPUT) nor AT runs; the -426 follows the last of them.
  std::string data = test_content("cut-up", 1000);
  const std::string commands = "\rA/\rAT\rAT+QFTPLEN\rA/\r";
  data.replace(400, commands.size(), commands);
  QFTP_DO(fault("CUT STOR 100 times=1"));
  QFTP_DO(at_expect("AT+QFTPPUT=\"cut-up.bin\",1000,60", FinalKind::ok));
  QFTP_SETUP(expect_connect("+QFTPPUT"));
  QFTP_DO(send_raw(data));
  QFTP_TRY(auto f, urc("+QFTPPUT", transfer_timeout()));
  {
    QFTP_CHECKS("3/-426", "2.2.3/05");
    EXPECT_EQ(f.value, "-426");
  }
  {
    QFTP_CHECKS("R/41");
    // Nothing but the URC came: no result of a command run from the data.
    QFTP_TRY(auto r, at_expect("AT", FinalKind::ok));
    static_cast<void>(r);
    for (const auto& l : te().take_queued()) ADD_FAILURE() << "after the cut upload: " << l.text;
    QFTP_TRY(auto cmds, ftp_commands());
    EXPECT_EQ(std::count(cmds.begin(), cmds.end(), "STOR cut-up.bin"), 1)
        << "the data ran as commands: a second upload replaced the server's file";
  }
  QFTP_TRY(auto stored, read_server_file("cut-up.bin"));
  {
    QFTP_CHECKS("R/41");
    EXPECT_TRUE(stored == data.substr(0, 100))
        << "the server holds " << stored.size() << " bytes, not the 100 it kept";
  }
}

// All the data arrives, then the server's final reply is 552: the outcome is the reply's.
QFTP_CASE(S3_CutTransfers, AFailureReplyAfterTheWholeUploadDecides, "3/-552", "2.2.3/05") {
  QFTP_SETUP(open_session());
  QFTP_DO(fault("FINAL STOR 552 times=1"));
  QFTP_TRY(auto f, put_com("final.bin", test_content("final", 300), 60));
  EXPECT_EQ(f.value, "-552") << "the server answered the complete upload with 552";
}

// In stream mode the end of the data connection is the end of the file: a download the server
// cuts after 100 bytes yet confirms (226) is a success of 100 bytes.
QFTP_CASE(S3_CutTransfers, ADownloadCutButConfirmedIsAShortSuccess, "2.2.4/04", "R/5") {
  QFTP_SETUP(open_session());
  const std::string file = test_content("short", 1000);
  QFTP_DO(server_file("short.bin", file));
  QFTP_DO(fault("CUT RETR 100 226 times=1"));
  QFTP_TRY(auto d, get_com("short.bin", 100));
  EXPECT_TRUE(d.data == file.substr(0, 100)) << "the 100 bytes the server sent";
  EXPECT_EQ(d.result.value, "100");
}

}  // namespace
}  // namespace qftp::harness
