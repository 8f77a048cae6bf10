// compare.cpp: requirement verdicts of several runs side by side (compare.h).
#include "harness/compare.h"

#include <algorithm>
#include <set>
#include <sstream>

#include "harness/report_text.h"

namespace qftp::harness {
namespace {

bool bad(const std::string& v) {
  return v == "fail" || v == "error";
}

std::string describe(const LoadedReport& r) {
  std::string s = r.dir.string() + ": " + r.run.dut + ", " + r.run.identity.gmr;
  if (!r.run.defects.empty()) {
    s += ", defects";
    for (const auto& d : r.run.defects) s += " " + d;
  }
  return s + ", " + r.run.started_at;
}

std::string link_to(const LoadedReport& r, const std::filesystem::path& out_dir,
                    const std::string& id, const ReportedRequirement& q) {
  if (q.cases.empty()) return "";
  // The first case whose check of it did not pass (its log says why), else its first case.
  std::string target = q.cases.front();
  for (const auto& c : r.cases) {
    const auto checks = checks_of(c);
    if (std::any_of(checks.begin(), checks.end(), [&](const RequirementCheck& k) {
          return k.id == id && k.verdict != Verdict::pass;
        })) {
      target = c.name;
      break;
    }
  }
  std::error_code ec;
  const auto from = std::filesystem::weakly_canonical(out_dir, ec);
  const auto to = std::filesystem::weakly_canonical(r.dir / "report.html", ec);
  auto rel = to.lexically_relative(from);
  if (rel.empty()) rel = to;
  return rel.string() + "#" + case_anchor(target);
}

}  // namespace

std::string_view change_name(Change c) {
  switch (c) {
    case Change::same:
      return "same";
    case Change::regressed:
      return "regressed";
    case Change::fixed:
      return "fixed";
    case Change::newly_not_applicable:
      return "newly not applicable";
    case Change::changed:
      return "changed";
    case Change::not_run:
      return "not run";
  }
  return "changed";
}

Change classify(const std::string& first, const std::string& later) {
  if (first == later) return Change::same;
  if (first.empty() || later.empty()) return Change::not_run;
  if (bad(later) && !bad(first)) return Change::regressed;
  if (bad(first) && later == "pass") return Change::fixed;
  if (later == "not_applicable") return Change::newly_not_applicable;
  return Change::changed;
}

int Comparison::count(Change c) const {
  int n = 0;
  for (const auto& row : rows)
    n += static_cast<int>(std::count(row.changes.begin(), row.changes.end(), c));
  return n;
}

Comparison compare_reports(const std::vector<LoadedReport>& reports,
                           const std::filesystem::path& out_dir) {
  Comparison out;
  std::vector<std::string> ids;
  std::set<std::string> seen;
  for (const auto& r : reports) {
    out.runs.push_back(describe(r));
    for (const auto& [id, q] : r.requirements) {
      if (seen.insert(id).second) ids.push_back(id);
    }
  }
  for (const auto& id : ids) {
    CompareRow row;
    row.id = id;
    for (const auto& r : reports) {
      CompareCell cell;
      if (const auto it = r.requirements.find(id); it != r.requirements.end()) {
        cell.verdict = it->second.observed;
        cell.label = it->second.label;
        cell.reason = it->second.reason;
        cell.link = link_to(r, out_dir, id, it->second);
        if (row.text.empty()) row.text = it->second.text;
      }
      row.cells.push_back(std::move(cell));
    }
    bool differs = false;
    for (std::size_t i = 1; i < row.cells.size(); ++i) {
      row.changes.push_back(classify(row.cells[0].verdict, row.cells[i].verdict));
      differs = differs || row.changes.back() != Change::same;
    }
    if (differs) {
      out.rows.push_back(std::move(row));
    } else {
      ++out.same;
    }
  }
  return out;
}

std::string comparison_markdown(const Comparison& c) {
  std::ostringstream out;
  out << "# qftp-conformance: comparison of " << c.runs.size() << " runs\n\n";
  for (std::size_t i = 0; i < c.runs.size(); ++i)
    out << "- run " << static_cast<char>('A' + i) << ": " << md_escape(c.runs[i]) << "\n";
  out << "\n"
      << c.same << " requirements have the same verdict in every run; "
      << c.count(Change::regressed) << " regressed, " << c.count(Change::fixed) << " fixed, "
      << c.count(Change::newly_not_applicable) << " newly not applicable, "
      << c.count(Change::changed) + c.count(Change::not_run) << " otherwise changed.\n\n";
  if (c.rows.empty()) return out.str() + "No requirement differs.\n";
  out << "| requirement |";
  for (std::size_t i = 0; i < c.runs.size(); ++i) out << " " << static_cast<char>('A' + i) << " |";
  for (std::size_t i = 1; i < c.runs.size(); ++i)
    out << " " << static_cast<char>('A' + i) << " against A |";
  out << "\n|---|";
  for (std::size_t i = 0; i < 2 * c.runs.size() - 1; ++i) out << "---|";
  out << "\n";
  for (const auto& row : c.rows) {
    out << "| " << row.id << " " << md_escape(row.text.substr(0, 100)) << " |";
    for (const auto& cell : row.cells) {
      const std::string v = cell.label.empty() ? "not run" : cell.label;
      out << " " << (cell.link.empty() ? v : "[" + v + "](" + cell.link + ")") << " |";
    }
    for (const auto ch : row.changes) out << " " << change_name(ch) << " |";
    out << "\n";
  }
  return out.str();
}

std::string comparison_html(const Comparison& c) {
  std::ostringstream out;
  out << "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>"
      << "qftp-conformance comparison</title><style>body{font-family:system-ui,sans-serif;"
         "margin:1em 2em}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.3em "
         ".5em;text-align:left;vertical-align:top}.regressed{background:#ffebee}.fixed{background:"
         "#e3f2fd}.muted{color:#666;font-size:90%}</style></head><body>\n"
      << "<h1>qftp-conformance: comparison of " << c.runs.size() << " runs</h1>\n<ul>";
  for (std::size_t i = 0; i < c.runs.size(); ++i)
    out << "<li><b>" << static_cast<char>('A' + i) << "</b>: " << xml_escape(c.runs[i]) << "</li>";
  out << "</ul>\n<p>" << c.same << " requirements have the same verdict in every run; "
      << c.count(Change::regressed) << " regressed, " << c.count(Change::fixed) << " fixed, "
      << c.count(Change::newly_not_applicable) << " newly not applicable, "
      << c.count(Change::changed) + c.count(Change::not_run) << " otherwise changed.</p>\n";
  if (c.rows.empty()) return out.str() + "<p>No requirement differs.</p></body></html>\n";
  out << "<table><tr><th>requirement</th>";
  for (std::size_t i = 0; i < c.runs.size(); ++i)
    out << "<th>" << static_cast<char>('A' + i) << "</th>";
  for (std::size_t i = 1; i < c.runs.size(); ++i)
    out << "<th>" << static_cast<char>('A' + i) << " against A</th>";
  out << "</tr>\n";
  for (const auto& row : c.rows) {
    const bool regressed =
        std::find(row.changes.begin(), row.changes.end(), Change::regressed) != row.changes.end();
    out << "<tr class=\"" << (regressed ? "regressed" : "") << "\"><td><b>" << xml_escape(row.id)
        << "</b> " << xml_escape(row.text) << "</td>";
    for (const auto& cell : row.cells) {
      const std::string v = cell.label.empty() ? "not run" : cell.label;
      out << "<td>"
          << (cell.link.empty() ? xml_escape(v)
                                : "<a href=\"" + xml_escape(cell.link) + "\">" + v + "</a>");
      if (!cell.reason.empty())
        out << "<div class=\"muted\">" << xml_escape(cell.reason.substr(0, 300)) << "</div>";
      out << "</td>";
    }
    for (const auto ch : row.changes)
      out << "<td class=\"" << (ch == Change::fixed ? "fixed" : "") << "\">" << change_name(ch)
          << "</td>";
    out << "</tr>\n";
  }
  return out.str() + "</table></body></html>\n";
}

}  // namespace qftp::harness
