// Writes the session fuzzer's inputs in its binary script format (session/host_script.h): the
// seed corpus (the spec's chapter-4 examples, read from the suite's transcripts, their one copy;
// the host and server behaviours of docs/field-facts.md §2) and the session reproducers of
// fuzz/regressions/. For fuzz/tools/make_seeds.py it also prints an exact-byte transcript's host
// bytes, so that no other parser of transcripts exists.
//
//   session_seed_writer OUTDIR TRANSCRIPT_DIR [REGRESSION_DIR]
//   session_seed_writer --host-bytes TRANSCRIPT      one hex line per ">raw" or ">" line
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "session/host_script.h"
#include "testing/transcript.h"

namespace {

namespace fs = std::filesystem;
using qftp::fuzz::HostStep;
using qftp::fuzz::ScriptWriter;
using qftp::fuzz::Template;
using NetKind = qftp::modem::NetworkEvent::Kind;
using Bytes = std::vector<std::uint8_t>;

// --- server decisions, in the order the server model asks its plan (session/fuzz_fault_plan.cpp)
// Every decision is one byte, 0 the well-behaved answer; see the plan for what the others mean.

// The first decision picks the firmware (session_harness.cpp): 0 the spec's, 1 the M33.
constexpr std::uint8_t kM95 = 0;
constexpr std::uint8_t kM33 = 1;
// Bit 16 turns on the FTP commands after V1.1 (session_harness.cpp); with 1 the M33's /SD/ and
// /RAM/, with 8 a /RAM/ of 100 bytes for one download.
constexpr std::uint8_t kField = 16;
constexpr std::uint8_t kM33Field = kField | kM33;
constexpr std::uint8_t kM33FieldSmallRam = kM33Field | 8;
// A login: the control connect, the greeting, USER, PASS, PWD and PWD's text.
const Bytes kLogin = {0, 0, 0, 0, 0, 0};
// A passive transfer: TYPE, PASV and its text, the data connect, the transfer command; a download
// of a file the server has not served yet then draws it (`file`: its size index, 0 for 1587 bytes;
// 0x38: no such file), then every transfer draws its faults (`faults`: 0 none, 2 STALL half-way,
// 0xC0 SLOW).
Bytes download(std::uint8_t file, std::uint8_t faults, std::uint8_t seed = 7) {
  return {0, 0, 0, 0, 0, file, seed, faults};
}
Bytes download_again(std::uint8_t faults) {
  return {0, 0, 0, 0, 0, faults};
}
Bytes upload(std::uint8_t faults) {
  return {0, 0, 0, 0, 0, faults};
}
// The decisions in order. Once they run out the server's reads run on into the host script from
// its far end: a seed spells out what its story needs, and leaves the rest to chance, as a cheap
// session makes a fast fuzzer.
Bytes join(std::vector<Bytes> parts) {
  Bytes out;
  for (const auto& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

ScriptWriter& open(ScriptWriter& w, const std::string& port = "21") {
  return w.line(Template::user, {"quectel"})
      .line(Template::pass, {"123456"})
      .line(Template::open, {"quectel.3322.org", port});
}

ScriptWriter& cmd(ScriptWriter& w, const std::string& simple, std::uint8_t flags = 0) {
  return w.line(Template::simple, {simple}, flags);
}

// --- chapter 4 from the suite's transcripts ------------------------------------------------------

std::string substitute(std::string text) {
  return qftp::transcript::substitute(std::move(text),
                                      {"quectel.3322.org", "21", "quectel", "123456", "CMNET"});
}

// A command's parameters as the host script's presets spell them: strings without their quotes,
// numbers without spaces.
std::vector<std::string> params(std::string_view text) {
  std::vector<std::string> out(1);
  bool quoted = false;
  for (const char c : text) {
    if (c == '"') {
      quoted = !quoted;
    } else if (c == ',' && !quoted) {
      out.emplace_back();
    } else if (c != ' ' || quoted) {
      out.back() += c;
    }
  }
  return out;
}

// Data typed in data mode costs an engine call a byte: an upload through the UART is encoded with
// this many bytes (its <fileSz> too), whatever the transcript sends.
constexpr std::size_t kUartUpload = 10;

// One command line of a transcript as the host script's template for it; `shrink` gives an
// upload's <fileSz> as kUartUpload; `flags` as ScriptWriter::line's (the terminator).
void encode_line(ScriptWriter& w, const std::string& line, bool shrink, std::uint8_t flags = 0) {
  if (line.rfind("AT", 0) != 0) throw std::invalid_argument("not a command line: " + line);
  const std::string body = line.substr(2);
  const auto eq = body.find('=');
  const std::string name = body.substr(0, eq);
  const std::string args = eq == std::string::npos ? std::string() : body.substr(eq + 1);
  if (eq != std::string::npos && args != "?") {
    if (name == "+QFTPUSER") return void(w.line(Template::user, params(args), flags));
    if (name == "+QFTPPASS") return void(w.line(Template::pass, params(args), flags));
    if (name == "+QFTPOPEN") {
      auto p = params(args);  // a quoted port stays quoted (docs/field-facts.md §2)
      if (p.size() > 1 && args.find(",\"" + p[1] + "\"") != std::string::npos) {
        p[1] = "\"" + p[1] + "\"";
      }
      return void(w.line(Template::open, std::move(p), flags));
    }
    if (name == "+QFTPPATH") return void(w.line(Template::path, params(args), flags));
    if (name == "+QFTPGET") {
      auto p = params(args);
      return void(w.line(p.size() == 2 ? Template::sized_get : Template::get, std::move(p), flags));
    }
    if (name == "+QFTPCFG") return void(w.line(Template::cfg, {args}, flags));
    if (name == "+QFTPPUT") {
      auto p = params(args);
      if (shrink && p.size() > 1) p[1] = std::to_string(kUartUpload);
      return void(w.line(Template::put, std::move(p), flags));
    }
  }
  cmd(w, body, flags);
}

// A ">raw" line of a transcript (the field drivers' sessions): one AT line with its own terminator,
// encoded as its template when the host script can say it; a line it cannot (a command outside its
// tables, "ATE0", which the script never forms) is left out.
void encode_raw_line(ScriptWriter& w, const std::string& raw, bool shrink) {
  std::string line = raw;
  std::uint8_t flags = 0;
  if (line.size() >= 2 && line.compare(line.size() - 2, 2, "\r\n") == 0) {
    flags = 2;
    line.resize(line.size() - 2);
  } else if (!line.empty() && (line.back() == '\r' || line.back() == '\n')) {
    flags = line.back() == '\n' ? 1 : 0;
    line.pop_back();
  } else {
    return;
  }
  if (line.find_first_of("\r\n") != std::string::npos || line.rfind("ATE", 0) == 0) return;
  // The script's strings hold no 'A' or 'a': a name with one is sent with 'B' or 'b' instead.
  std::string renamed = line;
  bool quoted = false;
  for (char& c : renamed) {
    if (c == '"') quoted = !quoted;
    if (quoted && (c == 'a' || c == 'A')) c = static_cast<char>(c + 1);
  }
  for (const std::string* candidate : {&line, &renamed}) {
    ScriptWriter trial = w;
    try {
      encode_line(trial, *candidate, shrink, flags);
    } catch (const std::invalid_argument&) {
      continue;
    }
    w = std::move(trial);
    return;
  }
}

// A seed that plays the transcript's host side: its command lines and data (an upload through
// the UART shortened to kUartUpload bytes), its session and faults; what it expects, and its
// files, are the fuzzer's own business (its stores and server hold their own files).
ScriptWriter encode_transcript(const qftp::transcript::Transcript& t) {
  ScriptWriter w;
  std::uint8_t profile = kM95;
  for (const auto& id : t.requirements) {
    // A field driver's session: the commands after V1.1, and /RAM/.
    if (id.rfind("F/", 0) == 0) profile = kM33Field;
  }
  for (std::size_t i = 0; i < t.lines.size(); ++i) {
    const auto& l = t.lines[i];
    const auto words = qftp::transcript::words(l.text);
    if (l.kind == "send" || l.kind == "send_raw") {
      // Data follows before the next command line: the host types the upload.
      bool typed = false;
      for (std::size_t j = i + 1;
           j < t.lines.size() && t.lines[j].kind != "send" && t.lines[j].kind != "send_raw"; ++j) {
        typed = typed || t.lines[j].kind == "send_data";
      }
      if (l.kind == "send") {
        encode_line(w, substitute(l.text), typed);
      } else {
        encode_raw_line(w, qftp::transcript::unescape(substitute(l.text)), typed);
      }
    } else if (l.kind == "send_data") {
      w.burst(std::get<0>(qftp::transcript::slice(words, 0)).substr(0, kUartUpload));
    } else if (l.kind == "session") {
      open(w);
    } else if (l.kind == "pics") {
      if (l.text == "has_sd" || l.text == "has_ram") profile |= kM33;
    } else if (l.kind == "fault") {
      // The fuzzer's plan has no IDLE directive: the script kicks the session instead.
      if (words.size() != 2 || words[0] != "IDLE")
        throw std::invalid_argument("no encoding for @fault " + l.text);
      w.wait(500).server(HostStep::Server::kick);
    } else if (l.kind == "expect" && l.text.rfind("+QFTP", 0) == 0) {
      w.wait(10);  // a URC: the command's outcome; let it come before the next line
    }
  }
  // A well-behaved server for the login and the first transfers or so.
  w.decide(join({{profile}, Bytes(24, 0)}));
  return w;
}

std::string hex(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (const char c : bytes) {
    const auto u = static_cast<unsigned char>(c);
    out += kDigits[u >> 4];
    out += kDigits[u & 15];
  }
  return out;
}

qftp::transcript::Transcript load(const fs::path& path) {
  auto parsed = qftp::transcript::load(path);
  if (const auto* why = std::get_if<std::string>(&parsed)) throw std::invalid_argument(*why);
  return std::get<qftp::transcript::Transcript>(std::move(parsed));
}

int host_bytes(const fs::path& path) {
  for (const auto& l : load(path).lines) {
    if (l.kind == "send_raw") std::printf("%s\n", hex(qftp::transcript::unescape(l.text)).c_str());
    if (l.kind == "send") std::printf("%s\n", hex(substitute(l.text) + "\r").c_str());
  }
  return 0;
}

// --- the FTP commands after V1.1 that move data (docs/field-facts.md §5, ruling 16) ------------

// A listing: TYPE, PASV and its text, the data connect, LIST or NLST, then its faults (a listing
// draws no file: the server lists what it has). A name the server does not have: 550 to LIST.
Bytes listing(std::uint8_t faults) {
  return {0, 0, 0, 0, 0, faults};
}
const Bytes kListingRefused = {0, 0, 0, 0, 0};
const Bytes kSize = {0, 0};   // TYPE I, SIZE
const Bytes kMkdir = {0};     // MKD

template <typename Save>
void write_field_seeds(Save& save) {
  {  // Listings through /COM/: of the root (a file a download put there, a directory MKDIR made),
     // of one file, of a name the server does not have (-550), and the test form.
    ScriptWriter w;
    open(w).line(Template::get, {"dwl.txt"}).wait(10);
    cmd(w, "+QFTPMKDIR=\"d\"").wait(10);
    w.line(Template::listing, {"+QFTPLIST"}).wait(100);
    w.line(Template::listing, {"+QFTPNLST"}).wait(100);
    w.line(Template::listing, {"+QFTPLIST", "dwl.txt"}).wait(100);
    w.line(Template::listing, {"+QFTPNLST", "/missing"}).wait(100);
    w.line(Template::listing, {"+QFTPLIST", "=?"});
    cmd(w, "+QFTPLEN");
    w.decide(join({{kM33Field}, kLogin, download(6, 0), kMkdir, listing(0), listing(0), listing(0),
                   kListingRefused}));
    save("field_listings_through_uart", w);
  }
  {  // Listings into the stores: a named UFS file, a named RAM file, a bare /RAM/ with no name
     // (-10) and with a directory's name.
    ScriptWriter w;
    open(w).line(Template::get, {"dwl.txt"}).wait(10);
    cmd(w, "+QFTPMKDIR=\"d\"").wait(10);
    w.line(Template::cfg, {"4,\"/UFS/dwl.txt\""}).line(Template::listing, {"+QFTPLIST"}).wait(100);
    w.line(Template::cfg, {"4,\"/RAM/x.bin\""}).line(Template::listing, {"+QFTPNLST", "/"});
    w.wait(100).line(Template::cfg, {"4,\"/RAM/\""}).line(Template::listing, {"+QFTPLIST"});
    w.wait(100).line(Template::listing, {"+QFTPNLST", "d"}).wait(100);
    cmd(w, "+QFTPLEN");
    w.decide(join({{kM33Field}, kLogin, download(6, 0), kMkdir, listing(0), listing(0), listing(0)}));
    save("field_listings_into_stores", w);
  }
  {  // The FOTA flow (docs/field-facts.md §4): SIZE, then GET with the size; the size does not
     // cap the download; into a /RAM/ of 100 bytes a size over 100 is refused before the transfer
     // (-1), and a size past 32 bits is a format error.
    ScriptWriter w;
    open(w);
    cmd(w, "+QFTPSIZE=\"up.bin\"").wait(10);
    w.line(Template::sized_get, {"up.bin", "10"}).wait(10);
    cmd(w, "+QFTPSIZE=\"up.bin\"").wait(10);
    w.line(Template::sized_get, {"up.bin", "0"}).wait(10);
    w.line(Template::cfg, {"4,\"/RAM/\""}).line(Template::sized_get, {"sscom.ini", "1587"});
    w.wait(10).line(Template::sized_get, {"up.bin", "100"}).wait(10);
    w.line(Template::sized_get, {"up.bin", "101"}).wait(10);
    w.line(Template::sized_get, {"f", "4294967296"});
    cmd(w, "+QFTPLEN");
    w.decide(join({{kM33FieldSmallRam}, kLogin, kSize, download(6, 0), kSize, download_again(0),
                   download_again(0)}));
    save("field_sized_get", w);
  }
  {  // Listings and a sized download that fail: a stalled listing ended by the escape, a listing
     // the server cuts, a data connection reset, a download the server ends with 451.
    ScriptWriter w;
    open(w);
    cmd(w, "+QFTPMKDIR=\"d\"").wait(10);
    w.line(Template::listing, {"+QFTPLIST"}).escape(0x10);
    cmd(w, "+QFTPLEN").wait(10);
    w.line(Template::listing, {"+QFTPNLST", "/"}).wait(100);
    w.line(Template::listing, {"+QFTPLIST", "d"}).wait(100);
    w.line(Template::sized_get, {"sscom.ini", "1587"}).wait(100);
    cmd(w, "+QFTPLEN");
    w.decide(join({{kField}, kLogin, kMkdir, listing(2), {0}, listing(1), {0, 0, 0, 5},
                   download(0, 0x13)}));
    save("field_listing_failures", w);
  }
}

void write_seeds(const fs::path& dir, const fs::path& transcripts) {
  fs::create_directories(dir);
  auto save = [&](const std::string& name, const ScriptWriter& w) {
    std::ofstream(dir / name, std::ios::binary) << w.bytes();
  };

  std::vector<fs::path> examples;
  for (const auto& entry : fs::directory_iterator(transcripts)) {
    if (entry.path().extension() == ".txt") examples.push_back(entry.path());
  }
  for (const auto& path : examples) {
    save("spec_" + path.stem().string(), encode_transcript(load(path)));
  }

  {  // Ruling 6: "+++ATH\r" without pauses is data; then a real escape, and ATO.
    ScriptWriter w;
    open(w).line(Template::put, {"up.bin", "100"});
    w.burst("data").plus_ath().escape(0);
    cmd(w, "O");
    w.wait(10);
    cmd(w, "+QFTPLEN");
    w.decide(join({{kM95}, kLogin, upload(0)}));
    save("escape_upload_plus_ath", w);
  }
  {  // 2.2.3: an upload shorter than <fileSz> ends at <time>.
    ScriptWriter w;
    open(w).line(Template::put, {"up.bin", "100", "2"});
    w.burst("bcd").wait(2000).wait(10);
    cmd(w, "+QFTPLEN");
    w.decide(join({{kM95}, kLogin, upload(0)}));
    save("upload_ends_at_time", w);
  }
  {  // Chapter 3 and 4.5: the server's idle 421 and close, then a new session.
    ScriptWriter w;
    open(w);
    w.wait(1000).server(HostStep::Server::kick).wait(10);
    cmd(w, "+QFTPSTAT");
    w.line(Template::open, {"ftp.host", "\"21\""});
    cmd(w, "+QFTPSTAT");
    w.decide(join({{kM95}, kLogin, kLogin}));
    save("idle_421_then_reopen", w);
  }
  {  // The PDP context goes away in the middle of a download.
    ScriptWriter w;
    open(w).line(Template::get, {"big.bin"});
    w.wait(1);
    w.network(NetKind::context_lost);
    cmd(w, "+QFTPSTAT");
    w.network(NetKind::activation_fails);
    w.line(Template::open, {"ftp.host"});
    w.decide(join({{kM95}, kLogin, download(5, 2)}));  // 600 bytes, stalled half-way
    save("context_lost_in_download", w);
  }
  {  // Escape during a stalled download: OK, then +QFTPGET with what was shown.
    ScriptWriter w;
    open(w).line(Template::get, {"big.bin"});
    w.escape(0x10);
    cmd(w, "+QFTPSTAT");
    cmd(w, "+QFTPLEN");
    w.decide(join({{kM95}, kLogin, download(0, 2), {0}}));  // and ABOR
    save("escape_stalled_download", w);
  }
  {  // A UFS download paced over time, polled with AT+QFTPSTAT while it runs (docs/field-facts.md
     // §2).
    ScriptWriter w;
    open(w).line(Template::cfg, {"4,\"/UFS/\""}).line(Template::get, {"big.bin"});
    for (int i = 0; i < 4; ++i) {
      w.wait(100);
      cmd(w, "+QFTPSTAT");
      cmd(w, "+QFTPLEN");
    }
    w.decide(join({{kM95}, kLogin, download(7, 0xC0)}));  // 513 bytes, 64 every 100 ms
    save("poll_stat_during_ufs_transfer", w);
  }
  {  // Active mode and ASCII type (2.2.8 types 1 and 2): TYPE, the listener's address, PORT, the
     // transfer command, and for the download its file and faults.
    ScriptWriter w;
    open(w)
        .line(Template::cfg, {"1,0"})
        .line(Template::cfg, {"2,1"})
        .line(Template::get, {"sscom.ini"});
    w.line(Template::put, {"up.bin", "3"}).burst("xyz");
    w.wait(10);
    cmd(w, "+QFTPLEN");
    w.decide(join({{kM95}, kLogin, {0, 0, 0, 0, 3, 7, 0}, {0, 0, 0, 0, 0}}));
    save("active_mode_ascii", w);
  }
  {  // Close while a transfer runs: the transfer's URC comes before +QFTPCLOSE.
    ScriptWriter w;
    open(w).line(Template::cfg, {"4,\"/UFS/\""}).line(Template::get, {"big.bin"});
    cmd(w, "+QFTPCLOSE");
    w.wait(10);
    cmd(w, "+QFTPSTAT");
    w.decide(join({{kM95}, kLogin, download(0, 2), {0, 0}}));  // and ABOR, QUIT
    save("close_during_transfer", w);
  }
  {  // Host habits of docs/field-facts.md §2: junk before AT, LF-only and CRLF ends, lower case,
     // A/.
    ScriptWriter w;
    w.line(Template::simple, {"+QFTPSTAT"}, 0x04);
    w.line(Template::simple, {"+QFTPSTAT"}, 0x08 | 0x01);
    w.line(Template::simple, {"+QFTPLEN"}, 0x0c | 0x02);
    w.line(Template::simple, {"+QFTPSTAT"}, 0x10);
    w.line(Template::simple, {"+QFTPSTAT"}, 0x20);
    w.line(Template::user, {"u;v, w"}).line(Template::simple, {"+QFTPUSER?"});
    w.line(Template::simple, {"+QFTPUSE=\"x\""}).line(Template::simple, {"+QFTPFCFG=1,1"});
    save("host_habits", w);
  }
  {  // Every FTP failure a login can meet, one after another.
    ScriptWriter w;
    for (int i = 0; i < 6; ++i) {
      open(w);
      w.wait(30000);
    }
    w.decide(join({{kM95, 5,    2,                        // connect refused
                    0,    0x08, 10,                       // REPLY GREETING 530
                    0,    0,    0,    0x08, 10,           // REPLY PASS 530
                    0,    0,    0x0b,                     // USER never answered
                    6,                                    // connect never answered
                    0,    0,    0,    0,    0x0c, 0}}));  // CLOSE PWD
    save("login_failures", w);
  }
  {  // Transfer failures: 550, a cut download, a FINAL 451, a refused data connection, FINAL 552.
    ScriptWriter w;
    open(w);
    for (int i = 0; i < 4; ++i) {
      w.line(Template::get, {"sscom.ini"}).wait(10);
    }
    w.line(Template::put, {"up.bin", "3"}).burst("bcd").wait(10);
    cmd(w, "+QFTPLEN");
    w.decide(join({{kM95},
                   kLogin,
                   {0, 0, 0, 0, 0, 0x38},
                   download(0, 1),
                   download_again(0x13),
                   {0, 0, 0, 6},
                   upload(3)}));
    save("transfer_failures", w);
  }
  {  // Odd replies: multi-line, corked, LF-only, an odd PWD; a PASV text that names no listener;
     // a PASV refused with 502, so EPSV.
    ScriptWriter w;
    open(w).line(Template::get, {"sscom.ini"}).wait(10).line(Template::get, {"sscom.ini"}).wait(10);
    w.decide(
        join({{kM95, 0,    0x09, 0x0a, 0x0f, 0, 2,      // greeting, USER, PASS shaped; PWD text 2
               0x09, 0,    1,                           // TYPE multi-line; PASV in another form
               0,    0x08, 8,    0,                     // PASV answered 502
               0,    0,    0,    0,    0,    7, 0}}));  // EPSV, its text, data connect, RETR, file
    save("odd_replies", w);
  }
  write_field_seeds(save);
}

void write_regressions(const fs::path& dir) {
  fs::create_directories(dir);
  auto save = [&](const std::string& name, const ScriptWriter& w) {
    std::ofstream(dir / name, std::ios::binary) << w.bytes();
  };
  {  // The server ends the session while an upload's last bytes wait in the escape detector.
    ScriptWriter w;
    w.line(Template::open, {"quectel.3322.org", "21"}).line(Template::put, {"up.bin", "10", "200"});
    w.plus_ath().escape(0x29).server(HostStep::Server::kick);
    w.decide(join({{kM95}, kLogin, upload(0)}));
    save("upload_cut_by_server_while_its_last_bytes_wait_as_an_escape", w);
  }
  {  // On the M33, an upload from /UFS/ fails at PASV, then one from /SD/ sends pic.jpg.
    ScriptWriter w;
    w.line(Template::open, {"ftp.host", "21"}).line(Template::cfg, {"4,\"/UFS/dwl.txt\""});
    w.line(Template::put, {"f", "10"}).line(Template::cfg, {"4,\"/SD/pic.jpg\""});
    w.line(Template::put, {"sscom.ini", "10"});
    w.decide(join({{kM33}, kLogin, {0, 0, 7}, upload(0)}));
    save("upload_from_sd_after_failed_upload_from_ufs", w);
  }
}

}  // namespace

int main(int argc, char** argv) {
  try {
    if (argc == 3 && std::string(argv[1]) == "--host-bytes") return host_bytes(argv[2]);
    if (argc != 3 && argc != 4) {
      std::fprintf(stderr,
                   "usage: session_seed_writer OUTDIR TRANSCRIPT_DIR [REGRESSION_DIR]\n"
                   "       session_seed_writer --host-bytes TRANSCRIPT\n");
      return 2;
    }
    write_seeds(argv[1], argv[2]);
    if (argc == 4) write_regressions(argv[3]);
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "session_seed_writer: %s\n", e.what());
    return 1;
  }
}
