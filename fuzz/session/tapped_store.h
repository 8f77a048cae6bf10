// A local store for the session fuzzer that remembers what the engine last wrote and read, so the
// oracle can compare it with what the FTP server sent or received. Backed by the core's MemStore.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <variant>

#include "core/modem/local_store.h"

namespace qftp::fuzz {

// A file a store holds from the start: `size` copies of `fill`.
struct SeedFile {
  std::string_view name;
  std::uint64_t size;
  char fill;
};

class TappedStore final : public modem::LocalStore {
 public:
  // `reads` counts the successful reads of every store of one session, so that the oracle can
  // tell which store an upload read last. The `seed` files are put in place when the engine first
  // looks at the store: most sessions never do, and pay nothing for them.
  TappedStore(std::uint64_t per_file_limit, std::uint64_t total_limit, std::uint64_t& reads,
              std::span<const SeedFile> seed)
      : inner_(per_file_limit, total_limit), reads_(reads), seed_(seed) {}

  modem::StoreResult<std::uint64_t> size(std::string_view name) const override {
    return files().size(name);
  }
  modem::StoreResult<std::string> read(std::string_view name, std::uint64_t offset,
                                       std::uint64_t length) const override {
    auto result = files().read(name, offset, length);
    if (const auto* bytes = std::get_if<std::string>(&result)) {
      last_read_ = *bytes;
      last_read_serial_ = ++reads_;
    }
    return result;
  }
  modem::StoreResult<bool> begin_write(std::string_view name, std::uint64_t offset) override {
    written_.clear();
    return files().begin_write(name, offset);
  }
  modem::StoreResult<bool> append(std::string_view name, std::string_view bytes) override {
    auto result = files().append(name, bytes);
    if (std::holds_alternative<bool>(result)) {
      written_.append(bytes);
    }
    return result;
  }
  std::vector<std::pair<std::string, std::uint64_t>> list() const override { return files().list(); }
  modem::StoreResult<bool> remove(std::string_view name) override { return files().remove(name); }

  // Forgets what was written, at the start of a transfer. The last read stays: an upload reads
  // its file before the client's first command goes out.
  void reset_taps() { written_.clear(); }
  const std::string& written() const { return written_; }      // appended since begin_write
  const std::string& last_read() const { return last_read_; }  // the last successful read
  // When that read happened, in the session's count of reads; 0 for never.
  std::uint64_t last_read_serial() const { return last_read_serial_; }

 private:
  // The store with its seed files in place (the interface's reads are const).
  modem::MemStore& files() const {
    if (!seed_.empty()) {
      for (const SeedFile& f : seed_) {
        inner_.put(std::string(f.name), std::string(f.size, f.fill));
      }
      seed_ = {};
    }
    return inner_;
  }

  mutable modem::MemStore inner_;
  std::string written_;
  std::uint64_t& reads_;
  mutable std::span<const SeedFile> seed_;  // not yet put in place
  // read() is const in the interface.
  mutable std::string last_read_;
  mutable std::uint64_t last_read_serial_ = 0;
};

}  // namespace qftp::fuzz
