// report_html.h: qftp-dutfuzz's report.html, one self-contained page like the suite's: the
// findings first (oracle, kind, first command, the minimised steps and the transcript of their
// run), then the campaign's figures (cases, cases/s, link utilisation, shapes and states reached,
// where the time went).
#pragma once

#include <string>

#include "bench_run.h"
#include "campaign.h"

namespace qftp::dutfuzz {

std::string campaign_html(const CampaignSummary& s, const CampaignOptions& o, const Bench& bench);

}  // namespace qftp::dutfuzz
