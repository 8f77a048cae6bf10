// plain_reason.cpp: gtest's assertion texts in plain words (plain_reason.h).
#include "harness/plain_reason.h"

#include <vector>

#include "te/elide.h"
#include "harness/te_vocabulary.h"

namespace qftp::harness {
namespace {

std::vector<std::string_view> lines_of(std::string_view text) {
  std::vector<std::string_view> out;
  while (!text.empty()) {
    const auto nl = text.find('\n');
    out.push_back(text.substr(0, nl));
    if (nl == std::string_view::npos) break;
    text.remove_prefix(nl + 1);
  }
  return out;
}

bool starts(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

std::string trimmed(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\r')) s.remove_suffix(1);
  return std::string(s);
}

// The case's own message (what a case streamed with <<) after gtest's lines, joined.
std::string own_message(const std::vector<std::string_view>& lines, std::size_t from) {
  std::string out;
  for (std::size_t i = from; i < lines.size(); ++i) {
    const std::string t = trimmed(lines[i]);
    if (!t.empty()) out += (out.empty() ? "" : " ") + t;
  }
  return out;
}

std::string with_detail(const std::string& own, const std::string& detail) {
  return own.empty() ? detail : own + " (" + detail + ")";
}

}  // namespace

std::string plain_reason(std::string_view message) {
  const auto lines = lines_of(message);
  std::string out;
  if (!lines.empty() && starts(lines[0], "Expected equality of these values:")) {
    // Pairs of "  expression" and an optional "    Which is: value"; a diff may follow.
    std::vector<std::string> values;
    std::vector<std::string> exprs;
    std::size_t i = 1;
    for (; i < lines.size(); ++i) {
      const auto l = lines[i];
      if (starts(l, "    Which is: ")) {
        if (!values.empty()) values.back() = trimmed(l.substr(14));
      } else if (starts(l, "  ") && !starts(l, "   ")) {
        exprs.push_back(trimmed(l));
        values.push_back(trimmed(l));
      } else if (starts(l, "With diff:")) {
        while (i + 1 < lines.size() && (starts(lines[i + 1], "@@") || starts(lines[i + 1], "-") ||
                                        starts(lines[i + 1], "+") || starts(lines[i + 1], " ")))
          ++i;
      } else {
        break;
      }
    }
    if (values.size() == 2) {
      out = with_detail(own_message(lines, i),
                        exprs[0] + " is " + values[0] + ", expected " + values[1]);
    }
  } else if (!lines.empty() && starts(lines[0], "Value of: ") && lines.size() >= 3 &&
             starts(lines[1], "  Actual: ") && starts(lines[2], "Expected: ")) {
    out = with_detail(own_message(lines, 3), trimmed(lines[0].substr(10)) + " is " +
                                                 trimmed(lines[1].substr(10)) + ", expected " +
                                                 trimmed(lines[2].substr(10)));
  } else if (!lines.empty() && starts(lines[0], "Expected: (")) {
    out = with_detail(own_message(lines, 1), trimmed(lines[0].substr(10)));
  }
  if (out.empty()) out = own_message(lines, 0);
  return elide_text(out);
}

}  // namespace qftp::harness
