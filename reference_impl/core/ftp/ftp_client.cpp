// Sans-I/O FTP client state machine (RFC 959 with RFC 2428 EPSV) for the QFTP service.
// Replies, socket results and time come in as calls; socket operations and events go out in queues.
#include "core/ftp/ftp_client.h"

#include <utility>

#include "core/common/overloaded.h"

namespace qftp::ftp {

namespace {

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
  if (!std::holds_alternative<phase::Offline>(phase_) || bad_argument(params.user) ||
      bad_argument(params.password)) {
    events_.push_back(OpenFailed{fail(FailKind::protocol)});
    return;
  }
  go_offline();  // a fresh session: nothing learnt on an earlier one carries over
  host_ = params.host;
  ops_.push_back(OpConnect{Sock::control, params.host, params.port});
  control_ = SockState::connecting;
  phase_ = phase::Opening{phase::Opening::Step::connecting, params.user, params.password};
  deadline_ = t + timeouts_.connect;
}

void FtpClient::cwd(TimeMs t, const std::string& path) {
  if (!connected()) {
    events_.push_back(CwdDone{path, fail(FailKind::control_closed)});
    return;
  }
  if (!std::holds_alternative<phase::Ready>(phase_) || bad_argument(path)) {
    events_.push_back(CwdDone{path, fail(FailKind::protocol)});
    return;
  }
  const std::string& target = path.empty() ? login_dir_ : path;
  if (target.empty()) {
    events_.push_back(CwdDone{path, std::nullopt});
    return;
  }
  send_command(t, "CWD " + target);
  phase_ = phase::ChangingDir{path};
}

void FtpClient::transfer(TimeMs t, const TransferParams& params) {
  if (!connected()) {
    events_.push_back(TransferDone{0, fail(FailKind::control_closed)});
    return;
  }
  if (!std::holds_alternative<phase::Ready>(phase_) || bad_argument(params.remote_name)) {
    events_.push_back(TransferDone{0, fail(FailKind::protocol)});
    return;
  }
  phase_.emplace<Transferring>().params = params;
  send_command(t, params.binary ? "TYPE I" : "TYPE A");
}

void FtpClient::file_op(TimeMs t, FileOp op, const std::string& name, const std::string& to) {
  if (!connected()) {
    events_.push_back(FileOpDone{op, 0, fail(FailKind::control_closed)});
    return;
  }
  if (!std::holds_alternative<phase::Ready>(phase_) || bad_argument(name) || bad_argument(to)) {
    events_.push_back(FileOpDone{op, 0, fail(FailKind::protocol)});
    return;
  }
  phase::FileCommand f;
  f.op = op;
  switch (op) {
    case FileOp::size:
      // RFC 3659 §4: SIZE depends on the type; servers (pyftpdlib) refuse it in ASCII.
      f.lines = {"TYPE I", "SIZE " + name};
      break;
    case FileOp::dele: f.lines = {"DELE " + name}; break;
    case FileOp::mkd: f.lines = {"MKD " + name}; break;
    case FileOp::rmd: f.lines = {"RMD " + name}; break;
    case FileOp::rename: f.lines = {"RNFR " + name, "RNTO " + to}; break;
  }
  f.next = 1;
  std::string first = f.lines.front();
  phase_ = std::move(f);
  send_command(t, std::move(first));
}

// A line before the last needs its own success (TYPE: 2xx, RNFR: 350); the last one's reply is
// the operation's outcome (SIZE: 213 and the number).
void FtpClient::file_op_reply(TimeMs t, phase::FileCommand& f, const Reply& reply) {
  const int code = reply.code;
  const FileOp op = f.op;
  auto done = [&](std::uint64_t size, std::optional<Failure> failure) {
    phase_ = phase::Ready{};
    deadline_ = kNever;
    events_.push_back(FileOpDone{op, size, failure});
  };
  if (f.next < f.lines.size()) {
    const bool ok = op == FileOp::rename ? code == 350 : is_2xx(code);
    if (!ok) return done(0, fail_reply(code));
    send_command(t, f.lines[f.next++]);
    return;
  }
  if (!is_2xx(code)) return done(0, fail_reply(code));
  if (op != FileOp::size) return done(0, std::nullopt);
  std::string_view text = reply.text;
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  std::uint64_t size = 0;
  std::size_t digits = 0;
  while (digits < text.size() && digits < 19 && text[digits] >= '0' && text[digits] <= '9') {
    size = size * 10 + static_cast<std::uint64_t>(text[digits] - '0');
    ++digits;
  }
  if (digits == 0) return done(0, fail(FailKind::protocol));
  done(size, std::nullopt);
}

void FtpClient::send_data(TimeMs /*t*/, std::string_view bytes) {
  Transferring* x = transferring();
  if (x == nullptr || x->step != Transferring::Step::command || !x->upload() || !x->ready ||
      x->upload_closed || x->data_lost || x->data != SockState::open || bytes.empty()) {
    return;
  }
  x->bytes += bytes.size();
  ops_.push_back(OpSend{Sock::data, std::string(bytes)});
}

void FtpClient::finish_upload(TimeMs t) {
  Transferring* x = transferring();
  if (x == nullptr || x->step != Transferring::Step::command || !x->upload() || x->upload_closed ||
      x->data_lost) {
    return;
  }
  if (!x->ready) {
    x->finish_requested = true;
    return;
  }
  close_data();
  x->upload_closed = true;
  deadline_ = t + timeouts_.reply;
}

void FtpClient::abort(TimeMs t) {
  const Transferring* x = transferring();
  if (x == nullptr) {
    return;
  }
  if (x->step == Transferring::Step::command && awaiting_final_) {
    send_abor(t, fail(FailKind::aborted));
    return;
  }
  // Nothing to ABOR yet (set-up commands) or any more (RETR answered, data still draining).
  finish_transfer(t, fail(FailKind::aborted));
}

void FtpClient::close(TimeMs t) {
  std::visit(Overloaded{
                 [&](phase::Offline&) { events_.push_back(Closed{}); },
                 [&](phase::Ready&) { start_quit(t); },
                 [&](phase::Opening&) {
                   fail_open(fail(FailKind::aborted));
                   events_.push_back(Closed{});
                 },
                 [&](phase::ChangingDir& cd) {
                   if (awaiting_final_) {
                     ++discard_;
                     awaiting_final_ = false;
                   }
                   events_.push_back(CwdDone{std::move(cd.path), fail(FailKind::aborted)});
                   start_quit(t);
                 },
                 [&](Transferring&) {
                   // The transfer is aborted first; QUIT follows once it has ended.
                   abort(t);
                   if (auto* a = std::get_if<phase::Aborting>(&phase_)) {
                     a->quit_after = true;
                   } else {
                     start_quit(t);
                   }
                 },
                 [&](phase::Aborting& a) { a.quit_after = true; },
                 [&](phase::Quitting&) {},
                 [&](phase::FileCommand& f) {
                   if (awaiting_final_) {
                     ++discard_;
                     awaiting_final_ = false;
                   }
                   events_.push_back(FileOpDone{f.op, 0, fail(FailKind::aborted)});
                   start_quit(t);
                 },
             },
             phase_);
}

void FtpClient::lose_network(TimeMs t) {
  if (std::holds_alternative<phase::Offline>(phase_)) {
    return;
  }
  lose_control(t, fail(FailKind::context));
}

bool FtpClient::connected() const {
  return !std::holds_alternative<phase::Offline>(phase_) &&
         !std::holds_alternative<phase::Opening>(phase_);
}

// --- I/O shell side ----------------------------------------------------------------------------

void FtpClient::on_connected(TimeMs t, Sock sock, const std::string& local_ip) {
  if (sock == Sock::control) {
    auto* o = std::get_if<phase::Opening>(&phase_);
    if (o == nullptr || o->step != phase::Opening::Step::connecting ||
        control_ != SockState::connecting) {
      return;
    }
    control_ = SockState::open;
    local_ip_ = local_ip;
    o->step = phase::Opening::Step::greeting;
    awaiting_final_ = true;
    deadline_ = t + timeouts_.connect;
    return;
  }
  Transferring* x = transferring();
  if (x == nullptr) {
    return;
  }
  if (x->step == Transferring::Step::data_connect && x->data == SockState::connecting) {
    x->data = SockState::open;
    send_rest_or_command(t, *x);
    return;
  }
  if (x->data == SockState::listening) {
    // Active mode: the server connected to our listener.
    x->data = SockState::open;
    if (x->step == Transferring::Step::command) {
      maybe_ready(t, *x);
    }
  }
}

void FtpClient::on_listening(TimeMs t, const std::string& ip, std::uint16_t port) {
  Transferring* x = transferring();
  if (x == nullptr || x->step != Transferring::Step::listen || x->data != SockState::listening) {
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
  x->step = Transferring::Step::port;
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
  Transferring* x = transferring();
  if (x == nullptr || x->step != Transferring::Step::command || x->upload() ||
      x->data != SockState::open || bytes.empty()) {
    return;
  }
  if (!x->ready) {
    // The 150 and the data travel on different sockets, and a corked server sends its 150 only
    // with the final reply, after all the data. Data on the connection RETR opened says what the
    // 150 would: the transfer is ready now, and the 150 when it comes changes nothing. Holding the
    // data instead would stall both sides once the socket buffers are full.
    x->prelim = true;
    maybe_ready(t, *x);
  }
  x->bytes += bytes.size();
  events_.push_back(DataReceived{std::string(bytes)});
  deadline_ = t + timeouts_.data;
}

void FtpClient::on_closed(TimeMs t, Sock sock, SockError why) {
  if (sock == Sock::control) {
    if (control_ == SockState::none || control_ == SockState::gone) {
      return;
    }
    const auto* o = std::get_if<phase::Opening>(&phase_);
    control_ = SockState::gone;
    if (o != nullptr && o->step == phase::Opening::Step::connecting) {
      fail_open(fail(connect_failure(why)));
      return;
    }
    lose_control(t, fail(why == SockError::context ? FailKind::context : FailKind::control_closed));
    return;
  }
  Transferring* x = transferring();
  if (x == nullptr || x->data == SockState::none || x->data == SockState::gone) {
    return;
  }
  const SockState was = x->data;
  x->data = SockState::gone;
  if (x->final_failure) {
    // The server had already said why the download failed; however its data connection ends,
    // that reply is the outcome.
    finish_transfer(t, x->final_failure);
    return;
  }
  if (was == SockState::connecting || was == SockState::listening) {
    finish_transfer(t, fail(why == SockError::context ? FailKind::context : FailKind::connect));
    return;
  }
  // An upload's data connection that the server closes while the client still sends ends in a
  // reset rather than a FIN when the client's bytes were unread: the server closed it either way,
  // and its reply (426, 552 ...) says why, as below.
  const bool server_stopped_upload =
      x->upload() && x->step == Transferring::Step::command && why == SockError::reset;
  if (why != SockError::eof && !server_stopped_upload) {
    finish_transfer(t, fail(why == SockError::context ? FailKind::context : FailKind::data_closed));
    return;
  }
  if (x->step != Transferring::Step::command) {
    // The server hung up the data connection before STOR/RETR was even sent.
    finish_transfer(t, fail(FailKind::data_closed));
    return;
  }
  if (!x->upload()) {
    // End of file. Without data, its 150 may still be on the way (an empty file, or a refusal
    // whose reply is late): the reply decides. Its 226 may be on the way too.
    if (x->ready) {
      check_download_done(t, *x);
      if (transferring() != nullptr) {
        deadline_ = t + timeouts_.reply;
      }
    }
    return;
  }
  // Upload: the server stopped reading. Its reply says why (552, 426 ...), so wait for it.
  x->data_lost = true;
  deadline_ = t + timeouts_.reply;
}

void FtpClient::on_tick(TimeMs t) {
  if (deadline_ == kNever || t < deadline_) {
    return;
  }
  deadline_ = kNever;
  if (std::holds_alternative<phase::Offline>(phase_) || std::holds_alternative<phase::Ready>(phase_)) {
    return;
  }
  const Transferring* x = transferring();
  using Step = Transferring::Step;
  if (x != nullptr && (x->step == Step::listen || x->step == Step::data_connect ||
                       (x->step == Step::command && !awaiting_final_))) {
    // Only the data connection was late and no reply is owed: the session is still in step.
    finish_transfer(t, x->final_failure ? x->final_failure : fail(FailKind::timeout));
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
  lose_control(t, fail(x != nullptr && x->data_lost ? FailKind::data_closed : FailKind::timeout));
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
  if (auto* a = std::get_if<phase::Aborting>(&phase_)) {
    // 225 answers the ABOR of a transfer that had moved nothing: no reply of the transfer
    // command comes after it (pyftpdlib), so it ends the abort whatever came before.
    if (code >= 200 && (--a->replies_left == 0 || code == 225)) {
      finish_transfer(t, a->outcome);
    }
    return;
  }
  Transferring* x = transferring();
  if (code < 200) {
    if (x != nullptr && x->step == Transferring::Step::command && awaiting_final_ && !x->prelim &&
        (code == 125 || code == 150)) {
      x->prelim = true;
      if (x->data == SockState::listening) {
        deadline_ = t + timeouts_.connect;  // active mode: the server connects to us next
      }
      maybe_ready(t, *x);
    }
    return;  // 120 before a greeting, 110 markers, repeats: nothing to do
  }
  if (!awaiting_final_) {
    // Nothing was asked; only a 421 (service closing) matters.
    if (code != 421) {
      return;
    }
    if (std::holds_alternative<phase::Ready>(phase_)) {
      events_.push_back(Unsolicited{fail_reply(code)});
    } else if (x != nullptr) {
      finish_transfer(t, fail_reply(code));
    }
    return;
  }
  awaiting_final_ = false;
  std::visit(Overloaded{
                 [&](phase::Opening& o) { open_reply(t, o, reply); },
                 [&](phase::ChangingDir& cd) {
                   std::string path = std::move(cd.path);
                   phase_ = phase::Ready{};
                   deadline_ = kNever;
                   events_.push_back(CwdDone{std::move(path), is_2xx(code)
                                                                  ? std::nullopt
                                                                  : std::optional(fail_reply(code))});
                 },
                 [&](Transferring& xfer) {
                   if (xfer.step == Transferring::Step::command) {
                     command_reply(t, xfer, reply);
                   } else {
                     transfer_reply(t, xfer, reply);
                   }
                 },
                 [&](phase::Quitting&) {
                   close_control();
                   events_.push_back(is_2xx(code) ? Closed{} : Closed{fail_reply(code)});
                   go_offline();
                 },
                 [&](phase::FileCommand& f) { file_op_reply(t, f, reply); },
                 // No command is outstanding in these phases.
                 [&](phase::Offline&) {}, [&](phase::Ready&) {}, [&](phase::Aborting&) {},
             },
             phase_);
}

void FtpClient::open_reply(TimeMs t, phase::Opening& o, const Reply& reply) {
  using Step = phase::Opening::Step;
  const int code = reply.code;
  switch (o.step) {
    case Step::greeting:
      if (code != 220) {
        fail_open(fail_reply(code));
        return;
      }
      o.step = Step::user;
      send_command(t, "USER " + (o.user.empty() ? std::string("anonymous") : o.user));
      return;
    case Step::user:
      if (code == 331) {
        std::string password = o.password;
        const bool anonymous =
            o.user.empty() || iequals(o.user, "anonymous") || iequals(o.user, "ftp");
        if (password.empty() && anonymous) {
          password = "qftp@";  // RFC 1635: anonymous servers want something mail-address-like
        }
        o.step = Step::pass;
        send_command(t, "PASS " + password);
        return;
      }
      if (!is_2xx(code)) {
        fail_open(fail_reply(code));  // 332 (account wanted) included: no account to give
        return;
      }
      o.step = Step::pwd;
      send_command(t, "PWD");
      return;
    case Step::pass:
      if (!is_2xx(code)) {
        fail_open(fail_reply(code));
        return;
      }
      o.step = Step::pwd;
      send_command(t, "PWD");
      return;
    case Step::pwd:
      if (code == 421) {
        fail_open(fail_reply(code));
        return;
      }
      // A server without PWD still works; cwd("") then has nothing to go back to.
      login_dir_ = is_2xx(code) ? quoted_path(reply.text).value_or(std::string()) : std::string();
      phase_ = phase::Ready{};
      deadline_ = kNever;
      events_.push_back(Opened{});
      return;
    case Step::connecting:
      return;
  }
}

void FtpClient::transfer_reply(TimeMs t, Transferring& x, const Reply& reply) {
  using Step = Transferring::Step;
  const int code = reply.code;
  switch (x.step) {
    case Step::type:
      if (!is_2xx(code)) {
        finish_transfer(t, fail_reply(code));
        return;
      }
      start_data(t, x);
      return;
    case Step::pasv: {
      if (code == 500 || code == 502) {
        x.step = Step::epsv;
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
      connect_data(t, x, hp->host == "0.0.0.0" ? host_ : hp->host, hp->port);
      return;
    }
    case Step::epsv: {
      if (!is_2xx(code)) {
        finish_transfer(t, fail_reply(code));
        return;
      }
      auto port = parse_epsv(reply.text);
      if (!port) {
        finish_transfer(t, fail(FailKind::protocol));
        return;
      }
      connect_data(t, x, host_, *port);
      return;
    }
    case Step::port:
      if (!is_2xx(code)) {
        finish_transfer(t, fail_reply(code));
        return;
      }
      send_rest_or_command(t, x);
      return;
    case Step::rest:
      // 350 is the answer RFC 959 gives; a 2xx is taken as agreement too.
      if (code >= 400) {
        finish_transfer(t, fail_reply(code));
        return;
      }
      send_transfer_command(t, x);
      return;
    case Step::listen:
    case Step::data_connect:
    case Step::command:
      return;
  }
}

void FtpClient::command_reply(TimeMs t, Transferring& x, const Reply& reply) {
  const int code = reply.code;
  if (!is_2xx(code)) {
    if (!x.upload() && x.ready && x.data == SockState::open) {
      // The reply (426 after a cut, say) overtook data the server sent before it: those bytes
      // still count, and a later REST resumes from them. The data connection's end (or the data
      // timeout) ends the transfer, with this reply as its outcome.
      x.final_failure = fail_reply(code);
      deadline_ = t + timeouts_.data;
      return;
    }
    finish_transfer(t, fail_reply(code));
    return;
  }
  x.final_ok = true;
  if (x.upload()) {
    // Only the client knows where an upload ends; a 226 before that means the data stopped early.
    finish_transfer(t, x.upload_closed ? std::nullopt : std::optional(fail(FailKind::data_closed)));
    return;
  }
  x.prelim = true;  // a server that skipped 150: the 226 implies it
  if (!x.ready) {
    maybe_ready(t, x);
    if (transferring() == nullptr) {
      return;
    }
  }
  check_download_done(t, x);
  if (const Transferring* still = transferring()) {
    deadline_ = t + (still->data == SockState::listening ? timeouts_.connect : timeouts_.data);
  }
}

void FtpClient::fail_open(Failure failure) {
  close_control();
  events_.push_back(OpenFailed{failure});
  go_offline();
}

void FtpClient::start_data(TimeMs t, Transferring& x) {
  if (x.params.passive) {
    x.step = Transferring::Step::pasv;
    send_command(t, "PASV");
    return;
  }
  ops_.push_back(OpListen{Sock::data});
  x.data = SockState::listening;
  x.step = Transferring::Step::listen;
  deadline_ = t + timeouts_.connect;
}

void FtpClient::connect_data(TimeMs t, Transferring& x, const std::string& host, std::uint16_t port) {
  ops_.push_back(OpConnect{Sock::data, host, port});
  x.data = SockState::connecting;
  x.step = Transferring::Step::data_connect;
  deadline_ = t + timeouts_.connect;
}

void FtpClient::send_rest_or_command(TimeMs t, Transferring& x) {
  if (x.params.rest_point > 0) {
    x.step = Transferring::Step::rest;
    send_command(t, "REST " + std::to_string(x.params.rest_point));
    return;
  }
  send_transfer_command(t, x);
}

void FtpClient::send_transfer_command(TimeMs t, Transferring& x) {
  x.step = Transferring::Step::command;
  using Direction = TransferParams::Direction;
  switch (x.params.direction) {
    case Direction::put: send_command(t, "STOR " + x.params.remote_name); return;
    case Direction::get: send_command(t, "RETR " + x.params.remote_name); return;
    case Direction::list:
    case Direction::nlst: {
      std::string line = x.params.direction == Direction::list ? "LIST" : "NLST";
      if (!x.params.remote_name.empty()) line += " " + x.params.remote_name;
      send_command(t, std::move(line));
      return;
    }
  }
}

void FtpClient::maybe_ready(TimeMs t, Transferring& x) {
  if (x.ready || !x.prelim) {
    return;
  }
  // A download's data may already have ended (gone after EOF); an upload needs an open socket.
  if (!(x.data == SockState::open || (!x.upload() && x.data == SockState::gone))) {
    return;
  }
  x.ready = true;
  events_.push_back(TransferReady{});
  if (x.upload()) {
    deadline_ = kNever;  // the engine paces the upload and bounds it with its own <time>
    if (x.finish_requested) {
      finish_upload(t);
    }
    return;
  }
  if (x.data == SockState::open) {
    deadline_ = t + timeouts_.data;
    return;
  }
  check_download_done(t, x);
  if (transferring() != nullptr && awaiting_final_) {
    deadline_ = t + timeouts_.reply;
  }
}

void FtpClient::check_download_done(TimeMs t, Transferring& x) {
  if (x.step == Transferring::Step::command && !x.upload() && x.ready &&
      (x.final_ok || x.final_failure) && x.data == SockState::gone) {
    finish_transfer(t, x.final_failure);
  }
}

// Ends the transfer (running, or being aborted) with one TransferDone; a close() that waited for
// it sends QUIT next.
void FtpClient::finish_transfer(TimeMs t, std::optional<Failure> failure) {
  std::uint64_t bytes = 0;
  bool quit = false;
  if (const Transferring* x = transferring()) {
    bytes = x->bytes;
  } else if (const auto* a = std::get_if<phase::Aborting>(&phase_)) {
    bytes = a->bytes;
    quit = a->quit_after;
  }
  close_data();
  if (awaiting_final_) {
    ++discard_;
    awaiting_final_ = false;
  }
  phase_ = phase::Ready{};
  deadline_ = kNever;
  events_.push_back(TransferDone{bytes, failure});
  if (quit) {
    start_quit(t);
  }
}

void FtpClient::start_quit(TimeMs t) {
  phase_ = phase::Quitting{};
  send_command(t, "QUIT");
}

// The STOR/RETR reply and the ABOR reply are both owed (RFC 959 §4.1.3: 426 then 226, or 226 then
// 225 when the transfer had ended), except that a 225 alone answers the ABOR of a transfer that
// had moved nothing; a server that sends only one other reply loses the session at the timeout.
void FtpClient::send_abor(TimeMs t, Failure outcome) {
  const Transferring* x = transferring();
  const std::uint64_t bytes = x != nullptr ? x->bytes : 0;
  ops_.push_back(OpSend{Sock::control, "ABOR\r\n"});
  close_data();
  awaiting_final_ = false;
  phase_ = phase::Aborting{bytes, 2, outcome, false};
  deadline_ = t + timeouts_.reply;
}

void FtpClient::close_data() {
  Transferring* x = transferring();
  if (x != nullptr && x->data != SockState::none) {
    ops_.push_back(OpClose{Sock::data});
    x->data = SockState::none;
  }
}

void FtpClient::close_control() {
  if (control_ != SockState::none) {
    ops_.push_back(OpClose{Sock::control});
    control_ = SockState::none;
  }
}

// The control connection is gone (closed by the server, unusable, given up, or the network lost):
// each socket still held is closed once, and whatever ran ends with one event saying why.
void FtpClient::lose_control(TimeMs /*t*/, Failure why) {
  close_control();
  close_data();
  std::visit(Overloaded{
                 [&](phase::Opening&) { events_.push_back(OpenFailed{why}); },
                 [&](phase::ChangingDir& cd) { events_.push_back(CwdDone{std::move(cd.path), why}); },
                 [&](Transferring& x) {
                   // A failure reply already received says how the download ended.
                   events_.push_back(TransferDone{x.bytes, x.final_failure ? *x.final_failure : why});
                 },
                 [&](phase::Aborting& a) {
                   // What the ABOR was for is what the transfer reports. An engine abort reports
                   // no error, so the lost session follows it as news; a timeout's -9 already
                   // says enough.
                   events_.push_back(TransferDone{a.bytes, a.outcome});
                   if (a.quit_after) {
                     events_.push_back(why.kind == FailKind::timeout ? Closed{why} : Closed{});
                   } else if (a.outcome.kind == FailKind::aborted) {
                     events_.push_back(Unsolicited{why});
                   }
                 },
                 [&](phase::Quitting&) {
                   events_.push_back(why.kind == FailKind::control_closed ? Closed{} : Closed{why});
                 },
                 [&](phase::Ready&) { events_.push_back(Unsolicited{why}); },
                 [&](phase::FileCommand& f) { events_.push_back(FileOpDone{f.op, 0, why}); },
                 [&](phase::Offline&) {},
             },
             phase_);
  go_offline();
}

void FtpClient::go_offline() {
  phase_ = phase::Offline{};
  control_ = SockState::none;
  deadline_ = kNever;
  awaiting_final_ = false;
  discard_ = 0;
  host_.clear();
  local_ip_.clear();
  login_dir_.clear();
  parser_.reset();
}

// The command's 125/150 came and the client waits for the data connection: the server to connect
// (active mode) or a download's next bytes.
bool FtpClient::waiting_on_data() const {
  const auto* x = std::get_if<Transferring>(&phase_);
  return x != nullptr && x->step == Transferring::Step::command && x->prelim &&
         (x->data == SockState::listening || (!x->upload() && x->data == SockState::open));
}

}  // namespace qftp::ftp
