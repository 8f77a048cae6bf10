// baseline_update.cpp: writing a baseline from a run (baseline_update.h).
#include "harness/baseline_update.h"

namespace qftp::harness {

Result<FirmwareBaseline> baseline_from_run(const std::vector<RequirementResult>& reqs,
                                           const DutIdentity& identity,
                                           const FirmwareBaseline* previous) {
  if (identity.gmr.empty())
    return make_error("the DUT gave no AT+GMR revision: a baseline is kept per firmware");
  FirmwareBaseline fw;
  if (previous != nullptr) fw = *previous;
  fw.gmr = identity.gmr;
  if (previous == nullptr) fw.ati = identity.ati;
  for (const auto& r : reqs) {
    const std::string& id = r.requirement->id;
    if (r.verdict == Verdict::fail || r.verdict == Verdict::inconclusive) {
      const auto old = fw.requirements.find(id);
      if (old != fw.requirements.end() && old->second.expected == r.verdict) continue;
      BaselineEntry e;
      e.expected = r.verdict;
      e.reason = r.reason.empty() ? std::string("seen ") + std::string(verdict_name(r.verdict))
                                  : r.reason.substr(0, 300);
      fw.requirements[id] = std::move(e);
    } else if (r.verdict == Verdict::pass || r.verdict == Verdict::not_applicable) {
      fw.requirements.erase(id);
    }
  }
  return fw;
}

Status update_baseline_file(const std::filesystem::path& path, const Inventory& inventory,
                            const std::vector<RequirementResult>& reqs,
                            const DutIdentity& identity) {
  BaselineFile file;
  std::error_code ec;
  if (std::filesystem::exists(path, ec)) {
    auto loaded = load_baseline(path, inventory);
    if (!loaded) return make_error(loaded.error() + "; left as it is");
    file = std::move(loaded).value();
  }
  auto fw = baseline_from_run(reqs, identity, file.find(identity.gmr, identity.ati));
  if (!fw) return make_error(fw.error());
  file.put(std::move(fw).value());
  return file.save(path);
}

}  // namespace qftp::harness
