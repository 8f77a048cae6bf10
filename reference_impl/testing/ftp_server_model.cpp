// The server model's behaviour: RFC 959 as pyftpdlib answers the modem's commands, bent by the
// fault plan where the fixture's directives would bend it (fixtures/ftp_fixture.py).
#include "testing/ftp_server_model.h"

#include <algorithm>
#include <utility>

namespace qftp::testing {

namespace {

using modem::Event;

// What the fixture sends for GARBAGE: bytes that are no FTP reply.
constexpr char kGarbageBytes[] = "\x00\x01\x7f\xc3(garbage: this is not an FTP reply)\x1b[0m\r\n";
constexpr std::string_view kGarbage(kGarbageBytes, sizeof kGarbageBytes - 1);
// The data a download sends in one segment at full speed.
constexpr std::uint64_t kSegment = 65536;
// The address and port the model's passive replies name.
constexpr std::string_view kPasvReply = "Entering passive mode (127,0,0,1,156,64).";
constexpr std::string_view kEpsvReply = "Entering extended passive mode (|||40000|).";

void set_time(Event& event, TimeMs at) {
  std::visit([at](auto& e) { e.t = at; }, event);
}

bool is_download(std::string_view verb) {
  return verb == "RETR" || verb == "LIST" || verb == "NLST" || verb == "MLSD";
}

std::optional<std::uint64_t> digits(std::string_view s) {
  if (s.empty() || s.size() > 19) return std::nullopt;
  std::uint64_t n = 0;
  for (const char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    n = n * 10 + static_cast<std::uint64_t>(c - '0');
  }
  return n;
}

}  // namespace

// --- delivery ---------------------------------------------------------------------------------

void FtpServerModel::schedule(TimeMs at, ftp::Sock sock, Event event) {
  TimeMs& last = sock == ftp::Sock::control ? last_control_at_ : last_data_at_;
  at = std::max(at, last);
  last = at;
  set_time(event, at);
  const std::uint32_t conn = sock == ftp::Sock::control ? control_gen_ : data_gen_;
  queue_.push_back(Scheduled{at, seq_++, sock, conn, std::move(event)});
  std::push_heap(queue_.begin(), queue_.end(), Later{});
}

TimeMs FtpServerModel::next_time() const {
  const TimeMs next_event = queue_.empty() ? kNever : queue_.front().at;
  return std::min({next_event, resume_at_, pump_at_, idle_at_});
}

std::optional<Event> FtpServerModel::pop_due(TimeMs now) {
  for (;;) {
    const TimeMs internal = std::min({resume_at_, pump_at_, idle_at_});
    const TimeMs next_event = queue_.empty() ? kNever : queue_.front().at;
    if (internal <= now && internal <= next_event) {
      wake(internal);
      continue;
    }
    if (next_event > now) return std::nullopt;
    std::pop_heap(queue_.begin(), queue_.end(), Later{});
    Scheduled next = std::move(queue_.back());
    queue_.pop_back();
    const std::uint32_t live = next.sock == ftp::Sock::control ? modem_control_ : modem_data_;
    if (next.conn != 0 && next.conn == live) return std::move(next.event);
  }
}

void FtpServerModel::wake(TimeMs now) {
  if (resume_at_ <= now) {  // a DELAY has run out
    resume_at_ = kNever;
    paused_ = false;
    active(now);
    drain(now);
  }
  if (pump_at_ <= now) pump(now);
  if (idle_at_ <= now) {
    idle_at_ = kNever;
    const auto limit = plan_.idle_limit();
    if (!control_open_ || !limit) {
      // Nothing to do: the session or the directive is gone.
    } else if (xfer_ || paused_) {
      active(now);  // idle means no command and no transfer: look again a whole period later
    } else {
      plan_.idle_fired();
      shape_ = {};
      reply(now, 421,
            "No command for " + std::to_string(*limit) + " ms, closing control connection.");
      close_control(now, ftp::SockError::eof);
    }
  }
  flush_cork(now);
}

void FtpServerModel::send_control(TimeMs at, std::string bytes) {
  if (shape_.lfonly) {
    for (auto crlf = bytes.find("\r\n"); crlf != std::string::npos;
         crlf = bytes.find("\r\n", crlf)) {
      bytes.erase(crlf, 1);
    }
  }
  if (shape_.burst || !cork_.empty()) {
    cork_ += bytes;  // after a corked reply everything joins the cork, or replies would reorder
    return;
  }
  schedule(at, ftp::Sock::control, modem::SocketData{at, ftp::Sock::control, std::move(bytes)});
}

void FtpServerModel::reply(TimeMs at, int code, std::string_view text) {
  const std::string number = std::to_string(code);
  std::string bytes;
  if (shape_.multiline) {
    bytes = number + "-" + std::string(text) +
            "\r\n This reply was made multi-line by the QFTP fixture.\r\n   " + number +
            " padded line that starts with the code.\r\n" + number + "-Last continuation line.\r\n";
  }
  bytes.reserve(bytes.size() + number.size() + 1 + text.size() + 2);
  bytes += number;
  bytes += ' ';
  bytes += text;
  bytes += "\r\n";
  if (shape_.burst && code >= 200) cork_hold_ = false;
  send_control(at, std::move(bytes));
}

void FtpServerModel::flush_cork(TimeMs at) {
  if (cork_.empty() || cork_hold_ || !control_open_) return;
  schedule(at, ftp::Sock::control, modem::SocketData{at, ftp::Sock::control, std::move(cork_)});
  cork_.clear();
}

void FtpServerModel::close_control(TimeMs at, ftp::SockError why) {
  cork_hold_ = false;
  flush_cork(at);
  schedule(at, ftp::Sock::control, modem::SocketClosed{at, ftp::Sock::control, why});
  control_open_ = false;
  data_open_ = false;
  listening_ = false;
  logged_in_ = false;
  xfer_.reset();
  drop_lines();
  paused_ = false;
  resume_at_ = pump_at_ = idle_at_ = kNever;
}

void FtpServerModel::close_data(TimeMs at, ftp::SockError why) {
  schedule(at, ftp::Sock::data, modem::SocketClosed{at, ftp::Sock::data, why});
  data_open_ = false;
  if (control_open_) active(at);  // a data connection's end counts as activity (the fixture's)
}

// --- the modem's socket operations -------------------------------------------------------------

void FtpServerModel::on_op(TimeMs now, const ftp::Op& op) {
  if (const auto* c = std::get_if<ftp::OpConnect>(&op)) {
    if (c->sock == ftp::Sock::control) {
      connect_control(now);
    } else {
      connect_data(now);
    }
  } else if (std::holds_alternative<ftp::OpListen>(op)) {
    modem_data_ = ++data_gen_;
    last_data_at_ = now;
    data_open_ = false;
    listening_ = true;
    schedule(now, ftp::Sock::data,
             modem::SocketListening{now, std::string(plan_.listen_ip()), 40000});
  } else if (const auto* s = std::get_if<ftp::OpSend>(&op)) {
    if (s->sock == ftp::Sock::data) {
      upload_bytes(now, s->bytes);
    } else if (control_open_) {
      control_buf_ += s->bytes;
      std::size_t begin = 0;
      for (auto nl = control_buf_.find("\r\n"); nl != std::string::npos;
           nl = control_buf_.find("\r\n", begin)) {
        Line line;
        line.text = control_buf_.substr(begin, nl - begin);
        lines_.push_back(std::move(line));
        begin = nl + 2;
      }
      control_buf_.erase(0, begin);
      drain(now);
    }
  } else if (const auto* cl = std::get_if<ftp::OpClose>(&op)) {
    if (cl->sock == ftp::Sock::control) {
      modem_control_ = 0;
      control_open_ = false;
      data_open_ = false;
      xfer_.reset();
      drop_lines();
      paused_ = false;
      resume_at_ = pump_at_ = idle_at_ = kNever;
      cork_.clear();
      cork_hold_ = false;
    } else {
      modem_data_ = 0;
      listening_ = false;
      if (data_open_ && control_open_) active(now);
      if (xfer_ && xfer_->upload && data_open_) {
        data_open_ = false;
        end_upload(now);
      } else if (xfer_ && !xfer_->upload) {
        // The modem stopped reading: the rest of the download goes nowhere.
        data_open_ = false;
        xfer_.reset();
        pump_at_ = kNever;
      }
      data_open_ = false;
    }
  }
  flush_cork(now);
}

// The network's answer to the modem's connect: the time the connection is up, or nullopt when it
// fails (the failure is scheduled) or nothing ever answers.
std::optional<TimeMs> FtpServerModel::answer_connect(ftp::Sock sock, TimeMs now) {
  const ConnectFate fate = plan_.connect(sock);
  const TimeMs at = now + fate.latency;
  if (fate.error) {
    schedule(at, sock, modem::SocketClosed{at, sock, *fate.error});
    return std::nullopt;
  }
  if (fate.unanswered) return std::nullopt;
  schedule(at, sock, modem::SocketConnected{at, sock, std::string(fate.local_ip)});
  return at;
}

void FtpServerModel::connect_control(TimeMs now) {
  modem_control_ = ++control_gen_;
  last_control_at_ = now;  // a new connection, a new stream
  const auto at = answer_connect(ftp::Sock::control, now);
  if (!at) return;
  control_open_ = true;
  data_open_ = listening_ = logged_in_ = binary_ = paused_ = cork_hold_ = false;
  passive_ = Passive::none;
  nodata_ = nullptr;
  pending_user_.clear();
  cwd_ = "/";
  rename_from_.clear();
  rest_ = 0;
  control_buf_.clear();
  cork_.clear();
  xfer_.reset();
  drop_lines();
  resume_at_ = pump_at_ = idle_at_ = kNever;
  Line greeting;
  greeting.greeting = true;
  lines_.push_back(std::move(greeting));
  drain(*at);
}

void FtpServerModel::connect_data(TimeMs now) {
  modem_data_ = ++data_gen_;
  last_data_at_ = now;
  listening_ = false;
  if (passive_ != Passive::listening) {  // nothing listens where the modem connects
    passive_ = Passive::none;
    schedule(now, ftp::Sock::data,
             modem::SocketClosed{now, ftp::Sock::data, ftp::SockError::refused});
    return;
  }
  passive_ = Passive::none;
  data_open_ = answer_connect(ftp::Sock::data, now).has_value();
}

// --- commands ----------------------------------------------------------------------------------

void FtpServerModel::drain(TimeMs now) {
  while (!paused_ && control_open_ && next_line_ < lines_.size()) {
    Line line = std::move(lines_[next_line_++]);
    process(now, line);  // a DELAY puts it back
  }
  if (next_line_ == lines_.size()) drop_lines();
}

void FtpServerModel::drop_lines() {
  lines_.clear();
  next_line_ = 0;
}

void FtpServerModel::process(TimeMs now, Line& line) {
  const auto space = line.text.find(' ');
  const std::string verb =
      line.greeting ? std::string("GREETING") : upper(std::string_view(line.text).substr(0, space));
  if (!line.matched) {
    if (keep_log && !line.greeting) log.push_back(line.text);
    active(now);
    line.faults = plan_.command(verb);
    line.matched = true;
    if (line.faults.delay > 0) {  // lines behind it wait, so that replies stay in order
      paused_ = true;
      resume_at_ = now + line.faults.delay;
      lines_[--next_line_] = std::move(line);
      return;
    }
  }
  shape_ = line.faults;
  if (const Directive* d = line.faults.instead) {
    if (d->kind == FaultKind::close) {
      close_control(now, d->rst ? ftp::SockError::reset : ftp::SockError::eof);
    } else if (d->kind == FaultKind::garbage) {
      send_control(now, std::string(kGarbage));
    } else {
      reply(now, d->code, d->text);
      if (d->code == 421) close_control(now, ftp::SockError::eof);  // RFC 959: 421 closes
    }
  } else if (line.greeting) {
    reply(now, 220, "QFTP fixture (pyftpdlib) ready.");
  } else {
    const std::string_view arg = space == std::string::npos
                                     ? std::string_view()
                                     : std::string_view(line.text).substr(space + 1);
    execute(now, verb, arg);
  }
  flush_cork(now);
}

void FtpServerModel::execute(TimeMs now, std::string_view verb, std::string_view arg) {
  if (verb == "USER") {
    if (logged_in_) return reply(now, 503, "User already authenticated.");
    pending_user_ = arg;
    return reply(now, 331, "Username ok, send password.");
  }
  if (verb == "PASS") {
    if (check_login && pending_user_.empty()) return reply(now, 503, "Login with USER first.");
    const bool ok = !check_login || upper(pending_user_) == "ANONYMOUS" ||
                    (pending_user_ == user && arg == password);
    pending_user_.clear();
    if (!ok) return reply(now, 530, "Authentication failed.");
    logged_in_ = true;
    return reply(now, 230, "Login successful.");
  }
  if (verb == "QUIT") {
    reply(now, 221, "Goodbye.");
    return close_control(now, ftp::SockError::eof);
  }
  if (!logged_in_) return reply(now, 530, "Log in with USER and PASS first.");
  if (verb == "PWD") return reply(now, 257, "\"" + cwd_ + "\" is the current directory.");
  if (verb == "CWD") {
    std::string dir = resolve(arg);
    if (dir != "/" && dirs.count(dir) == 0) return reply(now, 550, "No such file or directory.");
    cwd_ = std::move(dir);
    return reply(now, 250, "\"" + cwd_ + "\" is the current directory.");
  }
  if (verb == "TYPE") {
    const std::string type = upper(arg);
    if (type == "I" || type == "L8") {
      binary_ = true;
      return reply(now, 200, "Type set to: Binary.");
    }
    if (type == "A" || type == "L7") {
      binary_ = false;
      return reply(now, 200, "Type set to: ASCII.");
    }
    return reply(now, 504, "Unsupported type \"" + std::string(arg) + "\".");
  }
  if (verb == "PASV" || verb == "EPSV" || verb == "PORT" || verb == "EPRT")
    return data_setup(now, verb);
  if (verb == "REST") {
    const auto point = digits(arg);
    if (!point) return reply(now, 501, "Invalid parameter.");
    if (!binary_) return reply(now, 501, "Resuming transfers not allowed in ASCII mode.");
    rest_ = *point;
    return reply(now, 350, "Restarting at position " + std::to_string(rest_) + ".");
  }
  if (verb == "RETR" || verb == "STOR" || verb == "LIST" || verb == "NLST")
    return start_transfer(now, verb, arg);
  if (verb == "SIZE") {
    // pyftpdlib: SIZE only in binary type, and only of a file.
    if (!binary_) return reply(now, 550, "SIZE not allowed in ASCII mode.");
    const auto file = files.find(resolve(arg));
    if (file == files.end()) return reply(now, 550, std::string(arg) + " is not retrievable.");
    return reply(now, 213, std::to_string(file->second.size()));
  }
  if (verb == "DELE") {
    if (files.erase(resolve(arg)) == 0) return reply(now, 550, "No such file or directory.");
    return reply(now, 250, "File removed.");
  }
  if (verb == "MKD") {
    const std::string dir = resolve(arg);
    if (dir == "/" || dirs.count(dir) != 0 || files.count(dir) != 0)
      return reply(now, 550, "File exists.");
    if (!is_dir(parent_of(dir))) return reply(now, 550, "No such file or directory.");
    dirs.insert(dir);
    return reply(now, 257, "\"" + dir + "\" directory created.");
  }
  if (verb == "RMD") {
    const std::string dir = resolve(arg);
    if (dir == "/") return reply(now, 550, "Can't remove root directory.");
    if (dirs.count(dir) == 0) return reply(now, 550, "No such file or directory.");
    if (!entries_of(dir).empty()) return reply(now, 550, "Directory not empty.");
    dirs.erase(dir);
    return reply(now, 250, "Directory removed.");
  }
  if (verb == "RNFR") {
    const std::string from = resolve(arg);
    if (from == "/" || (dirs.count(from) == 0 && files.count(from) == 0))
      return reply(now, 550, "No such file or directory.");
    rename_from_ = from;
    return reply(now, 350, "Ready for destination name.");
  }
  if (verb == "RNTO") {
    if (rename_from_.empty()) return reply(now, 503, "Bad sequence of commands: use RNFR first.");
    const std::string from = std::exchange(rename_from_, std::string());
    const std::string to = resolve(arg);
    if (!is_dir(parent_of(to))) return reply(now, 550, "No such file or directory.");
    if (auto file = files.find(from); file != files.end()) {
      std::string contents = std::move(file->second);
      files.erase(file);
      files[to] = std::move(contents);
    } else {
      // A directory moves with everything under it.
      const std::string prefix = from + "/";
      std::map<std::string, std::string> moved_files;
      for (auto it = files.begin(); it != files.end();) {
        if (it->first.rfind(prefix, 0) == 0) {
          moved_files[to + it->first.substr(from.size())] = std::move(it->second);
          it = files.erase(it);
        } else {
          ++it;
        }
      }
      files.merge(moved_files);
      std::set<std::string> moved_dirs = {to};
      for (auto it = dirs.begin(); it != dirs.end();) {
        if (*it == from || it->rfind(prefix, 0) == 0) {
          if (*it != from) moved_dirs.insert(to + it->substr(from.size()));
          it = dirs.erase(it);
        } else {
          ++it;
        }
      }
      dirs.merge(moved_dirs);
    }
    return reply(now, 250, "Renaming ok.");
  }
  if (verb == "ABOR") return abort(now);
  if (verb == "NOOP") return reply(now, 200, "I successfully did nothing'.");
  reply(now, 500, "Command \"" + std::string(verb) + "\" not understood.");
}

void FtpServerModel::data_setup(TimeMs now, std::string_view verb) {
  nodata_ = plan_.data_setup();
  data_open_ = false;  // a new data connection replaces the old one
  passive_ = Passive::none;
  if (verb == "PASV" || verb == "EPSV") {
    // NODATACONN refuse: a port is named, but nothing listens on it.
    passive_ = nodata_ != nullptr && nodata_->refuse ? Passive::refusing : Passive::listening;
    return verb == "PASV" ? reply(now, 227, kPasvReply) : reply(now, 229, kEpsvReply);
  }
  if (nodata_ != nullptr) {
    listening_ = false;  // the fixture never connects
    return reply(now, 200, "Active data connection accepted (it will never be opened).");
  }
  reply(now, 200, "Active data connection established.");
}

void FtpServerModel::start_transfer(TimeMs now, std::string_view verb, std::string_view arg) {
  const bool upload = verb == "STOR";
  std::string path = resolve(arg);
  const std::uint64_t offset = rest_;
  rest_ = 0;
  if (upload && offset != 0) {
    // pyftpdlib's STOR after REST opens the file to seek in it: a file that is not there is 550,
    // an offset beyond its end 554.
    const auto file = files.find(path);
    if (file == files.end()) return reply(now, 550, "No such file or directory.");
    if (offset > file->second.size()) {
      return reply(now, 554, "REST position (" + std::to_string(offset) + ") > file size (" +
                                 std::to_string(file->second.size()) + ")");
    }
  }
  if (const Directive* d = nodata_) {  // NODATACONN: this transfer's data connection never serves
    nodata_ = nullptr;
    if (d->after150) reply(now, 150, "File status okay. About to open data connection.");
    reply(now, d->code, d->text);
    if (data_open_) close_data(now, ftp::SockError::eof);
    listening_ = false;
    return;
  }
  std::string body;
  if (verb == "LIST" || verb == "NLST") {
    // pyftpdlib: a directory lists its entries, a file itself; NLST gives bare names.
    std::vector<std::string> names;
    if (is_dir(path)) {
      names = entries_of(path);
    } else if (files.count(path) != 0) {
      names = {path.substr(path.rfind('/') + 1)};
      path = parent_of(path);
    } else {
      return reply(now, 550, "No such file or directory.");
    }
    for (const auto& name : names) {
      const std::string full = (path == "/" ? "" : path) + "/" + name;
      if (verb == "NLST") {
        body += name + "\r\n";
        continue;
      }
      const auto file = files.find(full);
      const bool dir = file == files.end();
      const std::string size = dir ? "0" : std::to_string(file->second.size());
      body += std::string(dir ? "drwxrwxrwx" : "-rw-rw-rw-") + "   1 owner    group    " +
              std::string(size.size() < 8 ? 8 - size.size() : 0, ' ') + size +
              " Jan 01 00:00 " + name + "\r\n";
    }
  } else if (!upload) {
    auto file = files.find(path);
    if (file == files.end()) {
      auto found = plan_.absent_file(path);
      if (!found) return reply(now, 550, "No such file or directory.");
      file = files.emplace(path, std::move(*found)).first;
    }
    // pyftpdlib's RETR after REST seeks in the file: an offset beyond its end is 554.
    if (offset > file->second.size()) {
      return reply(now, 554, "REST position (" + std::to_string(offset) + ") > file size (" +
                                 std::to_string(file->second.size()) + ")");
    }
    if (offset < file->second.size()) body = file->second.substr(offset);
  }
  const bool was_open = data_open_;
  if (!data_open_) {
    if (!listening_) return reply(now, 425, "Can't open data connection.");
    // Active mode: the server connects to the modem's listener now.
    listening_ = false;
    data_open_ = true;
    schedule(now, ftp::Sock::data, modem::SocketConnected{now, ftp::Sock::data, "127.0.0.1"});
  }
  Transfer t;
  t.upload = upload;
  t.path = std::move(path);
  t.bytes = std::move(body);
  t.offset = offset;
  t.start = now;
  t.faults = plan_.transfer(verb, t.bytes.size());
  t.shape = shape_;
  cork_hold_ = shape_.burst && is_download(verb);
  if (was_open) {
    reply(now, 125, "Data connection already open. Transfer starting.");
  } else {
    reply(now, 150, "File status okay. About to open data connection.");
  }
  xfer_ = std::move(t);
  if (!upload) return pump(now);
  upload_bytes(now, {});  // a CUT or STALL of 0 bytes strikes at once
}

// The first of CUT and STALL that a transfer of `size` bytes reaches (a shorter transfer reaches
// neither and completes), CUT when both come at once.
const Directive* FtpServerModel::limit_of(const TransferFaults& f, std::uint64_t size) {
  const Directive* cut = f.cut != nullptr && f.cut->amount <= size ? f.cut : nullptr;
  const Directive* stall = f.stall != nullptr && f.stall->amount <= size ? f.stall : nullptr;
  if (cut == nullptr) return stall;
  return stall != nullptr && stall->amount < cut->amount ? stall : cut;
}

// Sends a download's data, paced by SLOW, and its end: the cut of CUT, the silence of STALL, or
// the final reply.
void FtpServerModel::pump(TimeMs now) {
  pump_at_ = kNever;
  Transfer& t = *xfer_;
  const std::uint64_t size = t.bytes.size();
  const Directive* limit = limit_of(t.faults, size);
  const std::uint64_t end = limit != nullptr ? limit->amount : size;
  const std::uint64_t rate = t.faults.slow;
  const std::uint64_t segment =
      rate == 0 ? kSegment : std::clamp<std::uint64_t>(rate / 10, 1, 65536);
  while (t.moved < end) {
    if (rate != 0) {
      const TimeMs due = t.start + static_cast<TimeMs>(t.moved * 1000 / rate);
      if (due > now) {
        pump_at_ = due;
        return;
      }
    }
    const std::uint64_t n = std::min(segment, end - t.moved);
    schedule(now, ftp::Sock::data,
             modem::SocketData{now, ftp::Sock::data, t.bytes.substr(t.moved, n)});
    t.moved += n;
  }
  if (limit != nullptr && limit->kind == FaultKind::stall) {
    t.stalled = true;
    return;
  }
  close_data(now, ftp::SockError::eof);
  shape_ = t.shape;
  if (limit != nullptr) {
    reply(now, limit->code, limit->text);
  } else if (t.faults.final != nullptr) {
    reply(now, t.faults.final->code, t.faults.final->text);
  } else {
    reply(now, 226, "Transfer complete.");
  }
  xfer_.reset();
}

void FtpServerModel::upload_bytes(TimeMs now, std::string_view bytes) {
  if (!xfer_ || !xfer_->upload || !data_open_ || xfer_->stalled) return;
  Transfer& t = *xfer_;
  const Directive* limit = limit_of(t.faults, t.moved + bytes.size());
  const std::uint64_t room =
      limit != nullptr ? limit->amount - std::min(limit->amount, t.moved) : bytes.size();
  const std::uint64_t kept = std::min<std::uint64_t>(room, bytes.size());
  if (keep_uploads) t.bytes.append(bytes.substr(0, kept));
  if (limit == nullptr) {
    t.moved += bytes.size();
    return;
  }
  if (limit->kind == FaultKind::stall) {  // the server stops reading
    t.moved += kept;
    t.stalled = true;
    return;
  }
  // CUT: the server keeps exactly its bytes; a modem that sent more sees its connection reset.
  t.moved += bytes.size();
  close_data(now, t.moved > limit->amount ? ftp::SockError::reset : ftp::SockError::eof);
  shape_ = t.shape;
  reply(now, limit->code, limit->text);
  store(t);
  xfer_.reset();
}

void FtpServerModel::end_upload(TimeMs now) {
  Transfer& t = *xfer_;
  if (t.stalled) return;  // the server no longer reads: it does not see the end
  store(t);
  shape_ = t.shape;
  if (t.faults.final != nullptr) {
    reply(now, t.faults.final->code, t.faults.final->text);
  } else {
    reply(now, 226, "Transfer complete.");
  }
  xfer_.reset();
}

void FtpServerModel::store(const Transfer& t) {
  if (!keep_uploads) return;
  std::string& file = files[t.path];
  if (t.offset == 0) {
    file = t.bytes;
    return;
  }
  // REST then STOR writes in place without truncating, as pyftpdlib does.
  if (file.size() < t.offset + t.bytes.size()) file.resize(t.offset + t.bytes.size());
  file.replace(t.offset, t.bytes.size(), t.bytes);
}

void FtpServerModel::abort(TimeMs now) {
  if (!xfer_) return reply(now, 225, "No transfer to abort.");
  const bool moved = xfer_->moved != 0;
  xfer_.reset();
  pump_at_ = kNever;
  if (data_open_) close_data(now, ftp::SockError::eof);
  if (!moved) return reply(now, 225, "ABOR command successful.");
  reply(now, 426, "Transfer aborted via ABOR.");
  reply(now, 226, "ABOR command successful.");
}

// IDLE counts from the session's last activity, as pyftpdlib's idle timeout and the fixture do: a
// command line, the connection itself, a DELAY run out, a data connection's end. A directive set
// later does not start the count again: set after a longer silence, it falls due at once.
void FtpServerModel::arm_idle(TimeMs now) {
  const auto limit = control_open_ ? plan_.idle_limit() : std::nullopt;
  idle_at_ = limit ? std::max(now, last_active_ + *limit) : kNever;
}

void FtpServerModel::active(TimeMs now) {
  last_active_ = now;
  arm_idle(now);
}

bool FtpServerModel::is_dir(const std::string& path) const {
  return path == "/" || dirs.count(path) != 0;
}

std::string FtpServerModel::parent_of(const std::string& path) {
  const auto slash = path.rfind('/');
  return slash == 0 || slash == std::string::npos ? "/" : path.substr(0, slash);
}

// The names directly in `dir`, sorted (files and directories alike).
std::vector<std::string> FtpServerModel::entries_of(const std::string& dir) const {
  std::set<std::string> names;
  const std::string prefix = dir == "/" ? "/" : dir + "/";
  auto add = [&](const std::string& path) {
    if (path.size() <= prefix.size() || path.rfind(prefix, 0) != 0) return;
    const std::string rest = path.substr(prefix.size());
    names.insert(rest.substr(0, rest.find('/')));
  };
  for (const auto& [path, contents] : files) add(path);
  for (const auto& path : dirs) add(path);
  return {names.begin(), names.end()};
}

std::string FtpServerModel::resolve(std::string_view name) const {
  const std::string full =
      !name.empty() && name.front() == '/' ? std::string(name) : cwd_ + "/" + std::string(name);
  std::vector<std::string_view> parts;
  std::string_view rest = full;
  while (!rest.empty()) {
    const auto slash = rest.find('/');
    const std::string_view part = rest.substr(0, slash);
    rest = slash == std::string_view::npos ? std::string_view() : rest.substr(slash + 1);
    if (part.empty() || part == ".") continue;
    if (part == "..") {
      if (!parts.empty()) parts.pop_back();
      continue;
    }
    parts.push_back(part);
  }
  std::string out;
  for (const auto part : parts) {
    out += '/';
    out += part;
  }
  return out.empty() ? "/" : out;
}

// --- what happens to the server ------------------------------------------------------------------

void FtpServerModel::idle_timeout(TimeMs now) {
  if (!control_open_) return;
  shape_ = {};
  reply(now, 421, "No command for a while, closing control connection.");
  close_control(now, ftp::SockError::eof);
}

void FtpServerModel::hang_up(TimeMs now, ftp::SockError why) {
  if (control_open_) close_control(now, why);
}

void FtpServerModel::cut_data(TimeMs now, ftp::SockError why) {
  if (!data_open_) return;
  close_data(now, why);
  if (xfer_ && control_open_) {
    shape_ = xfer_->shape;
    reply(now, 426, "Connection closed; transfer aborted.");
    flush_cork(now);
  }
  xfer_.reset();
  pump_at_ = kNever;
}

void FtpServerModel::say(TimeMs now, std::string_view line) {
  if (!control_open_) return;
  shape_ = {};
  send_control(now, std::string(line));
  flush_cork(now);
}

void FtpServerModel::plan_changed(TimeMs now) {
  if (!paused_ && !xfer_) arm_idle(now);
}

}  // namespace qftp::testing
