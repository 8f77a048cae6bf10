// Sans-I/O FTP client state machine (RFC 959 with RFC 2428 EPSV) for the QFTP service.
// Replies, socket results and time come in as calls; socket operations and events go out in queues.
#include "core/ftp/ftp_client.h"

#include <utility>

namespace qftp::ftp {

namespace {

// The 150 reply and the first data bytes travel on different sockets, so data may win the race;
// this bounds what is held until the reply comes.
constexpr std::size_t kMaxEarlyData = 64 * 1024;

constexpr std::string_view kCrLf = "\r\n";

Failure fail(FailKind kind) {
  return Failure{kind, 0};
}
Failure fail_reply(int code) {
  return Failure{FailKind::reply, code};
}

bool is_2xx(int code) {
  return code >= 200 && code < 300;
}

// A CR, LF or NUL inside an argument would end the command early and smuggle in another one.
bool bad_argument(std::string_view s) {
  return s.find_first_of(std::string_view("\r\n\0", 3)) != std::string_view::npos;
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) {
    return false;
  }
  for (std::size_t i = 0; i < a.size(); ++i) {
    char x = a[i];
    char y = b[i];
    if (x >= 'A' && x <= 'Z') {
      x = static_cast<char>(x - 'A' + 'a');
    }
    if (y >= 'A' && y <= 'Z') {
      y = static_cast<char>(y - 'A' + 'a');
    }
    if (x != y) {
      return false;
    }
  }
  return true;
}

FailKind connect_failure(SockError why) {
  switch (why) {
    case SockError::resolve:
      return FailKind::resolve;
    case SockError::timeout:
      return FailKind::timeout;
    case SockError::context:
      return FailKind::context;
    case SockError::eof:
    case SockError::refused:
    case SockError::reset:
    case SockError::unreachable:
      return FailKind::connect;
  }
  return FailKind::connect;
}

// RFC 959 appendix II: the directory is quoted, with embedded quotes doubled.
std::optional<std::string> quoted_path(std::string_view text) {
  std::size_t q = text.find('"');
  if (q == std::string_view::npos) {
    return std::nullopt;
  }
  std::string out;
  for (std::size_t i = q + 1; i < text.size(); ++i) {
    if (text[i] == '"') {
      if (i + 1 < text.size() && text[i + 1] == '"') {
        out.push_back('"');
        ++i;
        continue;
      }
      return out;
    }
    out.push_back(text[i]);
  }
  return std::nullopt;
}

}  // namespace

// --- engine side -----------------------------------------------------------------------------

void FtpClient::open(TimeMs t, const OpenParams& params) {
  // No "busy" kind exists; protocol (-1) marks an engine calling out of turn.
  if (phase_ != Phase::idle || logged_in_ || bad_argument(params.user) ||
      bad_argument(params.password)) {
    events_.push_back(OpenFailed{fail(FailKind::protocol)});
    return;
  }
  reset_session();
  open_params_ = params;
  host_ = params.host;
  ops_.push_back(OpConnect{Sock::control, params.host, params.port});
  control_ = SockState::connecting;
  phase_ = Phase::connecting;
  deadline_ = t + timeouts_.connect;
}

void FtpClient::cwd(TimeMs t, const std::string& path) {
  if (!logged_in_) {
    events_.push_back(CwdDone{fail(FailKind::control_closed)});
    return;
  }
  if (phase_ != Phase::idle || bad_argument(path)) {
    events_.push_back(CwdDone{fail(FailKind::protocol)});
    return;
  }
  const std::string& target = path.empty() ? login_dir_ : path;
  if (target.empty()) {
    events_.push_back(CwdDone{});
    return;
  }
  phase_ = Phase::cwd;
  send_command(t, "CWD " + target);
}

void FtpClient::transfer(TimeMs t, const TransferParams& params) {
  if (!logged_in_) {
    events_.push_back(TransferDone{0, fail(FailKind::control_closed)});
    return;
  }
  if (phase_ != Phase::idle || bad_argument(params.remote_name)) {
    events_.push_back(TransferDone{0, fail(FailKind::protocol)});
    return;
  }
  xfer_ = params;
  bytes_ = 0;
  prelim_ = false;
  final_ok_ = false;
  final_failure_.reset();
  ready_ = false;
  upload_closed_ = false;
  finish_requested_ = false;
  data_lost_ = false;
  abort_replies_ = 0;
  early_data_.clear();
  phase_ = Phase::type;
  send_command(t, params.binary ? "TYPE I" : "TYPE A");
}

void FtpClient::send_data(TimeMs /*t*/, std::string_view bytes) {
  if (phase_ != Phase::command || xfer_.direction != TransferParams::Direction::put || !ready_ ||
      upload_closed_ || data_lost_ || data_ != SockState::open || bytes.empty()) {
    return;
  }
  bytes_ += bytes.size();
  ops_.push_back(OpSend{Sock::data, std::string(bytes)});
}

void FtpClient::finish_upload(TimeMs t) {
  if (phase_ != Phase::command || xfer_.direction != TransferParams::Direction::put ||
      upload_closed_ || data_lost_) {
    return;
  }
  if (!ready_) {
    finish_requested_ = true;
    return;
  }
  close_data();
  upload_closed_ = true;
  deadline_ = t + timeouts_.reply;
}

void FtpClient::abort(TimeMs t) {
  if (!in_transfer()) {
    return;
  }
  if (phase_ == Phase::command && awaiting_final_) {
    send_abor(t, fail(FailKind::aborted));
    return;
  }
  // Nothing to ABOR yet (set-up commands) or any more (RETR answered, data still draining).
  finish_transfer(t, fail(FailKind::aborted));
}

void FtpClient::close(TimeMs t) {
  switch (phase_) {
    case Phase::idle:
      if (logged_in_) {
        start_quit(t);
      } else {
        events_.push_back(Closed{});
      }
      return;
    case Phase::connecting:
    case Phase::greeting:
    case Phase::user:
    case Phase::pass:
    case Phase::pwd:
      fail_open(fail(FailKind::aborted));
      events_.push_back(Closed{});
      return;
    case Phase::cwd:
      if (awaiting_final_) {
        ++discard_;
        awaiting_final_ = false;
      }
      events_.push_back(CwdDone{fail(FailKind::aborted)});
      start_quit(t);
      return;
    case Phase::type:
    case Phase::pasv:
    case Phase::epsv:
    case Phase::listen:
    case Phase::data_connect:
    case Phase::port:
    case Phase::rest:
    case Phase::command:
      close_pending_ = true;
      abort(t);
      return;
    case Phase::aborting:
      close_pending_ = true;
      return;
    case Phase::quit:
      return;
  }
}

bool FtpClient::connected() const {
  return logged_in_;
}

bool FtpClient::idle() const {
  return phase_ == Phase::idle;
}

// --- I/O shell side ----------------------------------------------------------------------------

void FtpClient::on_connected(TimeMs t, Sock sock, const std::string& local_ip) {
  if (sock == Sock::control) {
    if (phase_ != Phase::connecting || control_ != SockState::connecting) {
      return;
    }
    control_ = SockState::open;
    local_ip_ = local_ip;
    phase_ = Phase::greeting;
    awaiting_final_ = true;
    deadline_ = t + timeouts_.connect;
    return;
  }
  if (phase_ == Phase::data_connect && data_ == SockState::connecting) {
    data_ = SockState::open;
    send_rest_or_command(t);
    return;
  }
  if (data_ == SockState::listening && in_transfer()) {
    // Active mode: the server connected to our listener.
    data_ = SockState::open;
    if (phase_ == Phase::command) {
      maybe_ready(t);
    }
  }
}

void FtpClient::on_listening(TimeMs t, const std::string& ip, std::uint16_t port) {
  if (phase_ != Phase::listen || data_ != SockState::listening) {
    return;
  }
  std::optional<std::string> arg;
  if (ip != "0.0.0.0") {
    arg = format_port_argument(ip, port);
  }
  if (!arg) {
    arg = format_port_argument(local_ip_, port);
  }
  if (!arg) {
    finish_transfer(t, fail(FailKind::connect));
    return;
  }
  phase_ = Phase::port;
  send_command(t, "PORT " + *arg);
}

void FtpClient::on_data(TimeMs t, Sock sock, std::string_view bytes) {
  if (sock == Sock::control) {
    if (control_ != SockState::open) {
      return;
    }
    std::vector<Reply> replies = std::move(replies_);
    replies.clear();
    const bool ok = parser_.feed(bytes, replies);
    // Replies before a protocol error in the same segment are still honoured.
    for (const Reply& reply : replies) {
      if (control_ != SockState::open) {
        break;
      }
      handle_reply(t, reply);
    }
    if (!ok && control_ == SockState::open) {
      lose_control(t, fail(FailKind::protocol));
    }
    replies_ = std::move(replies);
    return;
  }
  if (phase_ != Phase::command || xfer_.direction != TransferParams::Direction::get ||
      data_ != SockState::open || bytes.empty()) {
    return;
  }
  if (ready_) {
    emit_data(std::string(bytes));
    deadline_ = t + timeouts_.data;
    return;
  }
  if (early_data_.size() + bytes.size() > kMaxEarlyData) {
    finish_transfer(t, fail(FailKind::protocol));
    return;
  }
  early_data_.append(bytes);
}

void FtpClient::on_closed(TimeMs t, Sock sock, SockError why) {
  if (sock == Sock::control) {
    if (control_ == SockState::none || control_ == SockState::gone) {
      return;
    }
    if (phase_ == Phase::connecting) {
      control_ = SockState::gone;
      fail_open(fail(connect_failure(why)));
      return;
    }
    control_ = SockState::gone;
    lose_control(t, fail(why == SockError::context ? FailKind::context : FailKind::control_closed));
    return;
  }

  if (data_ == SockState::none || data_ == SockState::gone) {
    return;
  }
  SockState was = data_;
  data_ = SockState::gone;
  if (!in_transfer()) {
    return;
  }
  if (final_failure_) {
    // The server had already said why the download failed; however its data connection ends,
    // that reply is the outcome.
    finish_transfer(t, final_failure_);
    return;
  }
  if (was == SockState::connecting || was == SockState::listening) {
    finish_transfer(t, fail(why == SockError::context ? FailKind::context : FailKind::connect));
    return;
  }
  if (why != SockError::eof) {
    finish_transfer(t, fail(why == SockError::context ? FailKind::context : FailKind::data_closed));
    return;
  }
  if (phase_ != Phase::command) {
    // The server hung up the data connection before STOR/RETR was even sent.
    finish_transfer(t, fail(FailKind::data_closed));
    return;
  }
  if (xfer_.direction == TransferParams::Direction::get) {
    // End of file. Its 150 may still be on the way (then maybe_ready flushes), and its 226 too.
    if (ready_) {
      check_download_done(t);
      if (phase_ == Phase::command) {
        deadline_ = t + timeouts_.reply;
      }
    }
    return;
  }
  // Upload: the server stopped reading. Its reply says why (552, 426 ...), so wait for it.
  data_lost_ = true;
  deadline_ = t + timeouts_.reply;
}

void FtpClient::on_tick(TimeMs t) {
  if (deadline_ == kNever || t < deadline_) {
    return;
  }
  deadline_ = kNever;
  if (phase_ == Phase::idle) {
    return;
  }
  if (phase_ == Phase::listen || phase_ == Phase::data_connect ||
      (phase_ == Phase::command && !awaiting_final_)) {
    // Only the data connection was late and no reply is owed: the session is still in step.
    finish_transfer(t, final_failure_ ? final_failure_ : fail(FailKind::timeout));
    return;
  }
  if (waiting_on_data()) {
    // The data connection stalled (or, in active mode, never came) while the server still owes
    // the command's reply; ABOR makes it send that reply now, so the session stays in step.
    send_abor(t, fail(FailKind::timeout));
    return;
  }
  // A reply is late. Should it still come, it would be taken as the answer to the next command,
  // so the session is given up, as a modem does when its server stops answering. An upload
  // whose data connection the server closed first reports that (-7) rather than the silence.
  lose_control(t, fail(in_transfer() && data_lost_ ? FailKind::data_closed : FailKind::timeout));
}

TimeMs FtpClient::deadline() const {
  return deadline_;
}

std::vector<Op> FtpClient::take_ops() {
  std::vector<Op> out;
  take_ops([&out](Op&& op) { out.push_back(std::move(op)); });
  return out;
}

std::vector<ClientEvent> FtpClient::take_events() {
  std::vector<ClientEvent> out;
  take_events([&out](ClientEvent&& event) { out.push_back(std::move(event)); });
  return out;
}

// --- private -------------------------------------------------------------------------------------

void FtpClient::send_command(TimeMs t, std::string command) {
  command.append(kCrLf);
  ops_.push_back(OpSend{Sock::control, std::move(command)});
  awaiting_final_ = true;
  deadline_ = t + timeouts_.reply;
}

void FtpClient::handle_reply(TimeMs t, const Reply& reply) {
  const int code = reply.code;
  if (discard_ > 0) {
    // Replies are answered in order, so these belong to commands whose operation already ended.
    if (code >= 200) {
      --discard_;
    }
    return;
  }
  if (phase_ == Phase::aborting) {
    if (code >= 200 && --abort_replies_ == 0) {
      finish_transfer(t, abort_outcome_);
    }
    return;
  }
  if (code < 200) {
    if (phase_ == Phase::command && awaiting_final_ && !prelim_ && (code == 125 || code == 150)) {
      prelim_ = true;
      if (data_ == SockState::listening) {
        deadline_ = t + timeouts_.connect;  // active mode: the server connects to us next
      }
      maybe_ready(t);
    }
    return;  // 120 before a greeting, 110 markers, repeats: nothing to do
  }
  if (!awaiting_final_) {
    // Nothing was asked; only a 421 (service closing) matters.
    if (code != 421) {
      return;
    }
    if (phase_ == Phase::idle) {
      if (logged_in_) {
        events_.push_back(Unsolicited{fail_reply(code)});
      }
    } else if (in_transfer()) {
      finish_transfer(t, fail_reply(code));
    }
    return;
  }
  awaiting_final_ = false;
  switch (phase_) {
    case Phase::greeting:
    case Phase::user:
    case Phase::pass:
    case Phase::pwd:
      open_reply(t, reply);
      return;
    case Phase::cwd:
      phase_ = Phase::idle;
      deadline_ = kNever;
      if (is_2xx(code)) {
        events_.push_back(CwdDone{});
      } else {
        events_.push_back(CwdDone{fail_reply(code)});
      }
      return;
    case Phase::type:
    case Phase::pasv:
    case Phase::epsv:
    case Phase::port:
    case Phase::rest:
      transfer_reply(t, reply);
      return;
    case Phase::command:
      command_reply(t, reply);
      return;
    case Phase::quit:
      if (control_ != SockState::none) {
        ops_.push_back(OpClose{Sock::control});
        control_ = SockState::none;
      }
      if (is_2xx(code)) {
        events_.push_back(Closed{});
      } else {
        events_.push_back(Closed{fail_reply(code)});
      }
      reset_session();
      return;
    case Phase::idle:
    case Phase::connecting:
    case Phase::listen:
    case Phase::data_connect:
    case Phase::aborting:
      return;  // no command is outstanding in these phases
  }
}

void FtpClient::open_reply(TimeMs t, const Reply& reply) {
  const int code = reply.code;
  switch (phase_) {
    case Phase::greeting:
      if (code != 220) {
        fail_open(fail_reply(code));
        return;
      }
      phase_ = Phase::user;
      send_command(
          t, "USER " + (open_params_.user.empty() ? std::string("anonymous") : open_params_.user));
      return;
    case Phase::user:
      if (code == 331) {
        std::string password = open_params_.password;
        bool anonymous = open_params_.user.empty() || iequals(open_params_.user, "anonymous") ||
                         iequals(open_params_.user, "ftp");
        if (password.empty() && anonymous) {
          password = "qftp@";  // RFC 1635: anonymous servers want something mail-address-like
        }
        phase_ = Phase::pass;
        send_command(t, "PASS " + password);
        return;
      }
      if (is_2xx(code)) {
        after_login(t);
        return;
      }
      fail_open(fail_reply(code));  // 332 (account wanted) included: no account to give
      return;
    case Phase::pass:
      if (is_2xx(code)) {
        after_login(t);
        return;
      }
      fail_open(fail_reply(code));
      return;
    case Phase::pwd:
      if (code == 421) {
        fail_open(fail_reply(code));
        return;
      }
      // A server without PWD still works; cwd("") then has nothing to go back to.
      login_dir_.clear();
      if (is_2xx(code)) {
        login_dir_ = quoted_path(reply.text).value_or(std::string());
      }
      logged_in_ = true;
      phase_ = Phase::idle;
      deadline_ = kNever;
      events_.push_back(Opened{});
      return;
    default:
      return;
  }
}

void FtpClient::after_login(TimeMs t) {
  phase_ = Phase::pwd;
  send_command(t, "PWD");
}

void FtpClient::transfer_reply(TimeMs t, const Reply& reply) {
  const int code = reply.code;
  switch (phase_) {
    case Phase::type:
      if (!is_2xx(code)) {
        finish_transfer(t, fail_reply(code));
        return;
      }
      start_data(t);
      return;
    case Phase::pasv: {
      if (code == 500 || code == 502) {
        phase_ = Phase::epsv;
        send_command(t, "EPSV");
        return;
      }
      if (!is_2xx(code)) {
        finish_transfer(t, fail_reply(code));
        return;
      }
      auto hp = parse_pasv(reply.text);
      if (!hp) {
        finish_transfer(t, fail(FailKind::protocol));
        return;
      }
      // 0.0.0.0 means "where you reached me"; the control peer is the only sensible target.
      const std::string& host = hp->host == "0.0.0.0" ? host_ : hp->host;
      ops_.push_back(OpConnect{Sock::data, host, hp->port});
      data_ = SockState::connecting;
      phase_ = Phase::data_connect;
      deadline_ = t + timeouts_.connect;
      return;
    }
    case Phase::epsv: {
      if (!is_2xx(code)) {
        finish_transfer(t, fail_reply(code));
        return;
      }
      auto port = parse_epsv(reply.text);
      if (!port) {
        finish_transfer(t, fail(FailKind::protocol));
        return;
      }
      ops_.push_back(OpConnect{Sock::data, host_, *port});
      data_ = SockState::connecting;
      phase_ = Phase::data_connect;
      deadline_ = t + timeouts_.connect;
      return;
    }
    case Phase::port:
      if (!is_2xx(code)) {
        finish_transfer(t, fail_reply(code));
        return;
      }
      send_rest_or_command(t);
      return;
    case Phase::rest:
      // 350 is the answer RFC 959 gives; a 2xx is taken as agreement too.
      if (code >= 400) {
        finish_transfer(t, fail_reply(code));
        return;
      }
      phase_ = Phase::command;
      send_command(t, (xfer_.direction == TransferParams::Direction::get ? "RETR " : "STOR ") +
                          xfer_.remote_name);
      return;
    default:
      return;
  }
}

void FtpClient::command_reply(TimeMs t, const Reply& reply) {
  const int code = reply.code;
  if (!is_2xx(code)) {
    if (xfer_.direction == TransferParams::Direction::get && ready_ &&
        data_ == SockState::open) {
      // The reply (426 after a cut, say) overtook data the server sent before it: those bytes
      // still count, and a later REST resumes from them. The data connection's end (or the data
      // timeout) ends the transfer, with this reply as its outcome.
      final_failure_ = fail_reply(code);
      deadline_ = t + timeouts_.data;
      return;
    }
    finish_transfer(t, fail_reply(code));
    return;
  }
  final_ok_ = true;
  if (xfer_.direction == TransferParams::Direction::put) {
    // Only the client knows where an upload ends; a 226 before that means the data stopped early.
    finish_transfer(t, upload_closed_ ? std::nullopt : std::optional(fail(FailKind::data_closed)));
    return;
  }
  if (!prelim_) {
    prelim_ = true;  // a server that skipped 150: the 226 implies it
  }
  if (!ready_) {
    maybe_ready(t);
    if (phase_ != Phase::command) {
      return;
    }
  }
  check_download_done(t);
  if (phase_ == Phase::command) {
    deadline_ = t + (data_ == SockState::listening ? timeouts_.connect : timeouts_.data);
  }
}

void FtpClient::fail_open(Failure failure) {
  close_data();
  if (control_ != SockState::none) {
    ops_.push_back(OpClose{Sock::control});
    control_ = SockState::none;
  }
  events_.push_back(OpenFailed{failure});
  reset_session();
}

void FtpClient::start_data(TimeMs t) {
  if (xfer_.passive) {
    phase_ = Phase::pasv;
    send_command(t, "PASV");
    return;
  }
  ops_.push_back(OpListen{Sock::data});
  data_ = SockState::listening;
  phase_ = Phase::listen;
  deadline_ = t + timeouts_.connect;
}

void FtpClient::send_rest_or_command(TimeMs t) {
  if (xfer_.rest_point > 0) {
    phase_ = Phase::rest;
    send_command(t, "REST " + std::to_string(xfer_.rest_point));
    return;
  }
  phase_ = Phase::command;
  send_command(t, (xfer_.direction == TransferParams::Direction::get ? "RETR " : "STOR ") +
                      xfer_.remote_name);
}

void FtpClient::maybe_ready(TimeMs t) {
  if (ready_ || !prelim_) {
    return;
  }
  const bool get = xfer_.direction == TransferParams::Direction::get;
  // A download's data may already have ended (gone after EOF); an upload needs an open socket.
  if (!(data_ == SockState::open || (get && data_ == SockState::gone))) {
    return;
  }
  ready_ = true;
  events_.push_back(TransferReady{});
  if (!get) {
    deadline_ = kNever;  // the engine paces the upload and bounds it with its own <time>
    if (finish_requested_) {
      finish_upload(t);
    }
    return;
  }
  if (!early_data_.empty()) {
    emit_data(std::move(early_data_));
    early_data_.clear();
  }
  if (data_ == SockState::open) {
    deadline_ = t + timeouts_.data;
    return;
  }
  check_download_done(t);
  if (phase_ == Phase::command && awaiting_final_) {
    deadline_ = t + timeouts_.reply;
  }
}

void FtpClient::emit_data(std::string bytes) {
  bytes_ += bytes.size();
  events_.push_back(DataReceived{std::move(bytes)});
}

void FtpClient::check_download_done(TimeMs t) {
  if (phase_ == Phase::command && xfer_.direction == TransferParams::Direction::get && ready_ &&
      (final_ok_ || final_failure_) && data_ == SockState::gone) {
    finish_transfer(t, final_failure_);
  }
}

void FtpClient::finish_transfer(TimeMs t, std::optional<Failure> failure) {
  close_data();
  if (awaiting_final_) {
    ++discard_;
    awaiting_final_ = false;
  }
  early_data_.clear();
  phase_ = Phase::idle;
  deadline_ = kNever;
  events_.push_back(TransferDone{bytes_, failure});
  if (close_pending_) {
    start_quit(t);
  }
}

void FtpClient::start_quit(TimeMs t) {
  close_pending_ = false;
  phase_ = Phase::quit;
  send_command(t, "QUIT");
}

// The STOR/RETR reply and the ABOR reply are both owed (RFC 959 §4.1.3: 426 then 226, or 226 then
// 225 when the transfer had ended); a server that sends only one loses the session at the timeout.
void FtpClient::send_abor(TimeMs t, Failure outcome) {
  ops_.push_back(OpSend{Sock::control, "ABOR\r\n"});
  close_data();
  awaiting_final_ = false;
  abort_replies_ = 2;
  abort_outcome_ = outcome;
  early_data_.clear();
  phase_ = Phase::aborting;
  deadline_ = t + timeouts_.reply;
}

void FtpClient::close_data() {
  if (data_ != SockState::none) {
    ops_.push_back(OpClose{Sock::data});
    data_ = SockState::none;
  }
}

void FtpClient::lose_control(TimeMs /*t*/, Failure why) {
  if (control_ != SockState::none) {
    ops_.push_back(OpClose{Sock::control});
    control_ = SockState::none;
  }
  close_data();
  switch (phase_) {
    case Phase::connecting:
    case Phase::greeting:
    case Phase::user:
    case Phase::pass:
    case Phase::pwd:
      events_.push_back(OpenFailed{why});
      break;
    case Phase::cwd:
      events_.push_back(CwdDone{why});
      break;
    case Phase::type:
    case Phase::pasv:
    case Phase::epsv:
    case Phase::listen:
    case Phase::data_connect:
    case Phase::port:
    case Phase::rest:
    case Phase::command:
      // A failure reply already received says how the download ended, whatever happens next.
      events_.push_back(TransferDone{bytes_, final_failure_ ? *final_failure_ : why});
      break;
    case Phase::aborting:
      // What the ABOR was for is what the transfer reports. An engine abort reports no error,
      // so the lost session follows it as news; a timeout's -9 already says enough.
      events_.push_back(TransferDone{bytes_, abort_outcome_});
      if (close_pending_) {
        events_.push_back(why.kind == FailKind::timeout ? Closed{why} : Closed{});
      } else if (abort_outcome_.kind == FailKind::aborted) {
        events_.push_back(Unsolicited{why});
      }
      break;
    case Phase::quit:
      if (why.kind == FailKind::control_closed) {
        events_.push_back(Closed{});
      } else {
        events_.push_back(Closed{why});
      }
      break;
    case Phase::idle:
      if (logged_in_) {
        events_.push_back(Unsolicited{why});
      }
      break;
  }
  reset_session();
}

void FtpClient::reset_session() {
  phase_ = Phase::idle;
  logged_in_ = false;
  deadline_ = kNever;
  awaiting_final_ = false;
  discard_ = 0;
  close_pending_ = false;
  login_dir_.clear();
  local_ip_.clear();
  early_data_.clear();
  parser_.reset();
}

// The command's 125/150 came and the client waits for the data connection: the server to connect
// (active mode) or a download's next bytes.
bool FtpClient::waiting_on_data() const {
  return phase_ == Phase::command && prelim_ &&
         (data_ == SockState::listening ||
          (xfer_.direction == TransferParams::Direction::get && data_ == SockState::open));
}

bool FtpClient::in_transfer() const {
  switch (phase_) {
    case Phase::type:
    case Phase::pasv:
    case Phase::epsv:
    case Phase::listen:
    case Phase::data_connect:
    case Phase::port:
    case Phase::rest:
    case Phase::command:
      return true;
    default:
      return false;
  }
}

}  // namespace qftp::ftp
