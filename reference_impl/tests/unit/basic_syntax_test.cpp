// Unit tests of the table of what each basic command accepts (core/modem/basic_syntax.h), and of
// the engine answering by it (V/14).
#include "core/modem/basic_syntax.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "core/at/command_parser.h"
#include "testing/virtual_modem.h"

namespace qftp::modem {
namespace {

// The one command `text` parses to, judged by its table entry.
bool accepted(const std::string& text) {
  const at::ParsedLine line = at::parse_line(text);
  EXPECT_FALSE(line.syntax_error) << "syntax error in " << text;
  EXPECT_EQ(line.commands.size(), 1U) << text;
  if (line.commands.size() != 1) return false;
  const BasicSyntax* s = find_basic_syntax(line.commands[0].name);
  EXPECT_NE(s, nullptr) << text;
  return s != nullptr && accepts(*s, line.commands[0]);
}

TEST(BasicSyntaxTable, NamesAreUniqueAndParamsWellFormed) {
  std::set<std::string_view> names;
  for (const BasicSyntax& s : basic_syntax_table()) {
    EXPECT_TRUE(names.insert(s.name).second) << "twice: " << s.name;
    EXPECT_NE(s.forms, 0) << s.name;
    EXPECT_LE(s.required, s.params.size()) << s.name;
    for (char kind : s.params) EXPECT_TRUE(kind == 'n' || kind == 's') << s.name;
    EXPECT_LE(s.lo, s.hi) << s.name;
    EXPECT_EQ(find_basic_syntax(s.name), &s);
  }
  EXPECT_EQ(find_basic_syntax("+QFTPOPEN"), nullptr);  // the QFTP handlers check their own
  EXPECT_EQ(find_basic_syntax("S7"), nullptr);
}

TEST(BasicSyntaxTable, BasicLettersTakeOnlyTheirNumber) {
  for (const char* ok : {"O", "O0", "H", "H0", "I", "I0", "Z", "Z0", "&F", "&F0", "E", "E0", "E1",
                         "V1", "Q0"}) {
    EXPECT_TRUE(accepted(ok)) << ok;
  }
  for (const char* bad : {"O1", "H1", "I1", "Z1", "&F1", "E2", "V2", "Q9",
                          "O99999999999999999999999"}) {
    EXPECT_FALSE(accepted(bad)) << bad;
  }
}

TEST(BasicSyntaxTable, FormsAndParametersOfTheExtendedOnes) {
  for (const char* ok :
       {"+QIDEACT", "+QIDEACT=?", "+QIACT", "+GMR", "+GSN=?", "+CMEE", "+CMEE?", "+CMEE=2", "+IFC=2",
        "+IFC=2,2", "+IFC?", "+IPR=1234", "+CPIN?", "+CREG=?", "+CSQ", "+QIFGCNT=0",
        "+QICSGP=1", "+QICSGP=1,\"CMNET\",\"u\",\"p\"", "+QIREGAPP", "+QIREGAPP=\"CMNET\"",
        "S3?", "S3=13", "S5=127"}) {
    EXPECT_TRUE(accepted(ok)) << ok;
  }
  for (const char* bad :
       {"+QIDEACT?", "+QIDEACT=1", "+QIACT?", "+GMR?", "+GSN=1", "+CMEE=3", "+CMEE=1,1", "+IFC",
        "+IFC=3", "+IFC=2,2,2", "+IFC=,2", "+IPR", "+IPR=\"9600\"", "+CPIN", "+CPIN=1", "+CREG",
        "+CSQ?", "+QIFGCNT", "+QIFGCNT=2", "+QICSGP", "+QICSGP=\"1\"", "+QICSGP=1,2",
        "+QICSGP=1,\"a\",\"b\",\"c\",\"d\"", "+QIREGAPP=1", "S3", "S3=", "S3=128"}) {
    EXPECT_FALSE(accepted(bad)) << bad;
  }
  const std::string apn50(50, 'a');
  EXPECT_TRUE(accepted("+QICSGP=1,\"" + apn50 + "\""));
  EXPECT_FALSE(accepted("+QICSGP=1,\"" + apn50 + "a\""));
}

// The engine by the table and the parser: a suffix a basic command does not take, or any syntax
// error on the line, is ERROR and runs nothing.
class BasicSyntaxEngine : public ::testing::Test {
 protected:
  testing::VirtualModem modem;
  void SetUp() override {
    modem.send("ATE0\r");
    modem.take_output();
  }
  std::string at(const std::string& line) {
    modem.send(line + "\r");
    return modem.take_output();
  }
};

TEST_F(BasicSyntaxEngine, SuffixesAndParametersNotTakenAnswerError) {
  for (const char* line : {"ATO-1", "ATO?", "ATO=1", "ATO;?", "ATO1", "ATH?", "ATE0?", "ATE2",
                           "ATI=?", "AT&F=0", "ATS3", "ATS4=?", "AT+QIDEACT;?", "AT+QIDEACT?",
                           "AT+QIDEACT=1", "AT+QIACT?", "AT+CPIN", "AT+QIFGCNT=2"}) {
    EXPECT_EQ(at(line), "\r\nERROR\r\n") << line;
  }
  // The well-formed ones answer as before.
  EXPECT_EQ(at("ATO"), "\r\nNO CARRIER\r\n");
  EXPECT_EQ(at("ATO0"), "\r\nNO CARRIER\r\n");
  EXPECT_EQ(at("ATS3?"), "\r\n013\r\n\r\nOK\r\n");
}

TEST_F(BasicSyntaxEngine, ALineWithASyntaxErrorRunsNothing) {
  EXPECT_EQ(at("ATE1;?"), "\r\nERROR\r\n");
  EXPECT_EQ(at("ATV0Q1-"), "\r\nERROR\r\n");
  EXPECT_EQ(at("AT"), "\r\nOK\r\n");  // echo still off, verbose, results shown
  ASSERT_EQ(at("AT+QFTPOPEN=\"ftp.example\",21"), "\r\nOK\r\n\r\n+QFTPOPEN:0\r\n");
  EXPECT_EQ(at("AT+QIDEACT;?"), "\r\nERROR\r\n");
  EXPECT_EQ(at("AT+QFTPSTAT"), "\r\n+QFTPSTAT: OPENED\r\n\r\nOK\r\n");  // still open
  // A runtime error still ends the line after what ran (V/09).
  EXPECT_EQ(at("ATE1;+NOPE"), "\r\nERROR\r\n");
  EXPECT_EQ(at("AT"), "AT\r\r\nOK\r\n");  // E1 ran
  EXPECT_EQ(at("AT+QIDEACT"), "AT+QIDEACT\r\r\nDEACT OK\r\n\r\n+QFTPERROR:-8\r\n");
}

}  // namespace
}  // namespace qftp::modem
