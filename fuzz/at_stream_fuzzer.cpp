// at_stream_fuzzer: a host byte stream through the line framer and through the whole engine.
// Oracles: framer frames are well-formed; the engine's output is the same fed whole, bytewise or
// chunked.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/fuzz_check.h"
#include "core/at/line_framer.h"
#include "core/modem/modem_engine.h"
#include "testing/virtual_modem.h"

namespace {

using qftp::TimeMs;
using qftp::at::Frame;
using qftp::at::FrameKind;
using qftp::at::FrameView;
using qftp::at::LineFramer;

// Input layout: [mode][n][n chunk sizes][stream]. The mode picks the framer settings for the
// standalone check and the state the engine starts in; the chunk sizes cut the stream.
constexpr std::size_t kMaxStream = 4096;
constexpr std::uint8_t kS3Choices[] = {13, '@', 10, 0};
constexpr std::uint8_t kS5Choices[] = {8, 127, 'x', 0};
constexpr std::uint64_t kUploadSizes[] = {1, 10, 100, 1000};

enum class Start : std::uint8_t { fresh, upload, download, opened };

struct Input {
  Start start = Start::fresh;
  qftp::at::FramerSettings framer;
  std::uint64_t upload_size = 1;
  std::vector<std::size_t> chunks;
  std::string_view stream;
};

Input decode(const std::uint8_t* data, std::size_t size) {
  Input in;
  if (size == 0) {
    return in;
  }
  const std::uint8_t mode = data[0];
  in.start = static_cast<Start>(mode & 3);
  in.framer.s3 = kS3Choices[(mode >> 2) & 3];
  in.framer.s5 = kS5Choices[(mode >> 4) & 3];
  in.upload_size = kUploadSizes[(mode >> 6) & 3];
  std::size_t pos = 1;
  const std::size_t n = pos < size ? data[pos++] % 16 : 0;
  for (std::size_t i = 0; i < n && pos < size; ++i) {
    in.chunks.push_back(std::size_t{1} + data[pos++]);
  }
  in.stream = std::string_view(reinterpret_cast<const char*>(data) + pos, size - pos);
  return in;
}

// The k-th chunk's size: the input's chunk sizes in turn, or 7 bytes when it gives none.
std::size_t chunk_size(const Input& in, std::size_t k) {
  return in.chunks.empty() ? 7 : in.chunks[k % in.chunks.size()];
}

// Frames are well-formed whatever the bytes: bodies are bounded, hold no terminator, editing or
// control character, and "A/" gives back the last line. Pushed a run at a time (cut where the
// input's chunk sizes say), the framer gives the same frames at the same bytes.
void check_framer(const Input& in) {
  LineFramer framer;
  LineFramer runs;
  std::size_t runs_at = 0;  // the stream before this is in `runs`
  std::size_t k = 0;
  std::string previous;
  for (std::size_t i = 0; i < in.stream.size(); ++i) {
    const char c = in.stream[i];
    const auto u = static_cast<unsigned char>(c);
    const auto frame = framer.push(c, in.framer);
    if (frame || i + 1 == in.stream.size()) {
      // `runs` takes the stream from where it stopped up to this frame's byte, in chunks, and
      // must complete that same frame with this byte and none before.
      std::optional<FrameView> run_frame;  // valid until `runs` is pushed again
      while (runs_at <= i) {
        const std::size_t n = chunk_size(in, k++);
        const auto pushed =
            runs.push(in.stream.substr(runs_at, std::min(n, i + 1 - runs_at)), in.framer);
        runs_at += pushed.used;
        QFTP_FUZZ_CHECK(!pushed.frame || runs_at == i + 1);
        run_frame = pushed.frame;
      }
      QFTP_FUZZ_CHECK(run_frame.has_value() == frame.has_value());
      QFTP_FUZZ_CHECK(!frame || (run_frame->kind == frame->kind && run_frame->body == frame->body));
    }
    if (!frame) {
      continue;
    }
    QFTP_FUZZ_CHECK(framer.idle());
    if (frame->kind == FrameKind::repeat) {
      QFTP_FUZZ_CHECK(c == '/');
      QFTP_FUZZ_CHECK(frame->body == previous);
      continue;
    }
    // A line or an overflow: ended by S3 or LF, with at most what fitted in the buffer.
    QFTP_FUZZ_CHECK(u == in.framer.s3 || c == '\n');
    QFTP_FUZZ_CHECK(frame->body.size() <= LineFramer::kMaxLine - 2);
    for (const char b : frame->body) {
      const auto ub = static_cast<unsigned char>(b);
      QFTP_FUZZ_CHECK(ub >= 0x20 && ub != 0x7f && ub != in.framer.s3 && ub != in.framer.s5);
    }
    if (frame->kind == FrameKind::line) {
      previous = frame->body;
    }
  }
}

// The engine in the start state the input asks for. Set-up runs against the in-process server;
// afterwards the server is detached, so the stream alone decides what the engine does.
struct Modem {
  qftp::testing::VirtualModem vm;
  std::vector<qftp::modem::Action> actions;  // send()'s, its storage reused
  TimeMs t = 0;

  explicit Modem(const Input& in) {
    if (in.start == Start::fresh) {
      return;
    }
    vm.server().files["/f"] = std::string(1000, 'd');
    vm.send("AT+QFTPOPEN=\"h\",21\r");
    if (in.start == Start::upload) {
      vm.send("AT+QFTPPUT=\"up\"," + std::to_string(in.upload_size) + "\r");
      QFTP_FUZZ_CHECK(vm.engine().in_data_mode());
    } else if (in.start == Start::download) {
      vm.fault("STALL RETR 10");
      vm.send("AT+QFTPGET=\"f\"\r");
      QFTP_FUZZ_CHECK(vm.engine().in_data_mode());
    }
    vm.take_output();
    t = vm.now();
  }

  // Host bytes straight into the engine: socket operations go nowhere and no time passes.
  void send(std::string_view bytes, std::string& out) {
    vm.engine().handle(qftp::modem::SerialBytes{t, std::string(bytes)});
    vm.engine().take_actions(actions);
    for (auto& action : actions) {
      if (auto* w = std::get_if<qftp::modem::SerialWrite>(&action)) {
        out += w->bytes;
      }
    }
  }
};

struct Result {
  std::string output;
  qftp::modem::ServiceState state;
  bool data_mode;
  std::uint64_t last_len;

  bool operator==(const Result&) const = default;
};

Result finish(Modem& m, std::string output) {
  return {std::move(output), m.vm.engine().state(), m.vm.engine().in_data_mode(),
          m.vm.engine().last_transfer_length()};
}

Result run_whole(const Input& in) {
  Modem m(in);
  std::string out;
  m.send(in.stream, out);
  return finish(m, std::move(out));
}

Result run_bytewise(const Input& in) {
  Modem m(in);
  std::string out;
  for (std::size_t i = 0; i < in.stream.size(); ++i) {
    m.send(in.stream.substr(i, 1), out);
  }
  return finish(m, std::move(out));
}

Result run_chunked(const Input& in) {
  Modem m(in);
  std::string out;
  std::size_t pos = 0;
  for (std::size_t k = 0; pos < in.stream.size(); ++k) {
    const std::size_t n = chunk_size(in, k);
    std::string chunk(in.stream.substr(pos, n));
#if QFTP_FUZZ_BREAK
    // The proof of the oracle: a line-oriented reader that ends every read with a CR.
    chunk.push_back('\r');
#endif
    m.send(chunk, out);
    pos += n;
  }
  return finish(m, std::move(out));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const Input in = decode(data, size);
  if (in.stream.size() > kMaxStream) {
    return 0;
  }
  check_framer(in);

  const Result whole = run_whole(in);
  // Output stays proportional to input: the longest answer a 256-character line can ask for
  // ("A/" repeating a line of ATI's) is a few kilobytes.
  QFTP_FUZZ_CHECK(whole.output.size() <= (in.stream.size() + 1) * 16384);
  QFTP_FUZZ_CHECK(run_bytewise(in) == whole);
  QFTP_FUZZ_CHECK(run_chunked(in) == whole);
  return 0;
}
