// Parsing of device profile files: "key = value" lines into a DeviceProfile.
#include "core/modem/device_profile.h"

#include <charconv>
#include <functional>
#include <map>

namespace qftp::modem {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

template <typename T>
bool parse_number(std::string_view s, T& out) {
  T value{};
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (ec != std::errc() || end != s.data() + s.size() || value < 0) return false;
  out = value;
  return true;
}

bool parse_bool(std::string_view s, bool& out) {
  if (s == "true" || s == "yes" || s == "1") return out = true, true;
  if (s == "false" || s == "no" || s == "0") return out = false, true;
  return false;
}

// A comma-separated list of URC names: "+QFTPSTAT, +QFTPLEN".
bool parse_urc_list(std::string_view s, std::set<std::string, std::less<>>& out) {
  out.clear();
  while (!s.empty()) {
    const auto comma = s.find(',');
    const auto item = trim(s.substr(0, comma));
    if (item.size() < 2 || item.front() != '+') return false;
    out.emplace(item);
    if (comma == std::string_view::npos) break;
    s.remove_prefix(comma + 1);
  }
  return true;
}

using Setter = std::function<bool(DeviceProfile&, std::string_view)>;

const std::map<std::string, Setter, std::less<>>& setters() {
  static const std::map<std::string, Setter, std::less<>> table = {
      {"manufacturer", [](DeviceProfile& p, std::string_view v) { p.manufacturer = v; return !v.empty(); }},
      {"model", [](DeviceProfile& p, std::string_view v) { p.model = v; return !v.empty(); }},
      {"revision", [](DeviceProfile& p, std::string_view v) { p.revision = v; return !v.empty(); }},
      {"imei", [](DeviceProfile& p, std::string_view v) { p.imei = v; return !v.empty(); }},
      {"guard_ms", [](DeviceProfile& p, std::string_view v) { return parse_number(v, p.guard_ms); }},
      {"gap_ms", [](DeviceProfile& p, std::string_view v) { return parse_number(v, p.gap_ms) && p.gap_ms > 0; }},
      {"spaced_urcs", [](DeviceProfile& p, std::string_view v) { return parse_urc_list(v, p.spaced_urcs); }},
      {"has_sd", [](DeviceProfile& p, std::string_view v) { return parse_bool(v, p.has_sd); }},
      {"has_ram", [](DeviceProfile& p, std::string_view v) { return parse_bool(v, p.has_ram); }},
      {"ufs_capacity", [](DeviceProfile& p, std::string_view v) { return parse_number(v, p.ufs_capacity); }},
      {"ram_file_size", [](DeviceProfile& p, std::string_view v) { return parse_number(v, p.ram_file_size); }},
      {"path_read_ok_first", [](DeviceProfile& p, std::string_view v) { return parse_bool(v, p.path_read_ok_first); }},
      {"has_ufs", [](DeviceProfile& p, std::string_view v) { return parse_bool(v, p.has_ufs); }},
      {"ftp_file_commands", [](DeviceProfile& p, std::string_view v) { return parse_bool(v, p.ftp_file_commands); }},
      {"ftp_rmdir", [](DeviceProfile& p, std::string_view v) { return parse_bool(v, p.ftp_rmdir); }},
      {"ftp_listing", [](DeviceProfile& p, std::string_view v) { return parse_bool(v, p.ftp_listing); }},
      {"get_expected_size", [](DeviceProfile& p, std::string_view v) { return parse_bool(v, p.get_expected_size); }},
      {"cfg_type6", [](DeviceProfile& p, std::string_view v) { return parse_bool(v, p.cfg_type6); }},
      {"out_of_memory_code", [](DeviceProfile& p, std::string_view v) { return parse_bool(v, p.out_of_memory_code); }},
      {"file_commands", [](DeviceProfile& p, std::string_view v) { return parse_bool(v, p.file_commands); }},
      {"startup_commands", [](DeviceProfile& p, std::string_view v) { return parse_bool(v, p.startup_commands); }},
      {"cme_errors", [](DeviceProfile& p, std::string_view v) { return parse_bool(v, p.cme_errors); }},
      {"file_errors_40xx", [](DeviceProfile& p, std::string_view v) { return parse_bool(v, p.file_errors_40xx); }},
      {"connect_timeout_ms", [](DeviceProfile& p, std::string_view v) { return parse_number(v, p.connect_timeout_ms); }},
      {"reply_timeout_ms", [](DeviceProfile& p, std::string_view v) { return parse_number(v, p.reply_timeout_ms); }},
      {"data_timeout_ms", [](DeviceProfile& p, std::string_view v) { return parse_number(v, p.data_timeout_ms); }},
  };
  return table;
}

}  // namespace

std::variant<DeviceProfile, std::string> parse_profile(std::string_view text) {
  DeviceProfile profile;
  int line_no = 0;
  while (!text.empty()) {
    ++line_no;
    const auto nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
    if (const auto hash = line.find('#'); hash != std::string_view::npos) line = line.substr(0, hash);
    line = trim(line);
    if (line.empty()) continue;
    const auto eq = line.find('=');
    if (eq == std::string_view::npos) {
      return "line " + std::to_string(line_no) + ": expected key = value";
    }
    const auto key = trim(line.substr(0, eq));
    const auto value = trim(line.substr(eq + 1));
    const auto it = setters().find(key);
    if (it == setters().end()) {
      return "line " + std::to_string(line_no) + ": unknown key '" + std::string(key) + "'";
    }
    if (!it->second(profile, value)) {
      return "line " + std::to_string(line_no) + ": bad value for '" + std::string(key) + "'";
    }
  }
  return profile;
}

}  // namespace qftp::modem
