// f_startup_test.cpp: the start-up and general commands of docs/field-facts.md §7 by other paths
// than f_field_test.cpp's and f_registration_urc_test.cpp's: the range ends of ATS0, the other
// values of AT+CREG, AT+CGREG, AT+CLIP and AT+COLP, AT+COPS? without a context, AT+QILOCIP with a
// context activated again, URCs of a line with several commands, and one registration report
// asked for without the other, and the power-on values of AT+CREG, AT+CLIP and AT+COLP. Not
// applicable unless the PICS declares the start-up commands.
#include <regex>

#include "harness/qftp_case.h"

namespace qftp::harness {
namespace {

using F_Startup = QftpCase;

#define QFTP_REQUIRE_STARTUP() \
  QFTP_REQUIRE_PICS(pics().startup_commands, "PICS: no start-up commands")

// ATS0? as a number: the bare value, with or without leading zeros.
bool s0_reads(const Response& r, int value) {
  if (r.info.size() != 1) return false;
  const std::string& text = r.info[0].text;
  if (text.empty() || text.find_first_not_of("0123456789") != std::string::npos) return false;
  return std::stoi(text) == value;
}

QFTP_CASE(F_Startup, S0TakesTheEndsOfItsRange, "F/16") {
  QFTP_REQUIRE_STARTUP();
  QFTP_DO(at_expect("ATS0=255", FinalKind::ok));
  QFTP_TRY(auto top, at_expect("ATS0?", FinalKind::ok));
  EXPECT_TRUE(s0_reads(top, 255)) << top.describe();
  QFTP_DO(at_expect("ATS0=0", FinalKind::ok));
  QFTP_TRY(auto bottom, at_expect("ATS0?", FinalKind::ok));
  EXPECT_TRUE(s0_reads(bottom, 0)) << bottom.describe();
}

QFTP_CASE(F_Startup, RegistrationReportsTakeTwoAndZero, "F/17") {
  QFTP_REQUIRE_STARTUP();
  for (const char* name : {"+CREG", "+CGREG"}) {
    for (const char* n : {"2", "0"}) {
      QFTP_DO(at_expect(std::string("AT") + name + "=" + n, FinalKind::ok));
      QFTP_TRY(auto r, at_expect(std::string("AT") + name + "?", FinalKind::ok));
      QFTP_TRY(auto f, info_field(r, name));
      EXPECT_EQ(f.value.substr(0, 2), std::string(n) + ",") << name << "? after " << name << "=" << n;
    }
    // <n> is 0-2: 3 is out of range, and the setting stays.
    QFTP_DO(expect_error(std::string("AT") + name + "=3"));
    QFTP_TRY(auto r, at_expect(std::string("AT") + name + "?", FinalKind::ok));
    QFTP_TRY(auto f, info_field(r, name));
    EXPECT_EQ(f.value.substr(0, 2), "0,") << name << "? after " << name << "=3 was refused";
  }
}

QFTP_CASE(F_Startup, ClipAndColpAreSetApart, "F/18") {
  QFTP_REQUIRE_STARTUP();
  QFTP_DO(at_expect("AT+CLIP=1", FinalKind::ok));
  QFTP_DO(at_expect("AT+COLP=0", FinalKind::ok));  // as the OpenCPU RIL sets them
  QFTP_TRY(auto clip, at_expect("AT+CLIP?", FinalKind::ok));
  QFTP_TRY(auto c, info_field(clip, "+CLIP"));
  EXPECT_EQ(c.value.substr(0, 2), "1,") << c.value;
  QFTP_TRY(auto colp, at_expect("AT+COLP?", FinalKind::ok));
  QFTP_TRY(auto o, info_field(colp, "+COLP"));
  EXPECT_EQ(o.value.substr(0, 2), "0,") << o.value;
  QFTP_DO(at_expect("AT+CLIP=0", FinalKind::ok));
  QFTP_TRY(auto off, at_expect("AT+CLIP?", FinalKind::ok));
  QFTP_TRY(auto z, info_field(off, "+CLIP"));
  EXPECT_EQ(z.value.substr(0, 2), "0,") << z.value;
}

// F/38: the power-on values, as the suite read them before any case ran (AT&F need not restore
// them, and the reset between cases does not set them). A DUT whose FTP service had been used
// already (2.2.9/03) has had a host before the suite, which may have set them.
class F_PowerOn : public QftpCase {
 protected:
  Step<std::string> initial_setting(const char* name) {
    auto id = power_on("its power-on values");
    if (!id.ok()) return id.outcome();
    const auto it = id.value()->initial_settings.find(name);
    if (it == id.value()->initial_settings.end())
      return fail(std::string("AT") + name + "? gave no <n> when the suite started");
    return it->second;
  }
};

QFTP_CASE(F_PowerOn, RegistrationReportsAreOffAtPowerOn, "F/38") {
  QFTP_REQUIRE_STARTUP();
  QFTP_TRY(auto creg, initial_setting("+CREG"));
  EXPECT_EQ(creg, "0") << "AT+CREG?'s <n> at power-on";
}

QFTP_CASE(F_PowerOn, CallerLinesAreOffAtPowerOn, "F/38") {
  QFTP_REQUIRE_STARTUP();
  QFTP_TRY(auto clip, initial_setting("+CLIP"));
  EXPECT_EQ(clip, "0") << "AT+CLIP?'s <n> at power-on";
  QFTP_TRY(auto colp, initial_setting("+COLP"));
  EXPECT_EQ(colp, "0") << "AT+COLP?'s <n> at power-on";
}

QFTP_CASE(F_Startup, CopsWithoutAContext, "F/19") {
  QFTP_REQUIRE_STARTUP();
  QFTP_SETUP(at_expect("AT+QIDEACT", FinalKind::deact_ok));
  QFTP_TRY(auto r, at_expect("AT+COPS?", FinalKind::ok));
  QFTP_TRY(auto f, info_field(r, "+COPS"));
  static const std::regex shape(R"([0-4](,[0-2],"[^"]*")?)");
  EXPECT_TRUE(std::regex_match(f.value, shape)) << "+COPS: " << f.value;
}

QFTP_CASE(F_Startup, QilocipAfterTheContextIsActivatedAgain, "F/20") {
  QFTP_REQUIRE_STARTUP();
  QFTP_SETUP(at_expect("AT+QIDEACT", FinalKind::deact_ok));
  QFTP_SETUP(at_expect("AT+QIREGAPP", FinalKind::ok));
  QFTP_SETUP(at_expect("AT+QIACT", FinalKind::ok));
  QFTP_SETUP(at_expect("ATE0", FinalKind::ok));
  QFTP_DO(send_raw("AT+QILOCIP\r"));
  QFTP_TRY(auto line, next_line());
  static const std::regex dotted(R"(\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3})");
  EXPECT_TRUE(std::regex_match(line.text, dotted)) << "not an address: \"" << line.text << "\"";
  QFTP_DO(expect_quiet("AT+QILOCIP's address"));  // no OK after it
}

QFTP_CASE(F_Startup, UrcsOfALineOfSeveralCommandsFollowItsOk, "F/21") {
  QFTP_REQUIRE_STARTUP();
  QFTP_TRY(auto r, at_expect("AT+QFTPCFG=3,5;+QFTPSTAT;+QFTPCFG=3", FinalKind::ok));
  for (const auto& l : r.info) {
    EXPECT_EQ(l.text.find("+QFTPCFG"), std::string::npos) << "a URC inside the response: " << l.text;
  }
  QFTP_DO(expect_urc("+QFTPCFG", "0"));
  QFTP_DO(expect_urc("+QFTPCFG", "5"));
}

QFTP_CASE(F_Startup, OnlyTheAskedRegistrationIsReported, "F/35") {
  QFTP_REQUIRE_STARTUP();
  QFTP_REQUIRE_PICS(suite().has_network_control(),
                    "needs the emulator's network control (REGISTRATION LOST/BACK)");
  QFTP_DO(at_expect("AT+CREG=0", FinalKind::ok));
  QFTP_DO(at_expect("AT+CGREG=1", FinalKind::ok));
  QFTP_DO(network("REGISTRATION LOST"));
  QFTP_DO(expect_urc("+CGREG", "2", urc_timeout()));
  QFTP_DO(expect_quiet("+CGREG: 2 with AT+CREG=0"));
  QFTP_DO(network("REGISTRATION BACK"));
  QFTP_DO(expect_urc("+CGREG", "1", urc_timeout()));
  QFTP_DO(expect_quiet("+CGREG: 1 with AT+CREG=0"));
  QFTP_DO(at_expect("AT+CGREG=0", FinalKind::ok));
}

}  // namespace
}  // namespace qftp::harness
