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

// The defects that model robustness bugs: each against the clean modem, in the session that shows it.
namespace {

VirtualModem quiet_modem(DefectSet defects) {
  VirtualModem modem({}, defects);
  modem.send("ATE0\r");
  modem.take_output();
  return modem;
}

DefectSet only(Defect d) {
  DefectSet s;
  s.add(d);
  return s;
}

TEST(Defects, OverlongQuotedPathHangsTheEngine) {
  for (const bool with_defect : {false, true}) {
    VirtualModem modem = quiet_modem(with_defect ? only(Defect::path_overlong_hang) : DefectSet{});
    modem.send("AT+QFTPPATH=\"" + std::string(100, 'p') + "\"\r");
    EXPECT_EQ(modem.take_output(), "\r\nOK\r\n\r\n+QFTPPATH:-1\r\n") << "100 characters are within the limit";
    modem.send("AT+QFTPPATH=\"" + std::string(101, 'p') + "\"\r");
    modem.advance(5000);
    modem.send("AT\r");
    modem.advance(5000);
    EXPECT_EQ(modem.take_output(), with_defect ? "" : "\r\nERROR\r\n\r\nOK\r\n");
  }
}

TEST(Defects, FourthErrorLineInARowRestartsTheModem) {
  for (const bool with_defect : {false, true}) {
    VirtualModem modem = quiet_modem(with_defect ? only(Defect::error_run_reboot) : DefectSet{});
    modem.send("AT+QFTPOPEN=\"h\",21\r");
    modem.send("AT+QFTPUSER=\"u\"\r");  // refused in a session: an ERROR line
    EXPECT_EQ(modem.take_output(), "\r\nOK\r\n\r\n+QFTPOPEN:0\r\n\r\nERROR\r\n");
    modem.send("ATX\rAT+NOPE\r");
    modem.send("AT\r");  // an OK between: the run starts again
    modem.send("ATX\rATX\rATX\r");
    EXPECT_EQ(modem.take_output(), "\r\nERROR\r\n\r\nERROR\r\n\r\nOK\r\n\r\nERROR\r\n\r\nERROR\r\n\r\nERROR\r\n");
    modem.send("ATX\r");
    // The restart forgets ATE0 and the session, and says RDY.
    EXPECT_EQ(modem.take_output(), with_defect ? "\r\nERROR\r\n\r\nRDY\r\n" : "\r\nERROR\r\n");
    modem.send("AT+QFTPSTAT\r");
    EXPECT_EQ(modem.take_output(), with_defect ? "AT+QFTPSTAT\r\r\n+QFTPSTAT: CLOSED\r\n\r\nOK\r\n"
                                               : "\r\n+QFTPSTAT: OPENED\r\n\r\nOK\r\n");
  }
}

TEST(Defects, ChainFailingMidwayLosesItsFinalResult) {
  for (const bool with_defect : {false, true}) {
    VirtualModem modem = quiet_modem(with_defect ? only(Defect::chain_error_no_final) : DefectSet{});
    modem.send("AT+QFTPCFG=3,5;+QFTPCFG=9,1\r");
    // The first command's URC follows the line's final result, which the defect loses.
    EXPECT_EQ(modem.take_output(), with_defect ? "\r\n+QFTPCFG:0\r\n" : "\r\nERROR\r\n\r\n+QFTPCFG:0\r\n");
    modem.send("AT+QFTPCFG=9,1;+QFTPCFG=3,5\r");  // the first command fails: ERROR either way
    EXPECT_EQ(modem.take_output(), "\r\nERROR\r\n");
  }
}

TEST(Defects, EscapeLosesTheUploadsLastByte) {
  for (const bool with_defect : {false, true}) {
    VirtualModem modem = quiet_modem(with_defect ? only(Defect::escape_drops_byte) : DefectSet{});
    modem.send("AT+QFTPOPEN=\"h\",21\r");
    modem.send("AT+QFTPPUT=\"up.bin\",100\r");
    modem.send("abc");
    modem.send("def");
    modem.advance(500);
    modem.send("+++");
    modem.advance(500);
    EXPECT_EQ(modem.server().files["/up.bin"], with_defect ? "abcde" : "abcdef");
    const std::string out = modem.take_output();
    EXPECT_NE(out.find(with_defect ? "+QFTPPUT:5" : "+QFTPPUT:6"), std::string::npos) << out;
    // An upload of all its <fileSz> bytes loses nothing.
    modem.send("AT+QFTPPUT=\"all.bin\",6\r");
    modem.send("ghi");
    modem.send("jkl");
    modem.advance(10);
    EXPECT_EQ(modem.server().files["/all.bin"], "ghijkl");
  }
}

TEST(Defects, StatStuckInTransferAfterTheEscape) {
  for (const bool with_defect : {false, true}) {
    VirtualModem modem = quiet_modem(with_defect ? only(Defect::stat_stuck_transfer) : DefectSet{});
    modem.send("AT+QFTPOPEN=\"h\",21\r");
    modem.send("AT+QFTPPUT=\"up.bin\",100\r");
    modem.send("abc");
    modem.advance(500);
    modem.send("+++");
    modem.advance(500);
    modem.take_output();
    modem.send("AT+QFTPSTAT\r");
    EXPECT_EQ(modem.take_output(), with_defect ? "\r\n+QFTPSTAT: TRANSFER\r\n\r\nOK\r\n"
                                               : "\r\n+QFTPSTAT: OPENED\r\n\r\nOK\r\n");
    modem.send("AT+QFTPPUT=\"all.bin\",3\r");  // a transfer that ends by itself: unstuck
    modem.advance(10);
    modem.send("xyz");
    modem.advance(10);
    modem.take_output();
    modem.send("AT+QFTPSTAT\r");
    EXPECT_EQ(modem.take_output(), "\r\n+QFTPSTAT: OPENED\r\n\r\nOK\r\n");
  }
}

TEST(Defects, S5TakesAnyByte) {
  for (const bool with_defect : {false, true}) {
    VirtualModem modem = quiet_modem(with_defect ? only(Defect::s5_range_unchecked) : DefectSet{});
    modem.send("ATS5=128\r");
    EXPECT_EQ(modem.take_output(), with_defect ? "\r\nOK\r\n" : "\r\nERROR\r\n");
    modem.send("ATS5?\r");
    EXPECT_EQ(modem.take_output(), with_defect ? "\r\n128\r\n\r\nOK\r\n" : "\r\n008\r\n\r\nOK\r\n");
    modem.send("ATS5=256\r");  // over a byte: refused either way
    EXPECT_EQ(modem.take_output(), "\r\nERROR\r\n");
  }
}

TEST(Defects, RingWrapStoresTheByteBeforeAgain) {
  std::string sent;
  for (int i = 0; i < 2100; ++i) sent += static_cast<char>(i % 251);
  std::string stored = sent;
  stored[1024] = stored[1023];
  stored[2048] = stored[2047];
  // In pieces that end at a wrap-around (512) and pieces that straddle one (700).
  for (const std::size_t piece : {std::size_t{512}, std::size_t{700}}) {
    for (const bool with_defect : {false, true}) {
      VirtualModem modem = quiet_modem(with_defect ? only(Defect::ring_wrap_stale) : DefectSet{});
      modem.send("AT+QFTPOPEN=\"h\",21\r");
      modem.send("AT+QFTPPUT=\"up.bin\",2100\r");
      for (std::size_t at = 0; at < sent.size(); at += piece) modem.send(sent.substr(at, piece));
      modem.advance(10);
      EXPECT_EQ(modem.server().files["/up.bin"], with_defect ? stored : sent) << piece;
      const std::string out = modem.take_output();
      EXPECT_NE(out.find("+QFTPPUT:2100"), std::string::npos) << out;  // the count is right
    }
  }
}

}  // namespace
