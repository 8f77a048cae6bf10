// Spec chapter 4's examples as the conformance suite plays them (its transcripts, the only copy),
// played on the virtual modem against the FTP server model: the same lines, set-up, faults and
// file checks, in virtual time. Each runs on the profile whose PICS it needs (the M33 for /SD/ and
// /RAM/), so that none is skipped.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/common/printable.h"
#include "core/modem/device_profile.h"
#include "testing/transcript.h"
#include "testing/virtual_modem.h"

namespace {

namespace fs = std::filesystem;
namespace tr = qftp::transcript;
using qftp::modem::DeviceProfile;
using qftp::testing::VirtualModem;

// How long the player waits, in virtual time, for what a line expects: the modem's longest
// timeout and then some.
constexpr qftp::TimeMs kPatience = 600000;
constexpr qftp::TimeMs kStep = 100;

DeviceProfile m33() {
  std::ifstream in(fs::path(QFTP_PROFILE_DIR) / "m33.profile");
  std::stringstream text;
  text << in.rdbuf();
  auto parsed = qftp::modem::parse_profile(text.str());
  if (const auto* why = std::get_if<std::string>(&parsed)) throw std::runtime_error(*why);
  return std::get<DeviceProfile>(parsed);
}

// The field transcripts (f_*.txt, docs/field-facts.md §8) need the field profiles: the OpenCPU
// RIL's an MC60, the others an M95.
DeviceProfile shipped(const char* name) {
  std::ifstream in(fs::path(QFTP_PROFILE_DIR) / name);
  std::stringstream text;
  text << in.rdbuf();
  auto parsed = qftp::modem::parse_profile(text.str());
  if (const auto* why = std::get_if<std::string>(&parsed)) throw std::runtime_error(*why);
  return std::get<DeviceProfile>(parsed);
}

bool needs_m33(const tr::Transcript& t) {
  return std::any_of(t.lines.begin(), t.lines.end(), [](const tr::Line& l) {
    return l.kind == "pics" && (l.text == "has_sd" || l.text == "has_ram");
  });
}

class Player {
 public:
  explicit Player(const DeviceProfile& profile) : profile_(profile), modem_(profile) {
    modem_.send("ATE0\r");
    modem_.take_output();
  }

  void play(const tr::Transcript& t) {
    for (const auto& l : t.lines) {
      SCOPED_TRACE(t.path.filename().string() + ":" + std::to_string(l.number) + ": " + l.text);
      step(l);
      if (::testing::Test::HasFatalFailure()) return;
    }
  }

 private:
  static std::string substitute(std::string text) {
    return tr::substitute(std::move(text), {"ftp.example", "21", "quectel", "123456", "CMNET"});
  }

  static std::string bytes_of(const std::vector<std::string>& w, std::size_t first) {
    auto s = tr::slice(w, first);
    if (s.index() == 1) throw std::runtime_error(std::get<1>(s));
    return std::get<0>(s);
  }

  qftp::modem::MemStore& store(const std::string& root) {
    if (root == "/SD/") return modem_.sd();
    if (root == "/RAM/") return modem_.ram();
    return modem_.ufs();
  }

  // Waits in virtual time until the output holds `n` bytes.
  bool await(std::size_t n) {
    for (qftp::TimeMs waited = 0; out_.size() < n && waited < kPatience; waited += kStep) {
      out_ += modem_.take_output();
      if (out_.size() < n) modem_.advance(kStep);
    }
    out_ += modem_.take_output();
    return out_.size() >= n;
  }

  // The next non-empty line the modem writes.
  std::string next_line() {
    for (qftp::TimeMs waited = 0; waited <= kPatience; waited += kStep) {
      out_ += modem_.take_output();
      while (out_.rfind("\r\n", 0) == 0) out_.erase(0, 2);
      const auto end = out_.find("\r\n");
      if (end != std::string::npos) {
        std::string line = out_.substr(0, end);
        out_.erase(0, end + 2);
        return line;
      }
      modem_.advance(kStep);
    }
    ADD_FAILURE() << "no line from the modem; it said \"" << qftp::printable(out_) << "\"";
    return {};
  }

  std::string take(std::size_t n) {
    EXPECT_TRUE(await(n)) << "wanted " << n << " bytes, the modem said " << out_.size();
    std::string got = out_.substr(0, n);
    out_.erase(0, got.size());
    return got;
  }

  void expect_line(const std::string& expected) {
    const std::string got = next_line();
    EXPECT_TRUE(tr::line_matches(expected, got))
        << "expected \"" << expected << "\", the modem sent \"" << qftp::printable(got) << "\"";
  }

  void command(const std::string& line, std::initializer_list<const char*> answer) {
    modem_.send(line + "\r");
    for (const char* expected : answer) expect_line(expected);
  }

  void step(const tr::Line& l) {
    const auto w = tr::words(l.text);
    if (l.kind == "send") {
      modem_.send(substitute(l.text) + "\r");
    } else if (l.kind == "expect") {
      expect_line(substitute(l.text));
    } else if (l.kind == "send_data") {
      modem_.send(bytes_of(w, 0));
    } else if (l.kind == "expect_data") {
      const std::string want = bytes_of(w, 0);
      EXPECT_TRUE(take(want.size()) == want)
          << "the downloaded bytes differ from the server's file";
    } else if (l.kind == "send_raw") {
      modem_.send(tr::unescape(substitute(l.text)));
    } else if (l.kind == "expect_raw") {
      const std::string want = tr::unescape(l.text);
      EXPECT_EQ(qftp::printable(take(want.size())), qftp::printable(want));
    } else if (l.kind == "session") {
      command("AT+QFTPUSER=\"quectel\"", {"OK"});
      command("AT+QFTPPASS=\"123456\"", {"OK"});
      command("AT+QFTPOPEN=\"ftp.example\",21", {"OK", "+QFTPOPEN:0"});
    } else if (l.kind == "pics") {
      const bool has = l.text == "has_sd"    ? profile_.has_sd
                       : l.text == "has_ram" ? profile_.has_ram
                                             : true;
      ASSERT_TRUE(has) << "the player chose a profile without " << l.text;
    } else if (l.kind == "fault") {
      modem_.fault(l.text);
    } else if (l.kind == "server-file") {
      modem_.server().files["/" + w.at(0)] = bytes_of(w, 1);
    } else if (l.kind == "local-file") {
      store(w.at(0)).put(w.at(1), bytes_of(w, 2));
    } else if (l.kind == "expect-server-file") {
      const auto& files = modem_.server().files;
      const auto it = files.find("/" + w.at(0));
      ASSERT_NE(it, files.end()) << "the server has no " << w.at(0);
      EXPECT_TRUE(it->second == bytes_of(w, 1))
          << "the server's " << w.at(0) << " has " << it->second.size()
          << " bytes that differ from the expected";
    } else if (l.kind == "verify-local") {
      const auto& files = store(w.at(0)).files();
      const auto it = files.find(w.at(1));
      ASSERT_NE(it, files.end()) << w.at(0) << " has no " << w.at(1);
      EXPECT_TRUE(it->second == bytes_of(w, 2))
          << w.at(0) << w.at(1) << " has " << it->second.size()
          << " bytes that differ from the expected";
    } else if (l.kind == "expect-ftp") {
      const auto& log = modem_.server().log;
      EXPECT_NE(std::find(log.begin(), log.end(), l.text), log.end())
          << "the server never saw " << l.text;
    } else {
      FAIL() << "no player for a \"" << l.kind << "\" line";
    }
  }

  DeviceProfile profile_;
  VirtualModem modem_;
  std::string out_;  // what the modem wrote and no line has taken yet
};

std::vector<std::string> chapter4_files() {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(QFTP_CHAPTER4_DIR)) {
    if (entry.path().extension() == ".txt") names.push_back(entry.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

class Chapter4Example : public ::testing::TestWithParam<std::string> {};

TEST_P(Chapter4Example, PlaysOnTheVirtualModem) {
  auto parsed = tr::load(fs::path(QFTP_CHAPTER4_DIR) / GetParam());
  ASSERT_EQ(parsed.index(), 0U) << std::get<std::string>(parsed);
  const auto& t = std::get<tr::Transcript>(parsed);
  ASSERT_FALSE(t.requirements.empty()) << "a chapter-4 transcript names what it checks";
  const std::string file = GetParam();
  if (file.rfind("f_opencpu_ril", 0) == 0) return Player(shipped("mc60-field.profile")).play(t);
  if (file.rfind("f_", 0) == 0) return Player(shipped("m95-field.profile")).play(t);
  Player(needs_m33(t) ? m33() : DeviceProfile{}).play(t);
}

INSTANTIATE_TEST_SUITE_P(Transcripts, Chapter4Example, ::testing::ValuesIn(chapter4_files()),
                         [](const auto& param_info) {
                           return param_info.param.substr(0, param_info.param.find('.'));
                         });

}  // namespace
