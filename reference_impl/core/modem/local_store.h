// Local storage of spec 2.2.8 <type>=4: UFS, SD ("Picture" directory) and RAM, each a flat store of
// named files. The core sees only this interface; qftp-emu backs UFS with a directory (io/), tests
// and fuzzers use MemStore. Names never reach outside their store (valid_local_name).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace qftp::modem {

enum class StoreError : std::uint8_t {
  not_found,     // -11
  unreadable,    // -12
  invalid_name,  // -10
  full,          // the store's capacity would be exceeded
  not_a_file,    // the name is a directory, a FIFO, a device ...: -12 to read, -1 to write
};

template <typename T>
using StoreResult = std::variant<T, StoreError>;

// A plain file name: 1..50 bytes, printable ASCII, no '/', '\\', NUL, and not "." or "..".
bool valid_local_name(std::string_view name);

class LocalStore {
 public:
  virtual ~LocalStore() = default;
  virtual StoreResult<std::uint64_t> size(std::string_view name) const = 0;
  // Up to `length` bytes from `offset`.
  virtual StoreResult<std::string> read(std::string_view name, std::uint64_t offset,
                                        std::uint64_t length) const = 0;
  // Starts writing `name` at `offset`: offset 0 creates or empties the file; a non-zero offset
  // keeps the first `offset` bytes and drops the rest (resume, ruling 8: the caller has checked
  // that the file is at least that long).
  virtual StoreResult<bool> begin_write(std::string_view name, std::uint64_t offset) = 0;
  virtual StoreResult<bool> append(std::string_view name, std::string_view bytes) = 0;
  // The FILE commands (docs/field-facts.md §6): every file with its size, sorted by name; and
  // deleting one.
  virtual std::vector<std::pair<std::string, std::uint64_t>> list() const = 0;
  virtual StoreResult<bool> remove(std::string_view name) = 0;
};

// In-memory store with a capacity per file (RAM: 102400 bytes for a download, spec 2.2.8) and in all.
class MemStore final : public LocalStore {
 public:
  MemStore(std::uint64_t per_file_limit, std::uint64_t total_limit)
      : per_file_limit_(per_file_limit), total_limit_(total_limit) {}

  StoreResult<std::uint64_t> size(std::string_view name) const override;
  StoreResult<std::string> read(std::string_view name, std::uint64_t offset,
                                std::uint64_t length) const override;
  StoreResult<bool> begin_write(std::string_view name, std::uint64_t offset) override;
  StoreResult<bool> append(std::string_view name, std::string_view bytes) override;
  std::vector<std::pair<std::string, std::uint64_t>> list() const override;
  StoreResult<bool> remove(std::string_view name) override;
  std::uint64_t capacity() const { return total_limit_; }
  std::uint64_t per_file_limit() const { return per_file_limit_; }

  // For tests and the emulator's start-up: put a file in place.
  void put(std::string name, std::string contents) { files_[std::move(name)] = std::move(contents); }
  const std::map<std::string, std::string, std::less<>>& files() const { return files_; }
  std::uint64_t used() const;

 private:
  std::uint64_t per_file_limit_;
  std::uint64_t total_limit_;
  std::map<std::string, std::string, std::less<>> files_;
};

}  // namespace qftp::modem
