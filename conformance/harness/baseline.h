// baseline.h: what a firmware is known not to meet. A baseline file (JSON, or YAML by its .yaml or
// .yml name) holds one entry per firmware identity (AT+GMR, optionally ATI), each listing
// requirements with the verdict expected of that firmware, a reason and an optional ticket. A run
// with a baseline tells known deviations apart from regressions (docs/architecture.md §2.5).
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "harness/requirements.h"
#include "te/result.h"
#include "harness/te_vocabulary.h"
#include "harness/verdict.h"

namespace qftp::harness {

struct BaselineEntry {
  Verdict expected = Verdict::fail;  // fail or inconclusive
  std::string reason;
  std::string ticket;
};

struct FirmwareBaseline {
  std::string gmr;  // AT+GMR as the DUT answers it: the firmware revision
  std::string ati;  // ATI, when the revision alone does not name the firmware; "" matches any
  std::map<std::string, BaselineEntry> requirements;

  bool matches(const std::string& gmr_seen, const std::string& ati_seen) const {
    return gmr == gmr_seen && (ati.empty() || ati == ati_seen);
  }
};

class BaselineFile {
 public:
  // `yaml`: the text is YAML, else JSON. Every ID must be in the inventory.
  static Result<BaselineFile> parse(const std::string& text, bool yaml, const Inventory& inventory);
  static bool is_yaml(const std::filesystem::path& path);

  const FirmwareBaseline* find(const std::string& gmr, const std::string& ati) const;
  // Replaces (or adds) the entry of `firmware`'s identity; the other firmware stay.
  void put(FirmwareBaseline firmware);
  const std::vector<FirmwareBaseline>& firmware() const { return firmware_; }

  std::string text(bool yaml) const;
  Status save(const std::filesystem::path& path) const;

 private:
  std::vector<FirmwareBaseline> firmware_;
};

// Loads a baseline file, every ID checked against the inventory.
Result<BaselineFile> load_baseline(const std::filesystem::path& path, const Inventory& inventory);

}  // namespace qftp::harness
