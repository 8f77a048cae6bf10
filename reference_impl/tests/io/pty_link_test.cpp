// qftp-emu's --link: it replaces only an earlier qftp-emu's link (a symlink to /dev/pts/N), leaves
// every other kind of path untouched with a reason that names it, and removes on destruction only
// a link that is still its own.
#include "io/pty_link.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace {

namespace fs = std::filesystem;
using qftp::io::is_pts_device_name;
using qftp::io::PtyLink;

class PtyLinkTest : public ::testing::Test {
 protected:
  PtyLinkTest() {
    base = fs::temp_directory_path() /
           ("qftp-ptylink-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(base);
    fs::create_directories(base);
  }
  ~PtyLinkTest() override { fs::remove_all(base); }

  std::string path(const std::string& name) const { return (base / name).string(); }

  // Refused, with a reason naming the path and containing `why`.
  static void expect_refused(const std::string& p, const std::string& why) {
    auto made = PtyLink::create(p, "/dev/pts/4242");
    ASSERT_TRUE(std::holds_alternative<std::string>(made)) << p << " was replaced";
    const auto& reason = std::get<std::string>(made);
    EXPECT_NE(reason.find("--link " + p), std::string::npos) << reason;
    EXPECT_NE(reason.find(why), std::string::npos) << reason;
  }

  fs::path base;
};

TEST_F(PtyLinkTest, CreatesALinkWhereNothingIsAndRemovesItAtTheEnd) {
  const auto p = path("modem");
  {
    auto made = PtyLink::create(p, "/dev/pts/4242");
    ASSERT_TRUE(std::holds_alternative<PtyLink>(made)) << std::get<std::string>(made);
    EXPECT_EQ(fs::read_symlink(p).string(), "/dev/pts/4242");
  }
  EXPECT_FALSE(fs::exists(fs::symlink_status(p)));
}

TEST_F(PtyLinkTest, ReplacesAnEarlierEmulatorsLinkDanglingOrNot) {
  const auto p = path("modem");
  for (const char* old : {"/dev/pts/999999", "/dev/pts/0"}) {
    fs::create_symlink(old, p);
    auto made = PtyLink::create(p, "/dev/pts/4242");
    ASSERT_TRUE(std::holds_alternative<PtyLink>(made)) << std::get<std::string>(made);
    EXPECT_EQ(fs::read_symlink(p).string(), "/dev/pts/4242");
  }
}

TEST_F(PtyLinkTest, LeavesARegularFileAlone) {
  const auto p = path("notes");
  std::ofstream(p) << "precious";
  expect_refused(p, "regular file");
  std::ifstream in(p);
  EXPECT_EQ(std::string(std::istreambuf_iterator<char>(in), {}), "precious");
}

TEST_F(PtyLinkTest, LeavesADirectoryAndAFifoAlone) {
  fs::create_directory(path("dir"));
  expect_refused(path("dir"), "directory");
  EXPECT_TRUE(fs::is_directory(path("dir")));
  ASSERT_EQ(::mkfifo(path("fifo").c_str(), 0600), 0);
  expect_refused(path("fifo"), "FIFO");
  EXPECT_TRUE(fs::is_fifo(fs::symlink_status(path("fifo"))));
}

TEST_F(PtyLinkTest, LeavesAnyOtherSymlinkAlone) {
  std::ofstream(path("target")) << "x";
  const std::vector<std::string> targets = {path("target"), "/dev/null", "/dev/pts/ptmx",
                                            "/dev/pts/1/",  "../pts/1",  "/dev/pts/"};
  for (const auto& target : targets) {
    const auto p = path("modem");
    fs::remove(p);
    fs::create_symlink(target, p);
    expect_refused(p, target);
    EXPECT_EQ(fs::read_symlink(p).string(), target);
  }
}

TEST_F(PtyLinkTest, SaysWhyWhenThePathCannotBeCreated) {
  expect_refused(path("missing/modem"), "cannot create the link");
  expect_refused("", "empty");
}

TEST_F(PtyLinkTest, RemovesTheLinkOnlyWhileItIsItsOwn) {
  const auto p = path("modem");
  {
    auto made = PtyLink::create(p, "/dev/pts/4242");
    ASSERT_TRUE(std::holds_alternative<PtyLink>(made));
    // Another emulator takes the path over.
    fs::remove(p);
    fs::create_symlink("/dev/pts/7", p);
  }
  EXPECT_EQ(fs::read_symlink(p).string(), "/dev/pts/7");
}

TEST(PtsDeviceName, IsDevPtsAndDigits) {
  EXPECT_TRUE(is_pts_device_name("/dev/pts/0"));
  EXPECT_TRUE(is_pts_device_name("/dev/pts/123"));
  EXPECT_FALSE(is_pts_device_name("/dev/pts/"));
  EXPECT_FALSE(is_pts_device_name("/dev/pts/ptmx"));
  EXPECT_FALSE(is_pts_device_name("/dev/pts/1a"));
  EXPECT_FALSE(is_pts_device_name("/dev/tty1"));
  EXPECT_FALSE(is_pts_device_name("dev/pts/1"));
}

}  // namespace
