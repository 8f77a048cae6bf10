// The directory-backed UFS of qftp-emu --ufs-dir: no local name reaches outside its directory,
// whether through "..", an absolute path, a NUL byte or a symbolic link placed inside it.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <future>

#include "io/dir_store.h"

namespace {

namespace fs = std::filesystem;
using qftp::io::DirStore;
using qftp::modem::StoreError;

class DirStoreTest : public ::testing::Test {
 protected:
  DirStoreTest() {
    base = fs::temp_directory_path() / ("qftp-dirstore-" + std::to_string(::getpid()) + "-" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(base);
    fs::create_directories(base / "ufs");
    std::ofstream(base / "secret.txt") << "outside";
  }
  ~DirStoreTest() override { fs::remove_all(base); }

  static std::string read(const fs::path& p) {
    std::ifstream in(p);
    return {std::istreambuf_iterator<char>(in), {}};
  }

  fs::path base;
};

TEST_F(DirStoreTest, WritesReadsAndResumesInsideItsDirectory) {
  DirStore store((base / "ufs").string(), 1 << 20);
  ASSERT_TRUE(std::holds_alternative<bool>(store.begin_write("a.txt", 0)));
  ASSERT_TRUE(std::holds_alternative<bool>(store.append("a.txt", "hello world")));
  EXPECT_EQ(std::get<std::uint64_t>(store.size("a.txt")), 11u);
  EXPECT_EQ(std::get<std::string>(store.read("a.txt", 6, 100)), "world");
  // Ruling 8: a resumed download keeps the first <point> bytes and writes from there.
  ASSERT_TRUE(std::holds_alternative<bool>(store.begin_write("a.txt", 5)));
  ASSERT_TRUE(std::holds_alternative<bool>(store.append("a.txt", "!")));
  EXPECT_EQ(read(base / "ufs" / "a.txt"), "hello!");
  EXPECT_EQ(std::get<StoreError>(store.begin_write("a.txt", 100)), StoreError::unreadable);
  EXPECT_EQ(std::get<StoreError>(store.size("missing")), StoreError::not_found);
}

TEST_F(DirStoreTest, NamesThatLeaveTheDirectoryAreRefused) {
  DirStore store((base / "ufs").string(), 1 << 20);
  for (const std::string& name : std::vector<std::string>{"../secret.txt", "/etc/passwd", "..", ".", "a/b",
                                                          std::string("a\0b", 3), ""}) {
    EXPECT_EQ(std::get<StoreError>(store.size(name)), StoreError::invalid_name) << name;
    EXPECT_EQ(std::get<StoreError>(store.begin_write(name, 0)), StoreError::invalid_name) << name;
  }
  EXPECT_EQ(read(base / "secret.txt"), "outside");
}

TEST_F(DirStoreTest, SymbolicLinksInsideAreNotFollowed) {
  fs::create_symlink(base / "secret.txt", base / "ufs" / "link.txt");
  DirStore store((base / "ufs").string(), 1 << 20);
  EXPECT_TRUE(std::holds_alternative<StoreError>(store.read("link.txt", 0, 100)));
  EXPECT_TRUE(std::holds_alternative<StoreError>(store.begin_write("link.txt", 0)));
  EXPECT_TRUE(std::holds_alternative<StoreError>(store.append("link.txt", "x")));
  EXPECT_EQ(read(base / "secret.txt"), "outside");
}

TEST_F(DirStoreTest, CapacityIsEnforced) {
  DirStore store((base / "ufs").string(), 10);
  ASSERT_TRUE(std::holds_alternative<bool>(store.begin_write("a", 0)));
  EXPECT_TRUE(std::holds_alternative<bool>(store.append("a", "123456789")));
  EXPECT_EQ(std::get<StoreError>(store.append("a", "ab")), StoreError::full);
}

TEST_F(DirStoreTest, AMissingDirectoryIsAStartUpError) {
  EXPECT_THROW(DirStore((base / "nope").string(), 10), std::runtime_error);
}

}  // namespace

namespace {

// The FILE commands' listing and deletion (AT+QFLST, AT+QFDEL): regular files with valid names,
// sorted; a deleted name is gone, a missing or invalid one is an error and deletes nothing.
TEST_F(DirStoreTest, ListsAndRemovesOnlyItsOwnFiles) {
  DirStore store((base / "ufs").string(), 1 << 20);
  std::ofstream(base / "ufs" / "b.txt") << "bb";
  std::ofstream(base / "ufs" / "a.txt") << "a";
  fs::create_directories(base / "ufs" / "sub");
  fs::create_symlink(base / "secret.txt", base / "ufs" / "link.txt");
  using Entry = std::pair<std::string, std::uint64_t>;
  EXPECT_EQ(store.list(), (std::vector<Entry>{{"a.txt", 1}, {"b.txt", 2}}));
  EXPECT_TRUE(std::holds_alternative<bool>(store.remove("a.txt")));
  EXPECT_EQ(std::get<StoreError>(store.remove("a.txt")), StoreError::not_found);
  EXPECT_EQ(std::get<StoreError>(store.remove("link.txt")), StoreError::not_found);
  EXPECT_EQ(std::get<StoreError>(store.remove("../secret.txt")), StoreError::invalid_name);
  EXPECT_EQ(std::get<StoreError>(store.remove("sub")), StoreError::not_found);
  EXPECT_TRUE(fs::exists(base / "secret.txt"));
  EXPECT_EQ(store.list(), (std::vector<Entry>{{"b.txt", 2}}));
}

// A name that is no regular file is refused at once, whatever waits behind it: a FIFO with
// nobody at its other end would block open(2) and with it the emulator's whole event loop.
TEST_F(DirStoreTest, AFifoOrADirectoryIsRefusedWithoutBlocking) {
  ASSERT_EQ(::mkfifo((base / "ufs" / "pipe").c_str(), 0644), 0);
  fs::create_directory(base / "ufs" / "dir");
  DirStore store((base / "ufs").string(), 1 << 20);
  for (const char* name : {"pipe", "dir"}) {
    SCOPED_TRACE(name);
    // Each call on its own thread, under a deadline: one that blocked would be a failure, not a
    // hung test (the FIFO is then opened from here, which releases it).
    auto refused = [&](auto call) {
      auto result = std::async(std::launch::async, call);
      if (result.wait_for(std::chrono::seconds(5)) != std::future_status::ready) {
        ADD_FAILURE() << "blocked";
        const int fd = ::open((base / "ufs" / "pipe").c_str(), O_RDWR | O_NONBLOCK);
        result.wait();
        ::close(fd);
        return StoreError::unreadable;
      }
      return result.get();
    };
    EXPECT_EQ(refused([&] { return std::get<StoreError>(store.size(name)); }), StoreError::not_a_file);
    EXPECT_EQ(refused([&] { return std::get<StoreError>(store.read(name, 0, 10)); }),
              StoreError::not_a_file);
    EXPECT_EQ(refused([&] { return std::get<StoreError>(store.begin_write(name, 0)); }),
              StoreError::not_a_file);
    EXPECT_EQ(refused([&] { return std::get<StoreError>(store.append(name, "x")); }),
              StoreError::not_a_file);
  }
  EXPECT_TRUE(fs::is_fifo(base / "ufs" / "pipe"));
  EXPECT_TRUE(fs::is_directory(base / "ufs" / "dir"));
}

}  // namespace
