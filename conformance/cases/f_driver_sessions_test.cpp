// f_driver_sessions_test.cpp: the sessions of three host drivers (docs/field-facts.md §8), played
// byte for byte as they send them from conformance/transcripts/f_*.txt: each driver's usual run,
// and its run again in another state: the M95 driver finding its earlier session and RAM file, the
// OpenCPU RIL finding no firmware file and retrying its open, the Python logger finding the context
// its last run deactivated. Each case is not applicable unless the PICS declares what the driver
// uses.
#include <algorithm>

#include "f_file_case.h"

namespace qftp::harness {
namespace {

class F_DriverSessions : public FileCase {
 protected:
  void play(const char* file) { QFTP_DO(play_transcript_file(file)); }
  // The M95 driver's read-back loop: open, seek and read in one write, close; 512 bytes a round.
  Step<std::string> m95_read_back(const std::string& ram_name, std::size_t size) {
    std::string read;
    for (std::size_t ofs = 0; ofs < size; ofs += 512) {
      const std::string open = "AT+QFOPEN=" + quote(ram_name) + ",2";
      if (auto st = send_raw(open + "\r"); !st.ok()) return st.outcome();
      auto opened = response_to(open);
      if (!opened.ok()) return opened.outcome();
      auto handle = info_field(opened.value(), "+QFOPEN");
      if (!handle.ok()) return handle.outcome();
      const std::string seek = "AT+QFSEEK=" + handle.value().value + "," + std::to_string(ofs) + ",0";
      const std::string part = "AT+QFREAD=" + handle.value().value + ",512";
      if (auto st = send_raw(seek + "\r" + part + "\r"); !st.ok()) return st.outcome();
      auto sought = response_to(seek);
      if (!sought.ok()) return sought.outcome();
      if (!sought.value().is(FinalKind::ok)) return fail(seek + ": " + sought.value().describe());
      auto r = response_to(part, transfer_timeout());
      if (!r.ok()) return r.outcome();
      auto bytes = connect_bytes(r.value());
      if (!bytes.ok()) return bytes.outcome();
      read += bytes.value();
      const std::string close = "AT+QFCLOSE=" + handle.value().value;
      if (auto st = send_raw(close + "\r"); !st.ok()) return st.outcome();
      auto closed = response_to(close);
      if (!closed.ok()) return closed.outcome();
      if (!closed.value().is(FinalKind::ok)) return fail(close + ": " + closed.value().describe());
    }
    return read;
  }
  // The Python logger's first two lines, whose answers are the network's: AT+COPS? answers OK;
  // AT+QILOCIP the address (with a context) or ERROR (without one).
  Done logger_start(bool context) {
    if (auto st = send_raw("AT+COPS?\n"); !st.ok()) return st;
    auto cops = response_to("AT+COPS?");
    if (!cops.ok()) return cops.outcome();
    if (!cops.value().is(FinalKind::ok)) return fail("AT+COPS?: " + cops.value().describe());
    if (auto st = send_raw("AT+QILOCIP\n"); !st.ok()) return st;
    if (!context) {
      auto r = response_to("AT+QILOCIP");
      if (!r.ok()) return r.outcome();
      if (!r.value().is(FinalKind::error)) return fail("AT+QILOCIP without a context: " + r.value().describe());
      return {};
    }
    auto address = next_line();
    if (!address.ok()) return address.outcome();
    if (address.value().text == "AT+QILOCIP") address = next_line();
    if (!address.ok()) return address.outcome();
    if (address.value().text.empty() ||
        address.value().text.find_first_not_of("0123456789.") != std::string::npos)
      return fail("AT+QILOCIP: not an address: \"" + address.value().text + "\"");
    return {};
  }
};

#define QFTP_REQUIRE_M95_DRIVER()                                                            \
  QFTP_REQUIRE_PICS(pics().file_commands && pics().has_ram && pics().field_ftp_commands, \
                    "PICS: not an M95 with FILE commands and AT+QFTPSIZE")
#define QFTP_REQUIRE_OPENCPU_RIL()                                                           \
  QFTP_REQUIRE_PICS(pics().cfg_type6 && pics().startup_commands && pics().get_expected_size && \
                        pics().field_ftp_commands,                                           \
                    "PICS: not an MC60 as the OpenCPU SDK 1.8 drives it")

QFTP_CASE(F_DriverSessions, M95DriverDownloadsIntoRamAndReadsItBack, "F/23") {
  QFTP_REQUIRE_M95_DRIVER();
  // Its clean-up's failure is written as the M95 answers it, in the 39xx code set (F/34).
  QFTP_REQUIRE_PICS(pixit().file_error_codes == "39xx",
                    "the transcript holds the M95's 39xx code; the PIXIT declares " +
                        pixit().file_error_codes);
  play("f_m95_driver.txt");
  if (HasFailure()) return;
  QFTP_TRY(auto read, m95_read_back("RAM:f_m95.bin", 1300));
  EXPECT_EQ(read, test_content("m95", 1300)) << "the file read back from RAM differs from the server's";
}

QFTP_CASE(F_DriverSessions, M95DriverRunAgainOverItsEarlierRun, "F/23") {
  QFTP_REQUIRE_M95_DRIVER();
  play("f_m95_driver_rerun.txt");
  if (HasFailure()) return;
  QFTP_TRY(auto read, m95_read_back("RAM:f_m95b.bin", 2100));
  EXPECT_EQ(read, test_content("m95b", 2100)) << "the RAM file after the second run";
}

QFTP_CASE(F_DriverSessions, OpenCpuRilOpensWithTypeSixAndUpdatesFirmware, "F/24") {
  QFTP_REQUIRE_OPENCPU_RIL();
  play("f_opencpu_ril.txt");
}

QFTP_CASE(F_DriverSessions, OpenCpuRilFindsNoFirmwareAndOpensAgain, "F/24") {
  QFTP_REQUIRE_OPENCPU_RIL();
  play("f_opencpu_ril_missing.txt");
}

QFTP_CASE(F_DriverSessions, PythonLoggerUploadsItsData, "F/25") {
  QFTP_REQUIRE_PICS(pics().startup_commands, "PICS: no AT+COPS? and AT+QILOCIP");
  // The bench's set-up: a fresh context, as the logger finds it on its modem.
  QFTP_SETUP(at_expect("AT+QIDEACT", FinalKind::deact_ok));
  QFTP_SETUP(at_expect("AT+QIACT", FinalKind::ok));
  QFTP_DO(logger_start(true));
  play("f_python_logger.txt");
}

QFTP_CASE(F_DriverSessions, PythonLoggerRunAgainWithoutAContext, "F/25") {
  QFTP_REQUIRE_PICS(pics().startup_commands, "PICS: no AT+COPS? and AT+QILOCIP");
  // As its last run left the modem: the context deactivated.
  QFTP_SETUP(at_expect("AT+QIDEACT", FinalKind::deact_ok));
  QFTP_DO(logger_start(false));
  play("f_python_logger_rerun.txt");
}

}  // namespace
}  // namespace qftp::harness
