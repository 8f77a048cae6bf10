// te_session.cpp: line framing of DUT output (V.250 verbose and numeric forms), response
// collection, URC queueing, data mode and the timed escape.
#include "te/te_session.h"

#include "te/elide.h"
#include "te/interruption.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <thread>

namespace qftp::te {
namespace {

constexpr std::array<std::string_view, 7> kAsyncUrcs = {
    "+QFTPOPEN", "+QFTPCLOSE", "+QFTPPATH", "+QFTPPUT", "+QFTPGET", "+QFTPCFG", "+QFTPERROR"};

bool starts_with(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

// "+QFTPCFG" for "AT+QFTPCFG=4,\"/COM/\"": the extended command a line starts with, if any.
std::string command_name(std::string_view line) {
  if (line.size() < 3 || (line[0] != 'A' && line[0] != 'a') || (line[1] != 'T' && line[1] != 't'))
    return {};
  line.remove_prefix(2);
  const auto end = line.find_first_of("=?; ");
  std::string name(line.substr(0, end));
  std::transform(name.begin(), name.end(), name.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return name;
}

// A result of an earlier operation that happened to arrive while this command ran.
bool foreign_urc(std::string_view text, std::string_view own_name) {
  for (const auto name : kAsyncUrcs) {
    if (starts_with(text, name) && text.size() > name.size() && text[name.size()] == ':' &&
        name != own_name) {
      return true;
    }
  }
  return false;
}

std::string clip(std::string_view bytes, std::size_t max) {
  if (bytes.size() <= max) return printable(bytes);
  return printable(bytes.substr(0, max)) + "...(" + std::to_string(bytes.size()) + " bytes)";
}

}  // namespace

std::string_view line_end_name(LineEnd end) {
  switch (end) {
    case LineEnd::none:
      return "no line end";
    case LineEnd::cr:
      return "<CR>";
    case LineEnd::lf:
      return "<LF>";
    case LineEnd::crlf:
      return "<CR><LF>";
  }
  return "?";
}

std::string_view final_kind_name(FinalKind kind) {
  switch (kind) {
    case FinalKind::ok:
      return "OK";
    case FinalKind::error:
      return "ERROR";
    case FinalKind::cme_error:
      return "+CME ERROR";
    case FinalKind::connect:
      return "CONNECT";
    case FinalKind::no_carrier:
      return "NO CARRIER";
    case FinalKind::deact_ok:
      return "DEACT OK";
    case FinalKind::no_dialtone:
      return "NO DIALTONE";
    case FinalKind::busy:
      return "BUSY";
    case FinalKind::no_answer:
      return "NO ANSWER";
  }
  return "?";
}

std::optional<FinalResult> parse_final(std::string_view text, bool numeric) {
  FinalResult f;
  f.text = std::string(text);
  if (numeric) {
    // V0: the codes of docs/field-facts.md §1; longer digit strings are information text (ATS3?,
    // AT+GSN).
    if (text.size() != 1) return std::nullopt;
    switch (text[0]) {
      case '0':
        f.kind = FinalKind::ok;
        return f;
      case '1':
        f.kind = FinalKind::connect;
        return f;
      case '3':
        f.kind = FinalKind::no_carrier;
        return f;
      case '4':
        f.kind = FinalKind::error;
        return f;
      case '6':
        f.kind = FinalKind::no_dialtone;
        return f;
      case '7':
        f.kind = FinalKind::busy;
        return f;
      case '8':
        f.kind = FinalKind::no_answer;
        return f;
      default:
        return std::nullopt;
    }
  }
  if (text == "OK") {
    f.kind = FinalKind::ok;
  } else if (text == "ERROR") {
    f.kind = FinalKind::error;
  } else if (text == "CONNECT" || starts_with(text, "CONNECT ")) {
    f.kind = FinalKind::connect;
  } else if (text == "NO CARRIER") {
    f.kind = FinalKind::no_carrier;
  } else if (text == "DEACT OK") {
    f.kind = FinalKind::deact_ok;
  } else if (text == "NO DIALTONE") {
    f.kind = FinalKind::no_dialtone;
  } else if (text == "BUSY") {
    f.kind = FinalKind::busy;
  } else if (text == "NO ANSWER") {
    f.kind = FinalKind::no_answer;
  } else if (starts_with(text, "+CME ERROR:")) {
    f.kind = FinalKind::cme_error;
    std::string_view code = text.substr(11);
    while (!code.empty() && code.front() == ' ') code.remove_prefix(1);
    f.cme = std::atoi(std::string(code).c_str());
  } else {
    return std::nullopt;
  }
  return f;
}

std::string Response::describe() const {
  std::string out;
  for (const auto& l : info) out += printable(l.text) + " | ";
  out += printable(final.text);
  return out;
}

std::optional<Field> parse_field(const Line& line, std::string_view name) {
  const std::string_view text = line.text;
  if (!starts_with(text, name) || text.size() <= name.size() || text[name.size()] != ':')
    return std::nullopt;
  Field f;
  f.name = std::string(name);
  std::string_view value = text.substr(name.size() + 1);
  if (!value.empty() && value.front() == ' ') {
    f.spaced = true;
    value.remove_prefix(1);
  }
  f.value = std::string(value);
  f.line = line;
  return f;
}

TeSession::TeSession(DutLink link, Options options) : link_(std::move(link)), options_(options) {}

void TeSession::set_case_deadline(Clock::time_point deadline, std::string reason) {
  case_deadline_ = deadline;
  watchdog_reason_ = std::move(reason);
  watchdog_fired_ = false;
}

void TeSession::clear_case_deadline() {
  case_deadline_.reset();
  watchdog_fired_ = false;
}

Status TeSession::flood(const std::string& what) {
  flooded_ = true;
  const std::string_view tail =
      std::string_view(buf_).substr(buf_.size() - std::min<std::size_t>(buf_.size(), 80));
  broken_ = "the DUT flooded the link: " + what + " without a usable response; last bytes \"" +
            printable(tail) + "\"";
  buf_.clear();
  scanned_ = 0;
  queued_.clear();
  return make_error(broken_);
}

Status TeSession::fill(Clock::time_point until) {
  if (broken()) return make_error(broken_);
  // Waits are cut into short slices so that a signal (interruption.h) ends them at once, and none
  // goes past the case watchdog.
  constexpr Ms kSlice{200};
  for (;;) {
    if (const int signal = interrupt_signal(); signal != 0)
      return make_error(std::string("interrupted by ") + signal_name(signal));
    const auto now = Clock::now();
    if (case_deadline_ && now >= *case_deadline_) {
      watchdog_fired_ = true;
      return make_error(watchdog_reason_);
    }
    const auto end = case_deadline_ ? std::min(until, *case_deadline_) : until;
    const auto left = std::max<Ms::rep>(0, std::chrono::duration_cast<Ms>(end - now).count());
    // One byte with a deadline, then whatever else already arrived: reads never wait past `until`
    // and never take more than one chunk, so the cap below holds however fast the DUT sends.
    auto first = link_->read_exactly(1, std::min(Ms(left), kSlice));
    if (!first) {
      if (!starts_with(first.error(), "timeout")) {
        broken_ = "the link to the DUT broke: " + first.error();
        return make_error(broken_);
      }
      if (Clock::now() >= until) return make_error("timeout");
      continue;
    }
    buf_ += first.value();
    buf_ += link_->read_for(Ms(0));
    if (buf_.size() > options_.max_buffer)
      return flood(std::to_string(buf_.size()) + " bytes unread");
    return {};
  }
}

std::optional<Line> TeSession::parse_line(bool final_attempt) {
  std::size_t i = 0;
  while (i < buf_.size() && (buf_[i] == '\r' || buf_[i] == '\n')) ++i;
  if (i == buf_.size()) return std::nullopt;
  const bool lead = i >= 2 && buf_[i - 2] == '\r' && buf_[i - 1] == '\n';
  const auto end = buf_.find_first_of("\r\n", std::max(i, scanned_));
  if (end == std::string::npos) {
    scanned_ = buf_.size();
    if (!final_attempt) return std::nullopt;
    Line partial{buf_.substr(i), false, Clock::now(), LineEnd::none};
    buf_.clear();
    scanned_ = 0;
    return partial;
  }
  std::size_t after = end + 1;
  bool crlf = false;
  if (buf_[end] == '\r') {
    if (end + 1 < buf_.size()) {
      if (buf_[end + 1] == '\n') {
        crlf = true;
        after = end + 2;
      }
    } else if (!final_attempt && !numeric_) {
      return std::nullopt;  // its <LF> may be on the way
    }
  }
  const LineEnd ending = crlf ? LineEnd::crlf : buf_[end] == '\r' ? LineEnd::cr : LineEnd::lf;
  Line line{buf_.substr(i, end - i), lead && crlf, Clock::now(), ending};
  buf_.erase(0, after);
  scanned_ = 0;
  if (const auto f = parse_final(line.text, numeric_); f && f->kind == FinalKind::connect) {
    data_mode_since_ = line.at;
  }
  return line;
}

Result<Line> TeSession::next_line(Clock::time_point until) {
  for (;;) {
    if (auto line = parse_line(false)) return *line;
    if (auto st = fill(until); !st) {
      if (!broken()) {
        if (auto line = parse_line(true)) return *line;
      }
      return make_error(st.error());
    }
  }
}

void TeSession::queue_complete_lines() {
  while (auto line = parse_line(false)) {
    if (queued_.size() >= options_.max_lines) {
      (void)flood(std::to_string(queued_.size()) + " lines");
      return;
    }
    queued_.push_back(std::move(*line));
  }
}

Status TeSession::send(std::string_view bytes) {
  if (broken()) return make_error(broken_);
  if (auto st = link_->send(bytes, options_.command_timeout); !st) {
    broken_ = "cannot write to the DUT: " + st.error();
    return make_error(broken_);
  }
  last_sent_ = Clock::now();
  return {};
}

Result<Response> TeSession::command(std::string_view line, std::optional<Ms> timeout) {
  queue_complete_lines();
  if (auto st = send(std::string(line) + "\r"); !st) return make_error(st.error());
  return read_response(line, timeout.value_or(options_.command_timeout));
}

Result<Response> TeSession::read_response(std::string_view command, Ms timeout) {
  const auto until = Clock::now() + timeout;
  const std::string own = command_name(command);
  Response r;
  r.command = std::string(command);
  bool first = true;
  for (;;) {
    // Lines already received count against the deadline too: a DUT that streams lines without a
    // final result ends the wait at `until`, and holds at most max_lines of them.
    auto line = Clock::now() < until ? next_line(until) : Result<Line>(make_error("timeout"));
    if (line && r.info.size() + queued_.size() >= options_.max_lines) {
      line = make_error(flood(std::to_string(r.info.size() + queued_.size()) + " lines").error());
    }
    if (!line) {
      std::string seen = r.echoed ? "echo" : "";
      for (const auto& l : r.info) seen += (seen.empty() ? "" : " | ") + printable(l.text);
      if (!buf_.empty()) seen += (seen.empty() ? "" : " | ") + clip(buf_, 200);
      const std::string why =
          line.error() != "timeout"
              ? line.error()  // broken, flooded, the watchdog, a signal
              : "no final result code within " + std::to_string(timeout.count()) + " ms";
      return make_error(why + " after \"" + printable(command) + "\"; received: \"" + seen + "\"");
    }
    if (first && !command.empty() && line->text == command) {
      r.echoed = true;
      first = false;
      continue;
    }
    first = false;
    if (auto f = parse_final(line->text, numeric_)) {
      r.final = std::move(*f);
      r.final_framed = line->framed;
      r.final_end = line->end;
      return r;
    }
    if (foreign_urc(line->text, own)) {
      queued_.push_back(std::move(*line));
    } else {
      r.info.push_back(std::move(*line));
    }
  }
}

Result<Line> TeSession::await_line(const std::function<bool(const Line&)>& match, Ms timeout) {
  for (auto it = queued_.begin(); it != queued_.end(); ++it) {
    if (match(*it)) {
      Line line = std::move(*it);
      queued_.erase(it);
      return line;
    }
  }
  const auto until = Clock::now() + timeout;
  for (;;) {
    auto line = Clock::now() < until ? next_line(until) : Result<Line>(make_error("timeout"));
    if (line && queued_.size() >= options_.max_lines) {
      line = make_error(flood(std::to_string(queued_.size()) + " lines").error());
    }
    if (!line) {
      std::string seen;
      for (std::size_t i = 0; i < std::min<std::size_t>(queued_.size(), 20); ++i)
        seen += (seen.empty() ? "" : " | ") + printable(queued_[i].text);
      if (!buf_.empty()) seen += (seen.empty() ? "" : " | ") + clip(buf_, 200);
      const std::string why = line.error() != "timeout"
                                  ? line.error()
                                  : "nothing matching within " + std::to_string(timeout.count()) +
                                        " ms";
      return make_error(why + "; unconsumed: \"" + seen + "\"");
    }
    if (match(*line)) return line;
    queued_.push_back(std::move(*line));
  }
}

Result<Field> TeSession::wait_urc(std::string_view name, Ms timeout) {
  const std::string wanted(name);
  auto line =
      await_line([&](const Line& l) { return parse_field(l, wanted).has_value(); }, timeout);
  if (!line) return make_error("no " + wanted + ": " + line.error());
  return *parse_field(line.value(), wanted);
}

std::vector<Line> TeSession::take_queued() {
  queue_complete_lines();
  std::vector<Line> out(std::make_move_iterator(queued_.begin()),
                        std::make_move_iterator(queued_.end()));
  queued_.clear();
  return out;
}

std::size_t TeSession::discard_queued(const std::function<bool(const Line&)>& match) {
  const auto before = queued_.size();
  queued_.erase(std::remove_if(queued_.begin(), queued_.end(), match), queued_.end());
  return before - queued_.size();
}

Result<std::string> TeSession::read_exactly(std::size_t count, Ms timeout) {
  const auto until = Clock::now() + timeout;
  while (buf_.size() < count) {
    if (auto st = fill(until); !st) {
      return make_error(st.error() + " after " +
                        std::to_string(buf_.size()) + " of " + std::to_string(count) +
                        " data bytes");
    }
  }
  std::string out = buf_.substr(0, count);
  buf_.erase(0, count);
  scanned_ = 0;
  return out;
}

Result<std::string> TeSession::read_until(std::string_view marker, Ms timeout) {
  const auto until = Clock::now() + timeout;
  std::size_t pos = 0;
  std::size_t from = 0;  // bytes before it were searched already
  while ((pos = buf_.find(marker, from)) == std::string::npos) {
    from = buf_.size() >= marker.size() ? buf_.size() - marker.size() + 1 : 0;
    if (auto st = fill(until); !st) {
      return make_error(st.error() + " waiting for \"" +
                        printable(marker) + "\" after " + std::to_string(buf_.size()) +
                        " bytes ending \"" +
                        printable(std::string_view(buf_).substr(
                            buf_.size() - std::min<std::size_t>(buf_.size(), 120))) +
                        "\"");
    }
  }
  std::string out = buf_.substr(0, pos);
  buf_.erase(0, pos);
  scanned_ = 0;
  return out;
}

Result<std::string> TeSession::read_for(Ms window) {
  const auto until = Clock::now() + window;
  while (Clock::now() < until) {
    if (auto st = fill(until); !st) {
      if (st.error() != "timeout") return make_error(st.error());  // broken, watchdog, signal
      break;
    }
  }
  std::string out;
  out.swap(buf_);
  scanned_ = 0;
  return out;
}

Status TeSession::send_escape() { return send_after_guard("+++"); }

Status TeSession::send_after_guard(std::string_view bytes) {
  // The guard is measured by the DUT from the arrival of our last byte (or from CONNECT); a margin
  // covers scheduling delays on both sides. This and the hang-up's hold (te/bench.cpp) are the
  // suite's deliberate waits.
  const Ms guard(options_.guard_ms);
  const Ms margin = std::max(guard / 2, Ms(50));
  const auto since = std::max(last_sent_, data_mode_since_);
  std::this_thread::sleep_until(since + guard + margin);
  return send(bytes);
}

Status TeSession::relink(const std::function<Status(std::optional<DutLink>&)>& hang_up) {
  if (broken()) return make_error(broken_);
  for (auto& rec : link_->take_wire_log()) earlier_log_.push_back(std::move(rec));
  earlier_log_.push_back({Clock::now(), true, "hang-up: the host link ends", true});
  auto st = hang_up(link_);
  buf_.clear();
  scanned_ = 0;
  queued_.clear();
  if (!st || !link_) {
    broken_ = "the link to the DUT broke: " + (st ? std::string("not made again") : st.error());
    return make_error(broken_);
  }
  for (auto& rec : link_->take_wire_log()) earlier_log_.push_back(std::move(rec));
  earlier_log_.push_back({Clock::now(), true, "a host again", true});
  last_sent_ = Clock::now();
  return {};
}

std::string TeSession::wire_text(std::size_t from, Clock::time_point origin,
                                 std::size_t max_bytes) const {
  const std::size_t total = wire_mark();
  std::string out;
  for (std::size_t i = from; i < total; ++i) {
    const auto& rec =
        i < earlier_log_.size() ? earlier_log_[i] : link_->wire_log()[i - earlier_log_.size()];
    char stamp[32];
    std::snprintf(stamp, sizeof stamp, "%+9.1f ms ",
                  std::chrono::duration<double, std::milli>(rec.at - origin).count());
    const std::string who = rec.event ? "TE: " : rec.to_dut ? "TE> " : "DUT< ";
    std::string entry =
        std::string(stamp) + who + (rec.event ? rec.bytes : elide_bytes(rec.bytes)) + "\n";
    if (out.size() + entry.size() > max_bytes) {
      out += "... (" + std::to_string(total - i) + " more wire records)\n";
      break;
    }
    out += entry;
  }
  return out;
}

}  // namespace qftp::te
