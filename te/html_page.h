// html_page.h: what the kit's HTML reports share (the suite's report.html, qftp-dutfuzz's
// report.html): escaping for HTML and XML, the page's head with its one style sheet, and the
// coloured labels. Each page is one self-contained file: no script or style from the network.
#pragma once

#include <string>
#include <string_view>

namespace qftp::te {

// Text for HTML or XML: markup characters escaped, whole UTF-8 sequences kept, a stray byte or a
// control character other than tab and line ends made '?', so that the file stays valid.
std::string xml_escape(std::string_view s);

// "<!DOCTYPE html>…<body>": the page's head with the kit's style sheet and `extra_style` after it.
std::string html_page_start(std::string_view title, std::string_view extra_style = {});

// A label on a coloured background ("fail" in red); `colour` a CSS colour.
std::string html_badge(std::string_view label, std::string_view colour);

}  // namespace qftp::te
