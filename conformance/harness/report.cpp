// report.cpp: requirement results from case records and the baseline, counts, the headline, and
// writing the four report files (each writer in its own report_*.cpp).
#include "harness/report.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <fstream>
#include <map>

#include "harness/report_text.h"

namespace qftp::harness {
namespace {

Status write_file(const std::filesystem::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  if (!out) return make_error("cannot write " + path.string());
  return {};
}

}  // namespace

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

std::string utf8_safe(std::string_view s) {
  std::string out;
  for (const char c : s) {
    const auto u = static_cast<unsigned char>(c);
    out += (u < 0x80) ? c : '?';
  }
  return out;
}

std::string fixed(double v, int digits) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", digits, v);
  return buf;
}

std::string RequirementResult::label() const {
  switch (standing) {
    case Standing::known_deviation:
      return "known_deviation";
    case Standing::fixed:
      return "fixed";
    case Standing::observed:
      break;
  }
  return std::string(verdict_name(verdict));
}

std::string run_status(const RunInfo& run) {
  if (!run.setup_error.empty()) return "setup_failed";
  if (run.interrupted) return "interrupted";
  if (!run.stop_reason.empty()) return "ended_early";
  return run.partial ? "partial" : "complete";
}

std::string headline(const Counts& cases, const Counts& reqs, const RunInfo& run) {
  if (!run.setup_error.empty()) return "SET-UP FAILED, no case ran: " + run.setup_error;
  // A fail is the DUT's; an error without a fail is the harness's or the bench's.
  std::string outcome;
  if (reqs.fail != 0) {
    outcome = run.baseline ? "REGRESSIONS" : "FAILURES";
  } else if (cases.error != 0 || reqs.error != 0) {
    outcome = "ERRORS (harness or bench)";
  } else {
    outcome = run.baseline ? "no regressions" : "no failures";
  }
  if (reqs.known_deviation != 0 || reqs.fixed != 0) {
    outcome += " (" + std::to_string(reqs.known_deviation) + " known deviation" +
               (reqs.known_deviation == 1 ? "" : "s") + ", " + std::to_string(reqs.fixed) +
               " fixed)";
  }
  if (run.interrupted)
    return "INTERRUPTED (" + run.stop_reason + "): " + outcome + " in the " +
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
  for (const auto& s : run.shards) {
    if (s.status != "complete" && s.status != "partial")
      add("part " + std::to_string(s.index) + " " + s.status);
  }
  if (what.empty()) what = "not every part ran";
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
  for (const auto& r : reqs) c.add(r);
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

void Counts::add(const RequirementResult& r) {
  if (r.standing == Standing::observed) return add(r.verdict);
  ++total;
  ++(r.standing == Standing::known_deviation ? known_deviation : fixed);
}

std::vector<RequirementCheck> checks_of(const CaseRecord& c) {
  if (!c.checks.empty()) return c.checks;
  std::vector<RequirementCheck> out;
  for (const auto& id : c.requirements) out.push_back({id, c.verdict, c.reason});
  return out;
}

std::vector<RequirementResult> requirement_results(const Inventory& inventory,
                                                   const std::vector<CaseRecord>& cases,
                                                   const RunInfo& run) {
  std::map<std::string, std::vector<std::pair<const CaseRecord*, RequirementCheck>>, std::less<>>
      by_id;
  for (const auto& c : cases) {
    for (auto& check : checks_of(c)) by_id[check.id].emplace_back(&c, std::move(check));
  }
  std::vector<RequirementResult> out;
  for (const auto& q : inventory.all()) {
    RequirementResult r;
    r.requirement = &q;
    const auto it = by_id.find(q.id);
    if (it == by_id.end()) {
      if (run.partial) continue;
      r.verdict = Verdict::error;
      r.reason = "no case checks this requirement";
    } else {
      bool any = false;
      for (const auto& [c, check] : it->second) {
        r.verdict = any ? combine(r.verdict, check.verdict) : check.verdict;
        any = true;
        if (std::find(r.cases.begin(), r.cases.end(), c->name) == r.cases.end())
          r.cases.push_back(c->name);
        if (check.verdict != Verdict::pass && !check.reason.empty()) {
          const std::string item = c->name + ": " + check.reason.substr(0, 400);
          if (r.reason.find(item) == std::string::npos)
            r.reason += (r.reason.empty() ? "" : "; ") + item;
        }
      }
    }
    if (run.baseline) {
      if (const auto b = run.baseline->requirements.find(q.id);
          b != run.baseline->requirements.end()) {
        r.baseline = b->second;
        if (r.verdict == b->second.expected) {
          r.standing = Standing::known_deviation;
        } else if (r.verdict == Verdict::pass) {
          r.standing = Standing::fixed;
        }
      }
    }
    out.push_back(std::move(r));
  }
  return out;
}

bool only_known_deviations(const CaseRecord& c, const std::vector<RequirementResult>& reqs) {
  if (c.verdict != Verdict::fail) return false;
  bool any = false;
  for (const auto& check : checks_of(c)) {
    if (check.verdict != Verdict::fail) continue;
    any = true;
    const auto r = std::find_if(reqs.begin(), reqs.end(), [&](const RequirementResult& x) {
      return x.requirement->id == check.id;
    });
    if (r == reqs.end() || r->standing != Standing::known_deviation) return false;
  }
  return any;
}

std::string case_anchor(std::string_view name) {
  std::string out = "case-";
  for (const char c : name) out += (std::isalnum(static_cast<unsigned char>(c)) != 0) ? c : '-';
  return out;
}

Status write_reports(const std::filesystem::path& dir, const Inventory& inventory,
                     const std::vector<CaseRecord>& cases, const RunInfo& run) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return make_error("cannot create " + dir.string() + ": " + ec.message());
  const auto reqs = requirement_results(inventory, cases, run);
  if (auto st = write_file(dir / "report.json", report_json(inventory, cases, reqs, run)); !st)
    return st;
  if (auto st = write_file(dir / "junit.xml", junit_xml(cases, reqs, run)); !st) return st;
  if (auto st = write_file(dir / "report.html", report_html(inventory, cases, reqs, run)); !st)
    return st;
  return write_file(dir / "summary.md", summary_md(cases, reqs, run));
}

std::string summary_line(const Counts& cases, const Counts& requirements, double duration_s) {
  const auto part = [](const Counts& c) {
    std::string text = std::to_string(c.pass) + " pass, " + std::to_string(c.fail) + " fail, " +
                       std::to_string(c.inconclusive) + " inconclusive, " +
                       std::to_string(c.not_applicable) + " not_applicable, " +
                       std::to_string(c.error) + " error";
    if (c.known_deviation != 0 || c.fixed != 0)
      text += ", " + std::to_string(c.known_deviation) + " known_deviation, " +
              std::to_string(c.fixed) + " fixed";
    return text;
  };
  return std::to_string(requirements.total) + " requirements (" + part(requirements) + "); " +
         std::to_string(cases.total) + " cases (" + part(cases) + ") in " + fixed(duration_s, 1) +
         " s";
}

}  // namespace qftp::harness
