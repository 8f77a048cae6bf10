// generator.cpp: the grammar, the stateful sequences, the seeds and the mutations.
#include "generator.h"

#include <algorithm>
#include <array>
#include <fstream>
#include <iterator>
#include <variant>

#include "testing/transcript.h"

namespace qftp::dutfuzz {

namespace fs = std::filesystem;

namespace {

Step send_step(std::string bytes, std::uint32_t pause_ms = 0, std::uint32_t gap_ms = 0) {
  Step s;
  s.bytes = std::move(bytes);
  s.pause_ms = pause_ms;
  s.gap_ms = gap_ms;
  return s;
}

// The bench's values stay placeholders in a case (the transcript library's ${host}, ${port},
// ${user}, ${password}, ${apn}): the bench puts them in when it sends, so that a replay file runs
// on any bench.
std::string open_line() { return "AT+QFTPOPEN=\"${host}\",${port}\r"; }

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// A transcript's lines as steps; false when it needs what the bench cannot give (a local file of
// the DUT's own store).
bool transcript_steps(const transcript::Transcript& t, Case& c) {
  for (const auto& l : t.lines) {
    const std::string& text = l.text;
    if (l.kind == "send") {
      c.steps.push_back(send_step(text + "\r"));
    } else if (l.kind == "send_raw") {
      c.steps.push_back(send_step(transcript::unescape(text)));
    } else if (l.kind == "send_data") {
      auto bytes = transcript::slice(transcript::words(text), 0);
      if (const auto* b = std::get_if<0>(&bytes)) c.steps.push_back(send_step(*b));
    } else if (l.kind == "session") {
      c.steps.push_back(send_step(open_line()));
    } else if (l.kind == "fault") {
      Step s;
      s.kind = Step::Kind::fault;
      s.text = text;
      c.steps.push_back(s);
    } else if (l.kind == "server-file") {
      const auto w = transcript::words(text);
      if (w.empty()) return false;
      auto bytes = transcript::slice(w, 1);
      const auto* b = std::get_if<0>(&bytes);
      if (!b) return false;
      Step s;
      s.kind = Step::Kind::server_file;
      s.text = w[0].front() == '/' ? w[0] : "/" + w[0];
      s.bytes = *b;
      c.steps.push_back(s);
    } else if (l.kind == "local-file" || l.kind == "pics") {
      return false;
    }
  }
  return !c.steps.empty();
}

}  // namespace

std::vector<Case> load_seeds(const fs::path& transcripts_dir, const fs::path& fuzz_corpus_dir,
                             std::vector<std::string>& problems) {
  std::vector<Case> out;
  std::error_code ec;
  if (!transcripts_dir.empty() && fs::is_directory(transcripts_dir, ec)) {
    std::vector<fs::path> files;
    for (const auto& e : fs::directory_iterator(transcripts_dir, ec)) {
      if (e.path().extension() == ".txt") files.push_back(e.path());
    }
    std::sort(files.begin(), files.end());
    for (const auto& f : files) {
      auto parsed = transcript::load(f);
      if (const auto* why = std::get_if<std::string>(&parsed)) {
        problems.push_back(*why);
        continue;
      }
      Case c;
      c.origin = "transcript " + f.stem().string();
      if (transcript_steps(std::get<transcript::Transcript>(parsed), c)) out.push_back(std::move(c));
    }
  }
  // at_line_fuzzer's inputs are the text after "AT"; at_stream_fuzzer's start with a header of
  // [mode][n][n chunk sizes] before the host's stream.
  for (const char* target : {"at_line_fuzzer", "at_stream_fuzzer"}) {
    const fs::path dir = fuzz_corpus_dir / target;
    if (fuzz_corpus_dir.empty() || !fs::is_directory(dir, ec)) continue;
    std::vector<fs::path> files;
    for (const auto& e : fs::directory_iterator(dir, ec)) files.push_back(e.path());
    std::sort(files.begin(), files.end());
    for (const auto& f : files) {
      std::string bytes = read_file(f);
      if (std::string(target) == "at_line_fuzzer") {
        bytes = "AT" + bytes + "\r";
      } else {
        if (bytes.size() < 2) continue;
        const std::size_t skip = 2 + static_cast<unsigned char>(bytes[1]);
        if (bytes.size() <= skip) continue;
        bytes = bytes.substr(skip);
        if (bytes.empty() || bytes.back() != '\r') bytes += '\r';
      }
      if (bytes.size() > 600) bytes.resize(600);
      Case c;
      c.origin = std::string("corpus ") + target + "/" + f.filename().string();
      c.steps = split_lines(bytes);
      out.push_back(std::move(c));
    }
  }
  return out;
}

Generator::Generator(std::uint64_t seed, GenContext ctx) : rng_(seed), ctx_(std::move(ctx)) {}

std::string Generator::string_param(std::size_t limit, const std::string& valid) {
  switch (below(14)) {
    case 0: return "\"" + std::string(limit, 'a') + "\"";
    case 1: return "\"" + std::string(limit + 1, 'b') + "\"";
    case 2: return "\"" + std::string(limit > 0 ? limit - 1 : 0, 'c') + "\"";
    case 3: return "\"\"";
    case 4: return "\"" + valid;                       // unterminated
    case 5: return "\"" + valid + "\"\"x\"";          // doubled quotes
    case 6: return valid;                              // no quotes
    case 7: return "\"" + valid + ",x\"";
    case 8: return "\"" + valid + ";x\"";
    case 9: return " \"" + valid + "\" ";
    case 10: return "\"" + std::string(limit * 3, 'd') + "\"";
    default: return "\"" + valid + "\"";
  }
}

std::string Generator::number_param(long long lo, long long hi, long long valid) {
  switch (below(16)) {
    case 0: return std::to_string(lo);
    case 1: return std::to_string(hi);
    case 2: return std::to_string(lo - 1);
    case 3: return std::to_string(hi + 1);
    case 4: return "-1";
    case 5: return "99999999999999999999";
    case 6: return "abc";
    case 7: return "\"" + std::to_string(valid) + "\"";
    case 8: return "";
    case 9: return " " + std::to_string(valid);
    case 10: return "0x1" + std::to_string(valid);
    case 11: return std::to_string(valid) + ".5";
    default: return std::to_string(valid);
  }
}

// One command after "AT": V1.1's FTP commands in their forms, the PDP context commands of the
// examples, and the basic commands a host sends around them.
std::string Generator::command() {
  const auto form = [&](std::string name, std::string params) -> std::string {
    switch (below(8)) {
      case 0: return name + "=?";
      case 1: return name + "?";
      case 2: return name;
      default: return name + "=" + params;
    }
  };
  switch (below(22)) {
    case 0: case 1: {
      // The host is the fixture or a format error: a valid name elsewhere would meet the real
      // network on the bench and the server model in the reference.
      std::string host = "\"${host}\"";
      if (chance(35)) {
        switch (below(5)) {
          case 0: host = "\"" + std::string(101, 'h') + "\""; break;
          case 1: host = "\"\""; break;
          case 2: host = "${host}"; break;
          case 3: host = "\"${host}"; break;
          default:
            if (ctx_.host == "127.0.0.1") {
              // 100 characters that still name the loopback (octal 0177 with leading zeros).
              std::string h = "0177.0.0.1";
              host = "\"" + std::string(100 - h.size(), '0') + h + "\"";
            }
        }
      }
      std::string port = "${port}";
      if (chance(35)) {
        const std::array<std::string, 7> bad = {"0", "65536", "-1", "99999999999", "abc",
                                                "\"${port}\"", ""};
        port = bad[below(bad.size())];
      }
      std::string params = host + "," + port;
      if (chance(10)) params += ",1";
      if (chance(5)) params = host;
      return form("+QFTPOPEN", params);
    }
    case 2: return form("+QFTPCLOSE", "");
    case 3: return form("+QFTPUSER", string_param(30, "${user}"));
    case 4: return form("+QFTPPASS", string_param(30, "${password}"));
    case 5: return form("+QFTPPATH", string_param(100, "/"));
    case 6: case 7: {
      const long long type = static_cast<long long>(below(6));
      std::string value;
      if (type == 4) {
        const std::array<const char*, 6> pos = {"\"/COM/\"", "\"/UFS/\"", "\"/SD/\"", "\"/RAM/\"",
                                                "\"/XYZ/\"", "/COM/"};
        value = pos[below(pos.size())];
      } else {
        value = number_param(0, type == 3 ? 1000000 : 1, 0);
      }
      std::string params = number_param(1, 4, type) + (chance(80) ? "," + value : "");
      return form("+QFTPCFG", params);
    }
    case 8: case 9:
      return form("+QFTPPUT", string_param(50, "f.txt") + "," + number_param(0, 1000000, 10) +
                                  (chance(50) ? "," + number_param(1, 65535, 5) : ""));
    case 10: return form("+QFTPGET", string_param(50, "f.txt") + (chance(30) ? "," + number_param(0, 1000000, 10) : ""));
    case 11: return form("+QFTPSTAT", "");
    case 12: return form("+QFTPLEN", "");
    case 13: return form("+QIFGCNT", number_param(0, 1, 0));
    case 14: return form("+QICSGP", number_param(0, 1, 1) + "," + string_param(30, "${apn}"));
    case 15: {
      const std::array<const char*, 12> basic = {"", "E0", "E1", "V0", "V1", "Q0", "Q1", "&F", "I", "+GMR", "+GSN", "E1V1"};
      return basic[below(basic.size())];
    }
    case 16: {
      // S3, S4 and S5 take 0-127 (V.250 6.2): the top, and beside it (refused, so the line ends
      // and the backspace stay as they are).
      const std::array<const char*, 12> s = {"S3?", "S4?", "S5?", "S5=8", "S4=10", "S5=127", "S7?", "S0?",
                                             "S5=128", "S5=255", "S3=128", "S4=255"};
      return s[below(s.size())];
    }
    case 17: return form("+QFTPUSE", string_param(30, "${user}"));  // ruling 1's misspelling
    case 18: return form("+QIDEACT", "");
    case 19: return "E" + number_param(0, 1, 1);
    case 20: return "V" + number_param(0, 1, 1);
    default: return "+QFTPCFG=" + std::to_string(below(5)) + (chance(50) ? "" : "," + std::to_string(below(3)));
  }
}

std::string Generator::command_line() {
  std::string body = command();
  const unsigned more = chance(25) ? static_cast<unsigned>(below(3)) + 1 : 0;
  for (unsigned i = 0; i < more; ++i) {
    std::string next = command();
    // Extended commands go after ';'; basic ones follow directly (V.250 5.2.1).
    body += (!next.empty() && next[0] == '+') || chance(30) ? ";" + next : next;
  }
  std::string line = (chance(8) ? "at" : "AT") + body;
  if (chance(5)) line = "xyz" + line;                           // junk before AT
  if (chance(6)) {                                              // V.250 editing with S5
    const std::size_t at = below(line.size() + 1);
    line.insert(at, std::string("Z\x08", 2));
  }
  if (chance(4)) line += std::string(250 + below(20), 'A');    // around the 256-character limit
  if (chance(4)) line.insert(below(line.size() + 1), 1, static_cast<char>(below(256)));
  return line + "\r";
}

Step Generator::line(std::string text) { return send_step(std::move(text)); }

Case Generator::grammar_case() {
  Case c;
  c.origin = "grammar";
  const std::size_t n = 1 + below(4);
  for (std::size_t i = 0; i < n; ++i) {
    if (i > 0 && chance(8)) {
      c.steps.push_back(line("A/"));  // repeat the last command line
      continue;
    }
    if (chance(4)) {
      // Another line end: S3 set, a line ended with it, S3 back; all three in the case.
      const char s3 = chance(50) ? '@' : '\n';
      c.steps.push_back(line("ATS3=" + std::to_string(static_cast<int>(s3)) + "\r"));
      std::string l = command_line();
      l.back() = s3;
      c.steps.push_back(line(l));
      c.steps.push_back(line(std::string("ATS3=13") + s3));
      continue;
    }
    c.steps.push_back(line(command_line()));
  }
  return c;
}

std::string Generator::data_bytes(std::size_t n) {
  std::string out;
  out.reserve(n);
  const unsigned style = static_cast<unsigned>(below(4));
  for (std::size_t i = 0; i < n; ++i) {
    switch (style) {
      case 0: out += static_cast<char>('a' + (i % 26)); break;
      case 1: out += static_cast<char>(below(256)); break;
      case 2: out += (i % 7 < 3) ? '+' : static_cast<char>('0' + i % 10); break;  // '+' runs as data
      default: out += (i % 40 == 39) ? '\n' : static_cast<char>('A' + below(26)); break;
    }
  }
  return out;
}

std::string Generator::stream_bytes(std::size_t n) {
  static constexpr std::array<const char*, 6> lookalikes = {"OK", "ERROR", "CONNECT", "NO CARRIER",
                                                            "+QFTPPUT:1", "RDY"};
  std::string out;
  out.reserve(n + 300);
  while (out.size() < n) {
    switch (below(5)) {
      case 0: out += command_line(); break;  // a command line typed as data
      case 1: out += std::string(1 + below(5), '+') + (chance(50) ? "\r" : ""); break;  // no guard
      case 2: out += "\r\n" + std::string(lookalikes[below(lookalikes.size())]) + "\r\n"; break;
      default: out += data_bytes(16 + below(240)); break;  // letters, any byte, '+' runs, text
    }
  }
  out.resize(n);
  // The bench puts its values in place of ${...} in what it sends: data keeps its size.
  for (auto at = out.find("${"); at != std::string::npos; at = out.find("${", at)) out[at + 1] = '(';
  return out;
}

Case Generator::stream_case() {
  Case c;
  c.origin = kStreamOrigin;
  c.steps.push_back(line(open_line()));
  const std::string name = "s" + std::to_string(file_no_++ % 8) + ".bin";
  const std::size_t size = 2048 + below(30 * 1024 + 1);
  // <time> 600 s: the stream is on the line for 35 s at most at 9600 baud, 280 s at 1200.
  c.steps.push_back(line("AT+QFTPPUT=\"" + name + "\"," + std::to_string(size) + ",600\r"));
  c.steps.push_back(send_step(stream_bytes(size)));
  if (chance(50)) c.steps.push_back(line("AT+QFTPLEN\r"));
  c.steps.push_back(line("AT+QFTPCLOSE\r"));
  return c;
}

// A session and what a host does in it, with the fixture misbehaving now and then.
Case Generator::stateful_case() {
  Case c;
  c.origin = "stateful";
  const auto fault = [&](std::string directive) {
    Step s;
    s.kind = Step::Kind::fault;
    s.text = std::move(directive);
    c.steps.push_back(std::move(s));
  };
  if (chance(10)) {
    const std::array<const char*, 5> f = {"REPLY GREETING 421", "REPLY PASS 530", "DELAY USER 300",
                                          "CLOSE USER", "REPLY TYPE 500"};
    fault(f[below(f.size())]);
  }
  c.steps.push_back(line(open_line()));
  if (chance(50)) c.steps.push_back(line("AT+QFTPPATH=\"/\"\r"));
  const std::string name = "d" + std::to_string(file_no_++ % 8) + ".bin";
  const bool ufs = chance(25);
  if (ufs) c.steps.push_back(line("AT+QFTPCFG=4,\"/UFS/\"\r"));
  // Plot 1, an upload the escape cuts, comes twice as often as the others: the boundaries of data
  // mode are where firmware breaks.
  unsigned plot = static_cast<unsigned>(below(8));
  if (plot == 7) plot = 1;
  if (plot == 5) {
    // A setting written, then read back by its own type, then used.
    const unsigned type = 1 + static_cast<unsigned>(below(4));
    const std::array<const char*, 4> values = {"0", "1", "\"/UFS/\"", "100"};
    const std::string value = type == 4 ? (chance(50) ? "\"/UFS/\"" : "\"/COM/\"")
                              : type == 3 ? std::to_string(below(3) * 10)
                                          : values[below(2)];
    c.steps.push_back(line("AT+QFTPCFG=" + std::to_string(type) + "," + value + "\r"));
    c.steps.push_back(line("AT+QFTPCFG=" + std::to_string(type) + "\r"));
    if (chance(50)) c.steps.push_back(line("AT+QFTPCFG?\r"));
    if (type == 1 && value == "0") {
      // Active mode used: a download, whose data connection the server must open (PORT).
      Step f;
      f.kind = Step::Kind::server_file;
      f.text = "/" + name;
      f.bytes = "active mode\r\n";
      c.steps.push_back(f);
      c.steps.push_back(line("AT+QFTPGET=\"" + name + "\"\r"));
    }
  } else if (plot == 6) {
    // A resumed download (AT+QFTPCFG=3), then the same again: the resume point is 0 again.
    Step f;
    f.kind = Step::Kind::server_file;
    f.text = "/" + name;
    f.bytes = data_bytes(20 + below(40));
    c.steps.push_back(f);
    c.steps.push_back(line("AT+QFTPCFG=3," + std::to_string(1 + below(10)) + "\r"));
    c.steps.push_back(line("AT+QFTPGET=\"" + name + "\"\r"));
    c.steps.push_back(line("AT+QFTPGET=\"" + name + "\"\r"));
    c.steps.push_back(line("AT+QFTPCFG=3\r"));
  }
  const std::size_t size = chance(20) ? below(3) : 1 + below(chance(70) ? 64 : 3000);
  const std::array<const char*, 8> transfer_faults = {"CUT STOR 10", "CUT RETR 10", "REPLY STOR 550",
                                                      "REPLY RETR 550", "FINAL STOR 552",
                                                      "NODATACONN", "DELAY RETR 200", "REPLY PASV 425"};
  if (chance(25)) fault(transfer_faults[below(transfer_faults.size())]);
  if (plot >= 5) {
    // done above
  } else if (plot <= 1) {
    // An upload: all bytes, fewer and the escape, or commands typed in data mode.
    c.steps.push_back(line("AT+QFTPPUT=\"" + name + "\"," + std::to_string(size) + "," +
                           std::to_string(chance(80) ? 10 : 1 + below(3)) + "\r"));
    const std::string data = data_bytes(size);
    if (ufs) {
      // From the local store: nothing through the UART.
    } else if (plot == 0 || size < 2) {
      if (chance(30) && size > 4) {
        c.steps.push_back(send_step(data.substr(0, size / 2)));
        c.steps.push_back(send_step(data.substr(size / 2)));
      } else {
        c.steps.push_back(send_step(data));
      }
    } else {
      const std::size_t part = below(size);
      c.steps.push_back(send_step(data.substr(0, part) + (chance(30) ? "AT+QFTPSTAT\r" : "")));
      // The escape with the guard and gap times around their limits.
      const std::array<int, 5> around = {-100, -20, 20, 100, 200};
      const auto guard = static_cast<std::uint32_t>(
          std::max<int>(0, static_cast<int>(ctx_.guard_ms) + around[below(around.size())]));
      const auto gap = chance(70) ? 0u
                                  : static_cast<std::uint32_t>(std::max<int>(
                                        0, static_cast<int>(ctx_.gap_ms) + (chance(50) ? -10 : 30)));
      c.steps.push_back(send_step("+++", guard, gap));
      c.steps.push_back(send_step(chance(50) ? "AT+QFTPSTAT\r" : "AT\r", ctx_.guard_ms + 100));
    }
  } else if (plot <= 3) {
    // A download from a file the server holds.
    Step f;
    f.kind = Step::Kind::server_file;
    f.text = "/" + name;
    f.bytes = data_bytes(size);
    c.steps.push_back(f);
    c.steps.push_back(line("AT+QFTPGET=\"" + name + "\"\r"));
    if (plot == 3 && !ufs) {
      c.steps.push_back(send_step("AT+QFTPSTAT\r"));  // typed while the data flows
    }
  } else {
    // Pipelined lines and a link dropped and opened again.
    c.steps.push_back(line("AT+QFTPSTAT\rAT+QFTPLEN\r"));
    Step r;
    r.kind = Step::Kind::reopen;
    c.steps.push_back(r);
  }
  if (chance(60)) c.steps.push_back(line("AT+QFTPLEN\r"));
  if (chance(50)) c.steps.push_back(line("AT+QFTPSTAT\r"));
  if (chance(60)) c.steps.push_back(line("AT+QFTPCLOSE\r"));
  return c;
}

void Generator::mutate_bytes(std::string& b) {
  const unsigned n = 1 + static_cast<unsigned>(below(3));
  for (unsigned k = 0; k < n; ++k) {
    const std::size_t at = below(b.size() + 1);
    switch (below(9)) {
      case 0: if (at < b.size()) b[at] = static_cast<char>(below(256)); break;
      case 1: b.insert(at, 1, static_cast<char>(below(256))); break;
      case 2: if (at < b.size()) b.erase(at, 1); break;
      case 3: b.insert(at, 1, ";,\"=?"[below(5)]); break;
      case 4: if (at < b.size()) b.resize(at); break;
      case 5: b.insert(at, b.substr(at, below(8))); break;
      case 6: b.insert(at, std::string(1 + below(300), 'A')); break;
      case 7: b.insert(at, std::to_string(static_cast<long long>(below(200000)) - 100)); break;
      default: b.insert(at, "\r"); break;
    }
  }
  if (b.size() > 4096) b.resize(4096);
}

Case Generator::mutate(const Case& base, const std::vector<Case>& pool) {
  Case c = base;
  c.origin = base.origin.rfind("mutation of ", 0) == 0 ? base.origin : "mutation of " + base.origin;
  const unsigned n = 1 + static_cast<unsigned>(below(3));
  for (unsigned k = 0; k < n; ++k) {
    const std::size_t i = below(c.steps.size());
    switch (below(8)) {
      case 0:
        if (c.steps.size() > 1) c.steps.erase(c.steps.begin() + static_cast<long>(i));
        break;
      case 1:
        if (!c.steps.empty() && c.steps.size() < 24) c.steps.insert(c.steps.begin() + static_cast<long>(i), c.steps[i]);
        break;
      case 2:
        c.steps.insert(c.steps.begin() + static_cast<long>(below(c.steps.size() + 1)), line(command_line()));
        break;
      case 3:
        if (!c.steps.empty()) c.steps[i].pause_ms = static_cast<std::uint32_t>(below(ctx_.guard_ms * 2));
        break;
      case 4:
        if (!pool.empty()) {
          const Case& other = pool[below(pool.size())];
          if (!other.steps.empty()) {
            const std::size_t j = below(other.steps.size());
            c.steps.insert(c.steps.begin() + static_cast<long>(below(c.steps.size() + 1)), other.steps[j]);
          }
        }
        break;
      default:
        if (!c.steps.empty() && c.steps[i].kind == Step::Kind::send) mutate_bytes(c.steps[i].bytes);
        break;
    }
  }
  if (c.steps.size() > 24) c.steps.resize(24);
  if (c.steps.empty()) c.steps.push_back(line(command_line()));
  return c;
}

Case Generator::next(const std::vector<Case>& pool) {
  if (ctx_.stream_share != 0 && chance(ctx_.stream_share)) return stream_case();
  const unsigned r = static_cast<unsigned>(below(100));
  if (r < 35 || pool.empty()) return grammar_case();
  if (r < 60) return stateful_case();
  return mutate(pool[below(pool.size())], pool);
}

}  // namespace qftp::dutfuzz
