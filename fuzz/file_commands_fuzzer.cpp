// file_commands_fuzzer: the FILE commands (docs/field-facts.md §6, ruling 17) on the whole modem
// with a field profile on virtual time: handles opened, read, written, sought, cut and closed over
// UFS, RAM and SD, uploads and downloads in data mode with escapes and timeouts, and raw bytes in
// between. The input is a list of steps (below). Oracles: every data mode ends; the stores keep
// their capacities; an AT+QFUPL that reports +QFUPL: <n>,<sum> stored exactly the n bytes sent,
// with that checksum; an AT+QFDWL trailer counts and sums the file as stored.
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <string>
#include <string_view>

#include "common/fuzz_check.h"
#include "common/input_reader.h"
#include "core/modem/device_profile.h"
#include "core/modem/file_checksum.h"
#include "testing/virtual_modem.h"

namespace {

constexpr std::size_t kMaxInput = 4096;
constexpr std::int64_t kFirstHandle = 12451840;  // the engine's first handle (modem_engine.h)

// Names over every store, with wildcards and names that are no valid names.
constexpr std::string_view kNames[] = {"a", "b.bin", "RAM:a", "RAM:b", "SD:a", "*", "RAM:*",
                                       "SD:*", "RAM:", "a/b", "..", "RAM:x y", ""};
constexpr std::string_view kVerbs[] = {"+QFOPEN", "+QFREAD", "+QFWRITE", "+QFSEEK", "+QFPOSITION",
                                       "+QFCLOSE", "+QFFLUSH", "+QFTUCAT", "+QFLST", "+QFDEL",
                                       "+QFLDS", "+QFDWL", "+QFUPL", "+QFMOV", "+CMEE"};

// The input from the front: bytes, 16-bit numbers, runs.
class Reader {
 public:
  Reader(const std::uint8_t* data, std::size_t size) : in_(data, size) {}
  bool empty() const { return in_.empty(); }
  unsigned byte() { return in_.front(); }
  unsigned u16() { return in_.front16(); }
  std::string bytes(std::size_t n) {
    std::string out;
    for (std::size_t i = 0; i < n && !in_.empty(); ++i) out += static_cast<char>(in_.front());
    return out;
  }

 private:
  qftp::fuzz::InputReader in_;
};

qftp::modem::DeviceProfile field_profile(bool forty) {
  qftp::modem::DeviceProfile p;
  p.has_ram = p.has_sd = true;
  p.ufs_capacity = 6000;  // small stores, so that they fill
  p.ram_file_size = 3000;
  p.file_commands = p.cme_errors = p.startup_commands = true;
  p.file_errors_40xx = forty;
  p.guard_ms = 50;
  return p;
}

std::string_view name_of(Reader& in) {
  return kNames[in.byte() % std::size(kNames)];
}

// A number for a parameter: mostly small, sometimes a handle, sometimes out of range.
std::string number_of(Reader& in) {
  switch (in.byte() % 4) {
    case 0: return std::to_string(in.byte() % 8);
    case 1: return std::to_string(kFirstHandle + in.byte() % 6);
    case 2: return std::to_string(in.u16());
    default: return in.byte() % 2 ? "-1" : "4294967296";
  }
}

// AT<verb> with zero to four parameters of the kinds the FILE commands take, or a test/read form.
std::string command_of(Reader& in) {
  std::string line = "AT";
  line += kVerbs[in.byte() % std::size(kVerbs)];
  const unsigned shape = in.byte();
  if (shape % 8 == 0) return line + "=?";
  if (shape % 8 == 1) return line + "?";
  if (shape % 8 == 2) return line;
  line += "=";
  const unsigned count = 1 + (shape >> 3) % 4;
  for (unsigned i = 0; i < count; ++i) {
    if (i > 0) line += ",";
    if (in.byte() % 2) {
      line += "\"" + std::string(name_of(in)) + "\"";
    } else {
      line += number_of(in);
    }
  }
  return line;
}

class FileSession {
 public:
  explicit FileSession(bool forty) : modem_(field_profile(forty)) {
    modem_.send("ATE0\r");
    modem_.take_output();
  }

  void step(Reader& in) {
    switch (in.byte() % 7) {
      case 0:
      case 1: modem_.send(command_of(in) + "\r"); break;
      case 2: send_data(in); break;
      case 3: modem_.advance(in.u16()); break;                          // up to a minute
      case 4: escape(); break;
      case 5: checked_upload(in); break;
      default: checked_download(in); break;
    }
    modem_.take_output();
    check_stores();
  }

  // Every data mode ends: AT+QFWRITE's and AT+QFUPL's <timeout> (at most 65535 s) or the last
  // byte of a download; an FTP transfer of the raw bytes' making, its own deadlines.
  void finish() {
    modem_.advance(70'000'000);
    QFTP_FUZZ_CHECK(!modem_.engine().in_data_mode());
    check_stores();
  }

 private:
  // Data or junk: a few bytes from the input, or a run of one byte up to 8 KiB long, so that files
  // grow past a burst of output (1024 bytes) and reads and downloads go out paced.
  void send_data(Reader& in) {
    const unsigned n = in.byte();
    if (n & 0x80U) {
      modem_.send(std::string((n & 0x7FU) * 64, static_cast<char>(in.byte())));
    } else {
      modem_.send(in.bytes(n % 64));
    }
  }

  void escape() {
    modem_.advance(100);
    modem_.send("+++");
    modem_.advance(100);
  }

  // From command mode at the start of a line: AT+QFUPL of a RAM or UFS name with data that holds
  // no '+' (so neither an escape nor, echoed, a trailer). If +QFUPL: <n>,<sum> comes back, the
  // file is exactly the n bytes sent and <sum> is their checksum.
  void checked_upload(Reader& in) {
    const bool ram = in.byte() % 2;
    const std::string name = "u" + std::to_string(in.byte() % 3);
    std::string data = in.bytes(in.byte() % 200);
    for (char& c : data) c = c == '+' || c == '#' ? '-' : c;
    if (!data.empty() && data[0] == '\n') data[0] = '-';  // ruling 17: the command line's LF
    if (!at_line_start()) return;
    const auto& store = ram ? modem_.ram() : modem_.ufs();
    const bool existed = store.files().count(name) != 0;
    modem_.send("AT+QFUPL=\"" + std::string(ram ? "RAM:" : "") + name + "\"," +
                std::to_string(data.size() == 0 ? 1 : data.size()) + ",1\r");
    // The broken variant (ci/fuzz --prove-oracles) stores other bytes than it expects.
    modem_.send(QFTP_FUZZ_BREAK && !data.empty() ? "#" + data.substr(1) : data);
    modem_.advance(1500);  // <timeout> 1 s ends an upload of no byte
    const std::string out = modem_.take_output();
    const auto at = out.rfind("+QFUPL: ");
    if (at == std::string::npos || existed) return;
    const std::string want = "+QFUPL: " + std::to_string(data.size()) + "," +
                             qftp::modem::file_checksum(data);
    QFTP_FUZZ_CHECK(out.compare(at, want.size(), want) == 0);
    const auto it = store.files().find(name);
    QFTP_FUZZ_CHECK(it != store.files().end() && it->second == data);
  }

  // AT+QFDWL of a stored file from the start of a line: its bytes, then +QFDWL: <size>,<sum>.
  void checked_download(Reader& in) {
    const bool ram = in.byte() % 2;
    const auto& store = ram ? modem_.ram() : modem_.ufs();
    if (store.files().empty() || !at_line_start()) return;
    auto it = store.files().begin();
    std::advance(it, in.byte() % store.files().size());
    const std::string name = it->first;
    const std::string content = it->second;
    modem_.send("AT+QFDWL=\"" + std::string(ram ? "RAM:" : "") + name + "\"\r");
    for (int i = 0; i < 4000 && modem_.engine().in_data_mode(); ++i) modem_.advance(1000);
    const std::string out = modem_.take_output();
    QFTP_FUZZ_CHECK(!modem_.engine().in_data_mode());
    const std::string trailer = "\r\n+QFDWL: " + std::to_string(content.size()) + "," +
                                qftp::modem::file_checksum(content) + "\r\n";
    const std::string head = "\r\nCONNECT\r\n";
    if (out.compare(0, head.size(), head) != 0) return;  // refused: a name the engine rejects
    QFTP_FUZZ_CHECK(out.compare(head.size(), content.size(), content) == 0);
    QFTP_FUZZ_CHECK(out.compare(head.size() + content.size(), trailer.size(), trailer) == 0);
  }

  // Command mode with nothing of a line typed, ATE0 and ATV1: what the checked steps start from.
  bool at_line_start() {
    modem_.send("\rATE0V1Q0\r");
    modem_.take_output();
    if (modem_.engine().in_data_mode()) return false;
    modem_.send("AT\r");
    return modem_.take_output() == "\r\nOK\r\n";
  }

  void check_stores() {
    const auto check = [](const qftp::modem::MemStore& s) {
      QFTP_FUZZ_CHECK(s.used() <= s.capacity());
      for (const auto& [name, content] : s.files()) {
        QFTP_FUZZ_CHECK(content.size() <= s.per_file_limit());
      }
    };
    check(modem_.ufs());
    check(modem_.ram());
    check(modem_.sd());
  }

  qftp::testing::VirtualModem modem_;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > kMaxInput) return 0;
  Reader in(data, size);
  FileSession session(in.byte() % 2 == 1);
  while (!in.empty()) session.step(in);
  session.finish();
  return 0;
}
