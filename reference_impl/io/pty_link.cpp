// The --link symlink: lstat decides whether the path may be replaced; an existing path is only ever
// removed when it is a symlink to /dev/pts/N, and symlink() itself refuses anything that appears
// in between.
#include "io/pty_link.h"

#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <optional>
#include <utility>

namespace qftp::io {
namespace {

std::optional<std::string> read_link(const std::string& path) {
  std::array<char, 4096> buf{};
  const ssize_t n = ::readlink(path.c_str(), buf.data(), buf.size());
  if (n < 0 || static_cast<std::size_t>(n) >= buf.size()) return std::nullopt;
  return std::string(buf.data(), static_cast<std::size_t>(n));
}

const char* kind_of(mode_t mode) {
  if (S_ISREG(mode)) return "a regular file";
  if (S_ISDIR(mode)) return "a directory";
  if (S_ISCHR(mode)) return "a character device";
  if (S_ISBLK(mode)) return "a block device";
  if (S_ISFIFO(mode)) return "a FIFO";
  if (S_ISSOCK(mode)) return "a socket";
  return "not a symbolic link";
}

std::string refusal(const std::string& path, const std::string& why) {
  return "--link " + path + ": " + why;
}

}  // namespace

bool is_pts_device_name(const std::string& target) {
  constexpr std::string_view kPts = "/dev/pts/";
  if (target.size() <= kPts.size() || target.compare(0, kPts.size(), kPts) != 0) return false;
  for (std::size_t i = kPts.size(); i < target.size(); ++i) {
    if (target[i] < '0' || target[i] > '9') return false;
  }
  return true;
}

std::variant<PtyLink, std::string> PtyLink::create(const std::string& path,
                                                   const std::string& device) {
  if (path.empty()) return refusal("''", "the path is empty");
  struct stat st {};
  if (::lstat(path.c_str(), &st) == 0) {
    if (!S_ISLNK(st.st_mode)) {
      return refusal(path, std::string("is ") + kind_of(st.st_mode) +
                               ", not an earlier qftp-emu's link; it is left alone");
    }
    const auto target = read_link(path);
    if (!target) return refusal(path, std::string("cannot read the link: ") + std::strerror(errno));
    if (!is_pts_device_name(*target)) {
      return refusal(path, "is a symbolic link to " + *target +
                               ", not to a pseudo-terminal (/dev/pts/N); it is left alone");
    }
    // An earlier qftp-emu's link, its pty gone or not: it stands for the same thing ours will.
    if (::unlink(path.c_str()) != 0 && errno != ENOENT) {
      return refusal(path, std::string("cannot remove the old link: ") + std::strerror(errno));
    }
  } else if (errno != ENOENT) {
    return refusal(path, std::strerror(errno));
  }
  // symlink() never replaces: whatever was created at `path` since the lstat makes it fail.
  if (::symlink(device.c_str(), path.c_str()) != 0) {
    return refusal(path, std::string("cannot create the link: ") + std::strerror(errno));
  }
  return PtyLink(path, device);
}

PtyLink::PtyLink(PtyLink&& other) noexcept
    : path_(std::exchange(other.path_, {})), device_(std::move(other.device_)) {}

PtyLink& PtyLink::operator=(PtyLink&& other) noexcept {
  if (this != &other) {
    remove();
    path_ = std::exchange(other.path_, {});
    device_ = std::move(other.device_);
  }
  return *this;
}

PtyLink::~PtyLink() {
  remove();
}

// Only while the link is still ours: a newer qftp-emu may have taken the path over.
void PtyLink::remove() {
  if (path_.empty()) return;
  if (read_link(path_) == device_) ::unlink(path_.c_str());
  path_.clear();
}

}  // namespace qftp::io
