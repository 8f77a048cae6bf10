// campaign.cpp: the evolutionary loop, delta debugging, de-duplication, replay and reports.
#include "campaign.h"

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <set>
#include <sstream>

#include "core/common/kit_version.h"
#include "report_html.h"
#include "te/html_page.h"
#include "te/interruption.h"

namespace qftp::dutfuzz {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

std::string slug(std::string_view text) {
  std::string out;
  for (const char c : text) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
      out += c;
    } else if (!out.empty() && out.back() != '-') {
      out += '-';
    }
    if (out.size() >= 40) break;
  }
  while (!out.empty() && out.back() == '-') out.pop_back();
  return out.empty() ? "x" : out;
}

bool same_finding(const std::vector<Finding>& found, const Finding& wanted) {
  return std::any_of(found.begin(), found.end(),
                     [&](const Finding& f) { return f.oracle == wanted.oracle; });
}

// ddmin over the steps: the smallest case (in steps) that still shows a finding of the same
// oracle, within `budget` runs. Timings stay with their steps.
te::Result<Case> minimise(Bench& bench, const Case& c, const Finding& finding, unsigned budget,
                          Finding& last) {
  Case best = c;
  // Steps after the one the finding shows at cannot matter for most oracles: try that first.
  if (finding.step + 1 < best.steps.size() && finding.oracle != "invariant") {
    Case cut = best;
    cut.steps.resize(finding.step + 1);
    auto r = bench.run(cut);
    if (!r) return te::make_error(r.error());
    --budget;
    if (same_finding(r->findings, finding)) {
      best = cut;
      last = *std::find_if(r->findings.begin(), r->findings.end(),
                           [&](const Finding& f) { return f.oracle == finding.oracle; });
    }
  }
  std::size_t n = 2;
  while (best.steps.size() >= 2 && budget > 0) {
    const std::size_t chunk = std::max<std::size_t>(1, best.steps.size() / n);
    bool reduced = false;
    for (std::size_t start = 0; start < best.steps.size() && budget > 0; start += chunk) {
      Case trial = best;
      trial.steps.erase(trial.steps.begin() + static_cast<long>(start),
                        trial.steps.begin() + static_cast<long>(std::min(start + chunk, trial.steps.size())));
      if (trial.steps.empty()) continue;
      auto r = bench.run(trial);
      if (!r) return te::make_error(r.error());
      --budget;
      if (same_finding(r->findings, finding)) {
        best = trial;
        last = *std::find_if(r->findings.begin(), r->findings.end(),
                             [&](const Finding& f) { return f.oracle == finding.oracle; });
        n = std::max<std::size_t>(n - 1, 2);
        reduced = true;
        break;
      }
    }
    if (!reduced) {
      if (chunk == 1) break;
      n = std::min(n * 2, best.steps.size());
    }
  }
  return best;
}

void load_corpus(const fs::path& dir, std::vector<Case>& pool) {
  std::error_code ec;
  if (dir.empty() || !fs::is_directory(dir, ec)) return;
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    if (e.path().extension() == ".json") files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  for (const auto& f : files) {
    std::ifstream in(f);
    const auto j = nlohmann::json::parse(in, nullptr, false);
    if (j.is_discarded()) {
      std::cerr << "qftp-dutfuzz: " << f.string() << " is not JSON; skipped\n";
      continue;
    }
    auto c = case_from_json(j);
    if (!c) {
      std::cerr << "qftp-dutfuzz: " << f.string() << ": " << c.error() << "; skipped\n";
      continue;
    }
    pool.push_back(std::move(c).value());
  }
}

// FNV-1a, 64 bits: a case's identity in cases.log.
std::uint64_t fnv1a(std::string_view bytes) {
  std::uint64_t h = 1469598103934665603ULL;
  for (const char c : bytes) {
    h ^= static_cast<unsigned char>(c);
    h *= 1099511628211ULL;
  }
  return h;
}

std::string iso_now() {
  const auto t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  gmtime_r(&t, &tm);
  std::ostringstream os;
  os << std::put_time(&tm, "%Y-%m-%dT%H:%M:%SZ");
  return os.str();
}

}  // namespace

nlohmann::json replay_json(const FoundRecord& f, const std::string& dut, const std::string& identity) {
  nlohmann::json j = to_json(f.minimal);
  j["finding"] = {{"oracle", f.finding.oracle},
                  {"kind", f.finding.kind},
                  {"first_command", f.finding.first_command},
                  {"step", f.finding.step},
                  {"detail", f.finding.detail}};
  j["dut"] = {{"spec", dut}, {"identity", identity}};
  j["tool"] = qftp::kit_version_line("qftp-dutfuzz");
  return j;
}

te::Result<CampaignSummary> run_campaign(Bench& bench, const CampaignOptions& o) {
  CampaignSummary s;
  Generator gen(o.seed, o.gen);
  std::vector<Case> pool = o.seeds;
  const std::size_t seeds = pool.size();
  load_corpus(o.corpus_dir, pool);
  const std::size_t resumed = pool.size() - seeds;
  std::set<std::string> features;
  std::map<std::string, std::size_t> by_key;
  std::error_code ec;
  fs::create_directories(o.report_dir / "findings", ec);
  if (!o.corpus_dir.empty()) fs::create_directories(o.corpus_dir, ec);

  // One line a case: its number, where it came from, its hash, whether it was kept. Two campaigns
  // with the same seed and --max-cases against the same DUT write the same file.
  std::ofstream case_log(o.report_dir / "cases.log", std::ios::trunc);
  const auto t0 = Clock::now();
  const auto elapsed = [&] { return std::chrono::duration<double>(Clock::now() - t0).count(); };
  std::size_t next_seed = 0;
  for (;;) {
    if (o.max_cases && s.cases >= *o.max_cases) break;
    if (o.time && elapsed() >= static_cast<double>(o.time->count())) break;
    if (te::interrupt_signal() != 0) break;  // SIGINT, SIGTERM, SIGHUP: the report of what ran
    // The seeds and the resumed corpus run once each, every other case until they are done, the
    // generator's cases in between.
    const bool from_pool = next_seed < seeds + resumed && (s.cases % 2 == 0);
    Case c = from_pool ? pool[next_seed++] : gen.next(pool);
    const double started = elapsed();
    auto r = bench.run(c);
    if (!r) return te::make_error(r.error());
    ++s.cases;
    if (c.origin == Generator::kStreamOrigin) {
      ++s.stream_cases;
      s.stream_s += elapsed() - started;
    }
    s.bytes_sent += r->bytes_sent;
    bool fresh = false;
    for (const auto& f : r->features) fresh = features.insert(f).second || fresh;
    const bool kept = fresh && !from_pool && r->findings.empty();
    {
      char hash[17];
      std::snprintf(hash, sizeof hash, "%016llx",
                    static_cast<unsigned long long>(fnv1a(to_json(c).dump(-1, ' ', false,
                                                                         nlohmann::json::error_handler_t::replace))));
      case_log << s.cases << " " << hash << " " << c.steps.size() << " " << c.origin
               << (kept ? " kept" : "") << "\n";
    }
    if (kept) {
      pool.push_back(c);
      if (!o.corpus_dir.empty()) {
        std::ofstream(o.corpus_dir / ("case-" + std::to_string(o.seed) + "-" + std::to_string(s.cases) + ".json"))
            << to_json(c).dump(1, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
      }
    }
    for (const auto& f : r->findings) {
      if (const auto it = by_key.find(f.key()); it != by_key.end()) {
        ++s.findings[it->second].hits;
        continue;
      }
      FoundRecord rec;
      rec.finding = f;
      rec.original_steps = c.steps.size();
      rec.after_s = elapsed();
      rec.after_cases = s.cases;
      Finding last = f;
      auto small = minimise(bench, c, f, o.minimise_runs, last);
      if (!small) return te::make_error(small.error());
      rec.minimal = std::move(small).value();
      rec.minimal.origin = c.origin;
      rec.finding.detail = last.detail;
      // De-duplicated by oracle and first differing command, before and after minimising.
      if (by_key.count(last.key()) != 0) {
        ++s.findings[by_key[last.key()]].hits;
        by_key[f.key()] = by_key[last.key()];
        continue;
      }
      rec.finding.first_command = last.first_command;
      rec.finding.signature = last.signature;
      rec.finding.step = last.step;
      const std::string base = std::to_string(s.findings.size() + 1) + "-" + f.oracle + "-" +
                               slug(last.first_command);
      rec.replay = o.report_dir / "findings" / (base + ".json");
      rec.transcript = o.report_dir / "findings" / (base + ".txt");
      std::ofstream(rec.replay) << replay_json(rec, o.dut_description, bench.identity())
                                     .dump(1, ' ', false, nlohmann::json::error_handler_t::replace)
                              << "\n";
      std::string tr;
      auto again = bench.run(rec.minimal);
      if (!again) return te::make_error(again.error());
      tr = again->transcript;
      rec.reproduced = same_finding(again->findings, last);
      const char* alone = rec.reproduced ? "reproduced when run alone"
                                         : "NOT reproduced when run alone (late output of the case "
                                           "before it, or timing)";
      std::ofstream(rec.transcript) << "# " << f.oracle << " (" << f.kind << "): " << rec.finding.detail
                                    << "\n# found after " << rec.after_cases << " cases, "
                                    << rec.after_s << " s; minimised from " << rec.original_steps
                                    << " to " << rec.minimal.steps.size() << " steps; " << alone
                                    << "\n" << tr;
      std::cout << "finding " << s.findings.size() + 1 << ": " << f.oracle << " at \""
                << rec.finding.first_command << "\" after " << std::fixed << std::setprecision(1)
                << rec.after_s << " s (" << rec.minimal.steps.size() << " steps"
                << (rec.reproduced ? "" : ", not reproduced when run alone") << "): "
                << rec.finding.detail << "\n";
      by_key[f.key()] = s.findings.size();
      by_key[last.key()] = s.findings.size();
      s.findings.push_back(std::move(rec));
    }
  }
  s.duration_s = elapsed();
  s.features = features.size();
  for (const auto& f : features) {
    if (f.rfind("state ", 0) == 0) s.states.push_back(f.substr(6));
  }
  s.corpus = pool.size() - seeds - resumed;
  return s;
}

te::Result<std::vector<Finding>> replay(Bench& bench, const fs::path& file, std::string& transcript) {
  std::ifstream in(file);
  if (!in) return te::make_error("cannot read " + file.string());
  const auto j = nlohmann::json::parse(in, nullptr, false);
  if (j.is_discarded()) return te::make_error(file.string() + " is not JSON");
  auto c = case_from_json(j);
  if (!c) return te::make_error(file.string() + ": " + c.error());
  auto r = bench.run(c.value());
  if (!r) return te::make_error(r.error());
  transcript = r->transcript;
  return r->findings;
}

te::Status write_reports(const fs::path& dir, const CampaignSummary& s, const CampaignOptions& o,
                         const Bench& bench) {
  const std::uint64_t baud = bench.line_baud();
  std::error_code ec;
  fs::create_directories(dir, ec);
  const double cps = s.duration_s > 0 ? static_cast<double>(s.cases) / s.duration_s : 0;
  // Link utilisation: the bytes sent against what the line could carry in the time (10 bits a
  // byte on a UART); without a line rate (TCP, a pty without --baud) there is none.
  nlohmann::json summary{{"cases", s.cases},
                         {"cases_per_s", cps},
                         {"findings", s.findings.size()},
                         {"duration_s", s.duration_s},
                         {"bytes_sent", s.bytes_sent},
                         {"shapes_and_states", s.features},
                         {"states", s.states},
                         {"corpus_added", s.corpus},
                         {"seed", o.seed},
                         {"stream_share", o.gen.stream_share},
                         {"stream_cases", s.stream_cases},
                         {"stream_s", s.stream_s}};
  summary["line_baud"] = baud;
  summary["link_utilisation"] = nullptr;
  if (baud != 0 && s.duration_s > 0) {
    summary["link_utilisation"] = static_cast<double>(s.bytes_sent) * 10.0 /
                                  (static_cast<double>(baud) * s.duration_s);
  }
  const TimeSplit& split = bench.time_split();
  summary["time_split_s"] = {{"prologue", split.prologue},         {"steps", split.steps},
                             {"epilogue", split.epilogue},         {"judge", split.judge},
                             {"recovery", split.recovery},         {"input_pauses", split.input_pauses},
                             {"pacing", split.pacing},             {"answers", split.answers},
                             {"quiet", split.quiet},               {"fixture", split.fixture}};
  nlohmann::json findings = nlohmann::json::array();
  for (const auto& f : s.findings) {
    findings.push_back({{"oracle", f.finding.oracle},
                        {"kind", f.finding.kind},
                        {"first_command", f.finding.first_command},
                        {"signature", f.finding.signature},
                        {"detail", f.finding.detail},
                        {"steps", f.minimal.steps.size()},
                        {"steps_before_minimising", f.original_steps},
                        {"found_after_s", f.after_s},
                        {"found_after_cases", f.after_cases},
                        {"hits", f.hits},
                        {"reproduced", f.reproduced},
                        {"replay", f.replay.string()},
                        {"transcript", f.transcript.string()}});
  }
  const nlohmann::json report{{"tool", qftp::kit_version_line("qftp-dutfuzz")},
                              {"written", iso_now()},
                              {"dut", {{"spec", o.dut_description}, {"identity", bench.identity()}}},
                              {"emulator_defects", bench.options().emulator_defects},
                              {"summary", summary},
                              {"findings", findings}};
  std::ofstream(dir / "report.json")
      << report.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";

  std::ofstream md(dir / "summary.md");
  md << "# qftp-dutfuzz campaign\n\n"
     << "DUT: " << o.dut_description << " (" << bench.identity() << ")\n\n"
     << "| cases | cases/s | link utilisation | streams | findings | shapes and states | duration |\n"
     << "|---|---|---|---|---|---|---|\n"
     << "| " << s.cases << " | " << std::fixed << std::setprecision(2) << cps << " | "
     << (summary["link_utilisation"].is_number()
             ? std::to_string(summary["link_utilisation"].get<double>()).substr(0, 5)
             : std::string("-"))
     << " | " << s.stream_cases << " | " << s.findings.size() << " | " << s.features << " | "
     << std::setprecision(1)
     << s.duration_s << " s |\n\n";
  if (!s.findings.empty()) {
    md << "| # | oracle | kind | first command | steps | found after | reproduced alone | replay |\n"
       << "|---|---|---|---|---|---|---|---|\n";
    for (std::size_t i = 0; i < s.findings.size(); ++i) {
      const auto& f = s.findings[i];
      md << "| " << i + 1 << " | " << f.finding.oracle << " | " << f.finding.kind << " | `"
         << f.finding.first_command << "` | " << f.minimal.steps.size() << " | " << f.after_s
         << " s | " << (f.reproduced ? "yes" : "**no**") << " | " << f.replay.filename().string()
         << " |\n";
    }
  }

  std::ofstream(dir / "report.html") << campaign_html(s, o, bench);

  // JUnit: one test per oracle (finding class), failed when it found anything.
  std::map<std::string, std::vector<const FoundRecord*>> by_oracle;
  for (const char* oracle : {"liveness", "reboot", "link", "framing", "final-result", "state",
                             "transfer-length", "invariant", "late-output", "server-commands",
                             "deviation"}) {
    by_oracle[oracle];
  }
  for (const auto& f : s.findings) by_oracle[f.finding.oracle].push_back(&f);
  std::size_t failures = 0;
  for (const auto& [k, v] : by_oracle) failures += v.empty() ? 0 : 1;
  std::ofstream ju(dir / "junit.xml");
  const auto esc = [](const std::string& text) { return te::xml_escape(text); };
  ju << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuite name=\"qftp-dutfuzz\" tests=\""
     << by_oracle.size() << "\" failures=\"" << failures << "\" time=\"" << s.duration_s << "\">\n";
  for (const auto& [oracle, list] : by_oracle) {
    ju << "  <testcase classname=\"qftp-dutfuzz\" name=\"" << oracle << "\">\n";
    if (!list.empty()) {
      std::string text;
      for (const auto* f : list) {
        text += f->finding.first_command + ": " + f->finding.detail + " (" + f->replay.string() + ")\n";
      }
      ju << "    <failure message=\"" << list.size() << " finding(s)\">" << esc(text) << "</failure>\n";
    }
    ju << "  </testcase>\n";
  }
  ju << "</testsuite>\n";
  if (!md || !ju) return te::make_error("cannot write the reports in " + dir.string());
  return {};
}

}  // namespace qftp::dutfuzz
