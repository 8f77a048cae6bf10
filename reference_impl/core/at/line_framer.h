// Layer 1 of the AT path (docs/architecture.md §2.1): command-mode bytes to command lines, byte by
// byte or in runs. V.250 §5.2: junk before the "AT"/"at" prefix is ignored, S3 / lone LF / CR LF
// end a line, S5 and DEL edit it (never past the prefix), "A/" repeats the last line, a line over
// 256 characters is refused.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace qftp::at {

struct FramerSettings {
  std::uint8_t s3 = 13;  // command line termination character
  std::uint8_t s5 = 8;   // command line editing character (backspace)
};

enum class FrameKind {
  line,      // a complete command line; body is the text after the prefix
  repeat,    // "A/": body is the previous line's body (empty if there was none)
  overflow,  // the line exceeded kMaxLine characters: execute nothing, answer ERROR
};

struct Frame {
  FrameKind kind = FrameKind::line;
  std::string body;  // without "AT" and without the terminator, bytes as typed (case kept)
};

// A frame as a run push gives it: the body is the framer's own text, valid until the next push or
// reset, so that a line costs no copy.
struct FrameView {
  FrameKind kind = FrameKind::line;
  std::string_view body;
};

class LineFramer {
 public:
  // docs/field-facts.md §1: the command line buffer holds 256 characters, counting the "AT" prefix.
  static constexpr std::size_t kMaxLine = 256;

  // Consumes one byte. Echo is not the framer's business: the engine echoes every command-mode
  // byte exactly as typed (ATE1). Returns a frame when this byte completed one.
  std::optional<Frame> push(char byte, const FramerSettings& settings);

  // The same for a run of bytes: consumes them up to and including the first that completes a
  // frame, and says how many that was. What it does is push() of each byte in turn; the text of a
  // line is stored a run at a time.
  struct Pushed {
    std::size_t used = 0;
    std::optional<FrameView> frame;  // when the last byte used completed one
  };
  Pushed push(std::string_view bytes, const FramerSettings& settings);

  // Forgets a partially typed line (the previous line is kept for "A/").
  void reset();

  // True when no part of a command line is pending (between lines).
  bool idle() const;

 private:
  // One byte through the V.250 rules; the kind of the frame it completed, whose body is then
  // completed_.
  std::optional<FrameKind> step(char byte, const FramerSettings& settings);
  // Inside a line, a byte that is stored as typed: no terminator, editing or control character.
  static bool ordinary(char byte, const FramerSettings& settings);
  // Stores text typed inside a line, refusing the line (overflow) at what does not fit.
  void store(std::string_view text);

  enum class State : std::uint8_t { search, got_a, in_line };
  State state_ = State::search;
  bool last_was_cr_ = false;  // a LF right after the terminator belongs to it
  bool overflow_ = false;
  std::size_t length_ = 0;  // characters counted against kMaxLine, prefix included
  bool lower_a_ = false;    // got_a: the prefix began with 'a', so it needs a 't'
  // The line being typed and the last line, which "A/" repeats; a completed line swaps their roles.
  std::array<std::string, 2> lines_;
  std::size_t current_ = 0;
  std::string& body() { return lines_[current_]; }
  const std::string& previous() const { return lines_[current_ ^ 1]; }
  std::string_view completed_;  // the body of the frame the last step completed
};

}  // namespace qftp::at
