// Every exact-byte transcript in tests/transcripts fed to the virtual modem whole, one byte at a
// time and in random chunks: the output must equal the transcript's, byte for byte, all three ways.
#include <gtest/gtest.h>

#include <filesystem>
#include <random>

#include "core/common/printable.h"
#include "testing/transcript.h"
#include "testing/virtual_modem.h"

namespace {

struct Exchange {
  std::string input;
  std::string expected;
};

Exchange load(const std::filesystem::path& path) {
  auto parsed = qftp::transcript::load(path);
  if (const auto* why = std::get_if<std::string>(&parsed)) throw std::runtime_error(*why);
  Exchange e;
  for (const auto& line : std::get<qftp::transcript::Transcript>(parsed).lines) {
    if (line.kind == "send_raw") {
      e.input += qftp::transcript::unescape(line.text);
    } else if (line.kind == "expect_raw") {
      e.expected += qftp::transcript::unescape(line.text);
    } else {
      throw std::runtime_error(path.string() +
                               ": an exact-byte transcript has only >raw and <raw lines");
    }
  }
  return e;
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
    EXPECT_EQ(qftp::printable(run(t.input, chunks)), qftp::printable(t.expected))
        << "round " << round;
  }
}

INSTANTIATE_TEST_SUITE_P(Transcripts, TranscriptTest,
                         ::testing::Values("basics.txt", "result_codes.txt", "line_editing.txt",
                                           "qftp_offline.txt"),
                         [](const auto& param_info) {
                           return param_info.param.substr(0, param_info.param.find('.'));
                         });

}  // namespace
