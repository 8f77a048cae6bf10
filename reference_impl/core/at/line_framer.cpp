// Line framer: command-mode bytes to command lines (layer 1 of the AT path).
// See line_framer.h for the V.250 §5.2 rules it follows.
#include "core/at/line_framer.h"

#include <algorithm>

namespace qftp::at {

namespace {

constexpr char kLf = '\n';
constexpr unsigned char kDel = 0x7f;
constexpr std::size_t kPrefixLength = 2;  // "AT"

bool is_a(char c) {
  return c == 'A' || c == 'a';
}

}  // namespace

std::optional<Frame> LineFramer::push(char byte, const FramerSettings& settings) {
  if (const auto kind = step(byte, settings)) {
    return Frame{*kind, std::string(completed_)};
  }
  return std::nullopt;
}

std::optional<FrameKind> LineFramer::step(char byte, const FramerSettings& settings) {
  const auto u = static_cast<unsigned char>(byte);
  // A CR LF pair ends one line, not two: the LF is only part of the pair when it comes next.
  const bool follows_terminator = last_was_cr_;
  last_was_cr_ = false;
  if (follows_terminator && byte == kLf) {
    return std::nullopt;
  }

  switch (state_) {
    case State::search:
      if (is_a(byte)) {
        state_ = State::got_a;
        lower_a_ = byte == 'a';  // the 'A' waits for a 'T' of the same case
      }
      return std::nullopt;

    case State::got_a:
      if (byte == '/') {
        state_ = State::search;
        completed_ = previous();
        return FrameKind::repeat;
      }
      if (byte == (lower_a_ ? 't' : 'T')) {
        state_ = State::in_line;
        body().clear();
        overflow_ = false;
        length_ = kPrefixLength;
        return std::nullopt;
      }
      // Another 'A' may itself begin the prefix ("AAT"); anything else, editing included, drops it.
      if (is_a(byte)) {
        lower_a_ = byte == 'a';
      } else {
        state_ = State::search;
      }
      return std::nullopt;

    case State::in_line:
      break;
  }

  if (u == settings.s3 || byte == kLf) {
    last_was_cr_ = byte != kLf;
    state_ = State::search;
    // An overflow still carries what fitted, for a defect profile that executes long lines; it
    // stays in the body until the next line starts. A line becomes the one "A/" repeats: the two
    // buffers change roles, so that nothing is copied and both keep their capacity.
    const FrameKind kind = overflow_ ? FrameKind::overflow : FrameKind::line;
    if (kind == FrameKind::line) {
      current_ ^= 1;
      completed_ = previous();
    } else {
      completed_ = body();
    }
    length_ = 0;
    overflow_ = false;
    return kind;
  }
  if (u == settings.s5 || u == kDel) {
    // An overflowed line is refused whatever is deleted afterwards: the discarded bytes are gone.
    if (!overflow_ && !body().empty()) {
      body().pop_back();
      --length_;
    }
    return std::nullopt;
  }
  if (u < 0x20) {
    return std::nullopt;  // V.250: other control characters are ignored
  }
  store(std::string_view(&byte, 1));
  return std::nullopt;
}

LineFramer::Pushed LineFramer::push(std::string_view bytes, const FramerSettings& settings) {
  std::size_t i = 0;
  while (i < bytes.size()) {
    // Between lines (once a pending CR LF is settled) nothing but an 'A' matters.
    if (state_ == State::search && !last_was_cr_) {
      while (i < bytes.size() && !is_a(bytes[i])) {
        ++i;
      }
      if (i == bytes.size()) {
        break;
      }
    }
    // Inside a line (where a pending CR LF cannot be, as the line began after it), a run of
    // ordinary bytes is stored at once.
    if (state_ == State::in_line && !last_was_cr_) {
      std::size_t end = i;
      while (end < bytes.size() && ordinary(bytes[end], settings)) {
        ++end;
      }
      if (end > i) {
        store(bytes.substr(i, end - i));
        i = end;
        continue;
      }
    }
    if (const auto kind = step(bytes[i++], settings)) {
      return {i, FrameView{*kind, completed_}};
    }
  }
  return {i, std::nullopt};
}

bool LineFramer::ordinary(char byte, const FramerSettings& settings) {
  const auto u = static_cast<unsigned char>(byte);
  return u >= 0x20 && u != kDel && u != settings.s3 && u != settings.s5;
}

void LineFramer::store(std::string_view text) {
  const std::size_t room = length_ < kMaxLine ? kMaxLine - length_ : 0;
  const std::size_t taken = std::min(room, text.size());
  body().append(text.substr(0, taken));
  length_ += taken;
  if (taken < text.size()) {
    overflow_ = true;  // refused at the terminator; nothing more is stored, so memory stays bounded
  }
}

void LineFramer::reset() {
  state_ = State::search;
  last_was_cr_ = false;
  overflow_ = false;
  length_ = 0;
  body().clear();
}

bool LineFramer::idle() const {
  return state_ == State::search;
}

}  // namespace qftp::at
