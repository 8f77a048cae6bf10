// te_session.h: the TE side of an AT session with a DUT: send a command line, collect echo,
// information text, final result and URCs with deadlines; data mode (raw bytes, the "+++" escape
// with guard times); a byte cap so that a flooding DUT ends a case instead of the tool.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "te/dut_link.h"
#include "te/result.h"

namespace qftp::te {

using Clock = std::chrono::steady_clock;
using Ms = std::chrono::milliseconds;

// How a line ended: V.250 ends verbose lines and information text with <CR><LF>, and the numeric
// form of a result code (ATV0) with <CR> alone. `none` is a line the DUT left unterminated: what
// stood in the buffer when the wait for its end ran out.
enum class LineEnd : std::uint8_t { none, cr, lf, crlf };

std::string_view line_end_name(LineEnd end);  // "<CR>", "<CR><LF>", ... for messages

// One response line as it arrived, without its framing.
struct Line {
  std::string text;
  bool framed = false;  // preceded and followed by <CR><LF> (V.250 verbose framing)
  Clock::time_point at;
  LineEnd end = LineEnd::crlf;
};

enum class FinalKind : std::uint8_t {
  ok,
  error,
  cme_error,
  connect,
  no_carrier,
  deact_ok,
  no_dialtone,
  busy,
  no_answer
};

struct FinalResult {
  FinalKind kind = FinalKind::error;
  int cme = 0;       // +CME ERROR: <n>
  std::string text;  // as received ("OK", "0", "+CME ERROR: 3", ...)
};

std::string_view final_kind_name(FinalKind kind);

// A final result code line, verbose ("OK") or, when `numeric`, V0's single digits ("0").
std::optional<FinalResult> parse_final(std::string_view text, bool numeric);

struct Response {
  std::string command;
  bool echoed = false;
  std::vector<Line> info;  // information text before the final result
  FinalResult final;
  bool final_framed = false;  // the final result came as <CR><LF>text<CR><LF>
  LineEnd final_end = LineEnd::crlf;

  bool is(FinalKind kind) const { return final.kind == kind; }
  std::string describe() const;  // "info | info | FINAL" for messages
};

// "+NAME:value" or "+NAME: value" (ruling 2), with the style seen.
struct Field {
  std::string name;
  std::string value;
  bool spaced = false;
  Line line;
};
std::optional<Field> parse_field(const Line& line, std::string_view name);

class TeSession {
 public:
  struct Options {
    Ms command_timeout{2000};
    std::uint32_t guard_ms = 500;
    std::size_t max_buffer = std::size_t{8}
                             << 20;  // a DUT that sends more without being read floods
    std::size_t max_lines = 4096;    // lines held for one response or in the queue
  };

  TeSession(DutLink link, Options options);

  // Sends `line` + <CR> and reads up to the final result code.
  Result<Response> command(std::string_view line, std::optional<Ms> timeout = std::nullopt);
  // Raw bytes to the DUT (data mode, odd terminators, partial lines).
  Status send(std::string_view bytes);
  // The response to a command line already sent with send(); `command` is its text for echo
  // matching.
  Result<Response> read_response(std::string_view command, Ms timeout);

  // The next line satisfying `match`, looking first at lines queued earlier; lines that do not
  // match are queued for later calls.
  Result<Line> await_line(const std::function<bool(const Line&)>& match, Ms timeout);
  // The next "+NAME:..." line (either spacing).
  Result<Field> wait_urc(std::string_view name, Ms timeout);
  // Lines that arrived and nobody consumed (URCs a case did not ask for), removed from the queue.
  std::vector<Line> take_queued();
  const std::deque<Line>& queued() const { return queued_; }
  // Drops queued lines matching `match` (an echo or an OK nobody waits for); returns how many.
  std::size_t discard_queued(const std::function<bool(const Line&)>& match);

  // Data mode: raw bytes, no line parsing.
  Result<std::string> read_exactly(std::size_t count, Ms timeout);
  // Bytes up to (not including) `marker`; the marker stays for line parsing.
  Result<std::string> read_until(std::string_view marker, Ms timeout);
  // Everything that arrives within `window` (absence checks only).
  Result<std::string> read_for(Ms window);
  // Ruling 6: waits out the guard time since the last byte sent (or since CONNECT), then sends
  // "+++". The caller then waits for the OK, which the DUT sends after another guard time of
  // silence.
  Status send_escape();
  // The same guard time of silence, then `bytes` (a part of the escape, R/44).
  Status send_after_guard(std::string_view bytes);
  Clock::time_point last_sent() const { return last_sent_; }

  // ATV0 in force: final results are single digits.
  void set_numeric(bool numeric) { numeric_ = numeric; }
  bool numeric() const { return numeric_; }
  const Options& options() const { return options_; }
  void set_guard_ms(std::uint32_t guard_ms) { options_.guard_ms = guard_ms; }

  // The link to the DUT; null once a hang-up could not make it again.
  const DutLink* link() const { return link_ ? &*link_ : nullptr; }
  // Ruling 15 (R/44): `hang_up` ends the link and gives the DUT a host again (te/bench.h
  // hang_up_link). What the old link delivered and nobody consumed goes with it, as it would for a
  // new host; the options, the case watchdog and the wire log stay. A link that cannot be made
  // again breaks the session.
  Status relink(const std::function<Status(std::optional<DutLink>&)>& hang_up);

  // The link broke (closed, I/O error, flood): every later call fails at once with this reason.
  bool broken() const { return !broken_.empty(); }
  const std::string& broken_reason() const { return broken_; }
  // The DUT sent more than the session holds (bytes, lines) without a usable response: the DUT's
  // doing, unlike a link that closed or failed under the tool.
  bool flooded() const { return flooded_; }

  // The case watchdog: no wait goes past `deadline` until it is cleared; a wait it cuts short fails
  // with the watchdog's reason and watchdog_fired() says so.
  void set_case_deadline(Clock::time_point deadline, std::string reason);
  void clear_case_deadline();
  bool watchdog_fired() const { return watchdog_fired_; }
  const std::string& watchdog_reason() const { return watchdog_reason_; }

  // Wire log of this session's link: a mark, and the records since a mark as text.
  std::size_t wire_mark() const {
    return earlier_log_.size() + (link_ ? link_->wire_log().size() : 0);
  }
  std::string wire_text(std::size_t from, Clock::time_point origin, std::size_t max_bytes) const;

 private:
  Status fill(Clock::time_point until);
  Status flood(const std::string& what);
  std::optional<Line> parse_line(bool final_attempt);
  Result<Line> next_line(Clock::time_point until);
  void queue_complete_lines();

  std::optional<DutLink> link_;
  std::vector<WireRecord> earlier_log_;  // the wire log up to the last hang-up
  Options options_;
  std::string buf_;  // received, not yet parsed or consumed
  std::size_t scanned_ =
      0;  // buf_[0, scanned_) holds no line end: a flood is scanned once, not per read
  std::deque<Line> queued_;
  bool numeric_ = false;
  std::string broken_;
  bool flooded_ = false;
  std::optional<Clock::time_point> case_deadline_;
  std::string watchdog_reason_;
  bool watchdog_fired_ = false;
  Clock::time_point last_sent_{};
  Clock::time_point data_mode_since_{};
};

}  // namespace qftp::te
