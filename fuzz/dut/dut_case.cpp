// dut_case.cpp: steps, their printable form and their JSON (the replay file's "steps").
#include "dut_case.h"

#include "core/common/printable.h"
#include "testing/transcript.h"

namespace qftp::dutfuzz {

namespace {

std::string kind_name(Step::Kind kind) {
  switch (kind) {
    case Step::Kind::send: return "send";
    case Step::Kind::fault: return "fault";
    case Step::Kind::reopen: return "reopen";
    case Step::Kind::server_file: return "server-file";
  }
  return "send";
}

// Bytes in JSON keep every value 0x00-0xFF: printable ASCII as is, the rest as \xNN (printable()).
std::string encode(std::string_view bytes) { return qftp::printable(bytes); }

}  // namespace

std::string describe(const Step& step) {
  std::string out = kind_name(step.kind);
  if (step.kind == Step::Kind::send) out += " \"" + encode(step.bytes) + "\"";
  if (step.kind == Step::Kind::fault) out += " " + step.text;
  if (step.kind == Step::Kind::server_file) {
    out += " " + step.text + " (" + std::to_string(step.bytes.size()) + " bytes)";
  }
  if (step.pause_ms != 0) out += " after " + std::to_string(step.pause_ms) + " ms";
  if (step.gap_ms != 0) out += " gap " + std::to_string(step.gap_ms) + " ms";
  return out;
}

std::string first_command(const Step& step) {
  if (step.kind != Step::Kind::send) return describe(step);
  std::string_view b = step.bytes;
  const auto end = b.find_first_of("\r\n");
  if (end != std::string_view::npos && end > 0) b = b.substr(0, end);
  if (b.size() > 60) b = b.substr(0, 60);
  return encode(b);
}

nlohmann::json to_json(const Case& c) {
  nlohmann::json steps = nlohmann::json::array();
  for (const Step& s : c.steps) {
    nlohmann::json j{{"kind", kind_name(s.kind)}};
    if (s.kind == Step::Kind::send || s.kind == Step::Kind::server_file) j["bytes"] = encode(s.bytes);
    if (s.kind == Step::Kind::fault) j["directive"] = s.text;
    if (s.kind == Step::Kind::server_file) j["path"] = s.text;
    if (s.pause_ms != 0) j["pause_ms"] = s.pause_ms;
    if (s.gap_ms != 0) j["gap_ms"] = s.gap_ms;
    steps.push_back(std::move(j));
  }
  return nlohmann::json{{"origin", c.origin}, {"steps", std::move(steps)}};
}

Result<Case> case_from_json(const nlohmann::json& j) {
  if (!j.is_object() || !j.contains("steps") || !j["steps"].is_array()) {
    return te::make_error("a case is an object with an array \"steps\"");
  }
  Case c;
  c.origin = j.value("origin", std::string("replay"));
  std::size_t n = 0;
  for (const auto& js : j["steps"]) {
    ++n;
    const std::string where = "step " + std::to_string(n) + ": ";
    if (!js.is_object() || !js.contains("kind") || !js["kind"].is_string()) {
      return te::make_error(where + "needs a \"kind\" (send, fault, reopen)");
    }
    Step s;
    const std::string kind = js["kind"].get<std::string>();
    try {
      if (kind == "send") {
        // The transcript library reads printable()'s escapes back (\r \n \\ \xNN).
        s.bytes = transcript::unescape(js.at("bytes").get<std::string>());
      } else if (kind == "fault") {
        s.kind = Step::Kind::fault;
        s.text = js.at("directive").get<std::string>();
      } else if (kind == "reopen") {
        s.kind = Step::Kind::reopen;
      } else if (kind == "server-file") {
        s.kind = Step::Kind::server_file;
        s.text = js.at("path").get<std::string>();
        s.bytes = transcript::unescape(js.at("bytes").get<std::string>());
        if (s.text.empty() || s.text.find("..") != std::string::npos) {
          return te::make_error(where + "a server file needs a path inside the root");
        }
      } else {
        return te::make_error(where + "unknown kind \"" + kind + "\"");
      }
      s.pause_ms = js.value("pause_ms", std::uint32_t{0});
      s.gap_ms = js.value("gap_ms", std::uint32_t{0});
    } catch (const std::exception& e) {  // a wrong type, a bad hex escape
      return te::make_error(where + e.what());
    }
    c.steps.push_back(std::move(s));
  }
  return c;
}

std::vector<Step> split_lines(std::string_view bytes) {
  std::vector<Step> out;
  while (!bytes.empty()) {
    const auto cr = bytes.find('\r');
    const std::size_t n = cr == std::string_view::npos ? bytes.size() : cr + 1;
    Step s;
    s.bytes = std::string(bytes.substr(0, n));
    out.push_back(std::move(s));
    bytes.remove_prefix(n);
  }
  return out;
}

}  // namespace qftp::dutfuzz
