// Every transcript in tests/transcripts fed to the virtual modem whole, one byte at a time and in
// random chunks: the output must equal the transcript's, byte for byte, all three ways.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include "core/common/printable.h"
#include "testing/virtual_modem.h"

namespace {

struct Transcript {
  std::string input;
  std::string expected;
};

std::string unescape(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '\\' || i + 1 >= s.size()) {
      out += s[i];
      continue;
    }
    const char c = s[++i];
    if (c == 'r') out += '\r';
    else if (c == 'n') out += '\n';
    else if (c == '\\') out += '\\';
    else if (c == 'x' && i + 2 < s.size() + 1) {
      out += static_cast<char>(std::stoi(std::string(s.substr(i + 1, 2)), nullptr, 16));
      i += 2;
    } else {
      out += '\\';
      out += c;
    }
  }
  return out;
}

Transcript load(const std::filesystem::path& path) {
  std::ifstream in(path);
  Transcript t;
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("> ", 0) == 0) t.input += unescape(std::string_view(line).substr(2));
    if (line.rfind("< ", 0) == 0) t.expected += unescape(std::string_view(line).substr(2));
  }
  return t;
}

std::string run(const std::string& input, const std::vector<std::size_t>& chunks) {
  qftp::testing::VirtualModem modem;
  std::size_t pos = 0;
  for (const std::size_t n : chunks) {
    modem.send(std::string_view(input).substr(pos, n));
    pos += n;
  }
  return modem.take_output();
}

class TranscriptTest : public ::testing::TestWithParam<std::string> {};

TEST_P(TranscriptTest, SameBytesWholeByteByByteAndInRandomChunks) {
  const auto t = load(std::filesystem::path(QFTP_TRANSCRIPT_DIR) / GetParam());
  ASSERT_FALSE(t.input.empty());

  const std::string whole = run(t.input, {t.input.size()});
  EXPECT_EQ(qftp::printable(whole), qftp::printable(t.expected));

  const std::string bytewise = run(t.input, std::vector<std::size_t>(t.input.size(), 1));
  EXPECT_EQ(qftp::printable(bytewise), qftp::printable(t.expected));

  std::mt19937 rng(20261121);
  for (int round = 0; round < 20; ++round) {
    std::vector<std::size_t> chunks;
    for (std::size_t left = t.input.size(); left > 0;) {
      const std::size_t n = std::min<std::size_t>(left, 1 + rng() % 40);
      chunks.push_back(n);
      left -= n;
    }
    EXPECT_EQ(qftp::printable(run(t.input, chunks)), qftp::printable(t.expected)) << "round " << round;
  }
}

INSTANTIATE_TEST_SUITE_P(Transcripts, TranscriptTest,
                         ::testing::Values("basics.txt", "result_codes.txt", "line_editing.txt",
                                           "qftp_offline.txt"),
                         [](const auto& param_info) {
                           return param_info.param.substr(0, param_info.param.find('.'));
                         });

}  // namespace
