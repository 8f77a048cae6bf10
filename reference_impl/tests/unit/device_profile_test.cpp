// Device profiles (docs/architecture.md §2.1 layer 7): the defaults are the spec's, the shipped
// files parse, and a typo in a lab's profile is an error that names its line.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/modem/device_profile.h"
#include "testing/virtual_modem.h"

namespace {

using qftp::modem::DeviceProfile;
using qftp::modem::parse_profile;

std::string read_file(const std::filesystem::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

const std::filesystem::path kProfiles = std::filesystem::path(QFTP_TRANSCRIPT_DIR) / ".." / ".." / "profiles";

TEST(DeviceProfile, DefaultsFollowTheSpecAndRuling2) {
  const DeviceProfile p;
  EXPECT_EQ(p.guard_ms, 500);
  EXPECT_EQ(p.gap_ms, 20);
  EXPECT_EQ(p.spaced_urcs, (std::set<std::string, std::less<>>{"+QFTPSTAT", "+QFTPLEN"}));
  EXPECT_FALSE(p.has_sd);
  EXPECT_FALSE(p.has_ram);
  EXPECT_EQ(p.ram_file_size, 102400u);
}

TEST(DeviceProfile, ShippedDefaultFileEqualsTheBuiltInDefaults) {
  const auto parsed = parse_profile(read_file(kProfiles / "default.profile"));
  ASSERT_TRUE(std::holds_alternative<DeviceProfile>(parsed)) << std::get<std::string>(parsed);
  const auto& p = std::get<DeviceProfile>(parsed);
  const DeviceProfile d;
  EXPECT_EQ(p.model, d.model);
  EXPECT_EQ(p.revision, d.revision);
  EXPECT_EQ(p.guard_ms, d.guard_ms);
  EXPECT_EQ(p.spaced_urcs, d.spaced_urcs);
  EXPECT_EQ(p.ufs_capacity, d.ufs_capacity);
  EXPECT_EQ(p.reply_timeout_ms, d.reply_timeout_ms);
}

TEST(DeviceProfile, LaterFirmwareSpacesPathAndClose) {
  const auto parsed = parse_profile(read_file(kProfiles / "later-firmware.profile"));
  ASSERT_TRUE(std::holds_alternative<DeviceProfile>(parsed));
  qftp::testing::VirtualModem modem(std::get<DeviceProfile>(parsed));
  modem.send("ATE0\rAT+QFTPCLOSE\r");
  EXPECT_EQ(modem.take_output(), "ATE0\r\r\nOK\r\n\r\nOK\r\n\r\n+QFTPCLOSE: 0\r\n");
}

TEST(DeviceProfile, M33HasSdAndRam) {
  const auto parsed = parse_profile(read_file(kProfiles / "m33.profile"));
  ASSERT_TRUE(std::holds_alternative<DeviceProfile>(parsed));
  qftp::testing::VirtualModem modem(std::get<DeviceProfile>(parsed));
  modem.send("ATE0\rAT+QFTPCFG=4,\"/RAM/a.txt\"\rAT+QFTPCFG=4,\"/SD/\"\r");
  EXPECT_EQ(modem.take_output(), "ATE0\r\r\nOK\r\n\r\nOK\r\n\r\n+QFTPCFG:0\r\n\r\nOK\r\n\r\n+QFTPCFG:0\r\n");
}

TEST(DeviceProfile, ErrorsNameTheLine) {
  EXPECT_EQ(std::get<std::string>(parse_profile("guard_ms = 100\nguard_mz = 3\n")),
            "line 2: unknown key 'guard_mz'");
  EXPECT_EQ(std::get<std::string>(parse_profile("# c\n\ngap_ms = -1\n")), "line 3: bad value for 'gap_ms'");
  EXPECT_EQ(std::get<std::string>(parse_profile("has_sd\n")), "line 1: expected key = value");
  EXPECT_EQ(std::get<std::string>(parse_profile("spaced_urcs = QFTPSTAT\n")),
            "line 1: bad value for 'spaced_urcs'");
  EXPECT_EQ(std::get<std::string>(parse_profile("guard_ms = 12x\n")), "line 1: bad value for 'guard_ms'");
}

TEST(DeviceProfile, GuardTimeComesFromTheProfile) {
  DeviceProfile p;
  p.guard_ms = 100;
  qftp::testing::VirtualModem modem(p);
  modem.server().files["/f"] = "x";
  for (const char* line : {"ATE0", "AT+QFTPOPEN=\"h\",21", "AT+QFTPPUT=\"u\",10"}) {
    modem.send(std::string(line) + "\r");
  }
  modem.take_output();
  modem.advance(100);
  modem.send("+++");
  modem.advance(100);
  EXPECT_EQ(modem.take_output(), "\r\nOK\r\n\r\n+QFTPPUT:0\r\n");
}

}  // namespace
