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

}  // namespace
}  // namespace qftp::harness
