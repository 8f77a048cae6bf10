// The fixture FTP server as a sans-I/O model: it answers the socket operations the modem's engine
// asks for with the socket events a real server (pyftpdlib behind the fixture) would cause, on
// virtual time, and bends them by its fault plan in the fixture's directive vocabulary. Unit tests
// feed the plan set directives; the session fuzzer feeds it from its input. No Boost, no
// GoogleTest.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/modem/events.h"
#include "testing/fault_plan.h"

namespace qftp::testing {

class FtpServerModel {
 public:
  explicit FtpServerModel(FaultPlan& plan) : plan_(plan) { queue_.reserve(64); }

  // What the server holds and who may log in: the fixture's root and its two accounts (the
  // named one, and anonymous with any password).
  std::map<std::string, std::string> files;  // "/dir/name" -> contents
  std::set<std::string> dirs;                // besides the root, "/"
  std::string user = "quectel";
  std::string password = "123456";
  bool check_login = true;       // false: any USER and PASS log in
  bool keep_uploads = true;      // false: uploads are read and dropped
  bool keep_log = true;          // false: `log` stays empty
  std::vector<std::string> log;  // every command line the server processed

  // The engine asked for a socket operation at `now`.
  void on_op(TimeMs now, const ftp::Op& op);

  // The time of the next thing the server does (kNever if none), and the next event due by `now`.
  // Events of a connection the modem has closed since are dropped, as its socket would drop them.
  TimeMs next_time() const;
  std::optional<modem::Event> pop_due(TimeMs now);

  // What happens to the server at a moment, as a test causes it through the fixture's control.
  void idle_timeout(TimeMs now);                  // IDLE's 421, and the close
  void hang_up(TimeMs now, ftp::SockError why);   // the control connection drops (eof or reset)
  void cut_data(TimeMs now, ftp::SockError why);  // the data connection of a transfer drops
  void say(TimeMs now, std::string_view line);    // an unasked-for line on the control connection
  void plan_changed(TimeMs now);                  // directives were set: IDLE from the last activity

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
  // A command line waiting its turn: behind a DELAY, or the greeting of a new session.
  struct Line {
    std::string text;
    bool greeting = false;
    bool matched = false;  // its faults are drawn already (it waited out its DELAY)
    CommandFaults faults;
  };
  enum class Passive : std::uint8_t { none, listening, refusing };
  struct Transfer {
    bool upload = false;
    std::string path;
    std::string bytes;         // a download's body, or what an upload brought so far
    std::uint64_t moved = 0;   // bytes sent or received
    std::uint64_t offset = 0;  // REST
    bool stalled = false;      // STALL: open and silent until ABOR
    TimeMs start = 0;
    TransferFaults faults;
    CommandFaults shape;  // of the command that started it: its final reply is shaped alike
  };

  void schedule(TimeMs at, ftp::Sock sock, modem::Event event);
  void send_control(TimeMs at, std::string bytes);
  void reply(TimeMs at, int code, std::string_view text);
  void flush_cork(TimeMs at);
  void close_control(TimeMs at, ftp::SockError why);
  void close_data(TimeMs at, ftp::SockError why);
  std::optional<TimeMs> answer_connect(ftp::Sock sock, TimeMs now);
  void connect_control(TimeMs now);
  void connect_data(TimeMs now);

  void drain(TimeMs now);
  void drop_lines();
  void process(TimeMs now, Line& line);
  void execute(TimeMs now, std::string_view verb, std::string_view arg);
  void data_setup(TimeMs now, std::string_view verb);
  void start_transfer(TimeMs now, std::string_view verb, std::string_view arg);
  static const Directive* limit_of(const TransferFaults& f, std::uint64_t size);
  void pump(TimeMs now);
  void upload_bytes(TimeMs now, std::string_view bytes);
  void end_upload(TimeMs now);
  void abort(TimeMs now);
  void store(const Transfer& t);
  void arm_idle(TimeMs now);
  void active(TimeMs now);  // the session's last activity is now (IDLE counts from it)
  void wake(TimeMs now);
  std::string resolve(std::string_view name) const;
  bool is_dir(const std::string& path) const;
  static std::string parent_of(const std::string& path);
  std::vector<std::string> entries_of(const std::string& dir) const;

  FaultPlan& plan_;
  std::vector<Scheduled> queue_;  // a heap ordered by Later: the next event at the front
  std::uint64_t seq_ = 0;
  // A TCP stream never reorders: each connection's events keep the order they were sent in.
  TimeMs last_control_at_ = 0;
  TimeMs last_data_at_ = 0;
  // Connection generations: an event is delivered only while the modem still has the connection
  // it was sent on (0: the modem has none).
  std::uint32_t control_gen_ = 0;
  std::uint32_t data_gen_ = 0;
  std::uint32_t modem_control_ = 0;
  std::uint32_t modem_data_ = 0;

  // The session, as the server sees it.
  bool control_open_ = false;
  bool data_open_ = false;  // the data connection is up
  bool listening_ = false;  // active mode: the modem listens, the server connects at STOR/RETR
  Passive passive_ = Passive::none;
  const Directive* nodata_ = nullptr;  // NODATACONN drawn at the data connection's set-up
  bool logged_in_ = false;
  bool binary_ = false;  // pyftpdlib starts every session in ASCII
  std::string pending_user_;
  std::string cwd_ = "/";
  std::string rename_from_;  // RNFR's path, until RNTO
  std::uint64_t rest_ = 0;
  std::string control_buf_;
  std::vector<Line> lines_;  // [next_line_, end) wait their turn
  std::size_t next_line_ = 0;
  bool paused_ = false;  // a DELAY holds the queue until resume_at_
  TimeMs resume_at_ = kNever;
  TimeMs idle_at_ = kNever;
  TimeMs last_active_ = 0;
  TimeMs pump_at_ = kNever;  // a SLOW download's next segment
  // The reply context: the shaping faults of the command being answered, and corked replies.
  CommandFaults shape_;
  std::string cork_;
  bool cork_hold_ = false;  // BURST: a download's 150 waits for its final reply
  std::optional<Transfer> xfer_;
};

}  // namespace qftp::testing
