// The in-process FTP server's command handling (RFC 959 subset the modem uses).
#include "testing/fake_ftp_server.h"

#include <algorithm>
#include <cctype>

namespace qftp::testing {

using modem::Event;

void FakeFtpServer::reply(TimeMs t, int code, const std::string& text, std::vector<Event>& out) {
  out.emplace_back(modem::SocketData{t, ftp::Sock::control, std::to_string(code) + " " + text + "\r\n"});
}

std::string FakeFtpServer::resolve(const std::string& name) const {
  if (!name.empty() && name.front() == '/') return name;
  return cwd_ == "/" ? "/" + name : cwd_ + "/" + name;
}

std::vector<Event> FakeFtpServer::on_op(TimeMs t, const ftp::Op& op) {
  std::vector<Event> out;
  if (const auto* c = std::get_if<ftp::OpConnect>(&op)) {
    if (c->sock == ftp::Sock::control) {
      if (connect_error || refuse_connect) {
        out.emplace_back(modem::SocketClosed{t, c->sock, connect_error.value_or(ftp::SockError::refused)});
        return out;
      }
      control_open_ = true;
      logged_in_ = false;
      cwd_ = "/";
      out.emplace_back(modem::SocketConnected{t, c->sock, "127.0.0.1"});
      const auto f = faults.find("GREETING");
      if (f != faults.end() && f->second.code != 0) {
        reply(t, f->second.code, "greeting fault", out);
      } else {
        reply(t, 220, "fake FTP server ready", out);
      }
    } else {
      data_open_ = true;
      out.emplace_back(modem::SocketConnected{t, c->sock, "127.0.0.1"});
      if (xfer_ == Xfer::retr) start_retr(t, out);
    }
  } else if (std::get_if<ftp::OpListen>(&op)) {
    out.emplace_back(modem::SocketListening{t, "127.0.0.1", 40000});
  } else if (const auto* s = std::get_if<ftp::OpSend>(&op)) {
    if (s->sock == ftp::Sock::data) {
      if (xfer_ == Xfer::stor) upload_ += s->bytes;
      return out;
    }
    control_buf_ += s->bytes;
    for (auto nl = control_buf_.find("\r\n"); nl != std::string::npos; nl = control_buf_.find("\r\n")) {
      const std::string line = control_buf_.substr(0, nl);
      control_buf_.erase(0, nl + 2);
      command(t, line, out);
    }
  } else if (const auto* cl = std::get_if<ftp::OpClose>(&op)) {
    if (cl->sock == ftp::Sock::control) {
      control_open_ = false;
    } else if (data_open_) {
      data_open_ = false;
      if (xfer_ == Xfer::stor) {
        std::string& file = files[xfer_path_];
        if (rest_ == 0) file.clear();
        // REST then STOR overwrites in place (pyftpdlib does the same, docs/field-facts.md §3).
        if (file.size() < rest_ + upload_.size()) file.resize(rest_ + upload_.size());
        file.replace(rest_, upload_.size(), upload_);
        reply(t, 226, "transfer complete", out);
      }
      xfer_ = Xfer::none;
      rest_ = 0;
    }
  }
  return out;
}

std::vector<Event> FakeFtpServer::kick(TimeMs t) {
  std::vector<Event> out;
  if (!control_open_) return out;
  reply(t, 421, "idle timeout", out);
  out.emplace_back(modem::SocketClosed{t, ftp::Sock::control, ftp::SockError::eof});
  control_open_ = false;
  return out;
}

void FakeFtpServer::start_retr(TimeMs t, std::vector<Event>& out) {
  const auto it = files.find(xfer_path_);
  const std::string& content = it->second;
  const std::string body = rest_ < content.size() ? content.substr(rest_) : std::string();
  const std::uint64_t n = std::min<std::uint64_t>(body.size(), cut_data_after);
  reply(t, 150, "opening data connection", out);
  for (std::size_t off = 0; off < n; off += 4096) {
    out.emplace_back(modem::SocketData{t, ftp::Sock::data, body.substr(off, std::min<std::uint64_t>(4096, n - off))});
  }
  rest_ = 0;
  if (n < body.size() && stall_after_cut) return;  // ABOR ends it
  data_open_ = false;
  xfer_ = Xfer::none;
  if (n < body.size()) {
    out.emplace_back(modem::SocketClosed{t, ftp::Sock::data, ftp::SockError::eof});
    reply(t, 426, "connection closed; transfer aborted", out);
    return;
  }
  out.emplace_back(modem::SocketClosed{t, ftp::Sock::data, ftp::SockError::eof});
  reply(t, 226, "transfer complete", out);
}

void FakeFtpServer::command(TimeMs t, const std::string& line, std::vector<Event>& out) {
  log.push_back(line);
  const auto space = line.find(' ');
  std::string verb = line.substr(0, space);
  std::transform(verb.begin(), verb.end(), verb.begin(), [](unsigned char c) { return std::toupper(c); });
  const std::string arg = space == std::string::npos ? std::string() : line.substr(space + 1);

  if (const auto f = faults.find(verb); f != faults.end()) {
    if (f->second.silent) return;
    if (f->second.close) {
      control_open_ = false;
      out.emplace_back(modem::SocketClosed{t, ftp::Sock::control, ftp::SockError::eof});
      return;
    }
    return reply(t, f->second.code, "injected fault", out);
  }
  if (verb == "USER") {
    pending_user_ = arg;
    return reply(t, 331, "password please", out);
  }
  if (verb == "PASS") {
    if (pending_user_ == "anonymous" || (pending_user_ == user && arg == password)) {
      logged_in_ = true;
      return reply(t, 230, "logged in", out);
    }
    return reply(t, 530, "login incorrect", out);
  }
  if (!logged_in_ && verb != "QUIT") return reply(t, 530, "log in first", out);
  if (verb == "PWD") return reply(t, 257, "\"" + cwd_ + "\" is the current directory", out);
  if (verb == "CWD") {
    const std::string dir = arg == "/" ? "/" : resolve(arg);
    if (dirs.count(dir) == 0) return reply(t, 550, "no such directory", out);
    cwd_ = dir;
    return reply(t, 250, "directory changed", out);
  }
  if (verb == "TYPE") {
    binary_ = arg == "I";
    return reply(t, 200, "type set", out);
  }
  if (verb == "PASV") return reply(t, 227, "Entering Passive Mode (127,0,0,1,156,64)", out);
  if (verb == "EPSV") return reply(t, 229, "Entering Extended Passive Mode (|||40000|)", out);
  if (verb == "PORT") return reply(t, 200, "PORT ok", out);
  if (verb == "REST") {
    rest_ = std::stoull(arg);
    return reply(t, 350, "restarting", out);
  }
  if (verb == "STOR") {
    xfer_ = Xfer::stor;
    xfer_path_ = resolve(arg);
    upload_.clear();
    if (!data_open_) {  // active mode: the server connects now
      data_open_ = true;
      out.emplace_back(modem::SocketConnected{t, ftp::Sock::data, "127.0.0.1"});
    }
    return reply(t, 150, "ready for data", out);
  }
  if (verb == "RETR") {
    xfer_path_ = resolve(arg);
    if (files.count(xfer_path_) == 0) {
      rest_ = 0;
      return reply(t, 550, "no such file", out);
    }
    xfer_ = Xfer::retr;
    if (!data_open_) {
      data_open_ = true;
      out.emplace_back(modem::SocketConnected{t, ftp::Sock::data, "127.0.0.1"});
    }
    return start_retr(t, out);
  }
  if (verb == "ABOR") {
    if (xfer_ != Xfer::none) {
      xfer_ = Xfer::none;
      data_open_ = false;
      out.emplace_back(modem::SocketClosed{t, ftp::Sock::data, ftp::SockError::eof});
      reply(t, 426, "transfer aborted", out);
    }
    return reply(t, 226, "abort ok", out);
  }
  if (verb == "QUIT") {
    reply(t, 221, "bye", out);
    control_open_ = false;
    out.emplace_back(modem::SocketClosed{t, ftp::Sock::control, ftp::SockError::eof});
    return;
  }
  reply(t, 502, "not implemented", out);
}

}  // namespace qftp::testing
