// Parsing transcripts, and the test data and line comparison every player of them shares.
#include "testing/transcript.h"

#include <fstream>
#include <sstream>
#include <utility>

namespace qftp::transcript {

namespace {

bool to_size(const std::string& s, std::size_t& out) {
  if (s.empty() || s.size() > 18 || s.find_first_not_of("0123456789") != std::string::npos)
    return false;
  out = std::stoull(s);
  return true;
}

bool is_directive(std::string_view head) {
  for (const std::string_view known : {"@session", "@pics", "@fault", "@server-file", "@local-file",
                                       "@expect-server-file", "@verify-local", "@expect-ftp"}) {
    if (head == known) return true;
  }
  return false;
}

}  // namespace

std::vector<std::string> words(std::string_view text) {
  std::istringstream in{std::string(text)};
  std::vector<std::string> out;
  for (std::string w; in >> w;) out.push_back(w);
  return out;
}

std::string test_content(std::string_view seed, std::size_t size) {
  unsigned h = 2166136261u;
  for (const char c : seed) h = (h ^ static_cast<unsigned char>(c)) * 16777619u;
  static constexpr std::string_view kAlphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
  std::string out;
  out.reserve(size);
  for (std::size_t i = 0; i < size; ++i) {
    if (i % 64 == 63) {
      out += '\n';
    } else {
      h = h * 1103515245u + 12345u;
      out += kAlphabet[(h >> 16) % kAlphabet.size()];
    }
  }
  return out;
}

std::variant<std::string, std::string> slice(const std::vector<std::string>& w, std::size_t first) {
  using Out = std::variant<std::string, std::string>;
  std::size_t total = 0;
  std::size_t from = 0;
  if (w.size() != first + 2 && w.size() != first + 4)
    return Out(std::in_place_index<1>, "expected SEED TOTAL [FROM COUNT]");
  if (!to_size(w[first + 1], total)) return Out(std::in_place_index<1>, "bad TOTAL");
  std::size_t count = total;
  if (w.size() == first + 4 && (!to_size(w[first + 2], from) || !to_size(w[first + 3], count))) {
    return Out(std::in_place_index<1>, "bad FROM COUNT");
  }
  if (from + count > total) return Out(std::in_place_index<1>, "slice past the end");
  return Out(std::in_place_index<0>, test_content(w[first], total).substr(from, count));
}

std::string unescape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '\\' || i + 1 >= s.size()) {
      out += s[i];
      continue;
    }
    const char c = s[++i];
    if (c == 'r') {
      out += '\r';
    } else if (c == 'n') {
      out += '\n';
    } else if (c == '\\') {
      out += '\\';
    } else if (c == 'x' && i + 2 < s.size() + 1) {
      out += static_cast<char>(std::stoi(std::string(s.substr(i + 1, 2)), nullptr, 16));
      i += 2;
    } else {
      out += '\\';
      out += c;
    }
  }
  return out;
}

std::string substitute(std::string text, const BenchValues& bench) {
  const std::pair<std::string_view, const std::string&> vars[] = {{"${host}", bench.host},
                                                                  {"${port}", bench.port},
                                                                  {"${user}", bench.user},
                                                                  {"${password}", bench.password},
                                                                  {"${apn}", bench.apn}};
  for (const auto& [name, value] : vars) {
    for (auto pos = text.find(name); pos != std::string::npos;
         pos = text.find(name, pos + value.size())) {
      text.replace(pos, name.size(), value);
    }
  }
  return text;
}

bool line_matches(std::string_view expected, std::string_view got) {
  const auto colon = expected.find(':');
  if (expected.empty() || expected.front() != '+' || colon == std::string_view::npos)
    return got == expected;
  if (got.substr(0, colon + 1) != expected.substr(0, colon + 1)) return false;
  std::string_view want = expected.substr(colon + 1);
  std::string_view have = got.substr(colon + 1);
  if (!want.empty() && want.front() == ' ') want.remove_prefix(1);
  if (!have.empty() && have.front() == ' ') have.remove_prefix(1);
  return want == have;
}

std::variant<Transcript, std::string> parse(std::string_view text,
                                            const std::filesystem::path& path) {
  Transcript t;
  t.path = path;
  std::istringstream in{std::string(text)};
  int number = 0;
  for (std::string line; std::getline(in, line);) {
    ++number;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty() || line[0] == '#') continue;
    const auto where = path.filename().string() + ":" + std::to_string(number) + ": ";
    Line l;
    l.number = number;
    const auto space = line.find(' ');
    const std::string head = line.substr(0, space);
    l.text = space == std::string::npos ? std::string() : line.substr(space + 1);
    if (head == ">" || head == "<") {
      l.kind = head == ">" ? "send" : "expect";
    } else if (head == ">raw" || head == "<raw") {
      l.kind = head == ">raw" ? "send_raw" : "expect_raw";
    } else if (head == ">data" || head == "<data") {
      l.kind = head == ">data" ? "send_data" : "expect_data";
      if (auto s = slice(words(l.text), 0); s.index() == 1) return where + std::get<1>(s);
    } else if (head == "@title") {
      t.title = l.text;
      continue;
    } else if (head == "@requirements") {
      t.requirements = words(l.text);
      continue;
    } else if (is_directive(head)) {
      l.kind = head.substr(1);
    } else {
      return where + "unknown line kind \"" + head + "\"";
    }
    t.lines.push_back(std::move(l));
  }
  return t;
}

std::variant<Transcript, std::string> load(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return "cannot read transcript " + path.string();
  std::stringstream text;
  text << in.rdbuf();
  return parse(text.str(), path);
}

}  // namespace qftp::transcript
