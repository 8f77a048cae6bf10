// The session fuzzer's invariants (see session_oracle.h), checked call by call.
#include "session/session_oracle.h"

#include <algorithm>
#include <charconv>

#include "common/fuzz_check.h"
#include "core/at/command_parser.h"

namespace qftp::fuzz {

namespace {

using modem::ServiceState;

using modem::legal_change;

bool busy(ServiceState s) {
  return s == ServiceState::working || s == ServiceState::transfer || s == ServiceState::closing;
}

std::optional<ServiceState> state_named(std::string_view name) {
  for (unsigned s = 0; s < modem::kServiceStates; ++s) {
    if (modem::state_name(static_cast<ServiceState>(s)) == name) {
      return static_cast<ServiceState>(s);
    }
  }
  return std::nullopt;
}

// Spec chapter 3's codes: what a URC may report as an error.
bool chapter3(std::int64_t code) {
  constexpr std::int64_t kCodes[] = {-1,   -3,   -4,   -5,   -6,   -7,   -8,   -9,   -10,
                                     -11,  -12,  -421, -425, -426, -450, -452, -500, -501,
                                     -502, -530, -532, -550, -551, -552, -553};
  return std::find(std::begin(kCodes), std::end(kCodes), code) != std::end(kCodes);
}

std::optional<std::int64_t> integer(std::string_view s) {
  std::int64_t v = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc{} || end != s.data() + s.size() || s.empty()) {
    return std::nullopt;
  }
  return v;
}

bool ends_with(std::string_view s, std::string_view tail) {
  return s.size() >= tail.size() && s.substr(s.size() - tail.size()) == tail;
}

bool starts_with(std::string_view s, std::string_view head) {
  return s.substr(0, head.size()) == head;
}

}  // namespace

void SessionOracle::before_call(Cause cause, const modem::ModemEngine& engine) {
  cause_ = cause;
  ram_file_size_ = engine.profile().ram_file_size;
  mode_before_ = engine.in_data_mode();
  state_before_ = engine.state();
  frames_ = 0;
  finals_ = 0;
  connects_ = 0;
  ok_seen_ = false;
  text_bytes_ = 0;
  data_bytes_ = 0;
}

void SessionOracle::shadow_push(std::string_view bytes) {
  while (!bytes.empty()) {
    auto [used, frame] = shadow_.push(bytes, {});
    bytes.remove_prefix(used);
    if (frame) {
      // The first frames_ bodies are this call's; the strings are reused from call to call.
      if (bodies_.size() == frames_) {
        bodies_.emplace_back();
      }
      bodies_[frames_++].assign(frame->body);
    }
  }
}

void SessionOracle::host_bytes(std::string_view bytes) {
  if (mode_before_) {
    cur_.host_data.append(bytes);
  } else {
    shadow_push(bytes);
  }
}

void SessionOracle::delivered(const modem::Event& event) {
  if (const auto* d = std::get_if<modem::SocketData>(&event)) {
    if (d->sock == ftp::Sock::data && cur_.started && !cur_.upload) {
      cur_.served += d->bytes;
    }
  } else if (const auto* c = std::get_if<modem::SocketClosed>(&event)) {
    if (c->sock == ftp::Sock::data && cur_.started) {
      cur_.cut = true;
    }
  }
}

std::string SessionOracle::stored() const {
  std::string s;
  for (const TappedStore* store : stores_) {
    s += store->written();
  }
  return s;
}

bool SessionOracle::line_has_transfer_command() const {
  for (std::size_t k = 0; k < frames_; ++k) {
    for (const auto& c : at::parse_line(bodies_[k]).commands) {
      if (c.form == at::Form::write && (c.name == "+QFTPPUT" || c.name == "+QFTPGET")) return true;
      if ((c.form == at::Form::write || c.form == at::Form::execute) &&
          (c.name == "+QFTPLIST" || c.name == "+QFTPNLST")) {
        return true;
      }
    }
  }
  return false;
}

std::uint64_t SessionOracle::delivered_count() const {
  if (cur_.upload) {
    return cur_.sent.size();
  }
  return cur_.shown.size() + stored().size();
}

void SessionOracle::control_command(std::string_view line) {
  if (starts_with(line, "TYPE ")) {
    // A transfer starts: AT+QFTPLEN answers for the previous one until this one ends.
    cur_ = Transfer{};
    cur_.started = true;
    for (TappedStore* store : stores_) {
      store->reset_taps();
    }
    // TYPE goes out on the line that ran AT+QFTPPUT, so that line is in this call. It may hold
    // more than one (an earlier one refused); STOR's file name says which one runs.
    for (std::size_t k = 0; k < frames_; ++k) {
      for (const auto& c : at::parse_line(bodies_[k]).commands) {
        if (c.form == at::Form::write && c.name == "+QFTPPUT" && c.params.size() >= 2 &&
            c.params[1].value && *c.params[1].value >= 0) {
          cur_.puts.emplace_back(c.params[0].text, static_cast<std::uint64_t>(*c.params[1].value));
        }
        if (c.form == at::Form::write && c.name == "+QFTPGET" && !c.params.empty()) {
          std::optional<std::uint64_t> size;
          if (c.params.size() == 2 && c.params[1].value && *c.params[1].value >= 0) {
            size = static_cast<std::uint64_t>(*c.params[1].value);
          }
          cur_.gets.emplace_back(c.params[0].text, size);
        }
      }
    }
    return;
  }
  std::string_view name = line;
  if (ends_with(name, "\r\n")) {
    name.remove_suffix(2);
  }
  const std::string_view verb = name.substr(0, name.find(' '));
  name.remove_prefix(std::min(name.size(), verb.size() + 1));
  if (verb == "STOR") {
    cur_.verb = verb;
    cur_.upload = true;
    for (const auto& [put_name, size] : cur_.puts) {
      if (put_name == name) {
        cur_.file_size = size;
        break;
      }
    }
  } else if (verb == "RETR") {
    cur_.verb = verb;
    cur_.upload = false;
    // Of the line's AT+QFTPGETs of this name one runs (any before it were refused): its size is
    // known when they all agree.
    bool first = true;
    bool agree = true;
    std::optional<std::uint64_t> size;
    for (const auto& [get_name, get_size] : cur_.gets) {
      if (get_name != name) continue;
      agree = agree && (first || get_size == size);
      size = get_size;
      first = false;
    }
    if (agree) cur_.expected_size = size;
  } else if (verb == "LIST" || verb == "NLST") {
    cur_.verb = verb;
    cur_.upload = false;
  }
}

void SessionOracle::output(std::string_view bytes) {
  // Checked a run at a time: file bytes, or text up to and including a LF.
  const auto file_byte = [](char c) { return static_cast<unsigned char>(c) >= 0x80; };
  while (!bytes.empty()) {
    if (listing() && after_connect_ && line_.empty()) {
      // A listing through /COM/ is text: its bytes are those that continue what the server sent.
      // The modem writes text only once data mode has ended, and by then it has shown all the
      // server sent, so the first byte that does not continue it begins the modem's own text.
      const std::string_view next = std::string_view(cur_.served).substr(cur_.shown.size());
      std::size_t n = 0;
      while (n < bytes.size() && n < next.size() && bytes[n] == next[n]) {
        ++n;
      }
      if (n > 0) {
        data_bytes_ += n;
        cur_.shown.append(bytes.substr(0, n));
        bytes.remove_prefix(n);
        continue;
      }
    }
    const bool file = file_byte(bytes.front());
    std::size_t n = 1;
    while (n < bytes.size() && file_byte(bytes[n]) == file && (file || bytes[n - 1] != '\n')) {
      ++n;
    }
    const std::string_view run = bytes.substr(0, n);
    bytes.remove_prefix(n);
    if (file) {
      // Only inside data mode, never inside a text line, and the next bytes the server sent.
      data_bytes_ += run.size();
      QFTP_FUZZ_CHECK(after_connect_ && line_.empty());
      QFTP_FUZZ_CHECK(cur_.started && !cur_.upload);
      QFTP_FUZZ_CHECK(cur_.shown.size() + run.size() <= cur_.served.size());
      QFTP_FUZZ_CHECK(std::string_view(cur_.served).substr(cur_.shown.size(), run.size()) == run);
      cur_.shown.append(run);
      continue;
    }
    text_bytes_ += run.size();
    after_connect_ = false;
    line_.append(run);
    QFTP_FUZZ_CHECK(line_.size() <= 4096);
    // Compared as bytes: a memcmp here would cost libFuzzer's hook.
    if (line_.back() == '\n' && line_.size() >= 2 && line_[line_.size() - 2] == '\r') {
      const std::string_view text(line_.data(), line_.size() - 2);
      if (!text.empty()) {
        token(text);
      }
      line_.clear();
    }
  }
}

void SessionOracle::token(std::string_view text) {
  if (text == "OK" || text == "ERROR" || text == "NO CARRIER" || text == "DEACT OK") {
    ++finals_;
    ok_seen_ = ok_seen_ || text == "OK";
    return;
  }
  if (text == "CONNECT") {
    ++connects_;
    after_connect_ = true;
    cur_.connected = true;
    return;
  }
  const auto colon = text.find(':');
  if (colon == std::string_view::npos || text.front() != '+') {
    return;
  }
  const std::string_view name = text.substr(0, colon);
  std::string_view value = text.substr(colon + 1);
  if (!value.empty() && value.front() == ' ') {
    value.remove_prefix(1);  // ruling 2: either spacing
  }

  if (name == "+QFTPSTAT") {
    // Information text answers a command line, and names a state on the way this line took.
    QFTP_FUZZ_CHECK(cause_ == Cause::host && frames_ > 0);
    const auto shown = state_named(value);
    QFTP_FUZZ_CHECK(shown.has_value());
    QFTP_FUZZ_CHECK(legal_change(Cause::host, state_before_, *shown) &&
                    legal_change(Cause::host, *shown, state_after_));
    return;
  }
  if (name == "+QFTPLEN") {
    QFTP_FUZZ_CHECK(cause_ == Cause::host && frames_ > 0);
    const auto n = integer(value);
    QFTP_FUZZ_CHECK(n.has_value() && *n >= 0);
    const auto len = static_cast<std::uint64_t>(*n);
    // A transfer command refused earlier on the same line has already made it 0, though its URC
    // follows the line's final result.
    QFTP_FUZZ_CHECK(len == len_ || (len == 0 && line_has_transfer_command()));
    return;
  }
  const auto v = integer(value);
  if (!v) {
    return;  // test and read forms: "+QFTPPUT: \"FILE NAME\"...", "+QFTPOPEN:\"host\",21"
  }
  if (name == "+QFTPPUT" || name == "+QFTPGET" || name == "+QFTPLIST" || name == "+QFTPNLST") {
    if (*v < 0) {
      QFTP_FUZZ_CHECK(chapter3(*v));
      // The running transfer's failure counts what it moved; an attempt refused before it started
      // (busy: -3, or with no transfer running) moved nothing.
      const bool refused = *v == -3 || !cur_.started || cur_.ended;
      len_ = refused ? 0 : delivered_count();
      if (!refused) cur_.ended = cur_.failed = true;
      return;
    }
    // A transfer's result: named for the command it ran, the bytes it actually moved, all of
    // them when it did not escape.
    QFTP_FUZZ_CHECK(cur_.started && !cur_.ended);
    QFTP_FUZZ_CHECK(name.substr(5) == (cur_.verb == "STOR"   ? "PUT"
                                       : cur_.verb == "RETR" ? "GET"
                                                             : cur_.verb));
    QFTP_FUZZ_CHECK(static_cast<std::uint64_t>(*v) == delivered_count());
    cur_.ended = true;
    len_ = static_cast<std::uint64_t>(*v);
    if (cur_.upload && !cur_.connected) {
      // From a local store: exactly the bytes last read from it, which is the store read most
      // recently (an earlier upload that failed may have read another). The UART's bytes were
      // checked as they ended.
      const TappedStore* source = stores_.front();
      for (const TappedStore* store : stores_) {
        if (store->last_read_serial() > source->last_read_serial()) {
          source = store;
        }
      }
      QFTP_FUZZ_CHECK(source->last_read_serial() > 0 && cur_.sent == source->last_read());
    } else if (!cur_.upload && !cur_.escaped) {
      QFTP_FUZZ_CHECK(cur_.shown + stored() == cur_.served);
    }
    if (cur_.expected_size && !stores_[2]->written().empty()) {
      // An expected size the RAM cannot hold is refused before the transfer (F/GET.SIZE).
      QFTP_FUZZ_CHECK(*cur_.expected_size <= ram_file_size_);
    }
    return;
  }
  if (name == "+QFTPOPEN" || name == "+QFTPCLOSE" || name == "+QFTPPATH" || name == "+QFTPERROR" ||
      name == "+QFTPCFG") {
    if (*v < 0) {
      QFTP_FUZZ_CHECK(chapter3(*v));
    } else {
      QFTP_FUZZ_CHECK(name == "+QFTPCFG" || *v == 0);
      QFTP_FUZZ_CHECK(name != "+QFTPERROR");
    }
  }
}

void SessionOracle::check_upload_end(bool escape) {
  // Ruling 14: the server or the network never ends data mode of an upload; the host's bytes,
  // the escape or <time> do, also after the transfer itself has ended.
  QFTP_FUZZ_CHECK(cause_ == Cause::host || cause_ == Cause::timer);
  if (cur_.cut || cur_.failed) {
    // The server stopped reading, or the transfer ended early: what went out came first, and the
    // rest of the host's bytes up to <fileSz> were discarded (not run as commands: they went to
    // host_data, never to the shadow framer).
    QFTP_FUZZ_CHECK(starts_with(cur_.host_data, cur_.sent));
    return;
  }
  const std::string& typed = cur_.host_data;
  // Only the host's bytes, or the clock releasing held '+'s as data, can complete <fileSz>
  // (ruling 5): when the server or the network ends the upload, bytes up to <fileSz> may still be
  // held as an escape in the making (ruling 6).
  const bool by_input = cause_ == Cause::host || cause_ == Cause::timer;
  if (escape) {
    QFTP_FUZZ_CHECK(cur_.sent == typed.substr(0, typed.size() - 3));
  } else if (by_input && cur_.file_size && typed.size() >= *cur_.file_size) {
    QFTP_FUZZ_CHECK(cur_.sent == typed.substr(0, *cur_.file_size));
  } else if (cause_ == Cause::timer) {
    QFTP_FUZZ_CHECK(cur_.sent == typed);  // <time> ran out: held '+'s arrived in time, so data
  } else {
    // Ended by the host short of <fileSz> without an escape: what went out came first, and only
    // a possible escape in the making (at most three '+') was dropped.
    QFTP_FUZZ_CHECK(starts_with(typed, cur_.sent));
    const std::string_view rest = std::string_view(typed).substr(cur_.sent.size());
    QFTP_FUZZ_CHECK(rest.size() <= 3 && rest.find_first_not_of('+') == std::string_view::npos);
  }
}

void SessionOracle::check_transition(const modem::ModemEngine& engine) {
  (void)engine;
  const ServiceState before = state_before_;
  const ServiceState after = state_after_;
  if (before != after) {
    // The product's own table (core/modem/service_state.h); a host call changes the state only
    // through a command line.
    QFTP_FUZZ_CHECK(legal_change(cause_, before, after));
    QFTP_FUZZ_CHECK(cause_ != Cause::host || frames_ > 0);
  }
  if (after == ServiceState::opening && before != ServiceState::opening) {
    opened_from_ = before == ServiceState::idle ? ServiceState::idle : ServiceState::closed;
  }
  if (after == ServiceState::idle && before != ServiceState::idle) {
    QFTP_FUZZ_CHECK(opened_from_ == ServiceState::idle);  // a failed open returns where it began
  }
}

void SessionOracle::after_call(const modem::ModemEngine& engine,
                               const std::vector<modem::Action>& actions) {
  state_after_ = engine.state();
  const bool mode_after = engine.in_data_mode();
  const bool data_mode_ended = mode_before_ && !mode_after;

  // Ruling 5: what the host sent after the <fileSz>-th byte is command-mode input again; before
  // it, data (ruling 14: even when the transfer had already ended).
  if (data_mode_ended && cur_.upload && cur_.file_size &&
      cur_.host_data.size() > *cur_.file_size) {
    shadow_push(std::string_view(cur_.host_data).substr(*cur_.file_size));
  }

  for (const auto& action : actions) {
    if (const auto* w = std::get_if<modem::SerialWrite>(&action)) {
      output(w->bytes);
    } else if (const auto* op = std::get_if<modem::SocketOp>(&action)) {
      if (const auto* send = std::get_if<ftp::OpSend>(&op->op)) {
        if (send->sock == ftp::Sock::control) {
          control_command(send->bytes);
        } else {
          QFTP_FUZZ_CHECK(cur_.started && cur_.upload);
          cur_.sent += send->bytes;
        }
      }
    }
  }

  // 1. One final result per command line; the escape's OK is the one extra.
  const bool escape = data_mode_ended && cause_ == Cause::timer && ok_seen_;
  QFTP_FUZZ_CHECK(finals_ == frames_ + (escape ? 1u : 0u));
  QFTP_FUZZ_CHECK(connects_ <= 1);
  if (connects_ == 1) {
    QFTP_FUZZ_CHECK(cause_ == Cause::server && cur_.started && busy(state_before_));
  }
  if (!mode_before_ && mode_after) {
    QFTP_FUZZ_CHECK(connects_ == 1);
  }

  // 2. Nothing but file bytes in data mode.
  if (mode_before_ && mode_after) {
    QFTP_FUZZ_CHECK(text_bytes_ == 0);
    QFTP_FUZZ_CHECK(!cur_.upload || data_bytes_ == 0);
  }
  if (mode_after) {
    QFTP_FUZZ_CHECK(cur_.started && after_connect_);
  }
  if (data_mode_ended) {
    if (escape) {
      QFTP_FUZZ_CHECK(ends_with(cur_.host_data, "+++"));
      cur_.escaped = true;
    }
    if (cur_.upload) {
      check_upload_end(escape);
    }
  }

  // 3. Legal state transitions.
  check_transition(engine);

  // 5. Bounded: no call writes more text than a command line's worth of answers.
  QFTP_FUZZ_CHECK(text_bytes_ <= 8192);
}

void SessionOracle::at_rest(const modem::ModemEngine& engine) const {
  QFTP_FUZZ_CHECK(!engine.in_data_mode());
  const ServiceState s = engine.state();
  QFTP_FUZZ_CHECK(s == ServiceState::idle || s == ServiceState::opened ||
                  s == ServiceState::closed);
}

}  // namespace qftp::fuzz
