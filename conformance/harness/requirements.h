// requirements.h: the requirement inventory (conformance/requirements/requirements.json): one entry
// per testable statement of the spec, with a stable ID, its PICS condition and the rulings it uses.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "te/result.h"
#include "harness/te_vocabulary.h"

namespace qftp::harness {

struct Requirement {
  std::string id;       // "2.2.1/04", "3/-550", "4.4.1/01", "R/6", "V/03"
  std::string section;  // "2.2.1", "3", "4.4.1", "R", "V"
  std::string text;     // the statement, paraphrased
  std::string pics;     // "" or the PICS condition ("has_sd")
  std::vector<std::string> rulings;
  std::string reason;  // further rulings: why the suite rules so
  std::string source;  // where the statement comes from
};

class Inventory {
 public:
  static Result<Inventory> load(const std::filesystem::path& path);
  static Result<Inventory> parse(std::string_view json_text);

  const std::vector<Requirement>& all() const { return items_; }
  const Requirement* find(std::string_view id) const;
  // The spec's heading of a section ("2.2.3": "AT+QFTPPUT: upload a file ..."); "" if none.
  std::string section_title(std::string_view section) const;

 private:
  std::vector<Requirement> items_;
  std::map<std::string, std::string, std::less<>> titles_;
  std::map<std::string, std::size_t, std::less<>> index_;
};

// "2.2.1" for "2.2.1/04": the part before the slash.
std::string section_of(std::string_view id);

}  // namespace qftp::harness
