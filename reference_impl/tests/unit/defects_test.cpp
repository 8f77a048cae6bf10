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
    if (table[i].defect == Defect::stat_opened_in_transfer || table[i].defect == Defect::close_no_ok ||
        table[i].defect >= Defect::size_off_by_one) {
      continue;  // covered below: a transfer in flight, a specific command, or a field profile
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

// The field defects (docs/field-facts.md §5-§8) show with every field switch on, in a session of
// the commands they change.
std::string field_session(DefectSet defects) {
  qftp::modem::DeviceProfile p;
  p.has_ram = true;
  p.ftp_file_commands = p.cfg_type6 = p.file_commands = p.cme_errors = true;
  VirtualModem modem(p, defects);
  modem.ram().put("r", "abcdef");
  modem.server().files["/f.bin"] = "0123456789";
  modem.send("ATE0\r");
  for (const char* line : {"AT+QFTPCFG=6,1", "AT+QFTPOPEN=\"h\",21", "AT+QFTPSIZE=\"f.bin\"",
                           "AT+QFOPEN=\"RAM:none\",2", "AT+QFOPEN=\"RAM:r\",2"}) {
    modem.send(std::string(line) + "\r");
  }
  modem.send("AT+QFSEEK=12451840,1,0\rAT+QFREAD=12451840,2\r");
  return modem.take_output();
}

TEST(Defects, FieldDefectsChangeAFieldSession) {
  const std::string reference = field_session({});
  EXPECT_EQ(reference,
            "ATE0\r\r\nOK\r\n\r\nOK\r\n\r\n+QFTPCFG:0\r\n\r\nOK\r\n\r\n+QFTPOPEN:0\r\n\r\nOK\r\n"
            "\r\n+QFTPSIZE:10\r\n\r\n+CME ERROR: 3919\r\n\r\n+QFOPEN: 12451840\r\n\r\nOK\r\n"
            "\r\nOK\r\n\r\nCONNECT 2\r\nbc\r\nOK\r\n");
  for (const Defect defect : {Defect::size_off_by_one, Defect::cfg6_refused, Defect::cme_never,
                              Defect::pipelined_line_lost}) {
    DefectSet d;
    d.add(defect);
    EXPECT_NE(field_session(d), reference) << static_cast<int>(defect);
  }
}
