// Decoding (and, for seeds, encoding) the session fuzzer's host script.
#include "session/host_script.h"

#include <algorithm>
#include <array>
#include <stdexcept>

namespace qftp::fuzz {

namespace {

// Characters of generated strings: no 'A'/'a' (a line could start inside a string once data mode
// cuts a line) and no '"' (a string could end early and its rest parse as commands).
constexpr std::string_view kAlphabet = "bcdefghijklmnopqrstuvwxyz0123456789./_-+;, =?*:BCDXYZ";

const std::vector<std::string> kCredentials = {
    "quectel", "123456", "", "ftp", std::string(30, 'x'), std::string(31, 'x'), "u;v, w"};
const std::vector<std::string> kHosts = {
    "ftp.host", "127.0.0.1", "", std::string(100, 'h'), std::string(101, 'h'), "quectel.3322.org"};
const std::vector<std::string> kPaths = {
    "/", "", "/pub", "/missing", std::string(100, 'p'), std::string(101, 'p'), "..", "/pub/sub"};
const std::vector<std::string> kNames = {
    "sscom.ini",          "up.bin",  "f",        "",     std::string(50, 'n'),
    std::string(51, 'n'), "dwl.txt", "test.txt", "../x", "big.bin", "part.ini"};
const std::vector<std::string> kNone = {};

// Ports, including the quoted one drivers send (docs/field-facts.md §2); "" leaves the port out.
const std::vector<std::string> kPorts = {"21", "\"21\"", " 21", "0", "65535", "65536", "1", ""};
const std::vector<std::string> kSizes = {"10",   "0",          "1",          "3", "100",
                                         "1587", "4294967295", "4294967296", "5", "2000"};
// <time>: the Python logger's 60 (conformance/transcripts/f_python_logger.txt) last.
const std::vector<std::string> kTimes = {"", "200", "1", "2", "65535", "0", "900", "65536", "60"};
// clang-format off
const std::vector<std::string> kCfg = {
    "1",        "1,0",           "1,1",          "1,2",          "2",           "2,0",
    "2,1",      "3",             "3,0",          "3,10",         "3,1587",      "3,99999",
    "4",        "4,\"/COM/\"",   "4,\"/UFS/\"",  "4,\"/UFS/dwl.txt\"", "4,\"/UFS/sscom.ini\"",
    "4,\"/RAM/\"", "4,\"/SD/\"", "4,\"/RAM/x.bin\"", "4,\"/UFS/../x\"", "4,\"/NOWHERE/\"",
    "5,0",      "0",             "4,1",          "3,5",          "4,\"/SD/pic.jpg\"",
    "4,\"/UFS/test.txt\"", "4,\"/SD/dwl.txt\"", "4,\"/RAM/dwl.txt\"", "6,0", "6,1", "6"};
// Commands without parameters to choose, the spec's misspellings included (ruling 1).
const std::vector<std::string> kSimple = {
    "+QFTPSTAT",  "+QFTPLEN",    "+QFTPCLOSE",   "+QFTPOPEN?",   "+QFTPPATH?",   "+QFTPUSER?",
    "+QFTPPASS?", "+QFTPOPEN=?", "+QFTPCLOSE=?", "+QFTPPUT=?",   "+QFTPGET=?",   "+QFTPPATH=?",
    "+QFTPUSER=?", "+QFTPPASS=?", "+QFTPCFG=?",  "+QFTPSTAT=?",  "+QFTPLEN=?",   "+QIDEACT",
    "+QIACT",     "+QIREGAPP",   "+QIFGCNT=0",   "+QICSGP=1,\"CMNET\"", "",     "O",
    "H",          "I",           "+CMEE=2",      "+IFC=2,2",     "+CSQ",         "+CPIN?",
    "+GMR",       "+QFTPUSE=\"x\"", "+QFTPFCFG=1,1", "+QFTPCLOSE=1", "+QFTPSTAT?", "+QFTPLEN=1",
    "+QFTPGET",   "+QFTPPUT=\"f\"",
    // The FTP commands after V1.1 (docs/field-facts.md §5): ERROR unless the profile has them.
    "+QFTPSIZE=\"up.bin\"", "+QFTPDELETE=\"f\"", "+QFTPRENAME=\"f\",\"g\"", "+QFTPMKDIR=\"d\"",
    "+QFTPRMDIR=\"d\"", "+QFTPSIZE=?"};
// clang-format on

// AT+QFTPLIST/AT+QFTPNLST names (ruling 16): the root and the directory AT+QFTPMKDIR="d" makes,
// files a download put on the server, names the server does not have, the path limits.
const std::vector<std::string> kListNames = {
    "",        "/",    "sscom.ini", "/pub", "/missing", "dwl.txt", "d", "..", std::string(100, 'p'),
    std::string(101, 'p'), "up.bin"};
// AT+QFTPGET's expected <size> (docs/field-facts.md §5): the server's sizes, the small RAM's 100
// and one past it, the default RAM file size and one past it, the 32-bit limit and one past it, and
// the size the OpenCPU RIL's firmware download sends (conformance/transcripts/f_opencpu_ril.txt).
const std::vector<std::string> kGetSizes = {"1587",   "0",          "10",         "100",
                                            "101",    "600",        "513",        "102400",
                                            "102401", "4294967295", "4294967296", "2000"};
constexpr std::array<std::string_view, 2> kListVerbs = {"+QFTPLIST", "+QFTPNLST"};

constexpr std::array<const char*, 4> kTerminators = {"\r", "\n", "\r\n", "\r"};
constexpr std::array<const char*, 4> kJunk = {"", " ", "\x1b", "\r\n"};
constexpr std::array<TimeMs, 4> kGuardish = {500, 501, 499, 1000};
constexpr std::array<TimeMs, 4> kGapish = {0, 1, 19, 20};
constexpr std::array<TimeMs, 4> kLongWaits = {900000, 200000, 65535000, 3600000};
constexpr std::uint8_t kEndOfScript = 255;
constexpr std::uint8_t kLongString = 255;

// A preset, or a generated string: up to 31 characters, or (after the byte 255) up to 255, since
// a session's cost grows with every byte the host sends. The presets hold the limits' lengths.
// Appended to `out` in quotes.
void append_quoted_string(InputReader& in, const std::vector<std::string>& presets,
                          std::string& out) {
  out += '"';
  const std::uint8_t b = in.front();
  if (b < presets.size()) {
    out += presets[b];
  } else {
    const std::size_t length = b == kLongString ? in.front() : (b - presets.size()) % 32;
    for (std::size_t i = 0; i < length; ++i) {
      out += kAlphabet[in.front() % kAlphabet.size()];
    }
  }
  out += '"';
}

const std::string& read_token(InputReader& in, const std::vector<std::string>& table) {
  return table[in.front() % table.size()];
}

// ",token", or nothing for an empty token.
void append_optional(InputReader& in, const std::vector<std::string>& table, std::string& out) {
  const std::string& token = read_token(in, table);
  if (!token.empty()) {
    out += ',';
    out += token;
  }
}

// One command (without "AT") from a template and its parameters, appended to `out`.
void append_command(InputReader& in, std::string& out) {
  const auto t = static_cast<Template>(in.front() % static_cast<std::uint8_t>(Template::count));
  switch (t) {
    case Template::user:
      out += "+QFTPUSER=";
      return append_quoted_string(in, kCredentials, out);
    case Template::pass:
      out += "+QFTPPASS=";
      return append_quoted_string(in, kCredentials, out);
    case Template::open:
      out += "+QFTPOPEN=";
      append_quoted_string(in, kHosts, out);
      return append_optional(in, kPorts, out);
    case Template::path:
      out += "+QFTPPATH=";
      return append_quoted_string(in, kPaths, out);
    case Template::put:
      out += "+QFTPPUT=";
      append_quoted_string(in, kNames, out);
      out += ',';
      out += read_token(in, kSizes);
      return append_optional(in, kTimes, out);
    case Template::get:
      out += "+QFTPGET=";
      return append_quoted_string(in, kNames, out);
    case Template::cfg:
      out += "+QFTPCFG=";
      out += read_token(in, kCfg);
      return;
    case Template::listing: {
      // Bit 0 the verb; bits 1-2 the form: execute, write, test, write.
      const std::uint8_t v = in.front();
      out += kListVerbs[v & 1];
      const unsigned form = (v >> 1) & 3;
      if (form == 0) return;
      if (form == 2) {
        out += "=?";
        return;
      }
      out += '=';
      return append_quoted_string(in, kListNames, out);
    }
    case Template::sized_get:
      out += "+QFTPGET=";
      append_quoted_string(in, kNames, out);
      out += ',';
      out += read_token(in, kGetSizes);
      return;
    case Template::simple:
    case Template::count:
      break;
  }
  out += read_token(in, kSimple);
}

// A raw byte as the host sends it: never 'A', 'a' or '"' (see host_script.h).
char sanitised(std::uint8_t b) {
  switch (b) {
    case 'A':
      return '@';
    case 'a':
      return '`';
    case '"':
      return '\'';
    default:
      return static_cast<char>(b);
  }
}

void add_bytes(std::vector<HostStep>& out, std::string bytes) {
  HostStep s;
  s.kind = HostStep::Kind::bytes;
  s.bytes = std::move(bytes);
  out.push_back(std::move(s));
}

void add_wait(std::vector<HostStep>& out, TimeMs ms) {
  HostStep s;
  s.kind = HostStep::Kind::wait;
  s.wait = ms;
  out.push_back(std::move(s));
}

}  // namespace

const TimeMs kWaits[16] = {0,   1,   10,   19,   20,    21,    100,   499,
                           500, 501, 1000, 2000, 29999, 30000, 60000, 60001};

const std::vector<std::string>& preset_strings(Template t) {
  switch (t) {
    case Template::user:
    case Template::pass:
      return kCredentials;
    case Template::open:
      return kHosts;
    case Template::path:
      return kPaths;
    case Template::put:
    case Template::get:
    case Template::sized_get:
      return kNames;
    case Template::listing:
      return kListNames;
    default:
      return kNone;
  }
}

const std::vector<std::string>& preset_numbers(Template t) {
  switch (t) {
    case Template::open:
      return kPorts;
    case Template::put:
      return kSizes;
    case Template::cfg:
      return kCfg;
    case Template::simple:
      return kSimple;
    case Template::sized_get:
      return kGetSizes;
    default:
      return kNone;
  }
}

bool next_steps(InputReader& in, std::vector<HostStep>& out) {
  if (in.empty()) {
    return false;
  }
  const std::uint8_t b = in.front();
  const auto op = static_cast<Op>(b % 16 < 8 ? 0 : b % 16);
  switch (op) {
    case Op::line: {
      const std::uint8_t flags = in.front();
      std::string line = kJunk[(flags >> 2) & 3];
      line += (flags & 0x10) != 0 ? "at" : "AT";
      append_command(in, line);
      for (unsigned extra = std::min((flags >> 6) & 3, 2); extra > 0; --extra) {
        line += ';';
        append_command(in, line);
      }
      line += kTerminators[flags & 3];
      if ((flags & 0x20) != 0) {
        line = std::string(kJunk[(flags >> 2) & 3]) + "A/";
      }
      add_bytes(out, std::move(line));
      return true;
    }
    case Op::burst: {
      std::string bytes;
      for (unsigned n = 1 + in.front() % 64; n > 0 && !in.empty(); --n) {
        bytes += sanitised(in.front());
      }
      add_bytes(out, std::move(bytes));
      return true;
    }
    case Op::paced: {
      const unsigned n = 1 + in.front() % 16;
      const TimeMs pause = kWaits[in.front() % 8];
      for (unsigned k = 0; k < n && !in.empty(); ++k) {
        add_bytes(out, std::string(1, sanitised(in.front())));
        add_wait(out, pause);
      }
      return true;
    }
    case Op::wait:
      add_wait(out, kWaits[in.front() % 16]);
      return true;
    case Op::long_wait: {
      const std::uint8_t i = in.front();
      if (i == kEndOfScript) {
        return false;
      }
      add_wait(out, kLongWaits[i % kLongWaits.size()]);
      return true;
    }
    case Op::escape: {
      const std::uint8_t shape = in.front();
      const TimeMs gap = kGapish[(shape >> 2) & 3];
      add_wait(out, kGuardish[shape & 3]);
      const unsigned variant = shape >> 6;
      const unsigned pluses = variant == 1 ? 2 : variant == 2 ? 4 : 3;
      for (unsigned k = 0; k < pluses; ++k) {
        if (k > 0) {
          add_wait(out, gap);
        }
        add_bytes(out, "+");
      }
      if (variant == 3) {
        add_bytes(out, "x");  // within the guard: the "+++" was data
      }
      add_wait(out, kGuardish[(shape >> 4) & 3]);
      return true;
    }
    case Op::plus_ath:
      add_bytes(out, "+++ATH\r");
      return true;
    case Op::server: {
      HostStep s;
      s.kind = HostStep::Kind::server;
      s.server = static_cast<HostStep::Server>(in.front() % 6);
      out.push_back(std::move(s));
      return true;
    }
    case Op::network: {
      HostStep s;
      s.kind = HostStep::Kind::network;
      s.network = static_cast<modem::NetworkEvent::Kind>(in.front() % 3);
      out.push_back(std::move(s));
      return true;
    }
  }
  return true;
}

// --- ScriptWriter ------------------------------------------------------------------------------

namespace {

std::uint8_t index_of(const std::vector<std::string>& table, const std::string& value) {
  const auto it = std::find(table.begin(), table.end(), value);
  if (it == table.end()) {
    throw std::invalid_argument("ScriptWriter: not a preset: " + value);
  }
  return static_cast<std::uint8_t>(it - table.begin());
}

void write_string(std::string& out, const std::vector<std::string>& presets,
                  const std::string& value) {
  const auto it = std::find(presets.begin(), presets.end(), value);
  if (it != presets.end()) {
    out.push_back(static_cast<char>(it - presets.begin()));
    return;
  }
  if (value.size() < 32) {
    out.push_back(static_cast<char>(presets.size() + value.size()));
  } else if (value.size() < 256) {
    out.push_back(static_cast<char>(kLongString));
    out.push_back(static_cast<char>(value.size()));
  } else {
    throw std::invalid_argument("ScriptWriter: string too long: " + value);
  }
  for (const char c : value) {
    const auto pos = kAlphabet.find(c);
    if (pos == std::string_view::npos) {
      throw std::invalid_argument(std::string("ScriptWriter: character not in the alphabet: ") + c);
    }
    out.push_back(static_cast<char>(pos));
  }
}

}  // namespace

ScriptWriter& ScriptWriter::line(Template t, std::vector<std::string> params, std::uint8_t flags) {
  front_.push_back(static_cast<char>(Op::line));
  front_.push_back(static_cast<char>(flags & 0x3f));
  front_.push_back(static_cast<char>(t));
  switch (t) {
    case Template::user:
    case Template::pass:
    case Template::path:
    case Template::get:
      write_string(front_, preset_strings(t), params.at(0));
      break;
    case Template::open:
      write_string(front_, kHosts, params.at(0));
      front_.push_back(static_cast<char>(index_of(kPorts, params.size() > 1 ? params[1] : "")));
      break;
    case Template::put:
      write_string(front_, kNames, params.at(0));
      front_.push_back(static_cast<char>(index_of(kSizes, params.at(1))));
      front_.push_back(static_cast<char>(index_of(kTimes, params.size() > 2 ? params[2] : "")));
      break;
    case Template::cfg:
      front_.push_back(static_cast<char>(index_of(kCfg, params.at(0))));
      break;
    case Template::listing: {
      const auto verb = std::find(kListVerbs.begin(), kListVerbs.end(), params.at(0));
      if (verb == kListVerbs.end()) {
        throw std::invalid_argument("ScriptWriter: not a listing command: " + params.at(0));
      }
      const auto v = static_cast<std::uint8_t>(verb - kListVerbs.begin());
      if (params.size() == 1) {
        front_.push_back(static_cast<char>(v));  // execute
      } else if (params[1] == "=?") {
        front_.push_back(static_cast<char>(v | 4));  // test
      } else {
        front_.push_back(static_cast<char>(v | 2));  // write
        write_string(front_, kListNames, params[1]);
      }
      break;
    }
    case Template::sized_get:
      write_string(front_, kNames, params.at(0));
      front_.push_back(static_cast<char>(index_of(kGetSizes, params.at(1))));
      break;
    case Template::simple:
    case Template::count:
      front_.push_back(static_cast<char>(index_of(kSimple, params.at(0))));
      break;
  }
  return *this;
}

ScriptWriter& ScriptWriter::burst(std::string_view bytes) {
  for (std::size_t pos = 0; pos < bytes.size(); pos += 64) {
    const auto chunk = bytes.substr(pos, 64);
    front_.push_back(static_cast<char>(Op::burst));
    front_.push_back(static_cast<char>(chunk.size() - 1));
    front_.append(chunk);
  }
  return *this;
}

ScriptWriter& ScriptWriter::paced(std::string_view bytes, std::uint8_t delay_index) {
  for (std::size_t pos = 0; pos < bytes.size(); pos += 16) {
    const auto chunk = bytes.substr(pos, 16);
    front_.push_back(static_cast<char>(Op::paced));
    front_.push_back(static_cast<char>(chunk.size() - 1));
    front_.push_back(static_cast<char>(delay_index));
    front_.append(chunk);
  }
  return *this;
}

ScriptWriter& ScriptWriter::wait(TimeMs ms) {
  const auto it = std::find(std::begin(kWaits), std::end(kWaits), ms);
  if (it == std::end(kWaits)) {
    throw std::invalid_argument("ScriptWriter: not a preset wait");
  }
  front_.push_back(static_cast<char>(Op::wait));
  front_.push_back(static_cast<char>(it - std::begin(kWaits)));
  return *this;
}

ScriptWriter& ScriptWriter::long_wait(std::uint8_t index) {
  front_.push_back(static_cast<char>(Op::long_wait));
  front_.push_back(static_cast<char>(index % kLongWaits.size()));
  return *this;
}

ScriptWriter& ScriptWriter::escape(std::uint8_t shape) {
  front_.push_back(static_cast<char>(Op::escape));
  front_.push_back(static_cast<char>(shape));
  return *this;
}

ScriptWriter& ScriptWriter::plus_ath() {
  front_.push_back(static_cast<char>(Op::plus_ath));
  return *this;
}

ScriptWriter& ScriptWriter::server(HostStep::Server what) {
  front_.push_back(static_cast<char>(Op::server));
  front_.push_back(static_cast<char>(what));
  return *this;
}

ScriptWriter& ScriptWriter::network(modem::NetworkEvent::Kind what) {
  front_.push_back(static_cast<char>(Op::network));
  front_.push_back(static_cast<char>(what));
  return *this;
}

ScriptWriter& ScriptWriter::decide(std::vector<std::uint8_t> bytes) {
  for (const auto b : bytes) {
    back_.push_back(static_cast<char>(b));
  }
  return *this;
}

std::string ScriptWriter::bytes() const {
  std::string out = front_;
  if (!back_.empty()) {
    out.push_back(static_cast<char>(Op::long_wait));
    out.push_back(static_cast<char>(kEndOfScript));
    out.append(back_.rbegin(), back_.rend());
  }
  return out;
}

}  // namespace qftp::fuzz
