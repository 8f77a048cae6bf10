// report_html.cpp: report.html, one self-contained page (no network): what needs attention first,
// with its reasons in plain words; filters by verdict and section; each requirement with its spec
// section, PICS condition and rulings; each case's wire log wrapped, its data runs elided.
#include <algorithm>
#include <map>
#include <set>
#include <sstream>

#include "core/common/kit_version.h"
#include "harness/report_text.h"
#include "te/html_page.h"

namespace qftp::harness {
namespace {

const char* color(const std::string& label) {
  static const std::map<std::string, const char*> kColors = {
      {"pass", "#2e7d32"},           {"fail", "#c62828"},  {"inconclusive", "#ef6c00"},
      {"not_applicable", "#757575"}, {"error", "#6a1b9a"}, {"known_deviation", "#8d6e63"},
      {"fixed", "#0277bd"}};
  const auto it = kColors.find(label);
  return it == kColors.end() ? "#000" : it->second;
}

std::string badge(const std::string& label) { return te::html_badge(label, color(label)); }

// The order things need attention in.
int rank(const std::string& label) {
  static const std::vector<std::string> kOrder = {
      "fail", "error", "fixed", "known_deviation", "inconclusive", "not_applicable", "pass"};
  for (std::size_t i = 0; i < kOrder.size(); ++i)
    if (kOrder[i] == label) return static_cast<int>(i);
  return 99;
}

std::string case_label(const CaseRecord& c, const std::vector<RequirementResult>& reqs) {
  return only_known_deviations(c, reqs) ? "known_deviation" : std::string(verdict_name(c.verdict));
}

std::string sections_of(const CaseRecord& c) {
  std::set<std::string> s;
  for (const auto& id : c.requirements) s.insert(section_of(id));
  std::string out;
  for (const auto& x : s) out += (out.empty() ? "" : " ") + x;
  return out;
}



constexpr const char* kScript = R"(
function applyFilters(){
  const on=new Set([...document.querySelectorAll('#filters input:checked')].map(e=>e.value));
  const sec=document.getElementById('section').value;
  for(const el of document.querySelectorAll('.item')){
    const s=el.dataset.sections.split(' ');
    el.hidden=!(on.has(el.dataset.verdict)&&(sec===''||s.includes(sec)));
  }
}
function openTarget(){
  const id=decodeURIComponent(location.hash.slice(1));
  const el=id&&document.getElementById(id);
  if(el&&el.tagName==='DETAILS'){el.hidden=false;el.open=true;el.scrollIntoView();}
}
document.querySelectorAll('#filters input,#filters select').forEach(e=>e.addEventListener('change',applyFilters));
window.addEventListener('hashchange',openTarget);
applyFilters();openTarget();
)";

}  // namespace

std::string report_html(const Inventory& inventory, const std::vector<CaseRecord>& cases,
                        const std::vector<RequirementResult>& reqs, const RunInfo& run) {
  const Counts cc = count(cases);
  const Counts rc = count(reqs);
  const std::string head = headline(cc, rc, run);
  // Unique anchors: a merged report may hold the same case from several runs.
  std::map<std::string, int> seen;
  std::vector<std::string> anchors;
  for (const auto& c : cases) {
    const int n = ++seen[c.name];
    anchors.push_back(case_anchor(c.name) + (n == 1 ? "" : "-" + std::to_string(n)));
  }
  const auto case_link = [](const std::string& name) {
    return "<a href=\"#" + case_anchor(name) + "\">" + xml_escape(name) + "</a>";
  };

  std::ostringstream out;
  out << te::html_page_start("qftp-conformance: " + head);
  const char* klass = rc.fail != 0 ? "bad" : (cc.error != 0 || rc.error != 0) ? "warn" : "good";
  out << "<h1 class=\"" << klass << "\">qftp-conformance: " << xml_escape(head) << "</h1>\n";
  out << "<p>DUT <b>" << xml_escape(run.dut) << "</b> with profile " << xml_escape(run.profile)
      << "; identity: " << xml_escape(run.identity.ati) << " / " << xml_escape(run.identity.gmr)
      << " / " << xml_escape(run.identity.gsn) << "; started " << run.started_at << ", "
      << fixed(run.duration_s, 1) << " s. Run by <b>"
      << xml_escape(kit_version_line("qftp-conformance")) << "</b>, the kit's data from <code>"
      << xml_escape(run.data_dir) << "</code>.</p>\n";
  for (const auto& w : run.warnings) out << "<p><b>Warning:</b> " << xml_escape(w) << "</p>\n";
  if (!run.defects.empty()) {
    out << "<p>Emulator defects enabled:";
    for (const auto& d : run.defects) out << " <code>" << xml_escape(d) << "</code>";
    out << "</p>\n";
  }
  if (!run.baseline_file.empty()) {
    out << "<p>Baseline <code>" << xml_escape(run.baseline_file) << "</code>: "
        << (run.baseline ? "firmware " + xml_escape(run.baseline->gmr) + ", " +
                               std::to_string(run.baseline->requirements.size()) +
                               " known deviation(s) listed"
                         : std::string("no entry for this firmware; every failure counts"))
        << ".</p>\n";
  }
  if (!run.shards.empty()) {
    out << "<p>Merged from " << run.shards.size() << " parts:";
    for (const auto& s : run.shards)
      out << " <b>" << s.index << "</b> <code>" << xml_escape(s.source) << "</code> (" << s.cases
          << " cases, " << xml_escape(s.status) << ");";
    out << "</p>\n";
  }
  out << "<table class=\"counts\"><tr><th></th><th>total</th><th>pass</th><th>fail</th>"
         "<th>error</th><th>known deviation</th><th>fixed</th><th>inconclusive</th>"
         "<th>not applicable</th></tr>\n";
  for (const auto& [label, c] :
       {std::pair<const char*, Counts>{"requirements", rc}, {"cases", cc}}) {
    out << "<tr><th>" << label << "</th><td>" << c.total << "</td><td>" << c.pass << "</td><td>"
        << c.fail << "</td><td>" << c.error << "</td><td>" << c.known_deviation << "</td><td>"
        << c.fixed << "</td><td>" << c.inconclusive << "</td><td>" << c.not_applicable
        << "</td></tr>\n";
  }
  out << "</table>\n";

  // What needs attention, in plain words.
  std::vector<const RequirementResult*> attention;
  for (const auto& r : reqs) {
    if (rank(r.label()) <= rank("known_deviation")) attention.push_back(&r);
  }
  std::stable_sort(attention.begin(), attention.end(), [](const auto* a, const auto* b) {
    return rank(a->label()) < rank(b->label());
  });
  out << "<h2>Needs attention (" << attention.size() << ")</h2>\n";
  if (attention.empty()) out << "<p>Nothing failed, erred or deviates.</p>\n";
  for (const auto* r : attention) {
    out << "<div class=\"item\" data-verdict=\"" << r->label() << "\" data-sections=\""
        << r->requirement->section << "\"><p>" << badge(r->label()) << " <b>"
        << xml_escape(r->requirement->id) << "</b> " << xml_escape(r->requirement->text)
        << "</p>\n";
    if (r->baseline) {
      out << "<p class=\"why\">Baseline: expected " << verdict_name(r->baseline->expected)
          << (r->baseline->ticket.empty() ? "" : " (" + xml_escape(r->baseline->ticket) + ")")
          << ": " << xml_escape(r->baseline->reason)
          << (r->standing == Standing::fixed ? ". It passes now: update the baseline." : "")
          << "</p>\n";
    }
    for (const auto& c : cases) {
      for (const auto& k : checks_of(c)) {
        if (k.id != r->requirement->id || k.verdict == Verdict::pass) continue;
        out << "<p class=\"why\">" << case_link(c.name) << ": " << xml_escape(k.reason) << "</p>\n";
      }
    }
    out << "</div>\n";
  }

  // Filters.
  std::set<std::string> sections;
  for (const auto& r : reqs) sections.insert(r.requirement->section);
  out << "<div id=\"filters\">Show: ";
  for (const std::string v :
       {"fail", "error", "fixed", "known_deviation", "inconclusive", "not_applicable", "pass"}) {
    out << "<label><input type=\"checkbox\" value=\"" << v << "\" checked> " << badge(v)
        << "</label>";
  }
  out << " section <select id=\"section\"><option value=\"\">all</option>";
  for (const auto& s : sections) {
    const std::string title = inventory.section_title(s);
    out << "<option value=\"" << xml_escape(s) << "\">" << xml_escape(s)
        << (title.empty() ? "" : " " + xml_escape(title)) << "</option>";
  }
  out << "</select></div>\n";

  out << "<h2>Requirements</h2>\n<table class=\"req\"><tr><th>ID</th><th>verdict</th>"
         "<th>statement, spec section, PICS, rulings</th><th>cases</th></tr>\n";
  std::vector<const RequirementResult*> ordered;
  for (const auto& r : reqs) ordered.push_back(&r);
  std::stable_sort(ordered.begin(), ordered.end(), [](const auto* a, const auto* b) {
    return rank(a->label()) < rank(b->label());
  });
  for (const auto* r : ordered) {
    const Requirement& q = *r->requirement;
    out << "<tr class=\"item\" data-verdict=\"" << r->label() << "\" data-sections=\""
        << xml_escape(q.section) << "\"><td>" << xml_escape(q.id) << "</td><td>"
        << badge(r->label()) << "</td><td>" << xml_escape(q.text);
    const std::string title = inventory.section_title(q.section);
    out << "<div class=\"muted\">§" << xml_escape(q.section)
        << (title.empty() ? "" : " " + xml_escape(title)) << "; source: " << xml_escape(q.source)
        << "; applies: " << (q.pics.empty() ? "always" : "when PICS " + xml_escape(q.pics))
        << "</div>";
    if (!q.reason.empty())
      out << "<div class=\"muted\">Why the suite rules so: " << xml_escape(q.reason) << "</div>";
    for (const auto& ruling : q.rulings) {
      const Requirement* rr = inventory.find(ruling);
      if (rr == nullptr) continue;
      out << "<div class=\"muted\">Ruling " << xml_escape(ruling) << ": " << xml_escape(rr->text)
          << (rr->reason.empty() ? "" : " Reason: " + xml_escape(rr->reason)) << "</div>";
    }
    if (!r->reason.empty())
      out << "<div class=\"why\"><i>" << xml_escape(r->reason) << "</i></div>";
    out << "</td><td>";
    for (const auto& c : r->cases) out << case_link(c) << "<br>";
    out << "</td></tr>\n";
  }
  out << "</table>\n<h2>Cases</h2>\n<p class=\"muted\">Those that did not pass first; each opens "
         "on its verdict per requirement, its notes and failed checks, the wire log (long data "
         "elided with its size and CRC-32) and the fixture's FTP log.</p>\n";
  std::vector<std::size_t> order(cases.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return rank(case_label(cases[a], reqs)) < rank(case_label(cases[b], reqs));
  });
  for (const std::size_t i : order) {
    const auto& c = cases[i];
    const std::string label = case_label(c, reqs);
    out << "<details class=\"case item\" id=\"" << anchors[i] << "\" data-verdict=\"" << label
        << "\" data-sections=\"" << sections_of(c) << "\"><summary>" << badge(label) << " <b>"
        << xml_escape(c.name) << "</b> <span class=\"muted\">(" << fixed(c.duration_ms, 0) << " ms";
    if (c.shard >= 0) out << ", part " << c.shard;
    out << ")</span>";
    if (!c.reason.empty()) out << " &mdash; " << xml_escape(c.reason.substr(0, 300));
    out << "</summary>\n<p>";
    for (const auto& k : checks_of(c)) {
      // A failed check of a known deviation reads as one, as its requirement does.
      const auto r = std::find_if(reqs.begin(), reqs.end(), [&](const RequirementResult& x) {
        return x.requirement->id == k.id;
      });
      const bool known = k.verdict == Verdict::fail && r != reqs.end() &&
                         r->standing == Standing::known_deviation;
      out << badge(known ? "known_deviation" : std::string(verdict_name(k.verdict))) << " "
          << xml_escape(k.id) << " ";
    }
    out << "</p><pre>" << xml_escape(c.log) << "</pre></details>\n";
  }
  out << "<script>" << kScript << "</script>\n</body></html>\n";
  return out.str();
}

}  // namespace qftp::harness
