// report_markdown.cpp: summary.md, the short form for a CI summary or a release ticket.
#include <sstream>

#include "core/common/kit_version.h"
#include "harness/report_text.h"

namespace qftp::harness {

std::string summary_md(const std::vector<CaseRecord>& cases,
                       const std::vector<RequirementResult>& reqs, const RunInfo& run) {
  const Counts cc = count(cases);
  const Counts rc = count(reqs);
  std::ostringstream out;
  out << "# qftp-conformance: " << md_escape(headline(cc, rc, run)) << "\n\n";
  out << "DUT `" << run.dut << "`, profile " << run.profile
      << ". Identity: " << md_escape(run.identity.ati) << " / " << md_escape(run.identity.gmr)
      << " / " << md_escape(run.identity.gsn) << ". Run " << run.started_at << ", "
      << fixed(run.duration_s, 1) << " s. Run by " << kit_version_line("qftp-conformance") << ".";
  if (!run.defects.empty()) {
    out << " Emulator defects:";
    for (const auto& d : run.defects) out << " `" << d << "`";
    out << ".";
  }
  if (!run.baseline_file.empty())
    out << " Baseline `" << run.baseline_file << "`"
        << (run.baseline ? " (firmware " + md_escape(run.baseline->gmr) + ")"
                         : std::string(" (no entry for this firmware)"))
        << ".";
  if (!run.shards.empty()) {
    out << " Merged from " << run.shards.size() << " parts:";
    for (const auto& s : run.shards)
      out << " " << s.index << " `" << s.source << "` (" << s.cases << " cases, " << s.status
          << ");";
  }
  for (const auto& w : run.warnings) out << "\n\n**Warning:** " << md_escape(w);
  out << "\n\n| | total | pass | fail | inconclusive | not applicable | error | known deviation | "
         "fixed |\n|---|---|---|---|---|---|---|---|---|\n";
  for (const auto& [label, c] :
       {std::pair<const char*, Counts>{"requirements", rc}, {"cases", cc}}) {
    out << "| " << label << " | " << c.total << " | " << c.pass << " | " << c.fail << " | "
        << c.inconclusive << " | " << c.not_applicable << " | " << c.error << " | "
        << c.known_deviation << " | " << c.fixed << " |\n";
  }
  for (const std::string v :
       {"fail", "error", "fixed", "known_deviation", "inconclusive", "not_applicable"}) {
    bool heading = false;
    for (const auto& r : reqs) {
      if (r.label() != v) continue;
      if (!heading) {
        out << "\n## Requirements: " << v << "\n\n| ID | statement | why |\n|---|---|---|\n";
        heading = true;
      }
      std::string why = r.reason.substr(0, 300);
      if (r.baseline) {
        why = "baseline: " + r.baseline->reason +
              (r.baseline->ticket.empty() ? "" : " (" + r.baseline->ticket + ")") +
              (why.empty() ? "" : "; " + why);
      }
      out << "| " << r.requirement->id << " | " << md_escape(r.requirement->text) << " | "
          << md_escape(why) << " |\n";
    }
  }
  out << "\nDetails per case, with the wire log: `report.html`, `report.json`; CI: `junit.xml`.\n";
  return out.str();
}

}  // namespace qftp::harness
