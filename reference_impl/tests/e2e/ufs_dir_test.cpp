// ufs_dir_test.cpp: qftp-emu's /UFS/ is the directory given with --ufs-dir: a file put there is
// what an upload from /UFS/ sends, and a download into /UFS/ lands there, byte for byte, from an
// empty file to a mebibyte of every byte value; a download the server cuts leaves what arrived,
// and one resumed from there completes the file (ruling 8).
#include <sys/stat.h>

#include <filesystem>

#include "e2e_fixture.h"

namespace qftp::e2e {
namespace {

using UfsDir = ModemTest;

constexpr std::size_t kSizes[] = {0, 1587, 1 << 20};

TEST_F(UfsDir, AFilePutInTheDirectoryIsWhatAnUploadSends) {
  ASSERT_TRUE(open_session());
  ASSERT_TRUE(command("AT+QFTPCFG=4,\"/UFS/\"", "\r\nOK\r\n\r\n+QFTPCFG:0\r\n"));
  for (const std::size_t size : kSizes) {
    SCOPED_TRACE(size);
    const std::string name = "up" + std::to_string(size) + ".bin";
    const std::string content = pseudo_random_bytes(size, static_cast<std::uint32_t>(size));
    put_ufs_file(name, content);
    ASSERT_TRUE(command("AT+QFTPPUT=\"" + name + "\",0",
                        "\r\nOK\r\n\r\n+QFTPPUT:" + std::to_string(size) + "\r\n"));
    EXPECT_TRUE(same_bytes(server_file(name), content));
  }
}

// A name in the directory that is no regular file: the emulator refuses it at once instead of
// blocking in open(2) (a FIFO nobody writes would hold it, not even the command's OK would come):
// -12 to upload from (it cannot be read), -1 to download into; the session goes on.
TEST_F(UfsDir, AFifoOrADirectoryUnderTheNameIsRefusedAtOnce) {
  ASSERT_EQ(::mkfifo((emulator().ufs_dir() / "pipe").c_str(), 0644), 0);
  std::filesystem::create_directory(emulator().ufs_dir() / "dir");
  put_server_file("f.bin", "content");
  ASSERT_TRUE(open_session());
  for (const char* name : {"pipe", "dir"}) {
    SCOPED_TRACE(name);
    ASSERT_TRUE(command(std::string("AT+QFTPCFG=4,\"/UFS/") + name + "\"",
                        "\r\nOK\r\n\r\n+QFTPCFG:0\r\n"));
    EXPECT_TRUE(command("AT+QFTPPUT=\"up.bin\",0", "\r\nOK\r\n\r\n+QFTPPUT:-12\r\n"));
    EXPECT_TRUE(command("AT+QFTPGET=\"f.bin\"", "\r\nOK\r\n\r\n+QFTPGET:-1\r\n"));
  }
  EXPECT_EQ(stat(), "OPENED");
}

TEST_F(UfsDir, ADownloadIntoUfsLandsInTheDirectory) {
  ASSERT_TRUE(open_session());
  ASSERT_TRUE(command("AT+QFTPCFG=4,\"/UFS/\"", "\r\nOK\r\n\r\n+QFTPCFG:0\r\n"));
  for (const std::size_t size : kSizes) {
    SCOPED_TRACE(size);
    const std::string name = "down" + std::to_string(size) + ".bin";
    const std::string content = pseudo_random_bytes(size, static_cast<std::uint32_t>(size + 1));
    put_server_file(name, content);
    ASSERT_TRUE(command("AT+QFTPGET=\"" + name + "\"",
                        "\r\nOK\r\n\r\n+QFTPGET:" + std::to_string(size) + "\r\n"));
    EXPECT_TRUE(same_bytes(ufs_file(name), content));
  }
}

TEST_F(UfsDir, ACutDownloadLeavesWhatArrivedAndAResumeCompletesIt) {
  const std::string content = pseudo_random_bytes(3587, 3588);
  put_server_file("big.bin", content);
  ASSERT_TRUE(open_session());
  ASSERT_TRUE(command("AT+QFTPCFG=4,\"/UFS/part.bin\"", "\r\nOK\r\n\r\n+QFTPCFG:0\r\n"));
  fault("CUT RETR 1587 times=1");
  ASSERT_TRUE(command("AT+QFTPGET=\"big.bin\"", "\r\nOK\r\n\r\n+QFTPGET:-426\r\n"));
  const std::string part = ufs_file("part.bin").value_or("");
  ASSERT_LE(part.size(), 1587U);
  EXPECT_TRUE(same_bytes(part, content.substr(0, part.size())));
  const std::string k = std::to_string(part.size());
  ASSERT_TRUE(command("AT+QFTPCFG=3," + k, "\r\nOK\r\n\r\n+QFTPCFG:0\r\n"));
  ASSERT_TRUE(command("AT+QFTPGET=\"big.bin\"",
                      "\r\nOK\r\n\r\n+QFTPGET:" + std::to_string(3587 - part.size()) + "\r\n"));
  EXPECT_TRUE(same_bytes(ufs_file("part.bin"), content));
}

}  // namespace
}  // namespace qftp::e2e
