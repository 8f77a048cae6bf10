// r_escape_timing_test.cpp: ruling 6's timing at its edges, through an upload: "+++" followed by a
// byte within the guard time is data, three '+' further apart than the gap limit are data, a '+'
// followed by other bytes is data, and the escape right after CONNECT ends the upload with nothing
// sent.
#include <algorithm>

#include "harness/qftp_case.h"

namespace qftp::harness {
namespace {

class R6_EscapeTiming : public QftpCase {
 protected:
  // The host stays silent for `window` (an escape's guard, a gap); nothing may arrive meanwhile.
  Done silence(Ms window) {
    auto got = te().read_for(window);
    if (!got) return fail("while the host kept silent: " + got.error());
    if (!got.value().empty())
      return fail("the DUT spoke in data mode: \"" + printable(got.value()) + "\"");
    return {};
  }
  Ms guard() { return Ms(pixit().guard_ms) + std::max(Ms(pixit().guard_ms) / 2, Ms(50)); }
};

QFTP_CASE(R6_EscapeTiming, PlusesFollowedByDataWithinTheGuardAreData, "R/6.1") {
  QFTP_SETUP(open_session());
  QFTP_DO(at_expect("AT+QFTPPUT=\"plusx.bin\",14,60", FinalKind::ok));
  QFTP_DO(expect_connect("+QFTPPUT"));
  QFTP_DO(send_raw("0123456789"));
  QFTP_DO(silence(guard()));
  QFTP_DO(send_raw("+++x"));
  QFTP_TRY(auto f, urc("+QFTPPUT", transfer_timeout()));
  EXPECT_EQ(f.value, "14") << "\"+++x\" after a guard time is four bytes of the file";
  QFTP_TRY(auto stored, read_server_file("plusx.bin"));
  EXPECT_EQ(printable(stored), printable("0123456789+++x"));
}

QFTP_CASE(R6_EscapeTiming, PlusesFurtherApartThanTheGapAreData, "R/6.3") {
  QFTP_SETUP(open_session());
  QFTP_DO(at_expect("AT+QFTPPUT=\"slowplus.bin\",5,60", FinalKind::ok));
  QFTP_DO(expect_connect("+QFTPPUT"));
  QFTP_DO(send_raw("ab"));
  QFTP_DO(silence(guard()));
  QFTP_DO(send_raw("+"));
  // Well beyond the gap: a DUT (or an emulator on a busy host) that reads the '+' late must still
  // see it apart from the next two; any spacing over the gap is what R/6.3 speaks of.
  QFTP_DO(silence(std::max(Ms(pixit().gap_ms) * 3 + Ms(20), Ms(300))));
  QFTP_DO(send_raw("++"));
  QFTP_TRY(auto f, urc("+QFTPPUT", transfer_timeout()));
  EXPECT_EQ(f.value, "5") << "'+' slower than the gap limit are bytes of the file";
  QFTP_TRY(auto stored, read_server_file("slowplus.bin"));
  EXPECT_EQ(printable(stored), printable("ab+++"));
}

QFTP_CASE(R6_EscapeTiming, AnEscapeBeforeAnyDataEndsTheUploadWithZero, "R/6", "2.2.3/12") {
  QFTP_SETUP(open_session());
  QFTP_DO(at_expect("AT+QFTPPUT=\"empty.bin\",100,60", FinalKind::ok));
  QFTP_DO(expect_connect("+QFTPPUT"));
  QFTP_DO(send_escape());
  QFTP_DO(await_text("OK", Ms(pixit().guard_ms) * 2 + command_timeout()));
  // A DUT that suspends instead gets the 100 bytes after ATO's CONNECT.
  const std::string rest = test_content("empty-rest", 100);
  QFTP_TRY(auto after, settle_after_escape("+QFTPPUT", rest));
  const std::string expected = after.resumed ? rest : "";
  EXPECT_EQ(after.result.value, std::to_string(expected.size()));
  QFTP_TRY(auto stored, read_server_file("empty.bin"));
  EXPECT_TRUE(stored == expected) << "the server holds " << stored.size() << " bytes";
}

// R/6.3 with the long gap between the second and the third '+' (the case above: between the first
// and the second): a candidate that held two '+' and then waited too long is data too.
QFTP_CASE(R6_EscapeTiming, ThePlusAfterALateSecondGapIsData, "R/6.3") {
  QFTP_SETUP(open_session());
  QFTP_DO(at_expect("AT+QFTPPUT=\"lateplus.bin\",6,60", FinalKind::ok));
  QFTP_DO(expect_connect("+QFTPPUT"));
  QFTP_DO(send_raw("xyz"));
  QFTP_DO(silence(guard()));
  QFTP_DO(send_raw("++"));
  QFTP_DO(silence(std::max(Ms(pixit().gap_ms) * 3 + Ms(20), Ms(300))));
  QFTP_DO(send_raw("+"));
  QFTP_TRY(auto f, urc("+QFTPPUT", transfer_timeout()));
  EXPECT_EQ(f.value, "6") << "'++' then '+' slower than the gap limit are bytes of the file";
  QFTP_TRY(auto stored, read_server_file("lateplus.bin"));
  EXPECT_EQ(printable(stored), printable("xyz+++"));
}

// R/6: the escape is three '+' and nothing else. A '+' after a guard time, followed within the gap
// by other bytes ("+ab", "++c"), begins no escape: every byte is data, the '+'s and what follows
// them unchanged, and the guard time of silence after them ends nothing.
QFTP_CASE(R6_EscapeTiming, OtherBytesAfterAPlusAreDataAndNoEscape, "R/6") {
  QFTP_SETUP(open_session());
  QFTP_DO(at_expect("AT+QFTPPUT=\"plusab.bin\",8,60", FinalKind::ok));
  QFTP_DO(expect_connect("+QFTPPUT"));
  QFTP_DO(send_raw("01"));
  QFTP_DO(silence(guard()));
  QFTP_DO(send_raw("+ab"));
  QFTP_DO(silence(guard()));
  QFTP_DO(send_raw("++c"));
  QFTP_TRY(auto f, urc("+QFTPPUT", transfer_timeout()));
  EXPECT_EQ(f.value, "8") << "\"+ab\" and \"++c\" after guard times are six bytes of the file";
  QFTP_TRY(auto stored, read_server_file("plusab.bin"));
  EXPECT_EQ(printable(stored), printable("01+ab++c"));
}

}  // namespace
}  // namespace qftp::harness
