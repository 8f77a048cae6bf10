// Layer 5 (docs/architecture.md §2.1): a sans-I/O FTP client (RFC 959) as the QFTP service needs
// it. The engine calls open/cwd/transfer/close; the I/O shell executes the socket operations the
// client asks for and reports back what the sockets did. Time is an input; the client never blocks.
#pragma once

#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "core/common/time.h"
#include "core/ftp/reply_parser.h"

namespace qftp::ftp {

// The client's two sockets. kData is either connected (passive) or accepted (active mode).
enum class Sock : std::uint8_t { control = 0, data = 1 };

// --- operations for the I/O shell ---------------------------------------------------------
struct OpConnect { Sock sock; std::string host; std::uint16_t port; };
// Active mode: listen on the control connection's local address, report on_listening, then
// report on_connected(Sock::data) when the server connects (the listener is then closed).
struct OpListen { Sock sock; };
struct OpSend { Sock sock; std::string bytes; };
struct OpClose { Sock sock; };  // graceful: pending sends are flushed first
using Op = std::variant<OpConnect, OpListen, OpSend, OpClose>;

// --- why a socket failed, as the I/O shell reports it ----------------------------------------
enum class SockError : std::uint8_t {
  eof,          // the peer closed in order
  resolve,      // the host name did not resolve
  refused,
  reset,
  unreachable,
  timeout,      // the connect did not complete in time
  context,      // the (simulated) PDP context is not active
};

// --- how an operation failed -------------------------------------------------------------------
enum class FailKind : std::uint8_t {
  reply,          // the server answered `reply_code` (4xx/5xx or unexpected)
  resolve,        // -4
  connect,        // -5 refused, reset, unreachable, send failed
  control_closed, // -6 the server closed the control connection
  data_closed,    // -7 the data connection closed early
  context,        // -8
  timeout,        // -9 no reply or no data in time
  protocol,       // -1 garbage on the control connection
  aborted,        // the engine aborted the transfer (escape)
};

struct Failure {
  FailKind kind = FailKind::reply;
  int reply_code = 0;  // for FailKind::reply
};

// --- what the client tells the engine ----------------------------------------------------------
// Each operation ends in exactly one completion event, which carries what the operation produced.
struct Opened {};                                   // logged in, ready
struct OpenFailed { Failure failure; };
struct CwdDone { std::string path; std::optional<Failure> failure; };  // path as asked by cwd()
// Data connection open and 125/150 received; for a download, the first data byte implies the 150.
struct TransferReady {};
struct DataReceived { std::string bytes; };         // download data, in order
// bytes: what crossed the data connection, either way (sent for an upload, received for a download).
struct TransferDone { std::uint64_t bytes = 0; std::optional<Failure> failure; };
struct Closed { std::optional<Failure> failure; };  // after close(): QUIT answered or connection gone
// The one-command operations of later firmware (docs/field-facts.md §5): SIZE (after TYPE I, which
// a server wants for SIZE), DELE, MKD, RMD, and RNFR then RNTO.
enum class FileOp : std::uint8_t { size, dele, mkd, rmd, rename };
// size: the server's SIZE answer (213); 0 for the others.
struct FileOpDone { FileOp op; std::uint64_t size = 0; std::optional<Failure> failure; };
// While no operation runs: a 421 from the server, or the control connection lost (Failure kind
// control_closed, or context after lose_network()). After a lost connection the client is offline.
// Also right after the TransferDone(aborted) of an abort() whose ABOR lost the session (closed,
// context, or timeout: unanswered), since that TransferDone reports no error of its own.
struct Unsolicited { Failure failure; };
using ClientEvent = std::variant<Opened, OpenFailed, CwdDone, TransferReady, DataReceived,
                                 TransferDone, Closed, Unsolicited, FileOpDone>;

struct OpenParams {
  std::string host;
  std::uint16_t port = 21;
  std::string user;      // empty: anonymous login
  std::string password;  // sent after 331; "anonymous" account gets this or a default
};

struct TransferParams {
  // list and nlst are downloads of LIST/NLST text (docs/rulings.md ruling 16).
  enum class Direction : std::uint8_t { put, get, list, nlst };
  Direction direction = Direction::get;
  std::string remote_name;  // for list and nlst: the argument, "" for none
  bool binary = true;            // TYPE I, else TYPE A
  bool passive = true;           // PASV (EPSV if PASV is refused with 500/502), else PORT
  std::uint64_t rest_point = 0;  // REST <n> before STOR/RETR when non-zero
};

// A reply that does not come in time ends the session (control and data closed, connected()
// false): the reply may still come, and nothing would tell it from the answer to the next command.
// A wait on the data connection alone keeps the session; if the command's reply is still owed
// then, ABOR settles it first.
struct ClientTimeouts {
  TimeMs connect = 30000;  // SockError::timeout is the shell's; this bounds the greeting
  TimeMs reply = 30000;    // per command
  TimeMs data = 60000;     // download without a byte for this long
};

// One logical socket each; every OpConnect/OpListen gets exactly one OpClose.
enum class SockState : std::uint8_t { none, connecting, listening, open, gone };

// What the client is doing. Each alternative holds the data that only it needs, so starting an
// operation constructs its state afresh and ending it destroys it.
namespace phase {
struct Offline {};  // no control connection
struct Opening {
  enum class Step : std::uint8_t { connecting, greeting, user, pass, pwd };
  Step step = Step::connecting;
  std::string user;
  std::string password;
};
struct Ready {};  // logged in, no operation runs
struct ChangingDir {
  std::string path;  // as cwd() was given it ("" = the login directory)
};
struct Transferring {
  enum class Step : std::uint8_t { type, pasv, epsv, listen, data_connect, port, rest, command };
  TransferParams params;
  Step step = Step::type;
  SockState data = SockState::none;
  std::uint64_t bytes = 0;         // sent (upload) or received (download) on the data connection
  bool prelim = false;             // 125/150 seen, or implied (2xx, or download data)
  bool final_ok = false;           // 2xx final reply to STOR/RETR seen
  bool ready = false;              // TransferReady emitted
  bool upload_closed = false;      // finish_upload() closed the data connection
  bool finish_requested = false;   // finish_upload() before TransferReady
  bool data_lost = false;          // upload: the server closed the data connection first
  // A download's failure reply came while its data connection was still open: the bytes the
  // server sent before giving up are read to the end, then this is the transfer's outcome.
  std::optional<Failure> final_failure;
  bool upload() const { return params.direction == TransferParams::Direction::put; }
};
struct Aborting {  // ABOR sent; the data connection is closed
  std::uint64_t bytes = 0;
  int replies_left = 2;  // the STOR/RETR reply and the ABOR reply
  Failure outcome;       // what the transfer reports once the ABOR is answered
  bool quit_after = false;  // close() came: QUIT once the abort is done
};
struct Quitting {};  // QUIT sent
struct FileCommand {  // SIZE, DELE, MKD, RMD or RNFR/RNTO: the lines left to send, in order
  FileOp op = FileOp::size;
  std::vector<std::string> lines;
  std::size_t next = 0;  // the line whose reply is awaited is lines[next - 1]
};
}  // namespace phase
using Phase = std::variant<phase::Offline, phase::Opening, phase::Ready, phase::ChangingDir,
                           phase::Transferring, phase::Aborting, phase::Quitting,
                           phase::FileCommand>;

class FtpClient {
 public:
  explicit FtpClient(ClientTimeouts timeouts = {}) : timeouts_(timeouts) {}

  // --- engine side ---
  void open(TimeMs t, const OpenParams& params);  // only when offline
  void cwd(TimeMs t, const std::string& path);    // "" means the login directory
  void transfer(TimeMs t, const TransferParams& params);
  // One FileOp on `name` (rename: to `to`); FileOpDone follows. Only when Ready.
  void file_op(TimeMs t, FileOp op, const std::string& name, const std::string& to = {});
  void send_data(TimeMs t, std::string_view bytes);  // upload data, after TransferReady
  void finish_upload(TimeMs t);                      // all upload data given: close data, await 226
  void abort(TimeMs t);                              // stop a running transfer (ABOR)
  void close(TimeMs t);                              // QUIT and close; Closed follows
  // The network under both sockets is gone (the PDP context was lost): every socket the client
  // holds is closed once, and the running operation ends with FailKind::context.
  void lose_network(TimeMs t);

  const Phase& phase() const { return phase_; }
  bool connected() const;  // logged in (Opened seen, not closed since)

  // --- I/O shell side ---
  void on_connected(TimeMs t, Sock sock, const std::string& local_ip);
  void on_listening(TimeMs t, const std::string& ip, std::uint16_t port);
  void on_data(TimeMs t, Sock sock, std::string_view bytes);
  void on_closed(TimeMs t, Sock sock, SockError why);
  void on_tick(TimeMs t);     // call when deadline() is reached
  TimeMs deadline() const { return deadline_; }

  // --- outputs, drained by the owner after every call ---
  // Hand each queued operation (event) to `sink`, a callable taking Op&& (ClientEvent&&), in order.
  template <typename Sink>
  void take_ops(Sink&& sink) {
    for (Op& op : ops_) sink(std::move(op));
    ops_.clear();
  }
  template <typename Sink>
  void take_events(Sink&& sink) {
    for (ClientEvent& event : events_) sink(std::move(event));
    events_.clear();
  }

 private:
  using Transferring = phase::Transferring;

  void send_command(TimeMs t, std::string command);
  void handle_reply(TimeMs t, const Reply& reply);
  void open_reply(TimeMs t, phase::Opening& o, const Reply& reply);
  void file_op_reply(TimeMs t, phase::FileCommand& f, const Reply& reply);
  void transfer_reply(TimeMs t, Transferring& x, const Reply& reply);
  void command_reply(TimeMs t, Transferring& x, const Reply& reply);
  void fail_open(Failure failure);
  void start_data(TimeMs t, Transferring& x);
  void connect_data(TimeMs t, Transferring& x, const std::string& host, std::uint16_t port);
  void send_rest_or_command(TimeMs t, Transferring& x);
  void send_transfer_command(TimeMs t, Transferring& x);
  void maybe_ready(TimeMs t, Transferring& x);
  void check_download_done(TimeMs t, Transferring& x);
  void finish_transfer(TimeMs t, std::optional<Failure> failure);
  void start_quit(TimeMs t);
  void send_abor(TimeMs t, Failure outcome);
  void close_data();
  void close_control();
  void lose_control(TimeMs t, Failure why);
  void go_offline();
  Transferring* transferring() { return std::get_if<Transferring>(&phase_); }
  bool waiting_on_data() const;

  ClientTimeouts timeouts_;
  std::deque<Op> ops_;
  std::deque<ClientEvent> events_;
  ReplyParser parser_;
  std::vector<Reply> replies_;  // on_data's, kept for their storage
  Phase phase_;
  TimeMs deadline_ = kNever;

  // The control connection and what the session learnt on it; reset by open().
  SockState control_ = SockState::none;
  bool awaiting_final_ = false;  // a command was sent and its final (non-1xx) reply is owed
  std::size_t discard_ = 0;      // final replies still owed to commands whose operation ended
  std::string host_;             // as given to open(): the peer for EPSV and for a PASV of 0.0.0.0
  std::string local_ip_;         // the control connection's local address, for PORT
  std::string login_dir_;        // from PWD after login; "" when unknown
};

}  // namespace qftp::ftp
