// report_junit.cpp: junit.xml, valid against the JUnit schema of Jenkins' xUnit plugin
// (junit-10.xsd): one testsuite per case suite, and a testsuite "requirements" with one testcase
// per requirement, where inconclusive and not_applicable stay apart (the skipped element's type).
#include <map>
#include <sstream>

#include "core/common/kit_version.h"
#include "harness/report_text.h"

namespace qftp::harness {
namespace {

struct Element {
  std::string kind;  // "failure", "error", "skipped", or "" for a pass
  std::string type;
  std::string message;
  std::string body;
};

void testcase(std::ostringstream& out, const std::string& name, const std::string& classname,
              double seconds, const Element& e, const std::string& system_out) {
  out << "    <testcase name=\"" << xml_escape(name) << "\" classname=\"" << xml_escape(classname)
      << "\" time=\"" << fixed(seconds, 3) << "\">\n";
  if (!e.kind.empty()) {
    out << "      <" << e.kind << " type=\"" << e.type << "\" message=\""
        << xml_escape(e.message.substr(0, 500)) << "\"";
    if (e.body.empty()) {
      out << "/>\n";
    } else {
      out << ">" << xml_escape(e.body) << "</" << e.kind << ">\n";
    }
  }
  out << "      <system-out>" << xml_escape(system_out) << "</system-out>\n    </testcase>\n";
}

Element case_element(const CaseRecord& c, const std::vector<RequirementResult>& reqs) {
  switch (c.verdict) {
    case Verdict::fail:
      if (only_known_deviations(c, reqs))
        return {"skipped", "known_deviation", "known deviation: " + c.reason, ""};
      return {"failure", "fail", c.reason, c.log};
    case Verdict::error:
      return {"error", "error", c.reason, c.log};
    case Verdict::inconclusive:
    case Verdict::not_applicable:
      return {"skipped", std::string(verdict_name(c.verdict)),
              std::string(verdict_name(c.verdict)) + ": " + c.reason, ""};
    case Verdict::pass:
      break;
  }
  return {};
}

Element requirement_element(const RequirementResult& r) {
  const std::string cases_line = [&] {
    std::string s;
    for (const auto& c : r.cases) s += (s.empty() ? "" : ", ") + c;
    return "cases: " + (s.empty() ? std::string("none") : s);
  }();
  if (r.standing == Standing::known_deviation) {
    const auto& b = *r.baseline;
    return {"skipped", "known_deviation",
            "known deviation" + (b.ticket.empty() ? "" : " (" + b.ticket + ")") + ": " + b.reason,
            ""};
  }
  switch (r.verdict) {
    case Verdict::fail:
      return {"failure", "fail", r.reason, r.requirement->text + "\n" + cases_line};
    case Verdict::error:
      return {"error", "error", r.reason, r.requirement->text + "\n" + cases_line};
    case Verdict::inconclusive:
    case Verdict::not_applicable:
      return {"skipped", std::string(verdict_name(r.verdict)),
              std::string(verdict_name(r.verdict)) + ": " + r.reason, ""};
    case Verdict::pass:
      break;
  }
  return {};
}

struct SuiteCounts {
  int tests = 0;
  int failures = 0;
  int errors = 0;
  int skipped = 0;
  double seconds = 0;
  void add(const Element& e, double s) {
    ++tests;
    seconds += s;
    failures += e.kind == "failure" ? 1 : 0;
    errors += e.kind == "error" ? 1 : 0;
    skipped += e.kind == "skipped" ? 1 : 0;
  }
};

}  // namespace

std::string junit_xml(const std::vector<CaseRecord>& cases,
                      const std::vector<RequirementResult>& reqs, const RunInfo& run) {
  std::map<std::string, std::vector<const CaseRecord*>> suites;
  for (const auto& c : cases) suites[c.name.substr(0, c.name.find('.'))].push_back(&c);
  const Counts cc = count(cases);
  const Counts rc = count(reqs);
  // The same run facts in every testsuite: Jenkins' xUnit and GitLab show them per suite.
  std::ostringstream props;
  props << "    <properties>\n";
  for (const auto& [name, value] :
       {std::pair<const char*, std::string>{"tool", kit_version_line("qftp-conformance")},
        {"tool_version", std::string(kit_version())},
        {"tool_commit", std::string(kit_commit())},
        {"dut", run.dut},
        {"profile", run.profile},
        {"run_status", run_status(run)},
        {"headline", headline(cc, rc, run)},
        {"baseline", run.baseline_file}}) {
    props << "      <property name=\"" << name << "\" value=\"" << xml_escape(value) << "\"/>\n";
  }
  props << "    </properties>\n";

  std::ostringstream body;
  SuiteCounts all;
  const auto suite_head = [&](const std::string& name, const SuiteCounts& s) {
    body << "  <testsuite name=\"" << xml_escape(name) << "\" tests=\"" << s.tests
         << "\" failures=\"" << s.failures << "\" errors=\"" << s.errors << "\" skipped=\""
         << s.skipped << "\" time=\"" << fixed(s.seconds, 3) << "\" timestamp=\"" << run.started_at
         << "\">\n"
         << props.str();
  };
  for (const auto& [suite, members] : suites) {
    SuiteCounts s;
    std::ostringstream tcs;
    for (const auto* m : members) {
      const Element e = case_element(*m, reqs);
      s.add(e, m->duration_ms / 1000.0);
      std::string out = "requirements:";
      for (const auto& k : checks_of(*m))
        out += " " + k.id + "=" + std::string(verdict_name(k.verdict));
      out += "\n" + (e.body.empty() ? m->log : std::string());
      testcase(tcs, m->name.substr(m->name.find('.') + 1), suite, m->duration_ms / 1000.0, e, out);
    }
    suite_head(suite, s);
    body << tcs.str() << "  </testsuite>\n";
    all.tests += s.tests;
    all.failures += s.failures;
    all.errors += s.errors;
    all.seconds += s.seconds;
  }
  // The requirements, for dashboards that show requirement verdicts.
  SuiteCounts s;
  std::ostringstream tcs;
  for (const auto& r : reqs) {
    const Element e = requirement_element(r);
    s.add(e, 0);
    std::string out = r.requirement->id + " " + r.label() + ": " + r.requirement->text;
    if (r.standing == Standing::fixed)
      out += "\nfixed: the baseline expects " + std::string(verdict_name(r.baseline->expected)) +
             " (" + r.baseline->reason + "); it passes now";
    if (!r.cases.empty()) {
      out += "\ncases:";
      for (const auto& c : r.cases) out += " " + c;
    }
    testcase(tcs, r.requirement->id, "requirements." + r.requirement->section, 0, e, out);
  }
  suite_head("requirements", s);
  body << "    <!-- requirement verdicts: " << rc.pass << " pass, " << rc.fail << " fail, "
       << rc.error << " error, " << rc.inconclusive << " inconclusive, " << rc.not_applicable
       << " not_applicable, " << rc.known_deviation << " known_deviation, " << rc.fixed
       << " fixed -->\n"
       << tcs.str() << "  </testsuite>\n";
  all.tests += s.tests;
  all.failures += s.failures;
  all.errors += s.errors;

  std::ostringstream out;
  out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out << "<testsuites name=\"qftp-conformance\" tests=\"" << all.tests << "\" failures=\""
      << all.failures << "\" errors=\"" << all.errors << "\" time=\"" << fixed(run.duration_s, 3)
      << "\">\n"
      << body.str() << "</testsuites>\n";
  return out.str();
}

}  // namespace qftp::harness
