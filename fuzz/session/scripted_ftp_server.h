// An FTP server for the session fuzzer whose every answer comes from the fuzz input: reply codes,
// delays, split and multi-line replies, refused, stalled and cut connections, PASV/EPSV/PORT
// variants. It answers the engine's socket operations with events on the virtual clock.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/input_reader.h"
#include "core/modem/events.h"

namespace qftp::fuzz {

class ScriptedFtpServer {
 public:
  // When the script is exhausted every decision reads 0: a well-behaved, prompt server.
  explicit ScriptedFtpServer(InputReader& script) : script_(script) { queue_.reserve(64); }

  // The engine asked for a socket operation at `now`.
  void on_op(TimeMs now, const ftp::Op& op);

  // Disturbances the host script asks for.
  void kick(TimeMs now);  // idle timeout: 421, then the control connection closes
  void drop_control(TimeMs now, ftp::SockError why);
  void drop_data(TimeMs now, ftp::SockError why);
  void noise(TimeMs now);  // an unasked-for line on the control connection

  // The time of the next scheduled event (kNever if none), and the next due one. Events of a
  // connection the client has closed since are dropped, as the socket would drop them.
  TimeMs next_time() const;
  std::optional<modem::Event> pop_due(TimeMs now);

 private:
  struct Scheduled {
    TimeMs at;
    std::uint64_t seq;
    ftp::Sock sock;
    std::uint32_t conn;
    modem::Event event;
  };
  struct Later {
    bool operator()(const Scheduled& a, const Scheduled& b) const {
      return a.at != b.at ? a.at > b.at : a.seq > b.seq;
    }
  };
  enum class Xfer : std::uint8_t { none, stor, retr };

  void schedule(TimeMs at, ftp::Sock sock, modem::Event event);
  void send_control(TimeMs at, std::string bytes);
  void send_reply(TimeMs at, int code, std::string_view text);
  void close_control(TimeMs at, ftp::SockError why);
  void close_data(TimeMs at, ftp::SockError why);
  void connect_data(TimeMs at);
  // A reply to a command, with the fault the script picks for it.
  void reply(TimeMs now, int code, std::string_view text);
  void command(TimeMs now, std::string_view line);
  void start_retr(TimeMs now);
  void start_stor(TimeMs now);
  void abort(TimeMs now);
  void upload_bytes(TimeMs now, const std::string& bytes);
  void upload_closed(TimeMs now);
  bool data_ready(TimeMs now);

  InputReader& script_;
  std::vector<Scheduled> queue_;  // a heap ordered by Later: the next event at the front
  std::uint64_t seq_ = 0;
  // A TCP stream never reorders: each socket's events keep the order they were scheduled in.
  TimeMs last_control_at_ = 0;
  TimeMs last_data_at_ = 0;

  // Connection generations: events carry the generation they were sent on, and are delivered
  // only while the client still has that connection.
  std::uint32_t control_gen_ = 0;
  std::uint32_t data_gen_ = 0;
  std::uint32_t client_control_ = 0;  // 0: the client has no control connection
  std::uint32_t client_data_ = 0;
  bool control_open_ = false;  // the server's view
  bool data_open_ = false;
  bool listening_ = false;  // active mode: the client listens, the server connects at STOR/RETR
  std::string control_buf_;

  std::uint64_t rest_ = 0;
  Xfer xfer_ = Xfer::none;
  std::uint8_t stor_mode_ = 0;
  std::uint64_t stor_cut_ = 0;
  std::uint64_t received_ = 0;
};

}  // namespace qftp::fuzz
