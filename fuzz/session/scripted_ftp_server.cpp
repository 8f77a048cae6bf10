// The scripted FTP server's behaviour: RFC 959 as the modem uses it, each answer bent by the
// script.
#include "session/scripted_ftp_server.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <string_view>

namespace qftp::fuzz {

namespace {

using modem::Event;

// Delays a script byte's high nibble picks: half of them none, the rest around the guard time
// and the client's 30 s / 60 s timeouts.
constexpr std::array<TimeMs, 16> kDelays = {0, 0,  0,   0,   0,    0,     0,     0,
                                            1, 19, 100, 499, 1000, 29999, 30000, 60000};

// Codes a faulty server answers instead: every code of spec chapter 3, and codes that are legal
// but out of place for the command.
constexpr std::array<int, 32> kOddCodes = {421, 425, 426, 450, 451, 452, 500, 501, 502, 504, 530,
                                           532, 550, 551, 552, 553, 120, 125, 150, 200, 226, 227,
                                           229, 230, 250, 257, 331, 332, 350, 221, 225, 554};

constexpr std::array<ftp::SockError, 7> kSockErrors = {
    ftp::SockError::eof,    ftp::SockError::resolve,     ftp::SockError::refused,
    ftp::SockError::reset,  ftp::SockError::unreachable, ftp::SockError::timeout,
    ftp::SockError::context};

constexpr std::array<const char*, 8> kPasvTexts = {
    "Entering Passive Mode (127,0,0,1,156,64)", "Entering Passive Mode 127,0,0,1,156,64",
    "Entering Passive Mode (0,0,0,0,156,64)",   "=127,0,0,1,156,65",
    "Entering Passive Mode (127,0,0,1,0,0)",    "Entering Passive Mode (300,0,0,1,1,1)",
    "Version 1.2.3 ready (10,0,0,2,4,1)",       "Entering Passive Mode"};

constexpr std::array<const char*, 5> kEpsvTexts = {
    "Entering Extended Passive Mode (|||40000|)", "Entering Extended Passive Mode (!!!40001!)",
    "Entering Extended Passive Mode (|||0|)", "Entering Extended Passive Mode (|||65536|)",
    "Entering Extended Passive Mode ()"};

constexpr std::array<const char*, 4> kPwdTexts = {
    "\"/\" is the current directory", "/ is the current directory",
    "\"/pub\"\"x\" is the current directory", "\"/unterminated"};

constexpr std::array<const char*, 4> kListenIps = {"10.0.0.2", "0.0.0.0", "::ffff:10.0.0.2",
                                                   "fe80::2"};

// File sizes: the spec's example, and small ones (a session's cost grows with its data).
constexpr std::array<std::uint64_t, 8> kRetrSizes = {0, 1, 3, 100, 1587, 600, 10, 513};
constexpr std::array<std::uint64_t, 8> kStorCuts = {0, 1, 2, 5, 10, 100, 1000, 1u << 20};

// Download contents never contain a byte below 0x80, so the oracle can tell them apart from the
// modem's own (ASCII) text on the serial line.
char data_byte(std::uint8_t seed, std::uint64_t offset) {
  return static_cast<char>(0x80 | ((seed * 7u + offset * 37u) & 0x7f));
}

// `size` bytes of the file from `offset`: the contents repeat every 128 bytes, so a period is
// built once and copied.
std::string file_bytes(std::uint8_t seed, std::uint64_t offset, std::uint64_t size) {
  constexpr std::size_t kPeriod = 128;
  std::array<char, kPeriod> period;
  for (std::size_t i = 0; i < kPeriod; ++i) {
    period[i] = data_byte(seed, i);
  }
  std::string bytes;
  bytes.reserve(size);
  while (bytes.size() < size) {
    const std::size_t at = (offset + bytes.size()) % kPeriod;
    bytes.append(period.data() + at, std::min<std::uint64_t>(kPeriod - at, size - bytes.size()));
  }
  return bytes;
}

// "code text" and the line end, in one string.
std::string reply_line(int code, std::string_view text, std::string_view end) {
  std::string line = std::to_string(code);
  line.reserve(line.size() + 1 + text.size() + end.size());
  line += ' ';
  line += text;
  line += end;
  return line;
}

void set_time(Event& event, TimeMs at) {
  std::visit([at](auto& e) { e.t = at; }, event);
}

}  // namespace

void ScriptedFtpServer::schedule(TimeMs at, ftp::Sock sock, Event event) {
  TimeMs& last = sock == ftp::Sock::control ? last_control_at_ : last_data_at_;
  at = std::max(at, last);
  last = at;
  set_time(event, at);
  const std::uint32_t conn = sock == ftp::Sock::control ? control_gen_ : data_gen_;
  queue_.push_back(Scheduled{at, seq_++, sock, conn, std::move(event)});
  std::push_heap(queue_.begin(), queue_.end(), Later{});
}

TimeMs ScriptedFtpServer::next_time() const {
  return queue_.empty() ? kNever : queue_.front().at;
}

std::optional<Event> ScriptedFtpServer::pop_due(TimeMs now) {
  while (!queue_.empty() && queue_.front().at <= now) {
    std::pop_heap(queue_.begin(), queue_.end(), Later{});
    Scheduled next = std::move(queue_.back());
    queue_.pop_back();
    const std::uint32_t live = next.sock == ftp::Sock::control ? client_control_ : client_data_;
    if (next.conn != 0 && next.conn == live) {
      return std::move(next.event);
    }
  }
  return std::nullopt;
}

void ScriptedFtpServer::send_control(TimeMs at, std::string bytes) {
  schedule(at, ftp::Sock::control, modem::SocketData{at, ftp::Sock::control, std::move(bytes)});
}

void ScriptedFtpServer::send_reply(TimeMs at, int code, std::string_view text) {
  send_control(at, reply_line(code, text, "\r\n"));
}

void ScriptedFtpServer::close_control(TimeMs at, ftp::SockError why) {
  schedule(at, ftp::Sock::control, modem::SocketClosed{at, ftp::Sock::control, why});
  control_open_ = false;
  data_open_ = false;
  xfer_ = Xfer::none;
}

void ScriptedFtpServer::close_data(TimeMs at, ftp::SockError why) {
  schedule(at, ftp::Sock::data, modem::SocketClosed{at, ftp::Sock::data, why});
  data_open_ = false;
}

void ScriptedFtpServer::connect_data(TimeMs at) {
  schedule(at, ftp::Sock::data, modem::SocketConnected{at, ftp::Sock::data, "10.0.0.1"});
  data_open_ = true;
  listening_ = false;
}

void ScriptedFtpServer::reply(TimeMs now, int code, std::string_view text) {
  const std::uint8_t d = script_.back();
  const TimeMs at = now + kDelays[d >> 4];
  switch (d & 0x0f) {
    case 8:
      return send_reply(at, kOddCodes[script_.back() % kOddCodes.size()], "scripted reply");
    case 9:  // RFC 959 multi-line form
      return send_control(at, std::to_string(code) + "-first line\r\n continued\r\n" +
                                  reply_line(code, text, "\r\n"));
    case 10: {  // one reply in two TCP segments
      std::string line = reply_line(code, text, "\r\n");
      const std::size_t half = (line.size() - 2) / 2;
      send_control(at, line.substr(0, half));
      line.erase(0, half);
      return send_control(at + 1, std::move(line));
    }
    case 11:  // never answers
      return;
    case 12:
      return close_control(at, ftp::SockError::eof);
    case 13:
      return close_control(at, ftp::SockError::reset);
    case 14:  // not a reply at all
      send_control(at, "hello\r\n");
      return send_reply(at, code, text);
    case 15:  // LF-only line ends
      return send_control(at, reply_line(code, text, "\n"));
    default:
      return send_reply(at, code, text);
  }
}

void ScriptedFtpServer::on_op(TimeMs now, const ftp::Op& op) {
  if (const auto* c = std::get_if<ftp::OpConnect>(&op)) {
    const std::uint8_t v = script_.back();
    const TimeMs at = now + kDelays[v >> 4];
    if (c->sock == ftp::Sock::control) {
      client_control_ = ++control_gen_;
      switch (v & 7) {
        case 5:
          schedule(at, ftp::Sock::control,
                   modem::SocketClosed{at, ftp::Sock::control,
                                       kSockErrors[script_.back() % kSockErrors.size()]});
          return;
        case 6:  // the SYN goes unanswered
          return;
        default:
          break;
      }
      control_open_ = true;
      data_open_ = false;
      listening_ = false;
      control_buf_.clear();
      rest_ = 0;
      xfer_ = Xfer::none;
      const char* local = (v & 7) == 4 ? "::ffff:10.0.0.2" : (v & 7) == 7 ? "fe80::2" : "10.0.0.2";
      schedule(at, ftp::Sock::control, modem::SocketConnected{at, ftp::Sock::control, local});
      reply(at, 220, "scripted FTP server ready");
      return;
    }
    client_data_ = ++data_gen_;
    listening_ = false;
    switch (v & 7) {
      case 6:
        schedule(at, ftp::Sock::data,
                 modem::SocketClosed{at, ftp::Sock::data, ftp::SockError::refused});
        return;
      case 7:
        return;
      default:
        connect_data(at);
        return;
    }
  }
  if (std::holds_alternative<ftp::OpListen>(op)) {
    const std::uint8_t v = script_.back();
    client_data_ = ++data_gen_;
    data_open_ = false;
    listening_ = true;
    schedule(now, ftp::Sock::data,
             modem::SocketListening{now, kListenIps[v % kListenIps.size()],
                                    static_cast<std::uint16_t>(40000 + v)});
    return;
  }
  if (const auto* s = std::get_if<ftp::OpSend>(&op)) {
    if (s->sock == ftp::Sock::data) {
      upload_bytes(now, s->bytes);
      return;
    }
    if (!control_open_) {
      return;
    }
    control_buf_ += s->bytes;
    // Each complete line as a view into the buffer (no command changes the buffer).
    std::size_t begin = 0;
    for (auto nl = control_buf_.find("\r\n"); nl != std::string::npos;
         nl = control_buf_.find("\r\n", begin)) {
      command(now, std::string_view(control_buf_).substr(begin, nl - begin));
      begin = nl + 2;
    }
    control_buf_.erase(0, begin);
    return;
  }
  if (const auto* cl = std::get_if<ftp::OpClose>(&op)) {
    if (cl->sock == ftp::Sock::control) {
      client_control_ = 0;
      control_open_ = false;
      data_open_ = false;
      xfer_ = Xfer::none;
      return;
    }
    client_data_ = 0;
    listening_ = false;
    if (data_open_ && xfer_ == Xfer::stor) {
      data_open_ = false;
      upload_closed(now);
      return;
    }
    data_open_ = false;
    if (xfer_ == Xfer::retr) {
      xfer_ = Xfer::none;
    }
  }
}

void ScriptedFtpServer::command(TimeMs now, std::string_view line) {
  const auto space = line.find(' ');
  std::string upper(line.substr(0, space));
  std::transform(upper.begin(), upper.end(), upper.begin(),
                 [](unsigned char ch) { return static_cast<char>(std::toupper(ch)); });
  // Views compare by size before bytes: most verbs are told apart without a memcmp.
  const std::string_view verb = upper;
  const std::string_view arg =
      space == std::string_view::npos ? std::string_view() : line.substr(space + 1);

  if (verb == "USER") return reply(now, 331, "password please");
  if (verb == "PASS") return reply(now, 230, "logged in");
  if (verb == "PWD") return reply(now, 257, kPwdTexts[script_.back() % kPwdTexts.size()]);
  if (verb == "CWD") return reply(now, 250, "directory changed");
  if (verb == "TYPE") return reply(now, 200, "type set");
  if (verb == "PASV") return reply(now, 227, kPasvTexts[script_.back() % kPasvTexts.size()]);
  if (verb == "EPSV") return reply(now, 229, kEpsvTexts[script_.back() % kEpsvTexts.size()]);
  if (verb == "PORT") return reply(now, 200, "PORT ok");
  if (verb == "REST") {
    rest_ = 0;
    for (const char ch : arg) {
      if (ch < '0' || ch > '9' || rest_ > (1ull << 40)) break;
      rest_ = rest_ * 10 + static_cast<std::uint64_t>(ch - '0');
    }
    return reply(now, 350, "restarting");
  }
  if (verb == "STOR") return start_stor(now);
  if (verb == "RETR") return start_retr(now);
  if (verb == "ABOR") return abort(now);
  if (verb == "QUIT") {
    reply(now, 221, "bye");
    if (control_open_) close_control(now, ftp::SockError::eof);
    return;
  }
  reply(now, 502, "not implemented");
}

// The data connection STOR/RETR will use: open already (passive), or opened now by the server
// (active mode). Without either the command fails with 425.
bool ScriptedFtpServer::data_ready(TimeMs now) {
  if (data_open_) {
    return true;
  }
  if (listening_) {
    connect_data(now);
    return true;
  }
  send_reply(now, 425, "no data connection");
  return false;
}

void ScriptedFtpServer::start_retr(TimeMs now) {
  const std::uint8_t v = script_.back();
  const std::uint8_t seed = script_.back();
  const std::uint64_t size = kRetrSizes[v & 7];
  const unsigned mode = (v >> 3) & 7;
  const unsigned chunking = v >> 6;
  if (mode == 6) {
    rest_ = 0;
    return reply(now, 550, "no such file");
  }
  if (!data_ready(now)) {
    rest_ = 0;
    return;
  }
  xfer_ = Xfer::retr;
  const std::uint64_t from = std::min(rest_, size);
  rest_ = 0;
  const std::uint64_t body = size - from;
  const std::uint64_t sent = mode == 3 || mode == 4 || mode == 5 ? body / 2 : body;
  std::uint64_t chunk =
      std::array<std::uint64_t, 4>{std::max<std::uint64_t>(body, 1), 512, 1, 64}[chunking];
  if (chunk == 1 && body > 64) {
    chunk = 64;  // a byte per event is for small files; big ones would only be slow
  }
  TimeMs at = now;
  auto send_data = [&] {
    for (std::uint64_t off = 0; off < sent; off += chunk) {
      std::string bytes = file_bytes(seed, from + off, std::min(sent - off, chunk));
      schedule(at, ftp::Sock::data, modem::SocketData{at, ftp::Sock::data, std::move(bytes)});
      if (chunking == 3) {
        ++at;  // paced: time passes between segments
      }
    }
  };
  switch (mode) {
    case 1:  // the data beats the 150
      send_data();
      send_reply(at, 150, "opening data connection");
      close_data(at, ftp::SockError::eof);
      send_reply(at, 226, "transfer complete");
      break;
    case 2:  // 226 before the data connection closes
      send_reply(at, 150, "opening data connection");
      send_data();
      send_reply(at, 226, "transfer complete");
      close_data(at, ftp::SockError::eof);
      break;
    case 3:
      send_reply(at, 150, "opening data connection");
      send_data();
      close_data(at, ftp::SockError::eof);
      send_reply(at, 426, "connection closed; transfer aborted");
      break;
    case 4:  // stalls, open and silent, until ABOR
      send_reply(at, 150, "opening data connection");
      send_data();
      return;
    case 5:
      send_reply(at, 150, "opening data connection");
      send_data();
      close_data(at, ftp::SockError::reset);
      send_reply(at, 426, "connection reset");
      break;
    case 7:  // no 150 at all
      send_data();
      close_data(at, ftp::SockError::eof);
      send_reply(at, 226, "transfer complete");
      break;
    default:
      send_reply(at, 150, "opening data connection");
      send_data();
      close_data(at, ftp::SockError::eof);
      send_reply(at, 226, "transfer complete");
      break;
  }
  xfer_ = Xfer::none;
}

void ScriptedFtpServer::start_stor(TimeMs now) {
  const std::uint8_t v = script_.back();
  stor_mode_ = v & 7;
  stor_cut_ = kStorCuts[(v >> 3) & 7];
  rest_ = 0;
  if (stor_mode_ == 5) {
    return reply(now, 550, "permission denied");
  }
  if (!data_ready(now)) {
    return;
  }
  xfer_ = Xfer::stor;
  received_ = 0;
  send_reply(now, stor_mode_ == 1 ? 125 : 150, "ready for data");
  if (stor_mode_ == 6) {
    send_reply(now, 226, "done before any data");
  } else if (stor_mode_ == 2 && stor_cut_ == 0) {
    close_data(now, ftp::SockError::eof);
    send_reply(now, 426, "connection closed");
    xfer_ = Xfer::none;
  }
}

void ScriptedFtpServer::upload_bytes(TimeMs now, const std::string& bytes) {
  if (xfer_ != Xfer::stor || !data_open_) {
    return;
  }
  received_ += bytes.size();
  if (stor_mode_ == 2 && received_ >= stor_cut_) {  // the server stops reading part-way
    close_data(now, ftp::SockError::eof);
    send_reply(now, 426, "connection closed");
    xfer_ = Xfer::none;
  }
}

void ScriptedFtpServer::upload_closed(TimeMs now) {
  switch (stor_mode_) {
    case 3:
      send_reply(now, 552, "exceeded storage allocation");
      break;
    case 4:  // never confirms
    case 6:  // confirmed already
      break;
    case 7:
      send_reply(now + 1000, 226, "transfer complete");
      break;
    default:
      send_reply(now, 226, "transfer complete");
      break;
  }
  xfer_ = Xfer::none;
}

void ScriptedFtpServer::abort(TimeMs now) {
  const unsigned v = script_.back() % 5;
  if (xfer_ == Xfer::none) {
    return send_reply(now, v == 1 ? 225 : 226, "abort ok");
  }
  xfer_ = Xfer::none;
  if (v != 3 && data_open_) {
    close_data(now, ftp::SockError::eof);
  }
  switch (v) {
    case 1:
      send_reply(now, 226, "abort ok");
      break;
    case 2:
      send_reply(now, 426, "transfer aborted");
      break;
    case 3:  // ignores the ABOR
      break;
    case 4:
      send_reply(now, 426, "transfer aborted");
      send_reply(now, 225, "abort ok");
      break;
    default:
      send_reply(now, 426, "transfer aborted");
      send_reply(now, 226, "abort ok");
      break;
  }
}

void ScriptedFtpServer::kick(TimeMs now) {
  if (!control_open_) {
    return;
  }
  send_reply(now, 421, "idle timeout");
  close_control(now, ftp::SockError::eof);
}

void ScriptedFtpServer::drop_control(TimeMs now, ftp::SockError why) {
  if (control_open_) {
    close_control(now, why);
  }
}

void ScriptedFtpServer::drop_data(TimeMs now, ftp::SockError why) {
  if (!data_open_) {
    return;
  }
  close_data(now, why);
  if (xfer_ != Xfer::none && control_open_) {
    send_reply(now, 426, "data connection lost");
  }
  xfer_ = Xfer::none;
}

void ScriptedFtpServer::noise(TimeMs now) {
  if (!control_open_) {
    return;
  }
  constexpr std::array<const char*, 4> kNoise = {"200 noise\r\n", "421 going down\r\n", "hello\r\n",
                                                 "150 unasked\r\n"};
  send_control(now, kNoise[script_.back() % kNoise.size()]);
}

}  // namespace qftp::fuzz
