// Unit tests of the command parser (layer 2 of the AT path): forms, parameter kinds, V.250
// concatenation and spacing, stop-at-error, and the to_text round trip.
#include "core/at/command_parser.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <string>
#include <string_view>
#include <vector>

namespace qftp::at {
namespace {

using namespace std::string_literals;

Param num(std::string digits, std::optional<std::int64_t> value) {
  Param p;
  p.kind = Param::Kind::number;
  p.text = std::move(digits);
  p.value = value;
  return p;
}
Param num(std::int64_t v) {
  return num(std::to_string(v), v);
}
Param str(std::string text) {
  Param p;
  p.kind = Param::Kind::string;
  p.text = std::move(text);
  return p;
}
Param omitted() {
  return Param{};
}

Command cmd(std::string name, Form form = Form::execute, std::vector<Param> params = {}) {
  return Command{std::move(name), form, std::move(params)};
}

// Compares on the canonical text first so that a failure message is readable.
void expect_parse(std::string_view body, const std::vector<Command>& expected,
                  bool syntax_error = false) {
  const ParsedLine got = parse_line(body);
  SCOPED_TRACE("body: " + testing::PrintToString(std::string(body)));
  EXPECT_EQ(to_text(got.commands), to_text(expected));
  EXPECT_EQ(got.commands, expected);
  EXPECT_EQ(got.syntax_error, syntax_error);
}

void expect_error(std::string_view body, const std::vector<Command>& before = {}) {
  expect_parse(body, before, true);
}

// ---- extended commands ----

TEST(CommandParser, ExtendedExecute) {
  expect_parse("+QFTPSTAT", {cmd("+QFTPSTAT")});
}

TEST(CommandParser, ExtendedTest) {
  expect_parse("+QFTPOPEN=?", {cmd("+QFTPOPEN", Form::test)});
}

TEST(CommandParser, ExtendedRead) {
  expect_parse("+QFTPPATH?", {cmd("+QFTPPATH", Form::read)});
}

TEST(CommandParser, ExtendedWriteWithStringAndNumber) {
  expect_parse("+QFTPOPEN=\"ftp.example.com\",21",
               {cmd("+QFTPOPEN", Form::write, {str("ftp.example.com"), num(21)})});
}

TEST(CommandParser, ExtendedWriteWithNothingAfterEqualsHasOneOmittedParam) {
  expect_parse("+QFTPCFG=", {cmd("+QFTPCFG", Form::write, {omitted()})});
}

TEST(CommandParser, OmittedParamsAnywhere) {
  expect_parse("+X=,\"a\",,5,",
               {cmd("+X", Form::write, {omitted(), str("a"), omitted(), num(5), omitted()})});
  expect_parse("+X=,", {cmd("+X", Form::write, {omitted(), omitted()})});
}

TEST(CommandParser, EmptyQuotedStringIsAStringNotOmitted) {
  expect_parse("+QFTPPASS=\"\"", {cmd("+QFTPPASS", Form::write, {str("")})});
}

TEST(CommandParser, QuotedPortIsAString) {
  expect_parse("+QFTPOPEN=\"h\",\"21\"", {cmd("+QFTPOPEN", Form::write, {str("h"), str("21")})});
}

TEST(CommandParser, NamesAreUppercasedStringsKeptAsTyped) {
  expect_parse("+qftpUser=\"Bob Smith\"", {cmd("+QFTPUSER", Form::write, {str("Bob Smith")})});
}

TEST(CommandParser, NumberKeepsDigitsAsTyped) {
  expect_parse("+QFTPCFG=4,007", {cmd("+QFTPCFG", Form::write, {num(4), num("007", 7)})});
}

TEST(CommandParser, LargestInt64FitsAndOneMoreDoesNot) {
  expect_parse("+X=9223372036854775807",
               {cmd("+X", Form::write, {num("9223372036854775807", INT64_MAX)})});
  expect_parse("+X=9223372036854775808",
               {cmd("+X", Form::write, {num("9223372036854775808", std::nullopt)})});
}

TEST(CommandParser, ThirtyDigitNumberHasNoValue) {
  const std::string digits(30, '9');
  const auto got = parse_line("+QFTPPUT=\"f\"," + digits);
  ASSERT_FALSE(got.syntax_error);
  ASSERT_EQ(got.commands.size(), 1u);
  ASSERT_EQ(got.commands[0].params.size(), 2u);
  const Param& p = got.commands[0].params[1];
  EXPECT_TRUE(p.is_number());
  EXPECT_EQ(p.text, digits);
  EXPECT_FALSE(p.value.has_value());
}

TEST(CommandParser, NameCharactersOfV250) {
  expect_parse("+A!%-./:_9", {cmd("+A!%-./:_9")});
}

TEST(CommandParser, MisspelledNamesStillParse) {
  // Ruling 1: the engine rejects these, the parser does not know the command set.
  expect_parse("+QFTPFCFG=1,0", {cmd("+QFTPFCFG", Form::write, {num(1), num(0)})});
  expect_parse("+QFTPUSE=\"user\"", {cmd("+QFTPUSE", Form::write, {str("user")})});
  expect_parse("+NOSUCH", {cmd("+NOSUCH")});
}

// ---- quotes and spaces ----

TEST(CommandParser, QuotesProtectSemicolonCommaAndSpaces) {
  expect_parse("+QFTPPUT=\"a;b, c\";+QFTPSTAT",
               {cmd("+QFTPPUT", Form::write, {str("a;b, c")}), cmd("+QFTPSTAT")});
}

TEST(CommandParser, QuotesProtectCaseAndEquals) {
  expect_parse("+X=\"=?aB\"", {cmd("+X", Form::write, {str("=?aB")})});
}

TEST(CommandParser, SpacesAroundEqualsAndAfterCommas) {
  expect_parse("+QFTPOPEN = \"h\" , 21", {cmd("+QFTPOPEN", Form::write, {str("h"), num(21)})});
  expect_parse("+QFTPOPEN=\"h\", 21", {cmd("+QFTPOPEN", Form::write, {str("h"), num(21)})});
  expect_parse(" +IFC=2, 2 ", {cmd("+IFC", Form::write, {num(2), num(2)})});
}

TEST(CommandParser, SpacesAnywhereOutsideQuotesAreIgnored) {
  expect_parse(" + Q F T P S T A T ", {cmd("+QFTPSTAT")});
  expect_parse("+X = ?", {cmd("+X", Form::test)});
  expect_parse("+X ?", {cmd("+X", Form::read)});
  expect_parse("E 1 V 0", {cmd("E", Form::execute, {num(1)}), cmd("V", Form::execute, {num(0)})});
  expect_parse("S 3 = 1 3", {cmd("S3", Form::write, {num(13)})});
  expect_parse("+X=1 2", {cmd("+X", Form::write, {num(12)})});
  expect_parse("E0 ; V1", {cmd("E", Form::execute, {num(0)}), cmd("V", Form::execute, {num(1)})});
}

TEST(CommandParser, UnterminatedQuoteIsSyntaxError) {
  expect_error("+QFTPUSER=\"bob");
  expect_error("E0;+QFTPUSER=\"bob;V1", {cmd("E", Form::execute, {num(0)})});
}

TEST(CommandParser, TextAfterClosingQuoteIsSyntaxError) {
  expect_error("+X=\"a\"b");
  expect_error("+X=\"a\"\"b\"");
  expect_error("+X=1\"a\"");
}

// ---- bad parameters and names ----

TEST(CommandParser, UnquotedNonDigitParamIsSyntaxError) {
  expect_error("+QFTPUSER=bob");
  expect_error("+QFTPCFG=-1");
  expect_error("+QFTPCFG=1,0x10");
  expect_error("+X=\xff");
  expect_error("+X=1.5");
}

TEST(CommandParser, HighBytesAndNulInNamesAreSyntaxErrors) {
  expect_error("+QFTP\xffOPEN");
  expect_error("+QFT\0POPEN"s);
  expect_error("\xff");
  expect_error("\0"s);
  expect_error("E0\0"s, {cmd("E", Form::execute, {num(0)})});
}

TEST(CommandParser, MalformedCommandStartsAreSyntaxErrors) {
  expect_error("+");
  expect_error("+1A");
  expect_error("+=1");
  expect_error("&");
  expect_error("&1");
  expect_error("S");
  expect_error("S=3");
  expect_error("=?");
  expect_error("?");
  expect_error("1");
  expect_error("\"E1\"");
  expect_error(",");
}

TEST(CommandParser, TestFormTakesNoParameters) {
  expect_error("+X=?1");
}

// ---- basic commands ----

TEST(CommandParser, BasicCommandWithAndWithoutNumber) {
  expect_parse("E1", {cmd("E", Form::execute, {num(1)})});
  expect_parse("E", {cmd("E")});
  expect_parse("I", {cmd("I")});
  expect_parse("e0", {cmd("E", Form::execute, {num(0)})});
  expect_parse("Q01", {cmd("Q", Form::execute, {num("01", 1)})});
}

TEST(CommandParser, AmpersandCommands) {
  expect_parse("&F", {cmd("&F")});
  expect_parse("&f0", {cmd("&F", Form::execute, {num(0)})});
  expect_parse("&W", {cmd("&W")});
}

TEST(CommandParser, SParameterForms) {
  expect_parse("S3=13", {cmd("S3", Form::write, {num(13)})});
  expect_parse("S3?", {cmd("S3", Form::read)});
  expect_parse("S3", {cmd("S3")});
  expect_parse("S3=", {cmd("S3", Form::write, {omitted()})});
  expect_parse("s5=8", {cmd("S5", Form::write, {num(8)})});
}

TEST(CommandParser, SParameterNumberDropsLeadingZeros) {
  expect_parse("S03?", {cmd("S3", Form::read)});
  expect_parse("S000=1", {cmd("S0", Form::write, {num(1)})});
}

TEST(CommandParser, SParameterValueIsDigitsOnly) {
  expect_error("S3=\"13\"", {cmd("S3", Form::write, {omitted()})});
  expect_error("S3=?", {cmd("S3", Form::write, {omitted()})});
}

TEST(CommandParser, BasicCommandsConcatenate) {
  expect_parse("E0V1Q0", {cmd("E", Form::execute, {num(0)}), cmd("V", Form::execute, {num(1)}),
                          cmd("Q", Form::execute, {num(0)})});
  expect_parse("&FE0", {cmd("&F"), cmd("E", Form::execute, {num(0)})});
  expect_parse("EV", {cmd("E"), cmd("V")});
  expect_parse("S3=13S4=10",
               {cmd("S3", Form::write, {num(13)}), cmd("S4", Form::write, {num(10)})});
  expect_parse("S3?E1", {cmd("S3", Form::read), cmd("E", Form::execute, {num(1)})});
  expect_parse("S3=E1", {cmd("S3", Form::write, {omitted()}), cmd("E", Form::execute, {num(1)})});
}

TEST(CommandParser, BasicCommandsSeparatedBySemicolon) {
  expect_parse("E0;V1;", {cmd("E", Form::execute, {num(0)}), cmd("V", Form::execute, {num(1)})});
  expect_parse("S3=13;S4?", {cmd("S3", Form::write, {num(13)}), cmd("S4", Form::read)});
}

TEST(CommandParser, ExtendedCommandMayFollowBasicDirectly) {
  // V.250 §5.4.1 only asks for ';' after an extended command.
  expect_parse("E0+CMEE=1",
               {cmd("E", Form::execute, {num(0)}), cmd("+CMEE", Form::write, {num(1)})});
}

TEST(CommandParser, ExtendedCommandsNeedSemicolonBetween) {
  expect_parse("+CMEE=1;+IFC=2,2;E0",
               {cmd("+CMEE", Form::write, {num(1)}), cmd("+IFC", Form::write, {num(2), num(2)}),
                cmd("E", Form::execute, {num(0)})});
  expect_error("+CMEE=1E0");
  expect_error("+CSQ?E0");
  expect_error("+CSQ=?+CREG?");
  expect_error("+CSQ+CREG?");
}

TEST(CommandParser, TrailingAndEmptySemicolons) {
  expect_parse("+QFTPSTAT;", {cmd("+QFTPSTAT")});
  expect_parse(";", {});
  expect_parse(";;E1;;", {cmd("E", Form::execute, {num(1)})});
}

TEST(CommandParser, EmptyBodyHasNoCommandsAndNoError) {
  expect_parse("", {});
  expect_parse("   ", {});
}

TEST(CommandParser, StopsAtFirstErrorKeepingEarlierCommands) {
  expect_error("E0;+QFTPCFG=bad;V1", {cmd("E", Form::execute, {num(0)})});
  expect_error("+QFTPCFG=1,0;+QFTPUSER=x;+QFTPSTAT",
               {cmd("+QFTPCFG", Form::write, {num(1), num(0)})});
  expect_error("E0V1=1", {cmd("E", Form::execute, {num(0)}), cmd("V", Form::execute, {num(1)})});
}

// ---- to_text ----

TEST(CommandParser, ToTextIsCanonical) {
  EXPECT_EQ(to_text(parse_line("+qftpopen = \"Host\" , 21 ").commands), "+QFTPOPEN=\"Host\",21");
  EXPECT_EQ(to_text(parse_line("e0v1").commands), "E0;V1");
  EXPECT_EQ(to_text(parse_line("EV").commands), "E;V");
  EXPECT_EQ(to_text(parse_line("S3=;S03?;S3;+X=?;+Y?").commands), "S3=;S3?;S3;+X=?;+Y?");
  EXPECT_EQ(to_text(parse_line("+X=,,").commands), "+X=,,");
  EXPECT_EQ(to_text(std::vector<Command>{}), "");
}

TEST(CommandParser, ParsingIntoAUsedParsedLineGivesWhatAFreshOneGets) {
  ParsedLine line;
  for (const std::string_view body : {"+QFTPOPEN=\"h\",21;+QFTPCFG=4,\"/UFS/x\";E1;S3=13",
                                      "+QFTPCLOSE", "E0V1Q0&F", "+QFTPPUT=\"f\",10,", "+X=\"open",
                                      "", "S07?;+QFTPSTAT?"}) {
    parse_line(body, line);
    const ParsedLine fresh = parse_line(body);
    EXPECT_EQ(line.syntax_error, fresh.syntax_error) << body;
    EXPECT_EQ(line.commands, fresh.commands) << body;
  }
}

void expect_round_trip(std::string_view body) {
  const ParsedLine first = parse_line(body);
  const std::string text = to_text(first.commands);
  const ParsedLine second = parse_line(text);
  SCOPED_TRACE("body: " + testing::PrintToString(std::string(body)) + " text: " + text);
  EXPECT_FALSE(second.syntax_error);
  EXPECT_EQ(second.commands, first.commands);
}

TEST(CommandParser, RoundTripOnExamples) {
  for (const char* body : {
           "",
           "+QFTPUSER=\"anonymous\"",
           "+QFTPPASS=\"a b;c,d\"",
           "+QFTPOPEN=\"124.74.41.170\",21",
           "+QFTPPATH=\"/\"",
           "+QFTPCFG=4,\"/UFS/\"",
           "+QFTPPUT=\"a.txt\",100,60",
           "+QFTPGET=\"a.txt\"",
           "+QFTPCLOSE",
           "+QFTPSTAT",
           "+QFTPLEN",
           "+QIFGCNT=0;+QICSGP=1,\"CMNET\"",
           "E0V1Q0&FS3=13S4?S5",
           "EVQ",
           "E;1",
           "S3=;E",
           "+X=,,\"\",007,",
           "&F0+CMEE=2;+IFC=2,2",
           "+X=99999999999999999999999999999",
           "E99999999999999999999999999999",
           "S99999999999999999999999999999?",
           "+QFTPFCFG=1",
       }) {
    expect_round_trip(body);
  }
}

TEST(CommandParser, RoundTripOnSeededRandomLines) {
  // Tokens that exercise every branch, glued at random; spaces and case changes in between.
  const std::vector<std::string> tokens = {
      "+QFTPOPEN", "+qftpcfg", "+X",     "E",    "v",   "S3",  "S",
      "&F",        "&",        "=",      "?",    "=?",  ";",   ",",
      "\"",        "\"a b\"",  "\";,\"", "0",    "13",  "007", std::string(25, '9'),
      " ",         "  ",       "I",      "\xff", "\0"s, "-",   "Q1",
      "+",         "Z"};
  std::mt19937 rng(12345);
  std::uniform_int_distribution<std::size_t> pick(0, tokens.size() - 1);
  std::uniform_int_distribution<int> length(0, 12);
  int parsed_cleanly = 0;
  ParsedLine reused;  // every line parsed into it as well, over what the line before left
  for (int round = 0; round < 20000; ++round) {
    std::string body;
    const int n = length(rng);
    for (int k = 0; k < n; ++k) {
      body += tokens[pick(rng)];
    }
    const ParsedLine first = parse_line(body);
    if (!first.syntax_error) {
      ++parsed_cleanly;
    }
    parse_line(body, reused);
    ASSERT_EQ(reused.syntax_error, first.syntax_error) << testing::PrintToString(body);
    ASSERT_EQ(reused.commands, first.commands) << testing::PrintToString(body);
    const ParsedLine second = parse_line(to_text(first.commands));
    ASSERT_FALSE(second.syntax_error) << testing::PrintToString(body);
    ASSERT_EQ(second.commands, first.commands) << testing::PrintToString(body);
  }
  // The generator must reach the success paths, not only errors.
  EXPECT_GT(parsed_cleanly, 1000);
}

TEST(CommandParser, RandomBytesNeverCrash) {
  std::mt19937 rng(99);
  std::uniform_int_distribution<int> byte(0, 255);
  std::uniform_int_distribution<int> length(0, 300);
  for (int round = 0; round < 5000; ++round) {
    std::string body(static_cast<std::size_t>(length(rng)), '\0');
    for (char& c : body) {
      c = static_cast<char>(byte(rng));
    }
    const ParsedLine first = parse_line(body);
    const ParsedLine second = parse_line(to_text(first.commands));
    ASSERT_EQ(second.commands, first.commands);
  }
}

}  // namespace
}  // namespace qftp::at
