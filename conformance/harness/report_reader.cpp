// report_reader.cpp: report.json back into RunInfo and CaseRecords (report_reader.h).
#include "harness/report_reader.h"

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

namespace qftp::harness {
namespace {

using nlohmann::json;

Verdict verdict_of(const json& j, const std::string& where) {
  const auto v = verdict_from_name(j.get<std::string>());
  if (!v) throw std::invalid_argument(where + ": unknown verdict " + j.dump());
  return *v;
}

}  // namespace

Result<LoadedReport> read_report(const std::filesystem::path& where) {
  std::error_code ec;
  const bool is_dir = std::filesystem::is_directory(where, ec);
  const auto path = is_dir ? where / "report.json" : where;
  std::ifstream in(path, std::ios::binary);
  if (!in) return make_error("cannot read " + path.string());
  std::stringstream text;
  text << in.rdbuf();
  LoadedReport r;
  r.dir = path.parent_path();
  try {
    const json doc = json::parse(text.str());
    for (const char* key : {"run", "dut", "summary", "requirements", "cases"}) {
      if (!doc.contains(key))
        return make_error(path.string() + ": not a qftp-conformance report (no \"" + key + "\")");
    }
    RunInfo& run = r.run;
    const json& dut = doc["dut"];
    run.dut = dut.value("spec", "");
    run.profile = dut.value("profile", "");
    run.identity.ati = dut.value("ati", "");
    run.identity.gmr = dut.value("gmr", "");
    run.identity.gsn = dut.value("gsn", "");
    run.identity.initial_state = dut.value("initial_state", "");
    run.defects = dut.value("emulator_defects", std::vector<std::string>());
    run.data_dir = doc.contains("tool") ? doc["tool"].value("data_dir", "") : "";
    run.started_at = doc.value("started_at", "");
    run.duration_s = doc["summary"].value("duration_s", 0.0);
    const json& rj = doc["run"];
    const std::string status = rj.value("status", "complete");
    run.setup_error = rj.value("setup_error", "");
    run.stop_reason = rj.value("stop_reason", "");
    run.interrupted = status == "interrupted";
    run.filter = rj.value("gtest_filter", "*");
    run.shard = rj.value("shard", "");
    run.shard_index = rj.value("shard_index", -1);
    run.shard_total = rj.value("shard_total", 0);
    run.warnings = rj.value("warnings", std::vector<std::string>());
    if (doc.contains("options")) {
      const json& o = doc["options"];
      run.strict_format = o.value("strict_format", false);
      run.partial = o.value("partial_run", status != "complete");
      for (const auto& id : o.value("selected_requirements", std::vector<std::string>()))
        run.selected.insert(id);
    }
    if (doc.contains("baseline")) {
      const json& b = doc["baseline"];
      run.baseline_file = b.value("file", "");
      if (b.contains("requirements")) {
        FirmwareBaseline fw;
        fw.gmr = b.value("gmr", "");
        fw.ati = b.value("ati", "");
        for (const auto& [id, e] : b["requirements"].items()) {
          BaselineEntry entry;
          entry.expected = verdict_of(e.at("verdict"), "baseline " + id);
          entry.reason = e.value("reason", "");
          entry.ticket = e.value("ticket", "");
          fw.requirements.emplace(id, std::move(entry));
        }
        run.baseline = std::move(fw);
      }
    }
    for (const auto& c : doc["cases"]) {
      CaseRecord rec;
      rec.name = c.at("name").get<std::string>();
      rec.requirements = c.value("requirements", std::vector<std::string>());
      rec.verdict = verdict_of(c.at("verdict"), rec.name);
      rec.reason = c.value("reason", "");
      rec.duration_ms = c.value("duration_ms", 0.0);
      rec.log = c.value("log", "");
      rec.shard = c.value("shard", -1);
      for (const auto& k : c.value("checks", json::array()))
        rec.checks.push_back({k.at("requirement").get<std::string>(),
                              verdict_of(k.at("verdict"), rec.name), k.value("reason", "")});
      r.cases.push_back(std::move(rec));
    }
    for (const auto& q : doc["requirements"]) {
      ReportedRequirement rr;
      rr.label = q.at("verdict").get<std::string>();
      rr.observed = q.value("observed", rr.label);
      rr.reason = q.value("reason", "");
      rr.text = q.value("text", "");
      rr.cases = q.value("cases", std::vector<std::string>());
      r.requirements.emplace(q.at("id").get<std::string>(), std::move(rr));
    }
  } catch (const std::exception& e) {
    return make_error(path.string() + ": " + e.what());
  }
  return r;
}

}  // namespace qftp::harness
