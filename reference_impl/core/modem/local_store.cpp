// The local-name rule shared by every store, and the in-memory store used for RAM, tests and fuzzers.
#include "core/modem/local_store.h"

namespace qftp::modem {

bool valid_local_name(std::string_view name) {
  if (name.empty() || name.size() > 50 || name == "." || name == "..") return false;
  for (const char c : name) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u > 0x7e || c == '/' || c == '\\') return false;
  }
  return true;
}

StoreResult<std::uint64_t> MemStore::size(std::string_view name) const {
  if (!valid_local_name(name)) return StoreError::invalid_name;
  const auto it = files_.find(name);
  if (it == files_.end()) return StoreError::not_found;
  return static_cast<std::uint64_t>(it->second.size());
}

StoreResult<std::string> MemStore::read(std::string_view name, std::uint64_t offset,
                                        std::uint64_t length) const {
  if (!valid_local_name(name)) return StoreError::invalid_name;
  const auto it = files_.find(name);
  if (it == files_.end()) return StoreError::not_found;
  if (offset > it->second.size()) return StoreError::unreadable;
  return it->second.substr(offset, length);
}

StoreResult<bool> MemStore::begin_write(std::string_view name, std::uint64_t offset) {
  if (!valid_local_name(name)) return StoreError::invalid_name;
  auto it = files_.find(name);
  if (it == files_.end()) {
    if (offset != 0) return StoreError::unreadable;
    files_.emplace(std::string(name), std::string());
    return true;
  }
  if (offset > it->second.size()) return StoreError::unreadable;
  it->second.resize(offset);
  return true;
}

StoreResult<bool> MemStore::append(std::string_view name, std::string_view bytes) {
  auto it = files_.find(name);
  if (it == files_.end()) return StoreError::not_found;
  if (it->second.size() + bytes.size() > per_file_limit_ || used() + bytes.size() > total_limit_) {
    return StoreError::full;
  }
  it->second.append(bytes);
  return true;
}

std::vector<std::pair<std::string, std::uint64_t>> MemStore::list() const {
  std::vector<std::pair<std::string, std::uint64_t>> out;
  for (const auto& [name, contents] : files_) out.emplace_back(name, contents.size());
  return out;
}

StoreResult<bool> MemStore::remove(std::string_view name) {
  if (!valid_local_name(name)) return StoreError::invalid_name;
  const auto it = files_.find(name);
  if (it == files_.end()) return StoreError::not_found;
  files_.erase(it);
  return true;
}

std::uint64_t MemStore::used() const {
  std::uint64_t total = 0;
  for (const auto& [name, contents] : files_) total += contents.size();
  return total;
}

}  // namespace qftp::modem
