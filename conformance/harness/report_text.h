// report_text.h: the report writers' shared pieces: escaping for XML/HTML, Markdown and JSON, and
// the writers themselves, each in its own file (report_json.cpp, report_junit.cpp, ...).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "harness/report.h"
#include "te/html_page.h"

namespace qftp::harness {

using te::xml_escape;  // one owner: te/html_page.h
std::string md_escape(std::string_view s);
std::string utf8_safe(std::string_view s);  // JSON wants valid UTF-8; reasons may quote raw bytes
std::string fixed(double v, int digits);

std::string report_json(const Inventory& inventory, const std::vector<CaseRecord>& cases,
                        const std::vector<RequirementResult>& reqs, const RunInfo& run);
std::string junit_xml(const std::vector<CaseRecord>& cases,
                      const std::vector<RequirementResult>& reqs, const RunInfo& run);
std::string report_html(const Inventory& inventory, const std::vector<CaseRecord>& cases,
                        const std::vector<RequirementResult>& reqs, const RunInfo& run);
std::string summary_md(const std::vector<CaseRecord>& cases,
                       const std::vector<RequirementResult>& reqs, const RunInfo& run);

}  // namespace qftp::harness
