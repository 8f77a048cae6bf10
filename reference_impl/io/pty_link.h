// The --link symbolic link to qftp-emu's pty. It replaces nothing but an earlier qftp-emu's link
// (a symlink to /dev/pts/N, dangling or not), so that a mistyped path can never cost a user a file,
// and it is removed on exit only while it still points at this emulator's pty.
#pragma once

#include <string>
#include <variant>

namespace qftp::io {

class PtyLink {
 public:
  // Links `path` to `device`, or says why not (the path and the reason); on refusal nothing on
  // disk has changed.
  static std::variant<PtyLink, std::string> create(const std::string& path,
                                                   const std::string& device);

  PtyLink(PtyLink&& other) noexcept;
  PtyLink& operator=(PtyLink&& other) noexcept;
  PtyLink(const PtyLink&) = delete;
  PtyLink& operator=(const PtyLink&) = delete;
  ~PtyLink();

  const std::string& path() const { return path_; }

 private:
  PtyLink(std::string path, std::string device)
      : path_(std::move(path)), device_(std::move(device)) {}
  void remove();

  std::string path_;  // empty once moved from
  std::string device_;
};

// Whether `target` names a pseudo-terminal the way qftp-emu links one: "/dev/pts/" and digits.
bool is_pts_device_name(const std::string& target);

}  // namespace qftp::io
