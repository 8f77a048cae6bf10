// p_pics_probe_test.cpp: the DUT's declared PICS checked against what it does (ISO/IEC 9646): a
// profile that claims a local position the DUT refuses, or denies one it has, fails here, so that
// not_applicable verdicts elsewhere rest on a true declaration.
#include "harness/qftp_case.h"

namespace qftp::harness {
namespace {

class P_PicsProbe : public QftpCase {
 protected:
  void probe(const std::string& position, bool declared, const char* pics_name) {
    QFTP_DO(at_expect("AT+QFTPCFG=4,\"" + position + "\"", FinalKind::ok));
    QFTP_TRY(auto f, urc("+QFTPCFG"));
    const bool works = f.value == "0";
    EXPECT_EQ(works, declared) << "AT+QFTPCFG=4,\"" << position
                               << "\" answered +QFTPCFG:" << f.value
                               << ", but the profile declares " << pics_name << "="
                               << (declared ? "true" : "false");
  }
};

QFTP_CASE(P_PicsProbe, SdAgreesWithThePics, "P/01") {
  probe("/SD/", pics().has_sd, "has_sd");
}

QFTP_CASE(P_PicsProbe, RamAgreesWithThePics, "P/02") {
  probe("/RAM/", pics().has_ram, "has_ram");
}

QFTP_CASE(P_PicsProbe, UfsAgreesWithThePics, "P/03") {
  probe("/UFS/", pics().has_ufs, "has_ufs");
}

// The same declarations probed through the named form of each position ("<root><file>"): a DUT
// that knows a root answers +QFTPCFG:0 for a well-formed name in it too.
QFTP_CASE(P_PicsProbe, NamedSdFileAgreesWithThePics, "P/01") {
  probe("/SD/probe.bin", pics().has_sd, "has_sd");
}

QFTP_CASE(P_PicsProbe, NamedRamFileAgreesWithThePics, "P/02") {
  probe("/RAM/probe.bin", pics().has_ram, "has_ram");
}

QFTP_CASE(P_PicsProbe, NamedUfsFileAgreesWithThePics, "P/03") {
  probe("/UFS/probe.bin", pics().has_ufs, "has_ufs");
}

// P/04: a command after V1.1 is known exactly when the PICS declares it (ruling 13): its test form
// answers OK, where an unknown command answers ERROR.
struct FieldCommand {
  const char* name;
  bool Pics::*declared;
  const char* pics_name;
};
constexpr FieldCommand kFieldCommands[] = {
    {"+QFTPSIZE", &Pics::field_ftp_commands, "field_ftp_commands"},
    {"+QFTPDELETE", &Pics::field_ftp_commands, "field_ftp_commands"},
    {"+QFTPRENAME", &Pics::field_ftp_commands, "field_ftp_commands"},
    {"+QFTPMKDIR", &Pics::field_ftp_commands, "field_ftp_commands"},
    {"+QFTPRMDIR", &Pics::ftp_rmdir, "ftp_rmdir"},
    {"+QFTPLIST", &Pics::ftp_listing, "ftp_listing"},
    {"+QFTPNLST", &Pics::ftp_listing, "ftp_listing"},
};

QFTP_CASE(P_PicsProbe, FieldFtpCommandsAgreeWithThePics, "P/04") {
  for (const auto& c : kFieldCommands) {
    const std::string line = std::string("AT") + c.name + "=?";
    QFTP_TRY(auto r, at(line));
    const bool known = r.is(FinalKind::ok);
    EXPECT_EQ(known, pics().*c.declared)
        << line << " answered " << r.describe() << ", but the profile declares " << c.pics_name
        << "=" << (pics().*c.declared ? "true" : "false");
  }
}

// P/04 through the write form, with no session open: a command the DUT knows answers OK and then
// its URC (no session: a negative code), an unknown one ERROR.
QFTP_CASE(P_PicsProbe, FieldFtpCommandsWithoutASessionAgreeWithThePics, "P/04") {
  for (const auto& c : kFieldCommands) {
    const std::string name = c.name;
    const std::string args = name == "+QFTPRENAME" ? "=\"p04.bin\",\"p04b.bin\"" : "=\"p04\"";
    QFTP_TRY(auto r, at("AT" + name + args));
    const bool known = r.is(FinalKind::ok);
    EXPECT_EQ(known, pics().*c.declared)
        << "AT" << name << args << " answered " << r.describe() << ", but the profile declares "
        << c.pics_name << "=" << (pics().*c.declared ? "true" : "false");
    if (known) {
      QFTP_TRY(auto f, urc(name));
      EXPECT_EQ(f.value.rfind('-', 0), 0U) << "AT" << name << " with no session gave " << f.value;
    }
  }
}

}  // namespace
}  // namespace qftp::harness
