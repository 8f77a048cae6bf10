// f_ftp_transfers_test.cpp: the transfers of firmware after V1.1 (docs/field-facts.md §5, rulings 13
// and 16) by other paths than f_field_test.cpp's: a listing of a named directory, a listing into a
// stored file, AT+QFTPGET with a size into /RAM/, AT+QFTPCFG=6 with its other value after a closed
// session, and the boundary of -13. Each case is not applicable unless the PICS declares its
// feature.
#include "harness/qftp_case.h"

namespace qftp::harness {
namespace {

class F_FtpTransfers : public QftpCase {
 protected:
  // A listing command through /COM/: OK, CONNECT, the text, the URC; the text and the URC's count.
  struct Listing {
    std::string text;
    std::string count;
  };
  Step<Listing> listing(const std::string& line, const std::string& name) {
    if (auto r = at_expect(line, FinalKind::ok); !r.ok()) return r.outcome();
    if (auto st = expect_connect(name); !st.ok()) return st.outcome();
    auto text = te().read_until(name + ":", transfer_timeout());
    if (!text) return fail(line + ": " + text.error());
    auto done = urc(name, transfer_timeout());
    if (!done.ok()) return done.outcome();
    Listing out{std::move(text).value(), done.value().value};
    if (out.text.size() >= 2) out.text.resize(out.text.size() - 2);  // the URC's framing
    return out;
  }
};

QFTP_CASE(F_FtpTransfers, ADirectorysListingNamesOnlyItsFiles, "F/07") {
  QFTP_REQUIRE_PICS(pics().ftp_listing, "PICS: no AT+QFTPLIST/AT+QFTPNLST");
  QFTP_DO(server_file("f_lsdir/f_inner.txt", test_content("inner", 10)));
  QFTP_DO(server_file("f_outer.txt", test_content("outer", 10)));
  QFTP_SETUP(open_session());
  for (const char* command : {"AT+QFTPNLST=\"f_lsdir\"", "AT+QFTPLIST=\"f_lsdir\""}) {
    const std::string line(command);
    const std::string name = line.substr(2, line.find('=') - 2);
    QFTP_TRY(auto got, listing(line, name));
    EXPECT_NE(got.text.find("f_inner.txt"), std::string::npos) << command << ": " << got.text;
    EXPECT_EQ(got.text.find("f_outer.txt"), std::string::npos) << command << ": " << got.text;
    EXPECT_EQ(got.count, std::to_string(got.text.size())) << command;
  }
}

QFTP_CASE(F_FtpTransfers, AListingIntoAStoredFileKeepsTheResumePoint, "R/42") {
  QFTP_REQUIRE_PICS(pics().ftp_listing && pics().has_ufs, "PICS: no AT+QFTPNLST or no /UFS/");
  QFTP_DO(server_file("f_stored_ls/f_named.txt", test_content("named", 10)));
  QFTP_SETUP(open_session());
  QFTP_SETUP(set_cfg(4, "\"/UFS/f_nlst.txt\""));
  QFTP_SETUP(set_cfg(3, "9"));
  QFTP_TRY(auto count, urc_of("AT+QFTPNLST=\"f_stored_ls\"", "+QFTPNLST", transfer_timeout()));
  EXPECT_GT(std::stoll(count.value), 0) << "+QFTPNLST:" << count.value << " into /UFS/f_nlst.txt";
  QFTP_TRY(auto len, at_expect("AT+QFTPLEN", FinalKind::ok));
  QFTP_TRY(auto f, info_field(len, "+QFTPLEN"));
  EXPECT_EQ(f.value, count.value) << "AT+QFTPLEN after a listing into a stored file";
  QFTP_TRY(auto point, query_cfg(3));
  EXPECT_EQ(point.value, "9") << "a listing into a stored file neither uses nor resets the point";
  // The stored listing, uploaded back from the same position: the bytes the URC counted.
  QFTP_SETUP(set_cfg(3, "0"));
  QFTP_TRY(auto put, urc_of("AT+QFTPPUT=\"f_nlst_back.txt\",0", "+QFTPPUT", transfer_timeout()));
  EXPECT_EQ(put.value, count.value);
  QFTP_TRY(auto stored, read_server_file("f_nlst_back.txt"));
  EXPECT_EQ(std::to_string(stored.size()), count.value);
  EXPECT_NE(stored.find("f_named.txt"), std::string::npos) << stored;
  QFTP_SETUP(set_cfg(4, "\"/COM/\""));
}

QFTP_CASE(F_FtpTransfers, GetWithTheSizeIntoRam, "F/08") {
  QFTP_REQUIRE_PICS(pics().get_expected_size && pics().field_ftp_commands && pics().has_ram,
                    "PICS: AT+QFTPGET takes no size, or no AT+QFTPSIZE or /RAM/");
  const std::string content = test_content("sized", 2345);
  QFTP_DO(server_file("f_sized.bin", content));
  QFTP_SETUP(open_session());
  QFTP_TRY(auto size, urc_of("AT+QFTPSIZE=\"f_sized.bin\"", "+QFTPSIZE"));
  QFTP_SETUP(set_cfg(4, "\"/RAM/\""));
  QFTP_TRY(auto got,
           urc_of("AT+QFTPGET=\"f_sized.bin\"," + size.value, "+QFTPGET", transfer_timeout()));
  EXPECT_EQ(got.value, "2345") << "AT+QFTPGET with the size +QFTPSIZE gave";
  QFTP_SETUP(set_cfg(4, "\"/COM/\""));
  QFTP_DO(verify_local_file("/RAM/", "f_sized.bin", content));
}

QFTP_CASE(F_FtpTransfers, CfgTypeSixTakesBothValuesAfterASession, "F/09", "R/7") {
  QFTP_REQUIRE_PICS(pics().cfg_type6, "PICS: no AT+QFTPCFG=6");
  QFTP_SETUP(open_session());
  QFTP_SETUP(close_session());
  for (const char* value : {"0", "1"}) {
    {
      QFTP_CHECKS("F/09");
      QFTP_DO(set_cfg(6, value));
    }
    QFTP_CHECKS("R/7");
    QFTP_TRY(auto read, query_cfg(6));
    EXPECT_EQ(read.value, value) << "AT+QFTPCFG=6 after AT+QFTPCFG=6," << value;
  }
  QFTP_CHECKS("F/09");
  QFTP_DO(open_session());
}

QFTP_CASE(F_FtpTransfers, ARamFileOfTheLargestSizeFits, "F/10") {
  QFTP_REQUIRE_PICS(pics().out_of_memory_code && pics().has_ram && pics().get_expected_size,
                    "PICS: no -13 for RAM, or AT+QFTPGET takes no size");
  const std::string content = test_content("fit", 100);
  QFTP_DO(server_file("f_fit.bin", content));
  QFTP_SETUP(open_session());
  const std::string largest = std::to_string(pixit().ram_file_size);
  const std::string too_big = std::to_string(pixit().ram_file_size + 1);
  QFTP_SETUP(set_cfg(4, "\"/RAM/f_fit_named.bin\""));
  QFTP_TRY(auto fits, urc_of("AT+QFTPGET=\"f_fit.bin\"," + largest, "+QFTPGET", transfer_timeout()));
  EXPECT_EQ(fits.value, "100") << "an expected size of exactly the RAM file size";
  QFTP_TRY(auto over, urc_of("AT+QFTPGET=\"f_fit.bin\"," + too_big, "+QFTPGET", transfer_timeout()));
  EXPECT_EQ(over.value, "-13") << "one byte more, into a named RAM file";
  QFTP_SETUP(set_cfg(4, "\"/COM/\""));
}

}  // namespace
}  // namespace qftp::harness
