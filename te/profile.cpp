// profile.cpp: PICS/PIXIT profiles from JSON (strict: unknown keys and wrong types are errors), and
// the qftp-emu device profile derived from one.
#include "te/profile.h"

#include <fstream>
#include <vector>
#include <nlohmann/json.hpp>
#include <sstream>

namespace qftp::te {
namespace {

using nlohmann::json;

// Reads the members of one JSON object, refusing members nobody asked for.
class ObjectReader {
 public:
  ObjectReader(const json& object, std::string where) : object_(object), where_(std::move(where)) {}

  template <class T>
  void get(const char* key, T& out) {
    seen_.insert(key);
    const auto it = object_.find(key);
    if (it == object_.end() || it->is_null()) return;
    try {
      out = it->template get<T>();
    } catch (const json::exception&) {
      fail(std::string("bad value for \"") + key + "\"");
    }
  }

  template <class T>
  void get(const char* key, std::optional<T>& out) {
    seen_.insert(key);
    const auto it = object_.find(key);
    if (it == object_.end() || it->is_null()) {
      out.reset();
      return;
    }
    try {
      out = it->template get<T>();
    } catch (const json::exception&) {
      fail(std::string("bad value for \"") + key + "\"");
    }
  }

  // An integer within [lo, hi]: a negative value, an overflow or a fraction is refused with the key
  // and the range, rather than wrapped into an unsigned field.
  template <class T>
  void get_int(const char* key, T& out, std::int64_t lo, std::int64_t hi) {
    std::optional<T> value;
    get_int(key, value, lo, hi);
    if (value) out = *value;
  }

  template <class T>
  void get_int(const char* key, std::optional<T>& out, std::int64_t lo, std::int64_t hi) {
    seen_.insert(key);
    const auto it = object_.find(key);
    if (it == object_.end() || it->is_null()) return;
    const std::string range = " (allowed: " + std::to_string(lo) + ".." + std::to_string(hi) + ")";
    if (!it->is_number_integer()) {
      fail("\"" + std::string(key) + "\" must be a whole number" + range + ", not " + it->dump());
      return;
    }
    const bool too_big =
        it->is_number_unsigned() && it->get<std::uint64_t>() > static_cast<std::uint64_t>(hi);
    if (too_big || it->get<std::int64_t>() < lo || it->get<std::int64_t>() > hi) {
      fail("\"" + std::string(key) + "\" is " + it->dump() + ", out of range" + range);
      return;
    }
    out = static_cast<T>(it->get<std::int64_t>());
  }

  // A string of [min, max] characters.
  void get_text(const char* key, std::string& out, std::size_t min, std::size_t max) {
    std::optional<std::string> value;
    get(key, value);
    if (!value) return;
    if (value->size() < min || value->size() > max) {
      fail("\"" + std::string(key) + "\" must have " + std::to_string(min) + " to " +
           std::to_string(max) + " characters, not " + std::to_string(value->size()));
      return;
    }
    out = *value;
  }

  const json* child(const char* key) {
    seen_.insert(key);
    const auto it = object_.find(key);
    if (it == object_.end()) return nullptr;
    if (!it->is_object()) {
      fail(std::string("\"") + key + "\" must be an object");
      return nullptr;
    }
    return &*it;
  }

  void fail(const std::string& why) {
    if (error_.empty()) error_ = where_ + ": " + why;
  }

  // The first problem, including keys that were never asked for.
  std::string finish() {
    for (const auto& [key, value] : object_.items()) {
      if (seen_.count(key) == 0) fail("unknown key \"" + key + "\"");
    }
    return error_;
  }

 private:
  const json& object_;
  std::string where_;
  std::set<std::string> seen_;
  std::string error_;
};

// nlohmann keeps the last of two equal keys; a profile that says a value twice is refused instead,
// since one of the two is a mistake and nobody can tell which.
std::string duplicate_key(std::string_view text) {
  std::vector<std::set<std::string>> open;  // the keys of each object being parsed
  std::string duplicate;
  const json::parser_callback_t watch = [&](int, json::parse_event_t event, json& parsed) {
    if (event == json::parse_event_t::object_start) {
      open.emplace_back();
    } else if (event == json::parse_event_t::object_end && !open.empty()) {
      open.pop_back();
    } else if (event == json::parse_event_t::key && !open.empty() &&
               !open.back().insert(parsed.get<std::string>()).second && duplicate.empty()) {
      duplicate = parsed.get<std::string>();
    }
    return true;
  };
  try {
    const json parsed = json::parse(text, watch);
    static_cast<void>(parsed);
  } catch (const json::exception&) {
    return {};  // reported by the real parse
  }
  return duplicate;
}

bool parse_port_range(const std::string& text, std::pair<std::uint16_t, std::uint16_t>& out) {
  unsigned lo = 0;
  unsigned hi = 0;
  char dash = 0;
  std::istringstream in(text);
  if (!(in >> lo >> dash >> hi) || dash != '-' || lo == 0 || hi > 65535 || lo > hi) return false;
  out = {static_cast<std::uint16_t>(lo), static_cast<std::uint16_t>(hi)};
  return true;
}

}  // namespace

Result<Profile> parse_profile_json(std::string_view text) {
  json doc;
  try {
    doc = json::parse(text);
  } catch (const json::exception& e) {
    return make_error(std::string("not JSON: ") + e.what());
  }
  if (!doc.is_object()) return make_error("a profile is a JSON object");
  if (const auto key = duplicate_key(text); !key.empty())
    return make_error("the key \"" + key + "\" is given twice");
  Profile p;
  ObjectReader top(doc, "profile");
  top.get("name", p.name);
  top.get("description", p.description);
  std::string errors;
  if (const json* pics = top.child("pics")) {
    ObjectReader r(*pics, "pics");
    r.get("has_ufs", p.pics.has_ufs);
    r.get("has_sd", p.pics.has_sd);
    r.get("has_ram", p.pics.has_ram);
    r.get("active_mode", p.pics.active_mode);
    r.get("ascii_type", p.pics.ascii_type);
    r.get("resume", p.pics.resume);
    r.get("numeric_results", p.pics.numeric_results);
    r.get("context_commands", p.pics.context_commands);
    r.get("field_ftp_commands", p.pics.field_ftp_commands);
    r.get("ftp_rmdir", p.pics.ftp_rmdir);
    r.get("ftp_listing", p.pics.ftp_listing);
    r.get("get_expected_size", p.pics.get_expected_size);
    r.get("cfg_type6", p.pics.cfg_type6);
    r.get("out_of_memory_code", p.pics.out_of_memory_code);
    r.get("file_commands", p.pics.file_commands);
    r.get("startup_commands", p.pics.startup_commands);
    r.get("cme_errors", p.pics.cme_errors);
    r.get("host_link_hangup", p.pics.host_link_hangup);
    if (auto e = r.finish(); !e.empty()) return make_error(e);
  }
  if (const json* pixit = top.child("pixit")) {
    Pixit& x = p.pixit;
    ObjectReader r(*pixit, "pixit");
    r.get_text("fixture_host", x.fixture_host, 1, 100);  // ruling 4: hostName up to 100
    r.get_text("fixture_bind", x.fixture_bind, 1, 100);
    r.get_int("fixture_port", x.fixture_port, 0, 65535);
    r.get("fixture_masquerade", x.fixture_masquerade);
    std::optional<std::string> passive;
    r.get("fixture_passive_ports", passive);
    if (passive) {
      std::pair<std::uint16_t, std::uint16_t> range;
      if (!parse_port_range(*passive, range))
        r.fail("\"fixture_passive_ports\" must be \"LO-HI\" with 1 <= LO <= HI <= 65535");
      x.fixture_passive_ports = range;
    }
    r.get("fixture_domain_name", x.fixture_domain_name);
    r.get_text("unresolvable_name", x.unresolvable_name, 1, 100);
    r.get_text("apn", x.apn, 0, 100);
    r.get_text("user", x.user, 1, 30);          // ruling 4: userName up to 30
    r.get_text("password", x.password, 0, 30);  // ruling 4: password up to 30
    constexpr std::int64_t kHour = 3'600'000;
    r.get_int("command_timeout_ms", x.command_timeout_ms, 1, kHour);
    r.get_int("urc_timeout_ms", x.urc_timeout_ms, 1, kHour);
    r.get_int("transfer_timeout_ms", x.transfer_timeout_ms, 1, kHour);
    r.get_int("case_timeout_ms", x.case_timeout_ms, 1000, 24 * kHour);
    r.get_int("dut_connect_timeout_ms", x.dut_connect_timeout_ms, 1, kHour);
    r.get_int("dut_reply_timeout_ms", x.dut_reply_timeout_ms, 1, kHour);
    r.get_int("dut_data_timeout_ms", x.dut_data_timeout_ms, 1, kHour);
    r.get_int("guard_ms", x.guard_ms, 0, 60'000);
    r.get_int("gap_ms", x.gap_ms, 1, 60'000);
    r.get_int("hangup_hold_ms", x.hangup_hold_ms, 1, 60'000);
    std::optional<std::vector<std::string>> spaced;
    r.get("spaced_urcs", spaced);
    if (spaced) x.spaced_urcs = {spaced->begin(), spaced->end()};
    r.get("path_read_ok_first", x.path_read_ok_first);
    r.get("long_waits", x.long_waits);
    r.get_int("ufs_capacity", x.ufs_capacity, 0, std::int64_t{1} << 40);
    r.get_int("ram_file_size", x.ram_file_size, 1, std::int64_t{1} << 32);
    r.get_text("file_error_codes", x.file_error_codes, 4, 4);
    if (x.file_error_codes != "39xx" && x.file_error_codes != "40xx")
      r.fail("\"file_error_codes\" must be \"39xx\" or \"40xx\"");
    if (auto e = r.finish(); !e.empty()) return make_error(e);
  }
  if (const json* emu = top.child("emulator")) {
    ObjectReader r(*emu, "emulator");
    r.get_text("model", p.emulator.model, 1, 64);
    r.get_text("revision", p.emulator.revision, 1, 64);
    r.get_text("imei", p.emulator.imei, 1, 32);
    if (auto e = r.finish(); !e.empty()) return make_error(e);
  }
  if (auto e = top.finish(); !e.empty()) return make_error(e);
  return p;
}

Result<Profile> load_profile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return make_error("cannot read profile " + path.string());
  std::stringstream text;
  text << in.rdbuf();
  auto parsed = parse_profile_json(text.str());
  if (!parsed) return make_error(path.string() + ": " + parsed.error());
  parsed->source = path;
  return parsed;
}

std::optional<bool> pics_value(const Pics& p, std::string_view name) {
  const std::pair<std::string_view, bool> table[] = {
      {"has_ufs", p.has_ufs},
      {"has_sd", p.has_sd},
      {"has_ram", p.has_ram},
      {"active_mode", p.active_mode},
      {"ascii_type", p.ascii_type},
      {"resume", p.resume},
      {"numeric_results", p.numeric_results},
      {"context_commands", p.context_commands},
      {"field_ftp_commands", p.field_ftp_commands},
      {"ftp_rmdir", p.ftp_rmdir},
      {"ftp_listing", p.ftp_listing},
      {"get_expected_size", p.get_expected_size},
      {"cfg_type6", p.cfg_type6},
      {"out_of_memory_code", p.out_of_memory_code},
      {"file_commands", p.file_commands},
      {"startup_commands", p.startup_commands},
      {"cme_errors", p.cme_errors},
      {"host_link_hangup", p.host_link_hangup},
  };
  for (const auto& [key, value] : table) {
    if (key == name) return value;
  }
  return std::nullopt;
}

std::string emulator_profile_text(const Profile& profile) {
  const Pixit& x = profile.pixit;
  std::ostringstream out;
  out << "# Written by qftp-conformance from the profile \"" << profile.name << "\".\n";
  out << "model = " << profile.emulator.model << "\n";
  out << "revision = " << profile.emulator.revision << "\n";
  out << "imei = " << profile.emulator.imei << "\n";
  out << "guard_ms = " << x.guard_ms << "\n";
  out << "gap_ms = " << x.gap_ms << "\n";
  out << "spaced_urcs = ";
  bool first = true;
  for (const auto& name : x.spaced_urcs) {
    out << (first ? "" : ", ") << name;
    first = false;
  }
  out << "\n";
  const Pics& f = profile.pics;
  auto flag = [&out](const char* key, bool on) { out << key << " = " << (on ? "true" : "false") << "\n"; };
  flag("has_ufs", f.has_ufs);
  flag("ftp_file_commands", f.field_ftp_commands);
  flag("ftp_rmdir", f.ftp_rmdir);
  flag("ftp_listing", f.ftp_listing);
  flag("get_expected_size", f.get_expected_size);
  flag("cfg_type6", f.cfg_type6);
  flag("out_of_memory_code", f.out_of_memory_code);
  flag("file_commands", f.file_commands);
  flag("startup_commands", f.startup_commands);
  flag("cme_errors", f.cme_errors);
  out << "has_sd = " << (profile.pics.has_sd ? "true" : "false") << "\n";
  out << "has_ram = " << (profile.pics.has_ram ? "true" : "false") << "\n";
  if (x.ufs_capacity) out << "ufs_capacity = " << *x.ufs_capacity << "\n";
  out << "ram_file_size = " << x.ram_file_size << "\n";
  out << "file_errors_40xx = " << (x.file_error_codes == "40xx" ? "true" : "false") << "\n";
  out << "path_read_ok_first = " << (x.path_read_ok_first ? "true" : "false") << "\n";
  if (x.dut_connect_timeout_ms) out << "connect_timeout_ms = " << *x.dut_connect_timeout_ms << "\n";
  if (x.dut_reply_timeout_ms) out << "reply_timeout_ms = " << *x.dut_reply_timeout_ms << "\n";
  if (x.dut_data_timeout_ms) out << "data_timeout_ms = " << *x.dut_data_timeout_ms << "\n";
  return out.str();
}

}  // namespace qftp::te
