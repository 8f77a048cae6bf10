// A local store (UFS, SD) backed by a directory of the host (qftp-emu --ufs-dir). Names are checked
// by valid_local_name and opened with O_NOFOLLOW relative to the directory, so no name and no
// symbolic link placed in the directory can reach a file outside it.
#pragma once

#include <cstdint>
#include <string>

#include "core/modem/local_store.h"

namespace qftp::io {

class DirStore final : public modem::LocalStore {
 public:
  // Throws std::runtime_error when the directory cannot be opened (a start-up failure).
  DirStore(const std::string& directory, std::uint64_t capacity);
  ~DirStore() override;
  DirStore(const DirStore&) = delete;
  DirStore& operator=(const DirStore&) = delete;

  modem::StoreResult<std::uint64_t> size(std::string_view name) const override;
  modem::StoreResult<std::string> read(std::string_view name, std::uint64_t offset,
                                       std::uint64_t length) const override;
  modem::StoreResult<bool> begin_write(std::string_view name, std::uint64_t offset) override;
  modem::StoreResult<bool> append(std::string_view name, std::string_view bytes) override;
  std::vector<std::pair<std::string, std::uint64_t>> list() const override;
  modem::StoreResult<bool> remove(std::string_view name) override;

 private:
  std::uint64_t used() const;
  int dir_fd_ = -1;
  std::uint64_t capacity_;
};

}  // namespace qftp::io
