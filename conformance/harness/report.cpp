// report.cpp: the four report files. JSON through nlohmann; JUnit XML, HTML and Markdown by hand,
// with their escaping.
#include "harness/report.h"

#include "core/common/kit_version.h"

#include <cctype>
#include <cstdio>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

namespace qftp::harness {
namespace {

std::string xml_escape(std::string_view s) {
  std::string out;
  for (const char c : s) {
    const auto u = static_cast<unsigned char>(c);
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&apos;";
        break;
      default:
        // XML 1.0 cannot carry most control characters, even escaped; logs are printable already.
        if (u < 0x20 && c != '\n' && c != '\t') {
          out += '?';
        } else {
          out += c;
        }
    }
  }
  return out;
}

std::string md_escape(std::string_view s) {
  std::string out;
  for (const char c : s) {
    if (c == '|') {
      out += "\\|";
    } else if (c == '\n') {
      out += ' ';
    } else {
      out += c;
    }
  }
  return out;
}

// Logs are built from printable() text, but reasons may quote raw bytes; JSON wants valid UTF-8.
std::string utf8_safe(std::string_view s) {
  std::string out;
  for (const char c : s) {
    const auto u = static_cast<unsigned char>(c);
    out += (u < 0x80) ? c : '?';
  }
  return out;
}

Status write_file(const std::filesystem::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  if (!out) return make_error("cannot write " + path.string());
  return {};
}

std::string fixed(double v, int digits) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", digits, v);
  return buf;
}

nlohmann::json counts_json(const Counts& c, double duration_s) {
  return {{"total", c.total},
          {"pass", c.pass},
          {"fail", c.fail},
          {"inconclusive", c.inconclusive},
          {"not_applicable", c.not_applicable},
          {"error", c.error},
          {"duration_s", duration_s}};
}

std::string report_json(const Inventory& inventory, const std::vector<CaseRecord>& cases,
                        const std::vector<RequirementResult>& reqs, const RunInfo& run) {
  using nlohmann::json;
  json doc;
  doc["tool"] = {{"name", "qftp-conformance"},
                 {"version", std::string(kit_version())},
                 {"commit", std::string(kit_commit())},
                 {"data_dir", run.data_dir}};
  doc["spec"] = "Quectel GSM FTP AT Commands V1.1 (2010-12-28)";
  doc["started_at"] = run.started_at;
  doc["summary"] = counts_json(count(cases), run.duration_s);
  json rsum = counts_json(count(reqs), run.duration_s);
  rsum.erase("duration_s");
  doc["requirements_summary"] = rsum;
  doc["dut"] = {{"spec", run.dut},
                {"profile", run.profile},
                {"ati", utf8_safe(run.identity.ati)},
                {"gmr", utf8_safe(run.identity.gmr)},
                {"gsn", utf8_safe(run.identity.gsn)},
                {"initial_state", utf8_safe(run.identity.initial_state)},
                {"emulator_defects", run.defects}};
  doc["run"] = {{"status", run_status(run)},
                {"headline", headline(count(cases), run)},
                {"setup_error", run.setup_error},
                {"stop_reason", run.stop_reason},
                {"gtest_filter", run.filter},
                {"shard", run.shard},
                {"warnings", run.warnings}};
  doc["options"] = {{"strict_format", run.strict_format},
                    {"partial_run", run.partial},
                    {"selected_requirements",
                     std::vector<std::string>(run.selected.begin(), run.selected.end())}};
  json rs = json::array();
  for (const auto& r : reqs) {
    const Requirement& q = *r.requirement;
    json e = {{"id", q.id},          {"section", q.section},
              {"text", q.text},      {"verdict", verdict_name(r.verdict)},
              {"cases", r.cases},    {"pics", q.pics},
              {"rulings", q.rulings}};
    if (!r.reason.empty()) e["reason"] = utf8_safe(r.reason);
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

std::string junit_xml(const std::vector<CaseRecord>& cases, const RunInfo& run) {
  std::map<std::string, std::vector<const CaseRecord*>> suites;
  for (const auto& c : cases) suites[c.name.substr(0, c.name.find('.'))].push_back(&c);
  const Counts all = count(cases);
  std::ostringstream out;
  out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out << "<testsuites name=\"qftp-conformance\" tests=\"" << all.total << "\" failures=\""
      << all.fail << "\" errors=\"" << all.error << "\" skipped=\""
      << (all.inconclusive + all.not_applicable) << "\" time=\"" << fixed(run.duration_s, 3)
      << "\" timestamp=\"" << run.started_at << "\">\n";
  // The same run facts in every testsuite: Jenkins' xUnit and GitLab show them per suite.
  std::ostringstream run_properties;
  run_properties << "    <properties>\n";
  for (const auto& [name, value] :
       {std::pair<const char*, std::string>{"tool", kit_version_line("qftp-conformance")},
        {"tool_version", std::string(kit_version())},
        {"tool_commit", std::string(kit_commit())},
        {"dut", run.dut},
        {"profile", run.profile},
        {"run_status", run_status(run)},
        {"headline", headline(all, run)}}) {
    run_properties << "      <property name=\"" << name << "\" value=\"" << xml_escape(value)
                   << "\"/>\n";
  }
  run_properties << "    </properties>\n";
  for (const auto& [suite, members] : suites) {
    Counts c;
    double time = 0;
    for (const auto* m : members) {
      c.add(m->verdict);
      time += m->duration_ms / 1000.0;
    }
    out << "  <testsuite name=\"" << xml_escape(suite) << "\" tests=\"" << c.total
        << "\" failures=\"" << c.fail << "\" errors=\"" << c.error << "\" skipped=\""
        << (c.inconclusive + c.not_applicable) << "\" time=\"" << fixed(time, 3) << "\">\n";
    out << run_properties.str();
    for (const auto* m : members) {
      std::string ids;
      for (const auto& id : m->requirements) ids += (ids.empty() ? "" : " ") + id;
      out << "    <testcase name=\"" << xml_escape(m->name.substr(m->name.find('.') + 1))
          << "\" classname=\"" << xml_escape(suite) << "\" time=\""
          << fixed(m->duration_ms / 1000.0, 3) << "\">\n";
      out << "      <properties>\n        <property name=\"requirements\" value=\""
          << xml_escape(ids) << "\"/>\n        <property name=\"verdict\" value=\""
          << verdict_name(m->verdict) << "\"/>\n"
          << "      </properties>\n";
      const std::string reason = xml_escape(m->reason.substr(0, 500));
      switch (m->verdict) {
        case Verdict::fail:
          out << "      <failure message=\"" << reason << "\">" << xml_escape(m->log)
              << "</failure>\n";
          break;
        case Verdict::error:
          out << "      <error message=\"" << reason << "\">" << xml_escape(m->log) << "</error>\n";
          break;
        case Verdict::inconclusive:
        case Verdict::not_applicable:
          out << "      <skipped message=\"" << verdict_name(m->verdict) << ": " << reason
              << "\"/>\n";
          out << "      <system-out>" << xml_escape(m->log) << "</system-out>\n";
          break;
        case Verdict::pass:
          out << "      <system-out>" << xml_escape(m->log) << "</system-out>\n";
          break;
      }
      out << "    </testcase>\n";
    }
    out << "  </testsuite>\n";
  }
  out << "</testsuites>\n";
  return out.str();
}

const char* verdict_color(Verdict v) {
  switch (v) {
    case Verdict::pass:
      return "#2e7d32";
    case Verdict::fail:
      return "#c62828";
    case Verdict::inconclusive:
      return "#ef6c00";
    case Verdict::not_applicable:
      return "#757575";
    case Verdict::error:
      return "#6a1b9a";
  }
  return "#000";
}

std::string anchor(std::string_view name) {
  std::string out = "case-";
  for (const char c : name) out += (std::isalnum(static_cast<unsigned char>(c)) != 0) ? c : '-';
  return out;
}

std::string report_html(const std::vector<CaseRecord>& cases,
                        const std::vector<RequirementResult>& reqs, const RunInfo& run) {
  const Counts cc = count(cases);
  const Counts rc = count(reqs);
  std::ostringstream out;
  const auto badge = [](Verdict v) {
    return std::string("<span class=\"v\" style=\"background:") + verdict_color(v) + "\">" +
           std::string(verdict_name(v)) + "</span>";
  };
  out << "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
      << "<title>qftp-conformance report</title>\n<style>\n"
      << "body{font-family:sans-serif;margin:2em;max-width:80em}table{border-collapse:collapse;"
         "width:100%}"
      << "td,th{border:1px solid #ccc;padding:.3em .5em;text-align:left;vertical-align:top}"
      << ".v{color:#fff;border-radius:3px;padding:0 "
         ".4em;font-size:90%}pre{white-space:pre-wrap;font-size:85%;"
      << "background:#f6f6f6;padding:.5em}summary{cursor:pointer}\n</style></head><body>\n";
  out << "<h1>qftp-conformance: " << xml_escape(headline(cc, run)) << "</h1>\n";
  out << "<p>DUT <b>" << xml_escape(run.dut) << "</b> with profile " << xml_escape(run.profile)
      << "; identity: " << xml_escape(run.identity.ati) << " / " << xml_escape(run.identity.gmr)
      << " / " << xml_escape(run.identity.gsn) << "; started " << run.started_at << ", "
      << fixed(run.duration_s, 1) << " s.</p>\n";
  for (const auto& w : run.warnings) out << "<p><b>Warning:</b> " << xml_escape(w) << "</p>\n";
  out << "<p>Run by <b>" << xml_escape(kit_version_line("qftp-conformance"))
      << "</b> with the kit's data from <code>" << xml_escape(run.data_dir) << "</code>.</p>\n";
  if (!run.defects.empty()) {
    out << "<p>Emulator defects enabled:";
    for (const auto& d : run.defects) out << " <code>" << xml_escape(d) << "</code>";
    out << "</p>\n";
  }
  out << "<table><tr><th></th><th>total</th><th>pass</th><th>fail</th><th>inconclusive</th><th>not "
         "applicable</th>"
      << "<th>error</th></tr>\n";
  for (const auto& [label, c] :
       {std::pair<const char*, Counts>{"requirements", rc}, {"cases", cc}}) {
    out << "<tr><th>" << label << "</th><td>" << c.total << "</td><td>" << c.pass << "</td><td>"
        << c.fail << "</td><td>" << c.inconclusive << "</td><td>" << c.not_applicable << "</td><td>"
        << c.error << "</td></tr>\n";
  }
  out << "</table>\n<h2>Requirements</h2>\n<table><tr><th>ID</th><th>statement</th><th>verdict</"
         "th><th>cases</th></tr>\n";
  for (const auto& r : reqs) {
    out << "<tr><td>" << xml_escape(r.requirement->id) << "</td><td>"
        << xml_escape(r.requirement->text);
    if (!r.reason.empty()) out << "<br><i>" << xml_escape(r.reason) << "</i>";
    out << "</td><td>" << badge(r.verdict) << "</td><td>";
    for (const auto& c : r.cases)
      out << "<a href=\"#" << anchor(c) << "\">" << xml_escape(c) << "</a><br>";
    out << "</td></tr>\n";
  }
  out << "</table>\n<h2>Cases</h2>\n";
  for (const auto& c : cases) {
    out << "<details id=\"" << anchor(c.name) << "\"><summary>" << badge(c.verdict) << " "
        << xml_escape(c.name) << " (" << fixed(c.duration_ms, 0) << " ms)";
    if (!c.reason.empty()) out << " &mdash; " << xml_escape(c.reason.substr(0, 200));
    out << "</summary><pre>" << xml_escape(c.log) << "</pre></details>\n";
  }
  out << "</body></html>\n";
  return out.str();
}

std::string summary_md(const std::vector<CaseRecord>& cases,
                       const std::vector<RequirementResult>& reqs, const RunInfo& run) {
  const Counts cc = count(cases);
  const Counts rc = count(reqs);
  std::ostringstream out;
  out << "# qftp-conformance: " << md_escape(headline(cc, run)) << "\n\n";
  out << "DUT `" << run.dut << "`, profile " << run.profile
      << ". Identity: " << md_escape(run.identity.ati) << " / " << md_escape(run.identity.gmr)
      << " / " << md_escape(run.identity.gsn) << ". Run " << run.started_at << ", "
      << fixed(run.duration_s, 1) << " s. Run by " << kit_version_line("qftp-conformance") << ".";
  if (!run.defects.empty()) {
    out << " Emulator defects:";
    for (const auto& d : run.defects) out << " `" << d << "`";
    out << ".";
  }
  for (const auto& w : run.warnings) out << "\n\n**Warning:** " << md_escape(w);
  out << "\n\n| | total | pass | fail | inconclusive | not applicable | error "
         "|\n|---|---|---|---|---|---|---|\n";
  out << "| requirements | " << rc.total << " | " << rc.pass << " | " << rc.fail << " | "
      << rc.inconclusive << " | " << rc.not_applicable << " | " << rc.error << " |\n";
  out << "| cases | " << cc.total << " | " << cc.pass << " | " << cc.fail << " | "
      << cc.inconclusive << " | " << cc.not_applicable << " | " << cc.error << " |\n";
  for (const Verdict v :
       {Verdict::fail, Verdict::error, Verdict::inconclusive, Verdict::not_applicable}) {
    bool heading = false;
    for (const auto& r : reqs) {
      if (r.verdict != v) continue;
      if (!heading) {
        out << "\n## Requirements: " << verdict_name(v)
            << "\n\n| ID | statement | why |\n|---|---|---|\n";
        heading = true;
      }
      out << "| " << r.requirement->id << " | " << md_escape(r.requirement->text) << " | "
          << md_escape(r.reason.substr(0, 300)) << " |\n";
    }
  }
  out << "\nDetails per case, with the wire log: `report.html`, `report.json`; CI: `junit.xml`.\n";
  return out.str();
}

}  // namespace

std::string run_status(const RunInfo& run) {
  if (!run.setup_error.empty()) return "setup_failed";
  if (run.interrupted) return "interrupted";
  if (!run.stop_reason.empty()) return "ended_early";
  return run.partial ? "partial" : "complete";
}

std::string headline(const Counts& cases, const RunInfo& run) {
  if (!run.setup_error.empty()) return "SET-UP FAILED, no case ran: " + run.setup_error;
  // A fail is the DUT's; an error without a fail is the harness's or the bench's.
  const std::string outcome = cases.fail != 0    ? "FAILURES"
                              : cases.error != 0 ? "ERRORS (harness or bench)"
                                                 : "no failures";
  if (run.interrupted) return "INTERRUPTED (" + run.stop_reason + "): " + outcome + " in the " +
                             std::to_string(cases.total) + " cases that ran";
  if (!run.stop_reason.empty())
    return "ENDED EARLY (" + run.stop_reason + "): " + outcome + " in the " +
           std::to_string(cases.total) + " cases that ran";
  if (!run.partial) return outcome;
  std::string what;
  const auto add = [&what](const std::string& part) { what += (what.empty() ? "" : ", ") + part; };
  if (!run.selected.empty()) {
    std::string ids;
    for (const auto& id : run.selected) ids += (ids.empty() ? "" : " ") + id;
    add("--requirement " + ids);
  }
  if (run.filter != "*") add("--gtest_filter=" + run.filter);
  if (!run.shard.empty()) add("shard " + run.shard);
  return "PARTIAL RUN (" + what + "): " + outcome + " in the " + std::to_string(cases.total) +
         " cases selected";
}

Counts count(const std::vector<CaseRecord>& cases) {
  Counts c;
  for (const auto& r : cases) c.add(r.verdict);
  return c;
}

Counts count(const std::vector<RequirementResult>& reqs) {
  Counts c;
  for (const auto& r : reqs) c.add(r.verdict);
  return c;
}

void Counts::add(Verdict v) {
  ++total;
  switch (v) {
    case Verdict::pass:
      ++pass;
      break;
    case Verdict::fail:
      ++fail;
      break;
    case Verdict::inconclusive:
      ++inconclusive;
      break;
    case Verdict::not_applicable:
      ++not_applicable;
      break;
    case Verdict::error:
      ++error;
      break;
  }
}

std::vector<RequirementCheck> checks_of(const CaseRecord& c) {
  if (!c.checks.empty()) return c.checks;
  std::vector<RequirementCheck> out;
  for (const auto& id : c.requirements) out.push_back({id, c.verdict, c.reason});
  return out;
}

std::vector<RequirementResult> requirement_results(const Inventory& inventory,
                                                   const std::vector<CaseRecord>& cases,
                                                   bool selection) {
  std::vector<RequirementResult> out;
  for (const auto& q : inventory.all()) {
    RequirementResult r;
    r.requirement = &q;
    bool any = false;
    for (const auto& c : cases) {
      for (const auto& check : checks_of(c)) {
        if (check.id != q.id) continue;
        r.verdict = any ? combine(r.verdict, check.verdict) : check.verdict;
        any = true;
        r.cases.push_back(c.name);
        if (check.verdict != Verdict::pass && !check.reason.empty()) {
          const std::string item = c.name + ": " + check.reason.substr(0, 400);
          r.reason += (r.reason.empty() ? "" : "; ") + item;
        }
      }
    }
    if (!any) {
      if (selection) continue;
      r.verdict = Verdict::error;
      r.reason = "no case checks this requirement";
    }
    out.push_back(std::move(r));
  }
  return out;
}

Status write_reports(const std::filesystem::path& dir, const Inventory& inventory,
                     const std::vector<CaseRecord>& cases, const RunInfo& run) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return make_error("cannot create " + dir.string() + ": " + ec.message());
  const auto reqs = requirement_results(inventory, cases, run.partial);
  if (auto st = write_file(dir / "report.json", report_json(inventory, cases, reqs, run)); !st)
    return st;
  if (auto st = write_file(dir / "junit.xml", junit_xml(cases, run)); !st) return st;
  if (auto st = write_file(dir / "report.html", report_html(cases, reqs, run)); !st) return st;
  return write_file(dir / "summary.md", summary_md(cases, reqs, run));
}

std::string summary_line(const Counts& cases, const Counts& requirements, double duration_s) {
  const auto part = [](const Counts& c) {
    return std::to_string(c.pass) + " pass, " + std::to_string(c.fail) + " fail, " +
           std::to_string(c.inconclusive) + " inconclusive, " + std::to_string(c.not_applicable) +
           " not_applicable, " + std::to_string(c.error) + " error";
  };
  return std::to_string(requirements.total) + " requirements (" + part(requirements) + "); " +
         std::to_string(cases.total) + " cases (" + part(cases) + ") in " + fixed(duration_s, 1) +
         " s";
}

}  // namespace qftp::harness
