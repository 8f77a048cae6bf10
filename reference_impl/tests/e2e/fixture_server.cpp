// fixture_server.cpp: starting the fixture and speaking its control protocol
// (fixtures/README.md, "Control protocol").
#include "fixture_server.h"

#include <chrono>
#include <fstream>
#include <iterator>
#include <regex>
#include <sstream>
#include <stdexcept>

namespace qftp::e2e {

namespace {

constexpr std::chrono::seconds kStart{15};

}  // namespace

FixtureServer::FixtureServer()
    : work_("qftp-e2e-ftp-"),
      root_((std::filesystem::create_directory(work_.path() / "root"), work_.path() / "root")),
      process_("/usr/bin/python3", {QFTP_FIXTURE_PATH, "--root", root_.string()},
               {{}, work_.path() / "stderr.txt"}) {
  const auto line = process_.read_line(kStart);
  std::smatch m;
  const std::regex ready("^READY ftp=([0-9]+) control=([0-9]+)$");
  if (!line || !std::regex_match(*line, m, ready)) {
    std::ifstream err(work_.path() / "stderr.txt");
    throw std::runtime_error("the FTP fixture did not start: " +
                             std::string(std::istreambuf_iterator<char>(err), {}));
  }
  ftp_port_ = static_cast<std::uint16_t>(std::stoul(m[1]));
  control_port_ = static_cast<std::uint16_t>(std::stoul(m[2]));
}

std::string FixtureServer::request(std::string_view line) {
  auto link = ByteLink::connect_tcp(control_port_);
  if (!link.send(std::string(line) + "\n")) return {};
  auto reply = link.read_until("\n", kStart);
  if (!reply) return {};
  reply->pop_back();
  return *reply;
}

std::vector<std::string> FixtureServer::listing(std::string_view line) {
  auto link = ByteLink::connect_tcp(control_port_);
  std::vector<std::string> out;
  if (!link.send(std::string(line) + "\n")) return out;
  for (;;) {
    auto reply = link.read_until("\n", kStart);
    if (!reply) return out;
    reply->pop_back();
    if (*reply == "END") return out;
    out.push_back(std::move(*reply));
  }
}

std::vector<std::string> FixtureServer::commands() {
  // "<t> <session> CMD <text>"
  std::vector<std::string> out;
  for (const auto& entry : listing("LOG")) {
    std::istringstream in(entry);
    std::string t, session, kind;
    in >> t >> session >> kind;
    if (kind != "CMD") continue;
    std::string text;
    std::getline(in, text);
    out.push_back(text.empty() ? text : text.substr(1));
  }
  return out;
}

}  // namespace qftp::e2e
