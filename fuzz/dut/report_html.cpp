// report_html.cpp: qftp-dutfuzz's report.html on the kit's shared page (te/html_page.h).
#include "report_html.h"

#include <fstream>
#include <iterator>
#include <sstream>

#include "core/common/kit_version.h"
#include "te/elide.h"
#include "te/html_page.h"

namespace qftp::dutfuzz {

namespace {

using te::xml_escape;

std::string fixed(double v, int digits) {
  std::ostringstream os;
  os.setf(std::ios::fixed);
  os.precision(digits);
  os << v;
  return os.str();
}

const char* kind_colour(const std::string& kind) {
  return kind == "deviation" ? "#ef6c00" : "#c62828";
}

std::string file_text(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) return "(" + p.string() + " cannot be read)";
  return std::string(std::istreambuf_iterator<char>(in), {});
}

}  // namespace

std::string campaign_html(const CampaignSummary& s, const CampaignOptions& o, const Bench& bench) {
  const double cps = s.duration_s > 0 ? static_cast<double>(s.cases) / s.duration_s : 0;
  const std::uint64_t baud = bench.line_baud();
  const std::string head = std::to_string(s.findings.size()) + " finding(s) in " +
                           std::to_string(s.cases) + " cases";
  std::ostringstream out;
  out << te::html_page_start("qftp-dutfuzz: " + head);
  out << "<h1 class=\"" << (s.findings.empty() ? "good" : "bad") << "\">qftp-dutfuzz: "
      << xml_escape(head) << "</h1>\n";
  out << "<p>DUT <b>" << xml_escape(o.dut_description) << "</b>; identity: "
      << xml_escape(bench.identity()) << "; seed " << o.seed << ", " << fixed(s.duration_s, 1)
      << " s. Run by <b>" << xml_escape(kit_version_line("qftp-dutfuzz")) << "</b>.</p>\n";
  if (!bench.options().emulator_defects.empty()) {
    out << "<p>Emulator defects enabled:";
    for (const auto& d : bench.options().emulator_defects) out << " <code>" << xml_escape(d) << "</code>";
    out << "</p>\n";
  }

  out << "<h2>Findings (" << s.findings.size() << ")</h2>\n";
  if (s.findings.empty()) out << "<p>No oracle found anything.</p>\n";
  for (std::size_t i = 0; i < s.findings.size(); ++i) {
    const FoundRecord& f = s.findings[i];
    out << "<details class=\"case\" open id=\"finding-" << i + 1 << "\"><summary>"
        << te::html_badge(f.finding.kind, kind_colour(f.finding.kind)) << " <b>" << i + 1 << ". "
        << xml_escape(f.finding.oracle) << "</b> at <code>" << xml_escape(f.finding.first_command)
        << "</code> &mdash; " << xml_escape(f.finding.detail.substr(0, 400)) << "</summary>\n";
    out << "<p class=\"muted\">Found after " << f.after_cases << " cases, " << fixed(f.after_s, 1)
        << " s; seen " << f.hits << " time(s); minimised from " << f.original_steps << " to "
        << f.minimal.steps.size() << " step(s); "
        << (f.reproduced ? "reproduced when run alone"
                         : "<b>not reproduced when run alone</b> (late output of the case before it, or timing)")
        << "; key <code>" << xml_escape(f.finding.key())
        << "</code>; replay: <code>qftp-dutfuzz --replay " << xml_escape(f.replay.string())
        << "</code></p>\n<p>Minimised steps:</p><ol>";
    for (const auto& step : f.minimal.steps) out << "<li><code>" << xml_escape(describe(step)) << "</code></li>";
    out << "</ol>\n<p>Transcript of the minimised run (<code>" << xml_escape(f.transcript.string())
        << "</code>):</p><pre>" << xml_escape(te::elide_text(file_text(f.transcript), 400, 60000))
        << "</pre></details>\n";
  }

  out << "<h2>Campaign</h2>\n<table class=\"counts\"><tr><th>cases</th><th>cases/s</th>"
         "<th>link utilisation</th><th>bytes sent</th><th>shapes and states reached</th>"
         "<th>cases kept</th><th>streams</th><th>duration</th></tr>\n<tr><td>"
      << s.cases << "</td><td>" << fixed(cps, 2) << "</td><td>"
      << (baud != 0 && s.duration_s > 0
              ? fixed(static_cast<double>(s.bytes_sent) * 10.0 / (static_cast<double>(baud) * s.duration_s), 3) +
                    " of " + std::to_string(baud) + " baud"
              : std::string("no line rate (raw TCP or an unpaced pty)"))
      << "</td><td>" << s.bytes_sent << "</td><td>" << s.features << "</td><td>" << s.corpus
      << "</td><td>" << s.stream_cases << " (" << o.gen.stream_share << " % of the cases drawn), "
      << fixed(s.stream_s, 1) << " s</td><td>" << fixed(s.duration_s, 1) << " s</td></tr></table>\n";
  out << "<p>States the reference reached:";
  for (const auto& st : s.states) out << " <code>" << xml_escape(st) << "</code>";
  out << "</p>\n";
  const TimeSplit& t = bench.time_split();
  out << "<h2>Where the time went</h2>\n<table class=\"counts\"><tr><th>prologue</th><th>steps</th>"
         "<th>epilogue</th><th>oracles</th><th>recovery</th><th>of which: input pauses</th>"
         "<th>pacing</th><th>answers</th><th>quiet times</th><th>fixture</th></tr>\n<tr>";
  for (const double v : {t.prologue, t.steps, t.epilogue, t.judge, t.recovery, t.input_pauses,
                         t.pacing, t.answers, t.quiet, t.fixture}) {
    out << "<td>" << fixed(v, 1) << " s</td>";
  }
  out << "</tr></table>\n</body></html>\n";
  return out.str();
}

}  // namespace qftp::dutfuzz
