// f_file_handles_test.cpp: the FILE commands on RAM files (docs/field-facts.md §6 and §8) by other
// paths than f_field_test.cpp's: a file the host uploaded rather than one FTP downloaded, read in
// lengths that do not divide it and out of order; a RAM file replaced by a shorter download; a
// listing of one name and the drive's wildcard deletion; the raw bytes of every value and an
// empty file through AT+QFDWL; and a data-mode read pipelined with the lines after it. Not
// applicable unless the PICS declares the FILE commands and /RAM/.
#include "f_file_case.h"

namespace qftp::harness {
namespace {

using F_FileHandles = FileCase;

#define QFTP_REQUIRE_RAM_FILES() \
  QFTP_REQUIRE_PICS(pics().file_commands && pics().has_ram, "PICS: no FILE commands on RAM")

QFTP_CASE(F_FileHandles, AnUploadedRamFileIsReadOutOfOrder, "F/11") {
  QFTP_REQUIRE_RAM_FILES();
  const std::string content = test_content("rd2", 1000);
  QFTP_SETUP(upload("RAM:f_rd2.bin", content));
  QFTP_SETUP_TRY(auto h, qfopen("RAM:f_rd2.bin", 2));
  QFTP_TRY(auto first, qfread(h, 700));
  EXPECT_EQ(first, content.substr(0, 700));
  QFTP_TRY(auto rest, qfread(h, 700));
  EXPECT_EQ(rest, content.substr(700)) << "CONNECT <n> with the 300 bytes left";
  QFTP_DO(at_expect("AT+QFSEEK=" + h + ",100,0", FinalKind::ok));
  QFTP_TRY(auto back, qfread(h, 50));
  EXPECT_EQ(back, content.substr(100, 50)) << "after a seek back to 100";
  QFTP_TRY(auto one, qfread(h, 1));  // the smallest <length>
  EXPECT_EQ(one, content.substr(150, 1)) << "AT+QFREAD=<handle>,1";
  QFTP_DO(at_expect("AT+QFCLOSE=" + h, FinalKind::ok));
  QFTP_TRY(auto closed, at("AT+QFREAD=" + h + ",10"));
  EXPECT_TRUE(refused(closed)) << "AT+QFREAD of a closed handle: " << closed.describe();
  QFTP_DO(at_expect("AT+QFDEL=\"RAM:f_rd2.bin\"", FinalKind::ok));
}

QFTP_CASE(F_FileHandles, AShorterDownloadReplacesTheRamFile, "F/12") {
  QFTP_REQUIRE_RAM_FILES();
  const std::string longer = test_content("long", 800);
  const std::string shorter = test_content("short", 300);
  QFTP_SETUP(ram_file("f_twice.bin", longer));
  QFTP_SETUP(make_local_file("/RAM/", "f_twice.bin", shorter));  // the session is open
  QFTP_SETUP_TRY(auto h, qfopen("RAM:f_twice.bin", 0));
  QFTP_TRY(auto read, qfread(h, 1000));
  EXPECT_EQ(read, shorter) << "RAM:f_twice.bin after a second, shorter download";
  QFTP_DO(at_expect("AT+QFCLOSE=" + h, FinalKind::ok));
  QFTP_DO(at_expect("AT+QFDEL=\"RAM:f_twice.bin\"", FinalKind::ok));
}

QFTP_CASE(F_FileHandles, OneNameIsListedAndTheWildcardDeletesAll, "F/13") {
  QFTP_REQUIRE_RAM_FILES();
  QFTP_SETUP(upload("RAM:f_l2a.bin", test_content("l2a", 111)));
  QFTP_SETUP(upload("RAM:f_l2b.bin", test_content("l2b", 222)));
  QFTP_TRY(auto one, at_expect("AT+QFLST=\"RAM:f_l2b.bin\"", FinalKind::ok));
  ASSERT_EQ(one.info.size(), 1u) << one.describe();
  // +QFLST: "RAM:<name>",<size>[,<ram size>]: the size is the whole second field.
  const std::string head = "+QFLST: \"RAM:f_l2b.bin\",222";
  const std::string& line = one.info[0].text;
  EXPECT_TRUE(line.rfind(head, 0) == 0 && (line.size() == head.size() || line[head.size()] == ','))
      << line;
  QFTP_DO(at_expect("AT+QFDEL=\"RAM:*\"", FinalKind::ok));
  QFTP_TRY(auto after, at_expect("AT+QFLST=\"RAM:*\"", FinalKind::ok));
  for (const auto& l : after.info) EXPECT_EQ(l.text.find("f_l2"), std::string::npos) << l.text;
}

QFTP_CASE(F_FileHandles, EveryByteValueAndAnEmptyFileDownload, "F/14") {
  QFTP_REQUIRE_RAM_FILES();
  const std::string bytes = every_byte_value();
  QFTP_SETUP(upload("RAM:f_bytes.bin", bytes));
  QFTP_TRY(auto r, at("AT+QFDWL=\"RAM:f_bytes.bin\"", transfer_timeout()));
  ASSERT_TRUE(r.is(FinalKind::connect)) << r.describe();
  auto data = te().read_exactly(bytes.size(), transfer_timeout());
  if (!data) return stop(fail("AT+QFDWL's bytes: " + data.error()), __FILE__, __LINE__);
  EXPECT_EQ(data.value(), bytes) << "the raw bytes, CR, LF and NUL among them";
  QFTP_TRY(auto trailer, result_line("+QFDWL"));
  EXPECT_EQ(trailer, "257," + file_checksum(bytes));
  QFTP_SETUP_TRY(auto h, qfopen("RAM:f_empty.bin", 1));
  QFTP_SETUP(at_expect("AT+QFCLOSE=" + h, FinalKind::ok));
  QFTP_TRY(auto empty, at("AT+QFDWL=\"RAM:f_empty.bin\"", transfer_timeout()));
  ASSERT_TRUE(empty.is(FinalKind::connect)) << empty.describe();
  QFTP_TRY(auto none, result_line("+QFDWL"));
  EXPECT_EQ(none, "0,0") << "an empty file: no bytes, checksum 0";
  QFTP_DO(at_expect("AT+QFDEL=\"RAM:f_bytes.bin\"", FinalKind::ok));
  QFTP_DO(at_expect("AT+QFDEL=\"RAM:f_empty.bin\"", FinalKind::ok));
}

QFTP_CASE(F_FileHandles, LinesAfterAReadWaitForItsBytes, "F/22") {
  QFTP_REQUIRE_RAM_FILES();
  const std::string content = test_content("pipe2", 400);
  QFTP_SETUP(upload("RAM:f_pipe2.bin", content));
  QFTP_SETUP(at_expect("ATE0", FinalKind::ok));
  QFTP_SETUP_TRY(auto h, qfopen("RAM:f_pipe2.bin", 2));
  const std::string read = "AT+QFREAD=" + h + ",300";
  const std::string position = "AT+QFPOSITION=" + h;
  const std::string close = "AT+QFCLOSE=" + h;
  QFTP_DO(send_raw(read + "\r\n" + position + "\r\n" + close + "\r\n"));  // one write
  QFTP_TRY(auto r, response_to(read, transfer_timeout()));
  QFTP_TRY(auto bytes, connect_bytes(r));
  EXPECT_EQ(bytes, content.substr(0, 300)) << "the lines after it are not in the read's bytes";
  QFTP_TRY(auto where, response_to(position));
  QFTP_TRY(auto p, info_field(where, "+QFPOSITION"));
  EXPECT_EQ(p.value, "300") << "AT+QFPOSITION ran after the read";
  QFTP_TRY(auto closed, response_to(close));
  EXPECT_TRUE(closed.is(FinalKind::ok)) << closed.describe();
  QFTP_DO(at_expect("AT+QFDEL=\"RAM:f_pipe2.bin\"", FinalKind::ok));
}

}  // namespace
}  // namespace qftp::harness
