// requirements.cpp: loading and validating the requirement inventory: unique IDs, known keys, and
// rulings that exist.
#include "harness/requirements.h"

#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

namespace qftp::harness {

std::string section_of(std::string_view id) {
  return std::string(id.substr(0, id.find('/')));
}

Result<Inventory> Inventory::load(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return make_error("cannot read the requirement inventory " + path.string());
  std::stringstream text;
  text << in.rdbuf();
  auto inv = parse(text.str());
  if (!inv) return make_error(path.string() + ": " + inv.error());
  return inv;
}

Result<Inventory> Inventory::parse(std::string_view json_text) {
  using nlohmann::json;
  json doc;
  try {
    doc = json::parse(json_text);
  } catch (const json::exception& e) {
    return make_error(std::string("not JSON: ") + e.what());
  }
  if (!doc.is_object() || !doc.contains("requirements") || !doc["requirements"].is_array()) {
    return make_error("expected an object with a \"requirements\" array");
  }
  static const std::set<std::string> kKeys = {"id",     "text",   "pics",   "rulings",
                                              "reason", "source", "section"};
  Inventory inv;
  if (doc.contains("sections")) {
    if (!doc["sections"].is_object()) return make_error("\"sections\" must map sections to titles");
    for (const auto& [section, title] : doc["sections"].items()) {
      if (!title.is_string()) return make_error("the title of section " + section + " is no text");
      inv.titles_.emplace(section, title.get<std::string>());
    }
  }
  for (const auto& entry : doc["requirements"]) {
    if (!entry.is_object()) return make_error("every requirement is an object");
    for (const auto& [key, value] : entry.items()) {
      if (kKeys.count(key) == 0)
        return make_error("unknown key \"" + key + "\" in " + entry.dump());
    }
    Requirement r;
    try {
      r.id = entry.at("id").get<std::string>();
      r.text = entry.at("text").get<std::string>();
      r.pics = entry.value("pics", std::string());
      r.rulings = entry.value("rulings", std::vector<std::string>());
      r.reason = entry.value("reason", std::string());
      r.source = entry.value("source", std::string());
      r.section = entry.value("section", section_of(r.id));
    } catch (const json::exception& e) {
      return make_error("bad requirement " + entry.dump() + ": " + e.what());
    }
    if (r.id.find('/') == std::string::npos || r.text.empty()) {
      return make_error("requirement \"" + r.id +
                        "\" needs an ID of the form SECTION/NN and a text");
    }
    if (inv.index_.count(r.id) != 0) return make_error("duplicate requirement ID " + r.id);
    inv.index_.emplace(r.id, inv.items_.size());
    inv.items_.push_back(std::move(r));
  }
  for (const auto& r : inv.items_) {
    for (const auto& ruling : r.rulings) {
      if (inv.index_.count(ruling) == 0) {
        return make_error("requirement " + r.id + " depends on unknown ruling " + ruling);
      }
    }
  }
  return inv;
}

std::string Inventory::section_title(std::string_view section) const {
  const auto it = titles_.find(section);
  return it == titles_.end() ? std::string() : it->second;
}

const Requirement* Inventory::find(std::string_view id) const {
  const auto it = index_.find(id);
  return it == index_.end() ? nullptr : &items_[it->second];
}

}  // namespace qftp::harness
