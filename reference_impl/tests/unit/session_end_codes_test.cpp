// Ruling 9, "a session that ends during a transfer": every way the network or the server can end
// a transfer in the middle, in both directions, through the UART and through each local store,
// gives its one chapter-3 code; AT+QFTPLEN counts what moved (ruling 12); an upload through the
// UART that ended early keeps data mode until <fileSz> and never runs the host's bytes (ruling 14).
// The server model holds each transfer in the middle with STALL (or refuses its data connection);
// the event then comes as the I/O shell hands it to the engine.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <ostream>
#include <string>
#include <vector>

#include "testing/virtual_modem.h"

namespace {

using qftp::ftp::Sock;
using qftp::ftp::SockError;
using qftp::modem::NetworkEvent;
using qftp::modem::SocketClosed;
using qftp::testing::VirtualModem;

enum class Way { link_down, control_reset, data_reset, data_refused, control_closed, data_closed,
                 context_lost };
enum class Store { com, ufs, ram };

struct Row {
  Way way;
  const char* name;
  int upload_code;  // ruling 9
  int download_code;
  bool upload_keeps_session;  // AT+QFTPSTAT after it: OPENED, or CLOSED
  bool download_keeps_session;
};

// The table of ruling 9 (docs/rulings.md, "A session that ends during a transfer"). A download's
// data connection that closes in order is the end of its file, so only the missing final reply
// is wrong there (-9); an upload's client knows its data did not all arrive (-7). An upload's
// data connection that ends early waits for the server's reply (here none comes: STALL), which
// would say why; a download's reset ends it at once, and the late reply is skipped.
constexpr Row kRows[] = {
    {Way::link_down, "link down", -6, -6, false, false},
    {Way::control_reset, "control connection reset", -6, -6, false, false},
    {Way::data_reset, "data connection reset", -7, -7, false, true},
    {Way::data_refused, "data connection refused", -5, -5, true, true},
    {Way::control_closed, "control connection closed", -6, -6, false, false},
    {Way::data_closed, "data connection closed, no final reply", -7, -9, false, false},
    {Way::context_lost, "context lost", -8, -8, false, false},
};

constexpr std::uint64_t kSize = 1000;
constexpr std::uint64_t kHeld = 100;  // STALL: the bytes that cross before the transfer halts

// The file: bytes that read like commands, "A/" (repeat the last line) and "AT\r", where the
// host's second half starts, so that a modem that ran them would show it.
std::string file_bytes() {
  std::string f;
  for (std::uint64_t i = 0; f.size() < kSize; ++i) f += static_cast<char>('a' + i % 26);
  const std::string commands = "A/AT\rA/ATI\r";
  f.replace(kSize / 2, commands.size(), commands);
  return f;
}

std::string at(VirtualModem& m, const std::string& line) {
  m.send(line + "\r");
  return m.take_output();
}

struct Case {
  Row row;
  bool upload;
  Store store;
};

std::string describe(const Case& c) {
  static const char* stores[] = {"/COM/", "/UFS/", "/RAM/"};
  return std::string(c.row.name) + (c.upload ? ", upload " : ", download ") +
         stores[static_cast<int>(c.store)];
}

void PrintTo(const Case& c, std::ostream* os) {
  *os << describe(c);
}

std::vector<Case> all_cases() {
  std::vector<Case> cases;
  for (const Row& row : kRows) {
    for (const bool upload : {true, false}) {
      for (const Store store : {Store::com, Store::ufs, Store::ram}) {
        // A store's upload hands the server all its bytes at once and closes the data connection
        // itself: what the server then does to that connection is not the modem's to see.
        if (upload && store != Store::com &&
            (row.way == Way::data_reset || row.way == Way::data_closed)) {
          continue;
        }
        cases.push_back({row, upload, store});
      }
    }
  }
  return cases;
}

class SessionEndsDuringATransfer : public ::testing::TestWithParam<Case> {};

TEST_P(SessionEndsDuringATransfer, GivesItsCodeOfRuling9) {
  const Case c = GetParam();
  qftp::modem::DeviceProfile profile;
  profile.has_ram = true;  // the M33's stores
  profile.has_sd = true;
  VirtualModem m(profile);
  const std::string file = file_bytes();
  ASSERT_EQ(at(m, "ATE0"), "ATE0\r\r\nOK\r\n");
  ASSERT_EQ(at(m, "AT+QFTPOPEN=\"ftp.example\",21"), "\r\nOK\r\n\r\n+QFTPOPEN:0\r\n");
  if (c.store != Store::com) {
    const std::string root = c.store == Store::ufs ? "/UFS/" : "/RAM/";
    ASSERT_EQ(at(m, "AT+QFTPCFG=4,\"" + root + "f.bin\""), "\r\nOK\r\n\r\n+QFTPCFG:0\r\n");
    if (c.upload) (c.store == Store::ufs ? m.ufs() : m.ram()).put("f.bin", file);
  }
  if (!c.upload) m.server().files["/f.bin"] = file;
  const std::string verb = c.upload ? "STOR" : "RETR";
  m.fault(c.row.way == Way::data_refused ? "NODATACONN refuse times=1"
                                         : "STALL " + verb + " " + std::to_string(kHeld) + " times=1");

  const std::string urc = c.upload ? "+QFTPPUT:" : "+QFTPGET:";
  std::string out = at(m, c.upload ? "AT+QFTPPUT=\"f.bin\"," + std::to_string(kSize) + ",60"
                                   : "AT+QFTPGET=\"f.bin\"");
  const bool data_mode = c.store == Store::com && c.row.way != Way::data_refused;
  if (data_mode) {
    // A download's first bytes, up to where the server holds it, come at once.
    ASSERT_EQ(out, "\r\nOK\r\n\r\nCONNECT\r\n" + (c.upload ? "" : file.substr(0, kHeld)));
    if (c.upload) m.send(std::string_view(file).substr(0, kSize / 2));
    out.clear();
  } else {
    ASSERT_EQ(out.substr(0, 6), "\r\nOK\r\n");
    out.erase(0, 6);
  }

  const auto now = m.now();
  switch (c.row.way) {
    case Way::link_down:  // as the emulator's LINK DOWN breaks its sockets
      m.network().link_down = true;
      m.deliver({SocketClosed{now, Sock::control, SockError::unreachable},
                 SocketClosed{now, Sock::data, SockError::unreachable}});
      break;
    case Way::control_reset: m.deliver({SocketClosed{now, Sock::control, SockError::reset}}); break;
    case Way::data_reset: m.deliver({SocketClosed{now, Sock::data, SockError::reset}}); break;
    case Way::data_refused: break;  // the data connection's connect was refused already
    case Way::control_closed: m.deliver({SocketClosed{now, Sock::control, SockError::eof}}); break;
    case Way::data_closed: m.deliver({SocketClosed{now, Sock::data, SockError::eof}}); break;
    case Way::context_lost:
      m.deliver({NetworkEvent{now, NetworkEvent::Kind::context_lost}});
      break;
  }
  if (data_mode && c.upload) {
    // Ruling 14: data mode lasts until <fileSz>; the rest, commands in appearance, is data.
    EXPECT_EQ(m.take_output(), "") << describe(c) << ": the result came before <fileSz> bytes";
    EXPECT_TRUE(m.engine().in_data_mode()) << describe(c);
    m.send(std::string_view(file).substr(kSize / 2));
  }
  m.advance(200000);  // past every timeout of the profile
  out += m.take_output();
  const int code = c.upload ? c.row.upload_code : c.row.download_code;
  EXPECT_EQ(out, "\r\n" + urc + std::to_string(code) + "\r\n") << describe(c);
  EXPECT_FALSE(m.engine().in_data_mode()) << describe(c);

  // Ruling 12: the bytes that crossed the data connection; none when it never opened.
  std::uint64_t moved = kHeld;
  if (c.row.way == Way::data_refused) {
    moved = 0;
  } else if (c.upload) {
    moved = c.store == Store::com ? kSize / 2 : kSize;  // what the modem sent before the end
  }
  EXPECT_EQ(at(m, "AT+QFTPLEN"), "\r\n+QFTPLEN: " + std::to_string(moved) + "\r\n\r\nOK\r\n")
      << describe(c);
  EXPECT_EQ(at(m, "AT+QFTPSTAT"), std::string("\r\n+QFTPSTAT: ") +
                                      ((c.upload ? c.row.upload_keeps_session
                                                 : c.row.download_keeps_session)
                                           ? "OPENED"
                                           : "CLOSED") +
                                      "\r\n\r\nOK\r\n")
      << describe(c);
  // Nothing the host sent in data mode ran: the server saw one transfer command only (none when
  // the data connection, which comes first, was refused).
  EXPECT_EQ(std::count(m.server().log.begin(), m.server().log.end(), verb + " f.bin"),
            c.row.way == Way::data_refused ? 0 : 1)
      << describe(c);
}

std::string case_name(const ::testing::TestParamInfo<Case>& param) {
  std::string name;
  for (const char ch : describe(param.param)) {
    if (std::isalnum(static_cast<unsigned char>(ch))) name += ch;
  }
  return name;
}

INSTANTIATE_TEST_SUITE_P(Ruling9, SessionEndsDuringATransfer, ::testing::ValuesIn(all_cases()),
                         case_name);

}  // namespace
