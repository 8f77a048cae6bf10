// fixture_control.cpp: the control-port client over Boost.Asio. Each operation runs the private
// io_context until it completes or its deadline passes; a deadline closes the socket for good.
#include "te/fixture_control.h"

#include <array>
#include <boost/asio/buffer.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address_v4.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <charconv>
#include <system_error>
#include <utility>

namespace qftp::te {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;

namespace {

// LOG lines are short; a longer run without a newline means we are not talking to the fixture.
constexpr std::size_t kMaxLineBytes = 1 << 20;

bool starts_with(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

template <class N>
bool parse_number(std::string_view s, N& out) {
  if (s.empty()) return false;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && ptr == s.data() + s.size();
}

// Splits off the next space-separated field.
std::string_view next_field(std::string_view& rest) {
  const auto sp = rest.find(' ');
  std::string_view field = rest.substr(0, sp);
  rest = sp == std::string_view::npos ? std::string_view() : rest.substr(sp + 1);
  return field;
}

}  // namespace

struct FixtureControl::Impl {
  asio::io_context io;
  tcp::socket socket{io};
  std::string pending;  // bytes received after the last complete line
  std::chrono::milliseconds timeout{5000};
  std::string broken;   // why the connection is unusable; empty while it is fine

  Clock::time_point deadline() const { return Clock::now() + timeout; }

  // Runs handlers until `done` or the deadline. On the deadline the socket is closed and the
  // aborted handler is drained, so no handler can outlive the stack frame it refers to.
  bool run_until(const bool& done, Clock::time_point until) {
    io.restart();
    while (!done) {
      const auto now = Clock::now();
      if (now >= until) break;
      io.run_one_for(until - now);
    }
    if (done) return true;
    boost::system::error_code ignored;
    socket.close(ignored);
    io.restart();
    io.run();
    return false;
  }

  Error fail(std::string why) {
    broken = why;
    boost::system::error_code ignored;
    socket.close(ignored);
    return make_error(std::move(why));
  }

  Status write_line(std::string_view line, Clock::time_point until) {
    if (!broken.empty()) return make_error("control connection unusable: " + broken);
    if (line.find('\n') != std::string_view::npos || line.find('\r') != std::string_view::npos) {
      return make_error("control request must be one line");
    }
    std::string data(line);
    data += '\n';
    bool done = false;
    boost::system::error_code ec;
    asio::async_write(socket, asio::buffer(data), [&](const boost::system::error_code& e, std::size_t) {
      ec = e;
      done = true;
    });
    if (!run_until(done, until)) return fail("timed out sending to the fixture control port");
    if (ec) return fail("sending to the fixture control port: " + ec.message());
    return {};
  }

  Result<std::string> read_line(Clock::time_point until) {
    for (;;) {
      const auto nl = pending.find('\n');
      if (nl != std::string::npos) {
        std::string line = pending.substr(0, nl);
        pending.erase(0, nl + 1);
        if (!line.empty() && line.back() == '\r') line.pop_back();
        return line;
      }
      if (pending.size() > kMaxLineBytes) {
        return fail("reply line from the fixture longer than 1 MiB");
      }
      std::array<char, 8192> chunk{};
      bool done = false;
      boost::system::error_code ec;
      std::size_t got = 0;
      socket.async_read_some(asio::buffer(chunk), [&](const boost::system::error_code& e, std::size_t n) {
        ec = e;
        got = n;
        done = true;
      });
      if (!run_until(done, until)) {
        return fail("timed out waiting for the fixture control port");
      }
      if (ec) {
        return fail("reading from the fixture control port: " + ec.message());
      }
      pending.append(chunk.data(), got);
    }
  }
};

FixtureControl::FixtureControl(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
FixtureControl::FixtureControl(FixtureControl&&) noexcept = default;
FixtureControl& FixtureControl::operator=(FixtureControl&&) noexcept = default;
FixtureControl::~FixtureControl() = default;

Result<FixtureControl> FixtureControl::connect(std::uint16_t port, std::chrono::milliseconds timeout) {
  auto impl = std::make_unique<Impl>();
  impl->timeout = timeout;
  bool done = false;
  boost::system::error_code ec;
  const tcp::endpoint endpoint(asio::ip::address_v4::loopback(), port);
  impl->socket.async_connect(endpoint, [&](const boost::system::error_code& e) {
    ec = e;
    done = true;
  });
  if (!impl->run_until(done, Clock::now() + timeout)) {
    return make_error("timed out connecting to the fixture control port 127.0.0.1:" +
                      std::to_string(port));
  }
  if (ec) {
    return make_error("cannot connect to the fixture control port 127.0.0.1:" + std::to_string(port) +
                      ": " + ec.message());
  }
  return FixtureControl(std::move(impl));
}

void FixtureControl::set_timeout(std::chrono::milliseconds timeout) { impl_->timeout = timeout; }

Result<std::string> FixtureControl::request(std::string_view line) {
  const auto until = impl_->deadline();
  if (auto st = impl_->write_line(line, until); !st) return Error{st.error()};
  return impl_->read_line(until);
}

Result<std::vector<std::string>> FixtureControl::request_list(std::string_view line) {
  const auto until = impl_->deadline();
  if (auto st = impl_->write_line(line, until); !st) return Error{st.error()};
  std::vector<std::string> lines;
  for (;;) {
    auto next = impl_->read_line(until);
    if (!next) return Error{next.error()};
    if (lines.empty() && starts_with(next.value(), "ERR")) return make_error(next.value());
    if (next.value() == "END") return lines;
    lines.push_back(std::move(next).value());
  }
}

namespace {

Status expect_ok(Result<std::string> reply) {
  if (!reply) return Error{reply.error()};
  if (reply.value() != "OK") return make_error(reply.value());
  return {};
}

}  // namespace

Status FixtureControl::ping() {
  auto reply = request("PING");
  if (!reply) return Error{reply.error()};
  if (reply.value() != "PONG") return make_error("unexpected reply to PING: " + reply.value());
  return {};
}

Result<int> FixtureControl::set(std::string_view directive) {
  auto reply = request(std::string("SET ") + std::string(directive));
  if (!reply) return Error{reply.error()};
  int id = 0;
  if (!starts_with(reply.value(), "OK ") || !parse_number(std::string_view(reply.value()).substr(3), id)) {
    return make_error(reply.value());
  }
  return id;
}

Status FixtureControl::clear(int id) { return expect_ok(request("CLEAR " + std::to_string(id))); }
Status FixtureControl::clear_all() { return expect_ok(request("CLEAR ALL")); }
Status FixtureControl::reset() { return expect_ok(request("RESET")); }

Result<std::size_t> FixtureControl::await_sessions(std::size_t at_most, std::chrono::milliseconds within) {
  const std::string line =
      "AWAIT SESSIONS " + std::to_string(at_most) + " " + std::to_string(within.count());
  // The fixture answers by `within`; the request's own deadline comes on top of it.
  const auto until = impl_->deadline() + within;
  if (auto st = impl_->write_line(line, until); !st) return Error{st.error()};
  auto reply = impl_->read_line(until);
  if (!reply) return Error{reply.error()};
  std::string_view text = reply.value();
  for (std::string_view prefix : {"OK sessions=", "TIMEOUT sessions="}) {
    std::size_t open = 0;
    if (starts_with(text, prefix) && parse_number(text.substr(prefix.size()), open)) return open;
  }
  return make_error("unexpected reply to AWAIT: " + reply.value());
}

Status FixtureControl::quit() {
  auto reply = request("QUIT");
  if (!reply) return Error{reply.error()};
  impl_->broken = "closed by QUIT";
  boost::system::error_code ignored;
  impl_->socket.close(ignored);
  if (reply.value() != "BYE") return make_error("unexpected reply to QUIT: " + reply.value());
  return {};
}

namespace {

template <class T, class Parse>
Result<std::vector<T>> parse_all(Result<std::vector<std::string>> lines, Parse parse) {
  if (!lines) return Error{lines.error()};
  std::vector<T> out;
  out.reserve(lines.value().size());
  for (const auto& line : lines.value()) {
    auto item = parse(line);
    if (!item) return Error{item.error()};
    out.push_back(std::move(item).value());
  }
  return out;
}

}  // namespace

Result<std::vector<FixtureFault>> FixtureControl::faults() {
  return parse_all<FixtureFault>(request_list("FAULTS"), parse_faults_line);
}

Result<std::vector<FixtureLogEntry>> FixtureControl::log() {
  return parse_all<FixtureLogEntry>(request_list("LOG"), parse_log_line);
}

Result<std::vector<FixtureFile>> FixtureControl::files() {
  return parse_all<FixtureFile>(request_list("FILES"), parse_files_line);
}

Result<FixtureLogEntry> parse_log_line(std::string_view line) {
  std::string_view rest = line;
  FixtureLogEntry entry;
  const auto t = next_field(rest);
  const auto session = next_field(rest);
  const auto kind = next_field(rest);
  if (!parse_number(t, entry.t) || !parse_number(session, entry.session) || kind.empty()) {
    return make_error("malformed LOG line: " + std::string(line));
  }
  entry.kind = std::string(kind);
  entry.text = std::string(rest);
  return entry;
}

Result<FixtureFile> parse_files_line(std::string_view line) {
  std::string_view rest = line;
  const auto tag = next_field(rest);
  FixtureFile file;
  if (tag == "DIR" && !rest.empty()) {
    file.is_dir = true;
    file.path = std::string(rest);
    return file;
  }
  if (tag == "FILE") {
    const auto size = next_field(rest);
    if (parse_number(size, file.size) && !rest.empty()) {
      file.path = std::string(rest);
      return file;
    }
  }
  return make_error("malformed FILES line: " + std::string(line));
}

Result<FixtureFault> parse_faults_line(std::string_view line) {
  std::string_view rest = line;
  FixtureFault fault;
  const auto tag = next_field(rest);
  const auto id = next_field(rest);
  const auto hits = next_field(rest);
  const auto left = next_field(rest);
  bool good = tag == "FAULT" && parse_number(id, fault.id) && starts_with(hits, "hits=") &&
              parse_number(hits.substr(5), fault.hits) && starts_with(left, "left=") && !rest.empty();
  if (good) {
    const auto left_value = left.substr(5);
    if (left_value == "inf") {
      fault.left = -1;
    } else {
      good = parse_number(left_value, fault.left);
    }
  }
  if (!good) return make_error("malformed FAULTS line: " + std::string(line));
  fault.directive = std::string(rest);
  return fault;
}

}  // namespace qftp::te
