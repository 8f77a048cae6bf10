// emulator.cpp: starting qftp-emu, its READY line, its links and its control.
#include "emulator.h"

#include <fstream>
#include <iterator>
#include <stdexcept>
#include <utility>

namespace qftp::e2e {

namespace fs = std::filesystem;

namespace {

constexpr std::chrono::seconds kStart{10};

std::optional<std::uint16_t> port_of(std::string_view text) {
  if (text.empty() || text.size() > 5 ||
      text.find_first_not_of("0123456789") != std::string_view::npos)
    return std::nullopt;
  const unsigned long value = std::stoul(std::string(text));
  if (value == 0 || value > 65535) return std::nullopt;
  return static_cast<std::uint16_t>(value);
}

std::vector<std::string> options_of(const fs::path& work, const fs::path& ufs, const fs::path& log,
                                    const Emulator::Options& o) {
  std::vector<std::string> args;
  if (o.tcp) {
    args = {"--tcp", "127.0.0.1:0"};
  } else {
    args = {"--pty"};
    if (!o.link.empty()) args.insert(args.end(), {"--link", o.link.string()});
  }
  if (!o.profile_text.empty()) {
    std::ofstream(work / "device.profile") << o.profile_text;
    args.insert(args.end(), {"--profile", (work / "device.profile").string()});
  }
  args.insert(args.end(),
              {"--ufs-dir", ufs.string(), "--log", log.string(), "--control", "127.0.0.1:0"});
  args.insert(args.end(), o.args.begin(), o.args.end());
  return args;
}

}  // namespace

TempDir::TempDir(const std::string& prefix) {
  std::string pattern = (fs::temp_directory_path() / (prefix + "XXXXXX")).string();
  if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp " + pattern);
  path_ = pattern;
}

TempDir::TempDir(TempDir&& other) noexcept : path_(std::exchange(other.path_, {})) {}

TempDir::~TempDir() {
  std::error_code ec;
  if (!path_.empty()) fs::remove_all(path_, ec);
}

std::optional<ReadyLine> parse_ready(std::string_view line) {
  ReadyLine r;
  const auto word = [&line]() {
    const auto space = line.find(' ');
    std::string_view w = line.substr(0, space);
    line = space == std::string_view::npos ? std::string_view() : line.substr(space + 1);
    return w;
  };
  if (word() != "READY") return std::nullopt;
  const std::string_view kind = word();
  const std::string_view where = word();
  if (kind == "pty") {
    if (where.rfind("/dev/", 0) != 0) return std::nullopt;
    r.device = where;
  } else if (kind == "tcp") {
    const auto colon = where.rfind(':');
    const auto port =
        colon == std::string_view::npos ? std::nullopt : port_of(where.substr(colon + 1));
    if (!port) return std::nullopt;
    r.tcp = true;
    r.host = where.substr(0, colon);
    r.port = *port;
  } else {
    return std::nullopt;
  }
  if (!line.empty()) {
    const std::string_view control = word();
    const auto colon = control.rfind(':');
    if (control.rfind("control=", 0) != 0 || colon == std::string_view::npos) return std::nullopt;
    const auto port = port_of(control.substr(colon + 1));
    if (!port || !line.empty()) return std::nullopt;
    r.control_port = *port;
  }
  return r;
}

Emulator::Emulator(Options options)
    : work_("qftp-e2e-emu-"),
      ufs_dir_((fs::create_directory(work_.path() / "ufs"), work_.path() / "ufs")),
      log_(work_.path() / "wire.log"),
      process_(Process::emulator(options_of(work_.path(), ufs_dir_, log_, options),
                                 {{}, work_.path() / "stderr.txt"})) {
  const auto line = process_.read_line(kStart);
  std::ifstream err(work_.path() / "stderr.txt");
  const std::string why(std::istreambuf_iterator<char>(err), {});
  if (!line) throw std::runtime_error("qftp-emu printed no READY line: " + why);
  const auto ready = parse_ready(*line);
  if (!ready) throw std::runtime_error("qftp-emu's READY line is malformed: " + *line);
  ready_ = *ready;
}

ByteLink Emulator::link() const {
  return ready_.tcp ? ByteLink::connect_tcp(ready_.port) : ByteLink::open_pty(ready_.device);
}

std::string Emulator::control(std::string_view line) {
  auto link = ByteLink::connect_tcp(ready_.control_port);
  if (!link.send(std::string(line) + "\n")) return {};
  auto reply = link.read_until("\n", kStart);
  if (!reply) return {};
  reply->pop_back();
  return *reply;
}

std::string Emulator::log_tail(std::size_t max_bytes) const {
  std::ifstream in(log_, std::ios::binary);
  const std::string text(std::istreambuf_iterator<char>(in), {});
  return text.size() > max_bytes ? text.substr(text.size() - max_bytes) : text;
}

}  // namespace qftp::e2e
