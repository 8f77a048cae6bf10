// html_page.cpp: the HTML reports' shared pieces.
#include "te/html_page.h"

namespace qftp::te {

namespace {

// The reports' one style sheet: verdict labels, tables that wrap, logs in <pre>, sticky filters.
constexpr const char* kStyle = R"(
body{font-family:system-ui,sans-serif;margin:0 auto;padding:1em 2em;max-width:90em;color:#222}
h1{font-size:1.5em;margin:.2em 0}h1.bad{color:#c62828}h1.good{color:#2e7d32}h1.warn{color:#6a1b9a}
table{border-collapse:collapse;width:100%;table-layout:fixed}
td,th{border:1px solid #ccc;padding:.3em .5em;text-align:left;vertical-align:top;overflow-wrap:anywhere}
.counts td,.counts th{width:auto}
.v{color:#fff;border-radius:3px;padding:0 .4em;font-size:85%;white-space:nowrap}
pre{white-space:pre-wrap;overflow-wrap:anywhere;font-size:82%;background:#f6f6f6;padding:.5em;
max-width:100%;box-sizing:border-box;margin:.3em 0}
summary{cursor:pointer;padding:.2em 0}details.case{border-bottom:1px solid #eee;scroll-margin-top:5em}
.why{color:#333;margin:.2em 0 .2em 1em}.muted{color:#666;font-size:90%}
#filters{position:sticky;top:0;background:#fff;border-bottom:1px solid #ccc;padding:.4em 0;z-index:1}
#filters label{margin-right:.8em;white-space:nowrap}#section{max-width:22em}
.item[hidden]{display:none}.req tr>:first-child{width:6em}.req tr>:nth-child(2){width:9em}
.req tr>:nth-child(4){width:22em}
)";

}  // namespace

std::string xml_escape(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    const auto u = static_cast<unsigned char>(c);
    if (u >= 0x80) {
      // Whole UTF-8 sequences pass (the inventory's "§"); a stray byte would make the file invalid.
      const std::size_t n = u >= 0xF0 ? 4 : u >= 0xE0 ? 3 : u >= 0xC2 ? 2 : 0;
      bool ok = n != 0 && n <= 4 && i + n <= s.size();
      for (std::size_t k = 1; ok && k < n; ++k)
        ok = (static_cast<unsigned char>(s[i + k]) & 0xC0U) == 0x80U;
      if (ok && u < 0xF5) {
        out.append(s.substr(i, n));
        i += n - 1;
      } else {
        out += '?';
      }
      continue;
    }
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

std::string html_page_start(std::string_view title, std::string_view extra_style) {
  std::string out = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
                    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                    "<title>";
  out += xml_escape(title);
  out += "</title>\n<style>";
  out += kStyle;
  out += extra_style;
  out += "</style></head><body>\n";
  return out;
}

std::string html_badge(std::string_view label, std::string_view colour) {
  return "<span class=\"v\" style=\"background:" + xml_escape(colour) + "\">" + xml_escape(label) +
         "</span>";
}

}  // namespace qftp::te
