// profile.cpp: PICS/PIXIT profiles from JSON (strict: unknown keys and wrong types are errors), and
// the qftp-emu device profile derived from one.
#include "harness/profile.h"

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

namespace qftp::harness {
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
    if (auto e = r.finish(); !e.empty()) return make_error(e);
  }
  if (const json* pixit = top.child("pixit")) {
    Pixit& x = p.pixit;
    ObjectReader r(*pixit, "pixit");
    r.get("fixture_host", x.fixture_host);
    r.get("fixture_bind", x.fixture_bind);
    r.get("fixture_port", x.fixture_port);
    r.get("fixture_masquerade", x.fixture_masquerade);
    std::optional<std::string> passive;
    r.get("fixture_passive_ports", passive);
    if (passive) {
      std::pair<std::uint16_t, std::uint16_t> range;
      if (!parse_port_range(*passive, range)) r.fail("fixture_passive_ports must be \"LO-HI\"");
      x.fixture_passive_ports = range;
    }
    r.get("fixture_domain_name", x.fixture_domain_name);
    r.get("unresolvable_name", x.unresolvable_name);
    r.get("apn", x.apn);
    r.get("user", x.user);
    r.get("password", x.password);
    r.get("command_timeout_ms", x.command_timeout_ms);
    r.get("urc_timeout_ms", x.urc_timeout_ms);
    r.get("transfer_timeout_ms", x.transfer_timeout_ms);
    r.get("dut_connect_timeout_ms", x.dut_connect_timeout_ms);
    r.get("dut_reply_timeout_ms", x.dut_reply_timeout_ms);
    r.get("dut_data_timeout_ms", x.dut_data_timeout_ms);
    r.get("guard_ms", x.guard_ms);
    r.get("gap_ms", x.gap_ms);
    std::optional<std::vector<std::string>> spaced;
    r.get("spaced_urcs", spaced);
    if (spaced) x.spaced_urcs = {spaced->begin(), spaced->end()};
    r.get("path_read_ok_first", x.path_read_ok_first);
    r.get("ufs_capacity", x.ufs_capacity);
    r.get("ram_file_size", x.ram_file_size);
    if (auto e = r.finish(); !e.empty()) return make_error(e);
    if (x.gap_ms == 0) return make_error("pixit: gap_ms must be at least 1");
    if (x.command_timeout_ms == 0 || x.urc_timeout_ms == 0 || x.transfer_timeout_ms == 0) {
      return make_error("pixit: timeouts must be positive");
    }
  }
  if (const json* emu = top.child("emulator")) {
    ObjectReader r(*emu, "emulator");
    r.get("model", p.emulator.model);
    r.get("revision", p.emulator.revision);
    r.get("imei", p.emulator.imei);
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
  out << "has_sd = " << (profile.pics.has_sd ? "true" : "false") << "\n";
  out << "has_ram = " << (profile.pics.has_ram ? "true" : "false") << "\n";
  if (x.ufs_capacity) out << "ufs_capacity = " << *x.ufs_capacity << "\n";
  out << "ram_file_size = " << x.ram_file_size << "\n";
  out << "path_read_ok_first = " << (x.path_read_ok_first ? "true" : "false") << "\n";
  if (x.dut_connect_timeout_ms) out << "connect_timeout_ms = " << *x.dut_connect_timeout_ms << "\n";
  if (x.dut_reply_timeout_ms) out << "reply_timeout_ms = " << *x.dut_reply_timeout_ms << "\n";
  if (x.dut_data_timeout_ms) out << "data_timeout_ms = " << *x.dut_data_timeout_ms << "\n";
  return out.str();
}

}  // namespace qftp::harness
