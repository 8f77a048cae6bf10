// hang_up_link_test.cpp: the end of the host link as a DTR drop (te/bench.h hang_up_link, ruling
// 15): a TCP DUT sees its connection end, after what was sent, and a new one come after the hold,
// under the run's lock; the TE session goes on over the new link with its wire log whole; a pty
// has no DTR to drop, and says so.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <optional>
#include <string>

#include "loopback_listener.h"
#include "te/bench.h"
#include "te/dut_lock.h"
#include "te/te_session.h"

namespace qftp::te {
namespace {

using namespace std::chrono_literals;

// Accepts one connection within `timeout`; -1 if none came.
int accept_within(int listener, std::chrono::milliseconds timeout) {
  pollfd p{listener, POLLIN, 0};
  if (::poll(&p, 1, static_cast<int>(timeout.count())) != 1) return -1;
  return ::accept4(listener, nullptr, nullptr, SOCK_CLOEXEC);
}

// Everything the peer sends until it closes (or `timeout` passes: then "<open>" is appended).
std::string read_to_end(int fd, std::chrono::milliseconds timeout) {
  std::string out;
  const auto until = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        until - std::chrono::steady_clock::now());
    pollfd p{fd, POLLIN, 0};
    if (left.count() <= 0 || ::poll(&p, 1, static_cast<int>(left.count())) != 1)
      return out + "<open>";
    char buf[256];
    const ssize_t n = ::read(fd, buf, sizeof buf);
    if (n <= 0) return out;
    out.append(buf, static_cast<std::size_t>(n));
  }
}

TEST(HangUpLink, ATcpDutSeesItsConnectionEndAndANewOneUnderTheSameLock) {
  std::uint16_t port = 0;
  const int listener = testing::listen_loopback(port);
  ASSERT_GE(listener, 0);
  auto spec = parse_dut_spec("tcp:127.0.0.1:" + std::to_string(port));
  ASSERT_TRUE(spec.ok()) << spec.error();
  auto lock = DutLock::acquire(*spec);
  ASSERT_TRUE(lock.ok()) << lock.error();
  auto first_link = open_link(*spec, nullptr, &*lock);
  ASSERT_TRUE(first_link.ok()) << first_link.error();
  const int first = accept_within(listener, 5s);
  ASSERT_GE(first, 0);

  TeSession session(std::move(first_link).value(), TeSession::Options{});
  ASSERT_TRUE(session.send("++").ok());
  const auto started = std::chrono::steady_clock::now();
  const Status st = session.relink([&](std::optional<DutLink>& link) {
    return hang_up_link(link, *spec, nullptr, &*lock, 200ms);
  });
  ASSERT_TRUE(st.ok()) << st.error();
  // The DUT read what was sent, then the end of the connection; the new one came after the hold.
  EXPECT_EQ(read_to_end(first, 5s), "++");
  const int second = accept_within(listener, 5s);
  ASSERT_GE(second, 0) << "no second connection after the hang-up";
  EXPECT_GE(std::chrono::steady_clock::now() - started, 200ms);
  // The lock was held throughout: a second run is refused.
  auto other = DutLock::acquire(*spec);
  EXPECT_FALSE(other.ok());
  if (!other.ok()) {
    EXPECT_TRUE(is_dut_busy(other.error())) << other.error();
  }

  // The session goes on over the new link, and its wire log tells the whole story.
  ASSERT_TRUE(session.send("AT\r").ok());
  char buf[8] = {};
  pollfd p{second, POLLIN, 0};
  ASSERT_EQ(::poll(&p, 1, 5000), 1);
  EXPECT_EQ(std::string(buf, static_cast<std::size_t>(::read(second, buf, sizeof buf))), "AT\r");
  const std::string wire = session.wire_text(0, started, 4096);
  const auto sent = wire.find("TE> ++");
  const auto ended = wire.find("TE: hang-up");
  const auto again = wire.find("TE: a host again");
  const auto at = wire.find("TE> AT");
  EXPECT_TRUE(sent < ended && ended < again && again < at && at != std::string::npos) << wire;
  EXPECT_FALSE(session.broken());
  ::close(first);
  ::close(second);
  ::close(listener);
}

TEST(HangUpLink, AClosedPortThatDoesNotComeBackBreaksTheSession) {
  std::uint16_t port = 0;
  const int listener = testing::listen_loopback(port);
  ASSERT_GE(listener, 0);
  auto spec = parse_dut_spec("tcp:127.0.0.1:" + std::to_string(port));
  ASSERT_TRUE(spec.ok());
  auto link = open_link(*spec, nullptr, nullptr);
  ASSERT_TRUE(link.ok()) << link.error();
  TeSession session(std::move(link).value(), TeSession::Options{});
  ::close(listener);  // nobody listens any more: the link cannot be made again
  const Status st = session.relink([&](std::optional<DutLink>& l) {
    return hang_up_link(l, *spec, nullptr, nullptr, 10ms);
  });
  ASSERT_FALSE(st.ok());
  EXPECT_TRUE(session.broken());
  EXPECT_NE(session.broken_reason().find("after the hang-up"), std::string::npos)
      << session.broken_reason();
  EXPECT_FALSE(session.send("AT\r").ok());
  EXPECT_EQ(session.link(), nullptr);
}

TEST(HangUpLink, APtyHasNoDtrToDrop) {
  const int master = ::posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
  ASSERT_GE(master, 0);
  ASSERT_EQ(::grantpt(master), 0);
  ASSERT_EQ(::unlockpt(master), 0);
  const std::string slave = ::ptsname(master);
  auto link = DutLink::open_serial(slave, DutLink::SerialOptions{});
  ASSERT_TRUE(link.ok()) << link.error();
  const Status has = link->has_dtr();
  ASSERT_FALSE(has.ok());
  EXPECT_NE(has.error().find("no modem-control lines"), std::string::npos) << has.error();
  EXPECT_FALSE(link->set_dtr(false).ok());
  ::close(master);
}

TEST(HangUpLink, ATcpLinkHasNoDtr) {
  std::uint16_t port = 0;
  const int listener = testing::listen_loopback(port);
  ASSERT_GE(listener, 0);
  auto link = DutLink::connect_tcp("127.0.0.1", port);
  ASSERT_TRUE(link.ok()) << link.error();
  EXPECT_FALSE(link->has_dtr().ok());
  EXPECT_FALSE(link->set_dtr(false).ok());
  ::close(listener);
}

}  // namespace
}  // namespace qftp::te
