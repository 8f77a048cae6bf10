// output_tokens.cpp: a DUT's output as lines for the oracles.
#include "output_tokens.h"

#include <algorithm>
#include <array>
#include <utility>

#include "te/te_session.h"

namespace qftp::dutfuzz {

bool is_urc_name(std::string_view name) {
  static constexpr std::array<std::string_view, 7> kUrcs = {
      "+QFTPOPEN", "+QFTPCLOSE", "+QFTPPATH", "+QFTPCFG", "+QFTPPUT", "+QFTPGET", "+QFTPERROR"};
  return std::find(kUrcs.begin(), kUrcs.end(), name) != kUrcs.end();
}

bool is_startup_line(std::string_view text) {
  return text == "RDY" || text == "Call Ready" || text == "+CFUN: 1" || text == "+CPIN: READY";
}

namespace {

// "+NAME: v" and "+NAME:v" are one token (ruling 2).
std::string normalised(std::string_view line) {
  std::string out(line);
  if (!out.empty() && out[0] == '+') {
    const auto colon = out.find(':');
    if (colon != std::string::npos && colon + 1 < out.size() && out[colon + 1] == ' ') {
      out.erase(colon + 1, 1);
    }
  }
  return out;
}

}  // namespace

void tokenize(std::string_view out, std::size_t step, std::vector<Token>& tokens) {
  std::size_t i = 0;
  while (i < out.size()) {
    std::string before;
    while (i < out.size() && (out[i] == '\r' || out[i] == '\n')) before += out[i++];
    if (i >= out.size()) {
      if (!before.empty()) {
        Token ends;  // the line ends after the last line
        ends.before = std::move(before);
        ends.step = step;
        tokens.push_back(std::move(ends));
      }
      break;
    }
    std::size_t end = i;
    while (end < out.size() && out[end] != '\r' && out[end] != '\n') ++end;
    Token t;
    t.raw_size = end - i;
    t.text = normalised(out.substr(i, end - i));
    t.before = std::move(before);
    t.step = step;
    const auto colon = t.text.find(':');
    if (is_startup_line(t.text)) {
      t.kind = Token::Kind::startup;
    } else if (colon != std::string::npos && is_urc_name(std::string_view(t.text).substr(0, colon))) {
      t.kind = Token::Kind::urc;
    } else if (te::parse_final(t.text, false) || te::parse_final(t.text, true)) {
      t.kind = Token::Kind::final_result;
    }
    tokens.push_back(std::move(t));
    i = end;
  }
}

namespace {

// An echo a URC came into: on a paced line a DUT echoes a command line as the line carries it,
// and a URC due meanwhile is written between the echo's bytes ("AT+QF", "\r\n+QFTPGET:5\r\n",
// "TPSTAT\r"). Such an echo (a line with no line end after it, then a URC, then a line whose only
// line ends are the URC's) is made one line again, and the URC follows it as it would have had it
// come once the line was in: after the echo's own line end, with its "\r\n" before what follows.
void join_split_echoes(std::vector<Token>& tokens) {
  for (std::size_t i = 0; i + 2 < tokens.size(); ++i) {
    Token& urc = tokens[i + 1];
    const Token& rest = tokens[i + 2];
    if (tokens[i].kind != Token::Kind::text || tokens[i].text.empty() || urc.kind != Token::Kind::urc ||
        urc.before != "\r\n" || rest.kind != Token::Kind::text || rest.before != "\r\n") {
      continue;
    }
    tokens[i].text += rest.text;
    tokens[i].raw_size += rest.raw_size;
    if (i + 3 < tokens.size()) {
      Token& after = tokens[i + 3];
      urc.before = std::exchange(after.before, "\r\n") + urc.before;
    }
    tokens.erase(tokens.begin() + static_cast<std::ptrdiff_t>(i) + 2);
  }
}

// A URC's own framing taken off the line ends around it: "\r\n" at the end of `before` (the URC's
// own), or at the start (the <CR><LF> that ended a URC before it).
std::string without_urc_framing(std::string before, bool urc_next, bool urc_before) {
  if (urc_next && before.size() >= 2 && before.compare(before.size() - 2, 2, "\r\n") == 0) {
    before.erase(before.size() - 2);
  }
  if (urc_before && before.compare(0, 2, "\r\n") == 0) before.erase(0, 2);
  return before;
}

void set_own_befores(std::vector<Token>& tokens) {
  const auto is_urc = [&](std::size_t j) { return tokens[j].kind == Token::Kind::urc; };
  for (std::size_t k = 0; k < tokens.size(); ++k) {
    if (is_urc(k)) continue;
    std::string own = without_urc_framing(tokens[k].before, false, k > 0 && is_urc(k - 1));
    for (std::size_t j = k; j > 0 && is_urc(j - 1); --j) {
      own = without_urc_framing(tokens[j - 1].before, true, j >= 2 && is_urc(j - 2)) + own;
    }
    tokens[k].own_before = std::move(own);
  }
}

}  // namespace

std::vector<Token> tokenize_steps(const std::vector<std::string>& outs) {
  std::string all;
  std::vector<std::size_t> starts;
  for (const auto& o : outs) {
    starts.push_back(all.size());
    all += o;
  }
  std::vector<Token> tokens;
  tokenize(all, 0, tokens);
  // Each token's first byte: found again by walking the stream as tokenize() did.
  std::size_t pos = 0;
  for (auto& t : tokens) {
    pos += t.before.size();
    const auto it = std::upper_bound(starts.begin(), starts.end(), pos);
    t.step = it == starts.begin() ? 0 : static_cast<std::size_t>(it - starts.begin()) - 1;
    pos += t.raw_size;
  }
  join_split_echoes(tokens);
  set_own_befores(tokens);
  return tokens;
}

std::size_t count_line_ends(std::string_view out) {
  return static_cast<std::size_t>(std::count(out.begin(), out.end(), '\n'));
}

std::size_t count_pieces(std::string_view out) {
  std::size_t n = 0;
  bool in_piece = false;
  for (const char c : out) {
    const bool end = c == '\r' || c == '\n';
    if (!end && !in_piece) ++n;
    in_piece = !end;
  }
  return n;
}

std::string shape(const Token& token) {
  std::string out;
  bool starred = false;
  bool after_value = false;
  for (const char c : token.text) {
    if (c == ':' || c == '"' || c == ',') {
      out += c;
      after_value = true;
      starred = false;
    } else if (c >= '0' && c <= '9') {
      if (out.empty() || out.back() != '9') out += '9';
    } else if (after_value) {
      if (!starred) out += '*';
      starred = true;
    } else {
      out += c;
    }
    if (out.size() > 40) break;
  }
  return out;
}

}  // namespace qftp::dutfuzz
