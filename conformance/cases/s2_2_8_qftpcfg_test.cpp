// s2_2_8_qftpcfg_test.cpp: spec 2.2.8, AT+QFTPCFG: test form, setting and querying (ruling 7),
// format errors, each type's values, defaults and effect on the wire, and the local positions
// /COM/, /UFS/, /SD/ and /RAM/ (M33), with RAM's 102400-byte allocation.
#include <algorithm>

#include "harness/qftp_case.h"

namespace qftp::harness {
namespace {

class S2_2_8_Cfg : public QftpCase {
 protected:
  // The default of a type as the DUT answered before any case set it (Suite::probe_identity).
  Step<std::string> initial_value(int type) {
    auto id = power_on("its defaults");
    if (!id.ok()) return id.outcome();
    const auto it = id.value()->initial_cfg.find(type);
    if (it == id.value()->initial_cfg.end())
      return fail("AT+QFTPCFG=" + std::to_string(type) + " gave no value at start-up");
    return it->second;
  }

  // The FTP commands of one download of a small file (those after the previous call's).
  Step<std::vector<std::string>> commands_of_a_download() {
    if (auto st = server_file("wire.bin", "0123456789"); !st.ok()) return st.outcome();
    auto d = get_result("wire.bin");
    if (!d.ok()) return d.outcome();
    if (d.value().value.empty() || d.value().value[0] == '-')
      return fail("the download gave +QFTPGET:" + d.value().value);
    auto all = ftp_commands();
    if (!all.ok()) return all.outcome();
    std::vector<std::string> fresh(
        all.value().begin() + static_cast<std::ptrdiff_t>(std::min(seen_, all.value().size())),
        all.value().end());
    seen_ = all.value().size();
    return fresh;
  }
  std::size_t seen_ = 0;

  // Uploads a local file from `position` (fileSz 0) and checks the server's copy `remote`.
  Done upload_from(const std::string& position, const std::string& remote,
                   const std::string& content) {
    if (auto st = set_cfg(4, "\"" + position + "\""); !st.ok()) return st;
    if (auto r = at_expect("AT+QFTPPUT=\"" + remote + "\",0", FinalKind::ok); !r.ok())
      return r.outcome();
    auto f = urc("+QFTPPUT", transfer_timeout());
    if (!f.ok()) return f.outcome();
    if (f.value().value != std::to_string(content.size()))
      return fail("+QFTPPUT:" + f.value().value);
    auto stored = read_server_file(remote);
    if (!stored.ok()) return stored.outcome();
    if (stored.value() != content)
      return fail("the server's " + remote + " differs from the local file");
    return {};
  }

  // Downloads the server's `remote` into `position` and checks the local file `local`.
  Done download_into(const std::string& root, const std::string& position,
                     const std::string& remote, const std::string& local,
                     const std::string& content) {
    if (auto st = server_file(remote, content); !st.ok()) return st;
    if (auto st = set_cfg(4, "\"" + position + "\""); !st.ok()) return st;
    if (auto r = at_expect("AT+QFTPGET=\"" + remote + "\"", FinalKind::ok); !r.ok())
      return r.outcome();
    auto f = urc("+QFTPGET", transfer_timeout());
    if (!f.ok()) return f.outcome();
    if (f.value().value != std::to_string(content.size()))
      return fail("+QFTPGET:" + f.value().value);
    return verify_local_file(root, local, content);
  }

  // 2.2.8's positions other than /COM/: the whole and the named form, both directions.
  void check_position(const std::string& root) {
    QFTP_SETUP(open_session());
    const std::string up = test_content(root + "up", 600);
    QFTP_SETUP(make_local_file(root, "local.bin", up));
    QFTP_DO(upload_from(root, "local.bin", up));
    const std::string down = test_content(root + "down", 900);
    QFTP_DO(set_cfg(4, "\"/COM/\""));
    QFTP_DO(download_into(root, root, "fetched.bin", "fetched.bin", down));
  }

  void check_named_position(const std::string& root) {
    QFTP_SETUP(open_session());
    const std::string up = test_content(root + "named", 500);
    QFTP_SETUP(make_local_file(root, "named.txt", up));
    QFTP_DO(upload_from(root + "named.txt", "remote.txt", up));
    const std::string down = test_content(root + "saved", 800);
    QFTP_DO(download_into(root, root + "saved.txt", "server.txt", "saved.txt", down));
  }
};

QFTP_CASE(S2_2_8_Cfg, TestCommandListsTheTypes, "2.2.8/01") {
  QFTP_TRY(auto r, at_expect("AT+QFTPCFG=?", FinalKind::ok));
  QFTP_TRY(auto f, info_field(r, "+QFTPCFG"));
  EXPECT_EQ(f.value, "(1-4)");
}

QFTP_CASE(S2_2_8_Cfg, SettingAnswersOkThenZero, "2.2.8/02", "R/4") {
  for (const char* value : {"1,1", "2,0", "3,0", "4,\"/COM/\""}) {
    QFTP_DO(at_expect(std::string("AT+QFTPCFG=") + value, FinalKind::ok));
    QFTP_DO(expect_urc("+QFTPCFG", "0"));
  }
}

QFTP_CASE(S2_2_8_Cfg, WrongFormatAnswersError, "2.2.8/03", "R/4") {
  for (const char* line :
       {"AT+QFTPCFG=0,1", "AT+QFTPCFG=5,0", "AT+QFTPCFG=1,2", "AT+QFTPCFG=2,2",
        "AT+QFTPCFG=1,\"1\"", "AT+QFTPCFG=3,-1", "AT+QFTPCFG=4,COM", "AT+QFTPCFG=4,1",
        "AT+QFTPCFG=", "AT+QFTPCFG=1,1,1", "AT+QFTPCFG=\"1\",1"}) {
    QFTP_DO(expect_error(line));
  }
}

QFTP_CASE(S2_2_8_Cfg, QueryGivesTheValueSet, "2.2.8/04", "R/7", "R/14") {
  const std::pair<const char*, const char*> sets[] = {{"1,0", "0"}, {"2,1", "1"}, {"3,100", "100"}};
  for (const auto& [set, expected] : sets) {
    QFTP_DO(at_expect(std::string("AT+QFTPCFG=") + set, FinalKind::ok));
    QFTP_DO(expect_urc("+QFTPCFG", "0"));
    QFTP_CHECKS("2.2.8/04", "R/7");  // R/14 is about type 4 alone
    QFTP_TRY(auto f, query_cfg(set[0] - '0'));
    EXPECT_EQ(f.value, expected) << "after AT+QFTPCFG=" << set;
  }
  if (pics().has_ufs) {
    QFTP_DO(set_cfg(4, "\"/UFS/\""));
    QFTP_TRY(auto f, query_cfg(4));
    EXPECT_EQ(f.value, "\"/UFS/\"") << "after AT+QFTPCFG=4,\"/UFS/\"";
  }
}

QFTP_CASE(S2_2_8_Cfg, PositionThatCannotBeSetGivesNegativeCode, "2.2.8/05", "R/12") {
  QFTP_DO(at_expect("AT+QFTPCFG=4,\"/NOWHERE/\"", FinalKind::ok));
  QFTP_TRY(auto f, urc("+QFTPCFG"));
  EXPECT_TRUE(!f.value.empty() && f.value[0] == '-')
      << "an unknown position was set: +QFTPCFG:" << f.value;
}

QFTP_CASE(S2_2_8_Cfg, DataConnectionModeDefaultsToPassive, "2.2.8/06", "R/7") {
  QFTP_TRY(auto initial, initial_value(1));
  EXPECT_EQ(initial, "1") << "type 1 (data connection mode) at start-up";
}

QFTP_CASE(S2_2_8_Cfg, PassiveAndActiveModeOnTheWire, "2.2.8/07") {
  QFTP_REQUIRE_PICS(pics().active_mode, "PICS: no active mode");
  QFTP_SETUP(open_session());
  QFTP_TRY(auto passive, commands_of_a_download());
  const auto has = [](const std::vector<std::string>& cmds, const char* a, const char* b) {
    return std::any_of(cmds.begin(), cmds.end(), [&](const std::string& c) {
      return c.rfind(a, 0) == 0 || c.rfind(b, 0) == 0;
    });
  };
  EXPECT_TRUE(has(passive, "PASV", "EPSV")) << "passive mode sent no PASV or EPSV";
  EXPECT_FALSE(has(passive, "PORT", "EPRT")) << "passive mode sent PORT or EPRT";
  QFTP_DO(set_cfg(1, "0"));
  QFTP_TRY(auto active, commands_of_a_download());
  EXPECT_TRUE(has(active, "PORT", "EPRT")) << "active mode sent no PORT or EPRT";
  EXPECT_FALSE(has(active, "PASV", "EPSV")) << "active mode sent PASV or EPSV";
}

QFTP_CASE(S2_2_8_Cfg, TransferTypeDefaultsToBinary, "2.2.8/08", "R/7") {
  QFTP_TRY(auto initial, initial_value(2));
  EXPECT_EQ(initial, "0") << "type 2 (transfer type) at start-up";
}

QFTP_CASE(S2_2_8_Cfg, BinaryAndAsciiOnTheWire, "2.2.8/09") {
  QFTP_REQUIRE_PICS(pics().ascii_type, "PICS: no ASCII type");
  QFTP_SETUP(open_session());
  QFTP_TRY(auto binary, commands_of_a_download());
  EXPECT_NE(std::find(binary.begin(), binary.end(), "TYPE I"), binary.end())
      << "binary sent no TYPE I";
  QFTP_DO(set_cfg(2, "1"));
  QFTP_TRY(auto ascii, commands_of_a_download());
  EXPECT_NE(std::find(ascii.begin(), ascii.end(), "TYPE A"), ascii.end()) << "ASCII sent no TYPE A";
}

QFTP_CASE(S2_2_8_Cfg, ResumePointDefaultsToZero, "2.2.8/10", "R/7") {
  QFTP_TRY(auto initial, initial_value(3));
  EXPECT_EQ(initial, "0") << "type 3 (resume point) at start-up";
}

QFTP_CASE(S2_2_8_Cfg, ResumePointReturnsToZeroAfterEveryTransfer, "2.2.8/11", "R/7") {
  QFTP_SETUP(open_session());
  QFTP_DO(server_file("r.bin", "0123456789"));
  QFTP_DO(set_cfg(3, "5"));
  QFTP_TRY(auto d, get_result("r.bin"));
  EXPECT_TRUE(!d.value.empty() && d.value[0] != '-')
      << "the download from point 5 gave +QFTPGET:" << d.value;
  QFTP_TRY(auto after_success, query_cfg(3));
  EXPECT_EQ(after_success.value, "0") << "after a successful download from point 5";
  QFTP_DO(set_cfg(3, "5"));
  QFTP_DO(at_expect("AT+QFTPGET=\"missing.bin\"", FinalKind::ok));
  QFTP_TRY(auto failed, urc("+QFTPGET", transfer_timeout()));
  EXPECT_NE(failed.value, "0");
  QFTP_TRY(auto after_failure, query_cfg(3));
  EXPECT_EQ(after_failure.value, "0") << "after a failed download from point 5";
}

QFTP_CASE(S2_2_8_Cfg, LocalPositionDefaultsToCom, "2.2.8/12", "R/7", "R/14") {
  QFTP_TRY(auto initial, initial_value(4));
  EXPECT_EQ(initial, "\"/COM/\"") << "type 4 (local position) at start-up";
}

QFTP_CASE(S2_2_8_Cfg, UfsTransfersTheFileNamedFileName, "2.2.8/13") {
  QFTP_REQUIRE_PICS(pics().has_ufs, "PICS: no /UFS/");
  check_position("/UFS/");
}

QFTP_CASE(S2_2_8_Cfg, UfsWithANameTransfersThatFile, "2.2.8/14") {
  QFTP_REQUIRE_PICS(pics().has_ufs, "PICS: no /UFS/");
  check_named_position("/UFS/");
}

QFTP_CASE(S2_2_8_Cfg, SdTransfersTheFileNamedFileName, "2.2.8/15") {
  QFTP_REQUIRE_PICS(pics().has_sd, "PICS: no /SD/ (M33 only)");
  check_position("/SD/");
}

QFTP_CASE(S2_2_8_Cfg, SdWithANameTransfersThatFile, "2.2.8/16") {
  QFTP_REQUIRE_PICS(pics().has_sd, "PICS: no /SD/ (M33 only)");
  check_named_position("/SD/");
}

QFTP_CASE(S2_2_8_Cfg, RamTransfersTheFileNamedFileName, "2.2.8/17") {
  QFTP_REQUIRE_PICS(pics().has_ram, "PICS: no /RAM/ (M33 only)");
  check_position("/RAM/");
}

QFTP_CASE(S2_2_8_Cfg, RamWithANameTransfersThatFile, "2.2.8/18") {
  QFTP_REQUIRE_PICS(pics().has_ram, "PICS: no /RAM/ (M33 only)");
  check_named_position("/RAM/");
}

QFTP_CASE(S2_2_8_Cfg, RamHolds102400BytesForADownload, "2.2.8/19", "R/13") {
  QFTP_REQUIRE_PICS(pics().has_ram, "PICS: no /RAM/ (M33 only)");
  QFTP_SETUP(open_session());
  const auto limit = static_cast<std::size_t>(pixit().ram_file_size);
  QFTP_DO(server_file("fits.bin", test_content("fits", limit)));
  QFTP_DO(server_file("toobig.bin", test_content("toobig", limit + 1)));
  QFTP_DO(set_cfg(4, "\"/RAM/\""));
  QFTP_DO(at_expect("AT+QFTPGET=\"fits.bin\"", FinalKind::ok));
  QFTP_TRY(auto fits, urc("+QFTPGET", transfer_timeout()));
  EXPECT_EQ(fits.value, std::to_string(limit))
      << "a download of exactly " << limit << " bytes into RAM";
  QFTP_DO(at_expect("AT+QFTPGET=\"toobig.bin\"", FinalKind::ok));
  QFTP_TRY(auto too_big, urc("+QFTPGET", transfer_timeout()));
  // Ruling 13: firmware that declares -13 for memory (F/10) reports a full RAM with it.
  const std::string full = pics().out_of_memory_code ? "-13" : "-1";
  if (pics().out_of_memory_code) note("PICS out_of_memory_code: a full RAM is -13 (F/10), not R/13's -1");
  EXPECT_EQ(too_big.value, full) << "a download of " << limit + 1
                                 << " bytes into RAM (ruling R/13: -1)";
}

QFTP_CASE(S2_2_8_Cfg, SdAndRamAreRefusedWithoutThem, "2.2.8/20", "R/12") {
  QFTP_REQUIRE_PICS(!pics().has_sd || !pics().has_ram, "PICS: the DUT has both /SD/ and /RAM/");
  for (const auto& [position, present] :
       {std::pair<const char*, bool>{"/SD/", pics().has_sd}, {"/RAM/", pics().has_ram}}) {
    if (present) continue;
    QFTP_DO(at_expect(std::string("AT+QFTPCFG=4,\"") + position + "\"", FinalKind::ok));
    QFTP_TRY(auto f, urc("+QFTPCFG"));
    EXPECT_EQ(f.value, "-10") << position << " on a module without it";
  }
}

// Second paths: settings and queries in an open session, other malformed lines, the modes and
// types on the wire of an upload, the UFS positions after a path change, and /SD/ and /RAM/ with a
// file name on a module without them.

QFTP_CASE(S2_2_8_Cfg, SettingInAnOpenSessionAnswersOkThenZero, "2.2.8/02") {
  QFTP_SETUP(open_session());
  for (const char* value : {"1,0", "2,1", "3,7", "1,1", "2,0", "3,0", "4,\"/COM/\""}) {
    QFTP_DO(at_expect(std::string("AT+QFTPCFG=") + value, FinalKind::ok));
    QFTP_DO(expect_urc("+QFTPCFG", "0"));
  }
}

QFTP_CASE(S2_2_8_Cfg, OtherMalformedLinesAnswerError, "2.2.8/03") {
  QFTP_SETUP(open_session());
  for (const char* line : {"AT+QFTPCFG=1,-1", "AT+QFTPCFG=2,\"0\"", "AT+QFTPCFG=3,\"5\"",
                           "AT+QFTPCFG=4,\"/COM/\",1", "AT+QFTPCFG=a,1"}) {
    QFTP_DO(expect_error(line));
  }
  QFTP_TRY(auto f, query_cfg(2));
  EXPECT_EQ(f.value, "0") << "a malformed AT+QFTPCFG changed the transfer type";
}

QFTP_CASE(S2_2_8_Cfg, QueryInAnOpenSessionGivesTheValueSet, "2.2.8/04") {
  QFTP_SETUP(open_session());
  const std::pair<const char*, const char*> sets[] = {
      {"1,1", "1"}, {"2,0", "0"}, {"3,4294967295", "4294967295"}, {"3,0", "0"}};
  for (const auto& [set, expected] : sets) {
    QFTP_DO(at_expect(std::string("AT+QFTPCFG=") + set, FinalKind::ok));
    QFTP_DO(expect_urc("+QFTPCFG", "0"));
    QFTP_TRY(auto f, query_cfg(set[0] - '0'));
    EXPECT_EQ(f.value, expected) << "after AT+QFTPCFG=" << set;
  }
  if (pics().has_ufs) {
    QFTP_DO(set_cfg(4, "\"/UFS/named.bin\""));
    QFTP_TRY(auto f, query_cfg(4));
    EXPECT_EQ(f.value, "\"/UFS/named.bin\"") << "after AT+QFTPCFG=4,\"/UFS/named.bin\"";
    QFTP_DO(set_cfg(4, "\"/COM/\""));
  }
}

QFTP_CASE(S2_2_8_Cfg, PassiveAndActiveModeOnTheWireOfAnUpload, "2.2.8/07", "2.2.3/04") {
  QFTP_CHECKS("2.2.8/07");
  QFTP_REQUIRE_PICS(pics().active_mode, "PICS: no active mode");
  QFTP_SETUP(open_session());
  const auto has = [](const std::vector<std::string>& cmds, std::size_t from, const char* a,
                      const char* b) {
    return std::any_of(cmds.begin() + static_cast<std::ptrdiff_t>(std::min(from, cmds.size())),
                       cmds.end(), [&](const std::string& c) {
                         return c.rfind(a, 0) == 0 || c.rfind(b, 0) == 0;
                       });
  };
  QFTP_TRY(auto before, ftp_commands());
  QFTP_TRY(auto up1, put_com("mode-passive.bin", "passive", 60));
  static_cast<void>(up1);
  QFTP_TRY(auto passive, ftp_commands());
  EXPECT_TRUE(has(passive, before.size(), "PASV", "EPSV")) << "a passive upload sent no PASV/EPSV";
  EXPECT_FALSE(has(passive, before.size(), "PORT", "EPRT")) << "a passive upload sent PORT/EPRT";
  QFTP_DO(set_cfg(1, "0"));
  QFTP_TRY(auto up2, put_com("mode-active.bin", "active", 60));
  QFTP_TRY(auto active, ftp_commands());
  EXPECT_TRUE(has(active, passive.size(), "PORT", "EPRT")) << "an active upload sent no PORT/EPRT";
  EXPECT_FALSE(has(active, passive.size(), "PASV", "EPSV")) << "an active upload sent PASV/EPSV";
  QFTP_CHECKS("2.2.3/04");  // the active upload's bytes
  EXPECT_EQ(up2.value, "6");
  QFTP_TRY(auto stored, read_server_file("mode-active.bin"));
  EXPECT_EQ(stored, "active");
}

QFTP_CASE(S2_2_8_Cfg, BinaryAndAsciiOnTheWireOfAnUpload, "2.2.8/09") {
  QFTP_REQUIRE_PICS(pics().ascii_type, "PICS: no ASCII type");
  QFTP_SETUP(open_session());
  QFTP_TRY(auto before, ftp_commands());
  QFTP_DO(set_cfg(2, "1"));
  QFTP_TRY(auto up1, put_com("type-a.txt", "ascii", 60));
  static_cast<void>(up1);
  QFTP_TRY(auto ascii, ftp_commands());
  EXPECT_NE(std::find(ascii.begin() + static_cast<std::ptrdiff_t>(before.size()), ascii.end(),
                      "TYPE A"),
            ascii.end())
      << "an ASCII upload sent no TYPE A";
  QFTP_DO(set_cfg(2, "0"));
  QFTP_TRY(auto up2, put_com("type-i.bin", "binary", 60));
  static_cast<void>(up2);
  QFTP_TRY(auto binary, ftp_commands());
  EXPECT_NE(std::find(binary.begin() + static_cast<std::ptrdiff_t>(ascii.size()), binary.end(),
                      "TYPE I"),
            binary.end())
      << "a binary upload sent no TYPE I";
}

// The UFS and RAM positions with the server in another directory than the login one (2.2.5's
// path): the names on both sides are the ones 2.2.8 gives, whatever the server's directory.
class S2_2_8_CfgInADirectory : public S2_2_8_Cfg {
 protected:
  // `named`: the position names the local file ("<root><name>"), else it is `root` alone.
  void transfer_in_a_directory(const std::string& root, bool named, const std::string& local_up,
                               const std::string& remote_up, const std::string& remote_down,
                               const std::string& local_down) {
    QFTP_SETUP(open_session());
    const std::string up = test_content(local_up, 2500);
    const std::string down = test_content(remote_down, 3100);
    QFTP_SETUP(make_local_file(root, local_up, up));
    QFTP_DO(server_file("cfgdir/" + remote_down, down));
    QFTP_SETUP(set_path("/cfgdir"));
    QFTP_DO(set_cfg(4, "\"" + root + (named ? local_up : std::string()) + "\""));
    QFTP_DO(at_expect("AT+QFTPPUT=\"" + remote_up + "\",0", FinalKind::ok));
    QFTP_DO(expect_urc("+QFTPPUT", std::to_string(up.size()), transfer_timeout()));
    QFTP_TRY(auto stored, read_server_file("cfgdir/" + remote_up));
    EXPECT_TRUE(stored == up) << "the server's cfgdir/" << remote_up << " differs from "
                              << root << local_up;
    QFTP_DO(set_cfg(4, "\"" + root + (named ? local_down : std::string()) + "\""));
    QFTP_DO(at_expect("AT+QFTPGET=\"" + remote_down + "\"", FinalKind::ok));
    QFTP_DO(expect_urc("+QFTPGET", std::to_string(down.size()), transfer_timeout()));
    QFTP_DO(set_cfg(4, "\"/COM/\""));
    QFTP_DO(set_path("/"));
    QFTP_DO(verify_local_file(root, local_down, down));
  }
};

QFTP_CASE(S2_2_8_CfgInADirectory, UfsTransfersTheFileNamedFileNameInAServerDirectory, "2.2.8/13") {
  QFTP_REQUIRE_PICS(pics().has_ufs, "PICS: no /UFS/");
  transfer_in_a_directory("/UFS/", false, "dir-same.bin", "dir-same.bin", "dir-fetched.bin",
                          "dir-fetched.bin");
}

QFTP_CASE(S2_2_8_CfgInADirectory, UfsWithANameTransfersThatFileInAServerDirectory, "2.2.8/14") {
  QFTP_REQUIRE_PICS(pics().has_ufs, "PICS: no /UFS/");
  transfer_in_a_directory("/UFS/", true, "n-local.txt", "n-remote.txt", "n-server.txt", "n-saved.txt");
}

QFTP_CASE(S2_2_8_CfgInADirectory, RamTransfersTheFileNamedFileNameInAServerDirectory, "2.2.8/17") {
  QFTP_REQUIRE_PICS(pics().has_ram, "PICS: no /RAM/ (M33 only)");
  transfer_in_a_directory("/RAM/", false, "ram-same.bin", "ram-same.bin", "ram-fetched.bin",
                          "ram-fetched.bin");
}

QFTP_CASE(S2_2_8_CfgInADirectory, RamWithANameTransfersThatFileInAServerDirectory, "2.2.8/18") {
  QFTP_REQUIRE_PICS(pics().has_ram, "PICS: no /RAM/ (M33 only)");
  transfer_in_a_directory("/RAM/", true, "r-local.txt", "r-remote.txt", "r-server.txt",
                          "r-saved.txt");
}

QFTP_CASE(S2_2_8_Cfg, SdAndRamWithANameAreRefusedWithoutThem, "2.2.8/20") {
  QFTP_REQUIRE_PICS(!pics().has_sd || !pics().has_ram, "PICS: the DUT has both /SD/ and /RAM/");
  for (const auto& [position, present] :
       {std::pair<const char*, bool>{"/SD/file.bin", pics().has_sd}, {"/RAM/file.bin", pics().has_ram}}) {
    if (present) continue;
    QFTP_DO(at_expect(std::string("AT+QFTPCFG=4,\"") + position + "\"", FinalKind::ok));
    QFTP_TRY(auto f, urc("+QFTPCFG"));
    EXPECT_EQ(f.value, "-10") << position << " on a module without it";
  }
  QFTP_TRY(auto now, query_cfg(4));
  EXPECT_EQ(now.value, "\"/COM/\"") << "a refused position replaced the current one";
}

QFTP_CASE(S2_2_8_Cfg, ANamedRamFileHolds102400BytesForADownload, "2.2.8/19") {
  QFTP_REQUIRE_PICS(pics().has_ram, "PICS: no /RAM/ (M33 only)");
  QFTP_SETUP(open_session());
  const auto limit = static_cast<std::size_t>(pixit().ram_file_size);
  QFTP_DO(server_file("fits2.bin", test_content("fits2", limit)));
  QFTP_DO(server_file("toobig2.bin", test_content("toobig2", limit + 1)));
  QFTP_DO(set_cfg(4, "\"/RAM/held.bin\""));
  QFTP_DO(at_expect("AT+QFTPGET=\"fits2.bin\"", FinalKind::ok));
  QFTP_TRY(auto fits, urc("+QFTPGET", transfer_timeout()));
  EXPECT_EQ(fits.value, std::to_string(limit))
      << "a download of exactly " << limit << " bytes into a named RAM file";
  QFTP_DO(at_expect("AT+QFTPGET=\"toobig2.bin\"", FinalKind::ok));
  QFTP_TRY(auto too_big, urc("+QFTPGET", transfer_timeout()));
  const std::string full = pics().out_of_memory_code ? "-13" : "-1";  // F/10 or R/13 (ruling 13)
  EXPECT_EQ(too_big.value, full) << "a download of " << limit + 1 << " bytes into a named RAM file";
}

}  // namespace
}  // namespace qftp::harness
