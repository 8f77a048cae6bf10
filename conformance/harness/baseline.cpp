// baseline.cpp: reading and writing baseline files (baseline.h). YAML is read through yaml-cpp into
// the same JSON tree, so one parser checks both forms.
#include "harness/baseline.h"

#include <yaml-cpp/yaml.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

namespace qftp::harness {
namespace {

using nlohmann::json;

json from_yaml(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Map: {
      json out = json::object();
      for (const auto& kv : node) out[kv.first.as<std::string>()] = from_yaml(kv.second);
      return out;
    }
    case YAML::NodeType::Sequence: {
      json out = json::array();
      for (const auto& item : node) out.push_back(from_yaml(item));
      return out;
    }
    case YAML::NodeType::Scalar:
      return node.as<std::string>();
    default:
      return nullptr;
  }
}

void to_yaml(YAML::Emitter& out, const json& j) {
  if (j.is_object()) {
    out << YAML::BeginMap;
    for (const auto& [k, v] : j.items()) {
      out << YAML::Key << k << YAML::Value;
      to_yaml(out, v);
    }
    out << YAML::EndMap;
  } else if (j.is_array()) {
    out << YAML::BeginSeq;
    for (const auto& v : j) to_yaml(out, v);
    out << YAML::EndSeq;
  } else if (j.is_string()) {
    out << YAML::DoubleQuoted << j.get<std::string>();
  } else {
    out << j.dump();
  }
}

Status check_keys(const json& object, const std::set<std::string>& keys, const std::string& where) {
  if (!object.is_object()) return make_error(where + " must be an object");
  for (const auto& [k, v] : object.items()) {
    if (keys.count(k) == 0) return make_error("unknown key \"" + k + "\" in " + where);
  }
  return {};
}

std::string string_at(const json& object, const char* key) {
  if (!object.contains(key)) return "";
  const auto& v = object.at(key);
  if (!v.is_string()) throw std::invalid_argument(std::string("\"") + key + "\" must be a string");
  return v.get<std::string>();
}

Result<BaselineFile> from_tree(const json& doc, const Inventory& inventory) {
  if (auto st = check_keys(doc, {"about", "firmware"}, "the baseline"); !st)
    return Error{st.error()};
  if (!doc.contains("firmware") || !doc["firmware"].is_array())
    return make_error("the baseline needs a \"firmware\" list");
  BaselineFile file;
  std::set<std::pair<std::string, std::string>> seen;
  try {
    for (const auto& f : doc["firmware"]) {
      if (auto st = check_keys(f, {"gmr", "ati", "requirements"}, "a firmware entry"); !st)
        return Error{st.error()};
      FirmwareBaseline fw;
      fw.gmr = string_at(f, "gmr");
      fw.ati = string_at(f, "ati");
      if (fw.gmr.empty()) return make_error("a firmware entry needs \"gmr\" (AT+GMR as answered)");
      if (!seen.insert({fw.gmr, fw.ati}).second)
        return make_error("firmware \"" + fw.gmr + "\" is listed twice");
      const json reqs = f.value("requirements", json::object());
      if (!reqs.is_object())
        return make_error("\"requirements\" of firmware \"" + fw.gmr + "\" must be an object");
      for (const auto& [id, e] : reqs.items()) {
        const std::string where = "requirement " + id + " of firmware \"" + fw.gmr + "\"";
        if (inventory.find(id) == nullptr)
          return make_error(where + ": no such requirement in the inventory");
        if (auto st = check_keys(e, {"verdict", "reason", "ticket"}, where); !st)
          return Error{st.error()};
        BaselineEntry entry;
        const std::string verdict = string_at(e, "verdict");
        const auto v = verdict_from_name(verdict.empty() ? "fail" : verdict);
        if (!v || (*v != Verdict::fail && *v != Verdict::inconclusive))
          return make_error(where + ": verdict \"" + verdict +
                            "\" is not one a firmware is known for (fail, inconclusive)");
        entry.expected = *v;
        entry.reason = string_at(e, "reason");
        entry.ticket = string_at(e, "ticket");
        if (entry.reason.empty()) return make_error(where + " needs a \"reason\"");
        fw.requirements.emplace(id, std::move(entry));
      }
      file.put(std::move(fw));
    }
  } catch (const std::exception& e) {
    return make_error(e.what());
  }
  return file;
}

}  // namespace

bool BaselineFile::is_yaml(const std::filesystem::path& path) {
  const auto ext = path.extension().string();
  return ext == ".yaml" || ext == ".yml";
}

Result<BaselineFile> BaselineFile::parse(const std::string& text, bool yaml,
                                         const Inventory& inventory) {
  json doc;
  try {
    doc = yaml ? from_yaml(YAML::Load(text)) : json::parse(text);
  } catch (const std::exception& e) {
    return make_error(std::string(yaml ? "not YAML: " : "not JSON: ") + e.what());
  }
  return from_tree(doc, inventory);
}

Result<BaselineFile> load_baseline(const std::filesystem::path& path, const Inventory& inventory) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return make_error("cannot read the baseline " + path.string());
  std::stringstream text;
  text << in.rdbuf();
  auto file = BaselineFile::parse(text.str(), BaselineFile::is_yaml(path), inventory);
  if (!file) return make_error("baseline " + path.string() + ": " + file.error());
  return file;
}

const FirmwareBaseline* BaselineFile::find(const std::string& gmr, const std::string& ati) const {
  for (const auto& f : firmware_) {
    if (f.matches(gmr, ati)) return &f;
  }
  return nullptr;
}

void BaselineFile::put(FirmwareBaseline firmware) {
  for (auto& f : firmware_) {
    if (f.gmr == firmware.gmr && f.ati == firmware.ati) {
      f = std::move(firmware);
      return;
    }
  }
  firmware_.push_back(std::move(firmware));
}

std::string BaselineFile::text(bool yaml) const {
  json doc;
  doc["about"] =
      "qftp-conformance baseline: per firmware (AT+GMR as answered, and ATI where given), the "
      "requirements it is known not to meet, with the verdict expected, the reason and a ticket.";
  doc["firmware"] = json::array();
  for (const auto& f : firmware_) {
    json fw = {{"gmr", f.gmr}};
    if (!f.ati.empty()) fw["ati"] = f.ati;
    json reqs = json::object();
    for (const auto& [id, e] : f.requirements) {
      json entry = {{"verdict", verdict_name(e.expected)}, {"reason", e.reason}};
      if (!e.ticket.empty()) entry["ticket"] = e.ticket;
      reqs[id] = std::move(entry);
    }
    fw["requirements"] = std::move(reqs);
    doc["firmware"].push_back(std::move(fw));
  }
  if (!yaml) return doc.dump(2) + "\n";
  YAML::Emitter out;
  to_yaml(out, doc);
  return std::string(out.c_str()) + "\n";
}

Status BaselineFile::save(const std::filesystem::path& path) const {
  // Written beside and renamed over: an interrupted write never leaves half a baseline.
  const auto tmp = path.string() + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << text(is_yaml(path));
    if (!out) return make_error("cannot write " + tmp);
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) return make_error("cannot write " + path.string() + ": " + ec.message());
  return {};
}

}  // namespace qftp::harness
