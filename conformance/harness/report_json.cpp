// report_json.cpp: report.json, the report every other tool reads (compare, merge, CI scripts).
#include <nlohmann/json.hpp>

#include "core/common/kit_version.h"
#include "harness/report_text.h"

namespace qftp::harness {
namespace {

using nlohmann::json;

json counts_json(const Counts& c) {
  json out = {{"total", c.total},
              {"pass", c.pass},
              {"fail", c.fail},
              {"inconclusive", c.inconclusive},
              {"not_applicable", c.not_applicable},
              {"error", c.error}};
  if (c.known_deviation != 0 || c.fixed != 0) {
    out["known_deviation"] = c.known_deviation;
    out["fixed"] = c.fixed;
  }
  return out;
}

json baseline_json(const BaselineEntry& e) {
  json out = {{"verdict", verdict_name(e.expected)}, {"reason", e.reason}};
  if (!e.ticket.empty()) out["ticket"] = e.ticket;
  return out;
}

}  // namespace

std::string report_json(const Inventory& inventory, const std::vector<CaseRecord>& cases,
                        const std::vector<RequirementResult>& reqs, const RunInfo& run) {
  json doc;
  doc["tool"] = {{"name", "qftp-conformance"},
                 {"version", std::string(kit_version())},
                 {"commit", std::string(kit_commit())},
                 {"data_dir", run.data_dir}};
  doc["spec"] = "Quectel GSM FTP AT Commands V1.1 (2010-12-28)";
  doc["started_at"] = run.started_at;
  const Counts cc = count(cases);
  const Counts rc = count(reqs);
  doc["summary"] = counts_json(cc);
  doc["summary"]["duration_s"] = run.duration_s;
  doc["requirements_summary"] = counts_json(rc);
  doc["dut"] = {{"spec", run.dut},
                {"profile", run.profile},
                {"ati", utf8_safe(run.identity.ati)},
                {"gmr", utf8_safe(run.identity.gmr)},
                {"gsn", utf8_safe(run.identity.gsn)},
                {"initial_state", utf8_safe(run.identity.initial_state)},
                {"emulator_defects", run.defects}};
  doc["run"] = {{"status", run_status(run)},      {"headline", headline(cc, rc, run)},
                {"setup_error", run.setup_error}, {"stop_reason", run.stop_reason},
                {"gtest_filter", run.filter},     {"shard", run.shard},
                {"shard_index", run.shard_index}, {"shard_total", run.shard_total},
                {"warnings", run.warnings}};
  if (!run.shards.empty()) {
    json parts = json::array();
    for (const auto& s : run.shards)
      parts.push_back({{"index", s.index},
                       {"source", s.source},
                       {"status", s.status},
                       {"headline", s.headline},
                       {"cases", s.cases}});
    doc["run"]["merged_from"] = std::move(parts);
  }
  doc["options"] = {{"strict_format", run.strict_format},
                    {"partial_run", run.partial},
                    {"selected_requirements",
                     std::vector<std::string>(run.selected.begin(), run.selected.end())}};
  if (run.baseline || !run.baseline_file.empty()) {
    json b = {{"file", run.baseline_file}};
    if (run.baseline) {
      b["gmr"] = run.baseline->gmr;
      b["ati"] = run.baseline->ati;
      json entries = json::object();
      for (const auto& [id, e] : run.baseline->requirements) entries[id] = baseline_json(e);
      b["requirements"] = std::move(entries);
    }
    doc["baseline"] = std::move(b);
  }
  json rs = json::array();
  for (const auto& r : reqs) {
    const Requirement& q = *r.requirement;
    json e = {{"id", q.id},
              {"section", q.section},
              {"text", q.text},
              {"verdict", r.label()},
              {"observed", verdict_name(r.verdict)},
              {"cases", r.cases},
              {"pics", q.pics},
              {"rulings", q.rulings}};
    if (!r.reason.empty()) e["reason"] = utf8_safe(r.reason);
    if (r.baseline) e["baseline"] = baseline_json(*r.baseline);
    rs.push_back(std::move(e));
  }
  doc["requirements"] = std::move(rs);
  json cs = json::array();
  std::vector<std::string> unknown;
  for (const auto& c : cases) {
    for (const auto& id : c.requirements) {
      if (inventory.find(id) == nullptr) unknown.push_back(c.name + ": " + id);
    }
    json e = {{"name", c.name},
              {"requirements", c.requirements},
              {"verdict", verdict_name(c.verdict)},
              {"duration_ms", c.duration_ms},
              {"log", utf8_safe(c.log)}};
    if (!c.reason.empty()) e["reason"] = utf8_safe(c.reason);
    json checks = json::array();
    for (const auto& k : checks_of(c)) {
      json ke = {{"requirement", k.id}, {"verdict", verdict_name(k.verdict)}};
      if (!k.reason.empty()) ke["reason"] = utf8_safe(k.reason);
      checks.push_back(std::move(ke));
    }
    e["checks"] = std::move(checks);
    if (c.shard >= 0) e["shard"] = c.shard;
    cs.push_back(std::move(e));
  }
  doc["cases"] = std::move(cs);
  doc["unknown_requirements"] = unknown;
  return doc.dump(2) + "\n";
}

}  // namespace qftp::harness
