// Directory-backed local store: every access is openat(dir, name, O_NOFOLLOW) on a checked name.
#include "io/dir_store.h"

#include <algorithm>

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace qftp::io {
namespace {

using modem::StoreError;

// A regular file that is ours: opened without following links, and not a directory, a FIFO or a
// device. The open never blocks (O_NONBLOCK: a FIFO without a writer would hold the whole event
// loop in open(2)); a regular file then reads and writes as usual.
int open_file(int dir_fd, std::string_view name, int flags) {
  const std::string n(name);
  const int fd = ::openat(dir_fd, n.c_str(), flags | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK, 0644);
  if (fd < 0) {
    // A directory opened for writing, a FIFO without a reader: there, but not a file.
    return errno == EISDIR || errno == ENXIO ? -EINVAL : -errno;
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    return -EINVAL;
  }
  ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) & ~O_NONBLOCK);
  return fd;
}

StoreError error_from(int negative_errno) {
  if (negative_errno == -ENOENT) return StoreError::not_found;
  if (negative_errno == -EINVAL) return StoreError::not_a_file;
  return StoreError::unreadable;
}

}  // namespace

DirStore::DirStore(const std::string& directory, std::uint64_t capacity) : capacity_(capacity) {
  dir_fd_ = ::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir_fd_ < 0) {
    throw std::runtime_error("cannot open local store directory " + directory + ": " +
                             std::strerror(errno));
  }
}

DirStore::~DirStore() {
  if (dir_fd_ >= 0) ::close(dir_fd_);
}

modem::StoreResult<std::uint64_t> DirStore::size(std::string_view name) const {
  if (!modem::valid_local_name(name)) return StoreError::invalid_name;
  const int fd = open_file(dir_fd_, name, O_RDONLY);
  if (fd < 0) return error_from(fd);
  struct stat st {};
  const int rc = ::fstat(fd, &st);
  ::close(fd);
  if (rc != 0) return StoreError::unreadable;
  return static_cast<std::uint64_t>(st.st_size);
}

modem::StoreResult<std::string> DirStore::read(std::string_view name, std::uint64_t offset,
                                               std::uint64_t length) const {
  if (!modem::valid_local_name(name)) return StoreError::invalid_name;
  const int fd = open_file(dir_fd_, name, O_RDONLY);
  if (fd < 0) return error_from(fd);
  std::string out;
  char buf[65536];
  auto pos = static_cast<off_t>(offset);
  while (out.size() < length) {
    const std::size_t want = std::min<std::uint64_t>(sizeof buf, length - out.size());
    const ssize_t n = ::pread(fd, buf, want, pos);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      ::close(fd);
      return StoreError::unreadable;
    }
    if (n == 0) break;
    out.append(buf, static_cast<std::size_t>(n));
    pos += n;
  }
  ::close(fd);
  return out;
}

modem::StoreResult<bool> DirStore::begin_write(std::string_view name, std::uint64_t offset) {
  if (!modem::valid_local_name(name)) return StoreError::invalid_name;
  const int fd = open_file(dir_fd_, name, O_WRONLY | O_CREAT);
  if (fd < 0) return error_from(fd);
  struct stat st {};
  if (::fstat(fd, &st) != 0 || static_cast<std::uint64_t>(st.st_size) < offset ||
      ::ftruncate(fd, static_cast<off_t>(offset)) != 0) {
    ::close(fd);
    return StoreError::unreadable;
  }
  ::close(fd);
  return true;
}

modem::StoreResult<bool> DirStore::append(std::string_view name, std::string_view bytes) {
  if (!modem::valid_local_name(name)) return StoreError::invalid_name;
  if (used() + bytes.size() > capacity_) return StoreError::full;
  const int fd = open_file(dir_fd_, name, O_WRONLY | O_APPEND);
  if (fd < 0) return error_from(fd);
  std::size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      ::close(fd);
      return StoreError::full;
    }
    done += static_cast<std::size_t>(n);
  }
  ::close(fd);
  return true;
}

// The regular files with a valid local name, sorted.
std::vector<std::pair<std::string, std::uint64_t>> DirStore::list() const {
  std::vector<std::pair<std::string, std::uint64_t>> out;
  const int fd = ::dup(dir_fd_);
  if (fd < 0) return out;
  DIR* dir = ::fdopendir(fd);
  if (dir == nullptr) {
    ::close(fd);
    return out;
  }
  ::rewinddir(dir);
  while (const dirent* e = ::readdir(dir)) {
    struct stat st {};
    if (modem::valid_local_name(e->d_name) &&
        ::fstatat(dir_fd_, e->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(st.st_mode)) {
      out.emplace_back(e->d_name, static_cast<std::uint64_t>(st.st_size));
    }
  }
  ::closedir(dir);
  std::sort(out.begin(), out.end());
  return out;
}

modem::StoreResult<bool> DirStore::remove(std::string_view name) {
  if (!modem::valid_local_name(name)) return modem::StoreError::invalid_name;
  struct stat st {};
  const std::string n(name);
  if (::fstatat(dir_fd_, n.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0 || !S_ISREG(st.st_mode)) {
    return modem::StoreError::not_found;
  }
  if (::unlinkat(dir_fd_, n.c_str(), 0) != 0) return modem::StoreError::unreadable;
  return true;
}

// The bytes of the regular files in the directory, against the store's capacity.
std::uint64_t DirStore::used() const {
  const int fd = ::dup(dir_fd_);
  if (fd < 0) return capacity_;
  DIR* dir = ::fdopendir(fd);
  if (dir == nullptr) {
    ::close(fd);
    return capacity_;
  }
  ::rewinddir(dir);
  std::uint64_t total = 0;
  while (const dirent* e = ::readdir(dir)) {
    struct stat st {};
    if (::fstatat(dir_fd_, e->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(st.st_mode)) {
      total += static_cast<std::uint64_t>(st.st_size);
    }
  }
  ::closedir(dir);
  return total;
}

}  // namespace qftp::io
