// The named deviations of qftp-emu --defect: at least fifteen, each named once, each changing what
// the modem does (the conformance suite proves it catches them; here, that they are real).
#include <gtest/gtest.h>

#include <set>

#include "core/modem/defects.h"
#include "testing/virtual_modem.h"

namespace {

using qftp::modem::Defect;
using qftp::modem::DefectSet;
using qftp::testing::VirtualModem;

TEST(Defects, TableNamesEachDefectOnce) {
  std::size_t count = 0;
  const auto* table = qftp::modem::defect_table(count);
  EXPECT_GE(count, 15u);
  std::set<std::string_view> names;
  for (std::size_t i = 0; i < count; ++i) {
    EXPECT_EQ(static_cast<std::size_t>(table[i].defect), i);
    EXPECT_TRUE(names.insert(table[i].name).second) << table[i].name;
    EXPECT_EQ(qftp::modem::defect_by_name(table[i].name), table[i].defect);
    EXPECT_FALSE(table[i].description.empty());
  }
  EXPECT_FALSE(qftp::modem::defect_by_name("no-such-defect"));
}

// A short session that touches everything the defects can change; each defect must change its output.
std::string session(DefectSet defects) {
  VirtualModem modem({}, defects);
  modem.server().files["/f.bin"] = "0123456789";
  for (const std::string& line : std::vector<std::string>{"AT", "ATV0", "ATV1", "AT+QFTPUSE=\"a\"", "AT+QFTPUSER=\"1234567890123456789012345678901\"",
        "AT+QFTPOPEN=\"" + std::string(100, 'h') + "\",21", "AT+QFTPCLOSE", "AT+QFTPOPEN=\"h\",0",
        "AT" + std::string(300, ' '), "AT+QFTPCFG=1,0", "AT+QFTPCFG=1", "AT+QFTPCFG=1,1",
        "AT+QFTPOPEN=\"h\",21", "AT+QFTPCFG=3,2", "AT+QFTPGET=\"f.bin\"", "AT+QFTPCFG=3", "AT+QFTPLEN",
        "AT+QFTPPUT=\"u.bin\",4"}) {
    modem.send(line + "\r");
  }
  modem.send("wxyz");
  for (const char* line : {"AT+QFTPGET=\"nope\"", "AT+QFTPCFG=2,1", "AT+QFTPCFG=1,0", "AT+QFTPPUT=\"v.bin\",3"}) {
    modem.send(std::string(line) + "\r");
  }
  modem.advance(600);
  modem.send("+++ATH");
  modem.advance(600);
  modem.send("AT+QFTPCLOSE\r");
  std::string out = modem.take_output();
  for (const auto& [name, contents] : modem.server().files) out += "|" + name + "=" + contents;
  for (const auto& line : modem.server().log) out += "|" + line;
  return out;
}

TEST(Defects, EachDefectChangesTheModemsBehaviour) {
  const std::string reference = session({});
  std::size_t count = 0;
  const auto* table = qftp::modem::defect_table(count);
  for (std::size_t i = 0; i < count; ++i) {
    if (table[i].defect == Defect::stat_opened_in_transfer || table[i].defect == Defect::close_no_ok) {
      continue;  // covered below: they need a transfer in flight or a specific command
    }
    DefectSet d;
    d.add(table[i].defect);
    EXPECT_NE(session(d), reference) << table[i].name;
  }
}

TEST(Defects, CloseWithoutOk) {
  DefectSet d;
  d.add(Defect::close_no_ok);
  VirtualModem modem({}, d);
  modem.send("ATE0\r");
  modem.take_output();
  modem.send("AT+QFTPCLOSE\r");
  EXPECT_EQ(modem.take_output(), "\r\n+QFTPCLOSE:0\r\n");
}

TEST(Defects, StatDuringATransfer) {
  for (const bool with_defect : {false, true}) {
    DefectSet d;
    if (with_defect) d.add(Defect::stat_opened_in_transfer);
    VirtualModem modem({}, d);
    modem.server().files["/big"] = std::string(1000, 'x');
    modem.fault("STALL RETR 10");
    for (const char* line : {"ATE0", "AT+QFTPOPEN=\"h\",21", "AT+QFTPCFG=4,\"/UFS/\"", "AT+QFTPGET=\"big\""}) {
      modem.send(std::string(line) + "\r");
    }
    modem.take_output();
    modem.send("AT+QFTPSTAT\r");
    EXPECT_EQ(modem.take_output(), with_defect ? "\r\n+QFTPSTAT: OPENED\r\n\r\nOK\r\n"
                                               : "\r\n+QFTPSTAT: TRANSFER\r\n\r\nOK\r\n");
  }
}

}  // namespace
