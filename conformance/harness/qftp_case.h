// qftp_case.h: the base of every conformance case: QFTP_CASE (a TEST_F whose requirement IDs are
// registered statically), the verdict macros (QFTP_TRY, QFTP_SETUP, QFTP_REQUIRE_PICS, ...) and the
// steps cases are written in: AT commands, URCs, the FTP service, data mode, fixture faults.
#pragma once

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "harness/case_registry.h"
#include "harness/step.h"
#include "harness/suite.h"
#include "te/te_session.h"
#include "harness/te_vocabulary.h"
#include "harness/transcript.h"
#include "harness/verdict.h"

// A case: QFTP_CASE(S2_2_1_Open, TestFormListsHostAndPortRange, "2.2.1/01") { ... }. The suite
// name is a fixture type derived from (or an alias of) qftp::harness::QftpCase.
#define QFTP_CASE(suite, name, ...)                                            \
  static const ::qftp::harness::CaseRegistrar qftp_registrar_##suite##_##name( \
      #suite, #name, {__VA_ARGS__}, __FILE__, __LINE__);                       \
  TEST_F(suite, name)

// From here to the end of the enclosing block, a failed check fails only these requirements (each
// tagged by the case); outside any scope a failed check fails every tag.
#define QFTP_CHECKS(...)                                                               \
  const ::qftp::harness::CheckScope QFTP_CAT(qftp_scope_, __LINE__) {                \
    ::qftp::harness::Suite::current()->context().scope, { __VA_ARGS__ }               \
  }

#define QFTP_CAT_(a, b) a##b
#define QFTP_CAT(a, b) QFTP_CAT_(a, b)

// Runs a step; if it fails, the case ends with the step's verdict (fail, error, ...).
#define QFTP_DO(expr)                                                                  \
  do {                                                                                 \
    auto qftp_step_ = (expr);                                                          \
    if (!qftp_step_.ok()) return this->stop(qftp_step_.outcome(), __FILE__, __LINE__); \
  } while (0)

// Runs a step and binds its value: QFTP_TRY(auto r, at("AT+QFTPSTAT"));
#define QFTP_TRY(decl, expr) QFTP_TRY_(decl, expr, QFTP_CAT(qftp_step_, __COUNTER__), false)
#define QFTP_TRY_(decl, expr, tmp, precondition)                                           \
  auto tmp = (expr);                                                                       \
  if (!tmp.ok())                                                                           \
    return this->stop(precondition ? this->as_precondition(tmp.outcome()) : tmp.outcome(), \
                      __FILE__, __LINE__);                                                 \
  decl = std::move(tmp.value())

// A precondition: when it cannot be established the case is inconclusive, not failed.
#define QFTP_SETUP(expr)                                                                  \
  do {                                                                                    \
    auto qftp_step_ = (expr);                                                             \
    if (!qftp_step_.ok())                                                                 \
      return this->stop(this->as_precondition(qftp_step_.outcome()), __FILE__, __LINE__); \
  } while (0)

#define QFTP_SETUP_TRY(decl, expr) QFTP_TRY_(decl, expr, QFTP_CAT(qftp_step_, __COUNTER__), true)

// The case applies only when the DUT's PICS says it has the feature.
#define QFTP_REQUIRE_PICS(condition, reason)                                                       \
  do {                                                                                             \
    if (!(condition))                                                                              \
      return this->stop({::qftp::harness::Verdict::not_applicable, (reason)}, __FILE__, __LINE__); \
  } while (0)

#define QFTP_INCONCLUSIVE(reason) \
  return this->stop(::qftp::harness::inconclusive(reason), __FILE__, __LINE__)

namespace qftp::harness {

// Deterministic test content: printable, never "+++", never "+QFTP", lines of 64.
using transcript::test_content;  // the transcripts' test data (testing/transcript.h)

class QftpCase : public ::testing::Test {
 public:
  void SetUp() override;
  void TearDown() override;

  // Ends the case with `outcome` (call as `return stop(...)` from a case body); the failure is
  // reported at `file`:`line` (the macros pass the case's own line).
  void stop(const Outcome& outcome, const char* file = nullptr, int line = 0);
  // A failed precondition makes the case inconclusive; harness errors stay errors.
  static Outcome as_precondition(Outcome outcome);

 protected:
  Suite& suite() { return *Suite::current(); }
  TeSession& te() { return *suite().session(); }
  const Profile& profile() { return suite().profile(); }
  const Pics& pics() { return profile().pics; }
  const Pixit& pixit() { return profile().pixit; }
  Ms command_timeout() { return Ms(pixit().command_timeout_ms); }
  Ms urc_timeout() { return Ms(pixit().urc_timeout_ms); }
  Ms transfer_timeout() { return Ms(pixit().transfer_timeout_ms); }
  bool spawned_emulator() { return suite().emulator() != nullptr; }
  void note(const std::string& text);

  // --- AT commands -----------------------------------------------------------------------------
  // One command line; a DUT that does not answer (or breaks the link) fails the step.
  Step<Response> at(std::string_view line, std::optional<Ms> timeout = std::nullopt);
  // One command line whose final result must be `expected`.
  Step<Response> at_expect(std::string_view line, FinalKind expected,
                           std::optional<Ms> timeout = std::nullopt);
  // The next URC "+NAME:value" (either spacing; ruling 2 mismatches are noted, or fail when
  // strict).
  Step<Field> urc(std::string_view name, std::optional<Ms> timeout = std::nullopt);
  // Sends `line` and returns its URC `name`, whether or not an OK came first (for cases about the
  // URC, so that a DUT that drops the OK fails only the cases about the OK).
  Step<Field> urc_of(std::string_view line, std::string_view name,
                     std::optional<Ms> timeout = std::nullopt);
  // The next URC of any of `names`, whichever comes first.
  Step<Field> urc_any(const std::vector<std::string>& names,
                      std::optional<Ms> timeout = std::nullopt);
  // A URC whose value must be `value`.
  Done expect_urc(std::string_view name, std::string_view value,
                  std::optional<Ms> timeout = std::nullopt);
  // An information text line "+NAME:value" of a response.
  Step<Field> info_field(const Response& r, std::string_view name);
  // Raw bytes to the DUT (data mode, partial lines); a broken link fails the step.
  Done send_raw(std::string_view bytes);
  // The response to a line already sent with send_raw (`command` is its text, for the echo).
  Step<Response> response_to(std::string_view command, std::optional<Ms> timeout = std::nullopt);
  // The next line from the DUT, whatever it is (lines queued earlier first).
  Step<Line> next_line(std::optional<Ms> timeout = std::nullopt);
  // The next line whose text is exactly `text` (other lines are queued).
  Step<Line> await_text(std::string_view text, std::optional<Ms> timeout = std::nullopt);
  // Ruling 6: the guard time of silence, then "+++" (the caller waits for the OK).
  Done send_escape();
  // The same guard time of silence, then `bytes` (a "++" the DUT holds as a possible escape).
  Done send_after_guard(std::string_view bytes);
  // What the suite read before any case ran (Suite::probe_identity) as the DUT's power-on values:
  // inconclusive when the DUT had had a host before the suite (AT+QFTPSTAT not IDLE then), which
  // may have changed them (2.2.9/03). `what` names the values for that verdict.
  Step<const DutIdentity*> power_on(std::string_view what);
  // AT+QFTPSTAT's state.
  Step<std::string> stat();
  // AT+QFTPCFG=<type> (a query, ruling 7): OK then +QFTPCFG:<value>.
  Step<Field> query_cfg(int type);
  // A command line that must answer ERROR and start nothing.
  Done expect_error(std::string_view line);
  // Sends AT and fails if anything but its OK arrived since the last consumed line (no stray URC).
  Done expect_quiet(std::string_view after_what);
  // Ruling 15 (R/44): the host link ends, as a DTR drop, and a host comes again after the PIXIT's
  // hangup_hold_ms; a link that cannot be made again is the harness's error. Check
  // host_link_hangup_unavailable() first (not applicable).
  Done hang_up_host_link();
  // Ruling 2: compares a field's spacing with the profile's declaration.
  void check_style(const Field& field);

  // --- the FTP service (each fails as a failure; QFTP_SETUP turns that into inconclusive)
  // ----------
  Done set_account();  // AT+QFTPUSER and AT+QFTPPASS of the PIXIT's account
  Done open_session();  // set_account(), then AT+QFTPOPEN of the fixture: +QFTPOPEN:0
  Done close_session();
  Done set_cfg(int type, std::string_view value);
  Done set_path(std::string_view path);
  struct Download {
    std::string data;
    Field result;
  };
  // After AT+QFTPPUT/GET's OK: CONNECT, failing if the transfer's URC (named) comes instead.
  Done expect_connect(std::string_view urc_name);
  // AT+QFTPGET through /COM/: OK, CONNECT, the data, +QFTPGET. Without `size`, the data ends
  // where "+QFTPGET:" begins, as drivers scan for it; with it, exactly `size` bytes are data, as a
  // host that knows the size reads them (the spec warns that a file may contain "+QFTPGET:").
  Step<Download> get_com(std::string_view name, std::optional<std::size_t> size = std::nullopt);
  // AT+QFTPPUT through /COM/ with `data` as <fileSz> bytes: OK, CONNECT, the data, +QFTPPUT.
  Step<Field> put_com(std::string_view name, std::string_view data,
                      std::optional<int> time_s = std::nullopt);
  // After the escape's OK: ATO answers NO CARRIER (the transfer ended, ruling 6) or CONNECT (the
  // transfer was suspended and resumes: the other reading of ruling 6). Either way the transfer's
  // final URC is returned; a resumed upload is given `rest_of_upload` first.
  struct AfterEscape {
    bool resumed = false;
    std::string data_after;  // a resumed download's remaining bytes
    Field result;
  };
  Step<AfterEscape> settle_after_escape(std::string_view urc_name, std::string_view rest_of_upload);
  // AT+QFTPGET, then its +QFTPGET URC, whatever came between (CONNECT and data, or nothing): for
  // cases about a download's outcome, not about data mode.
  Step<Field> get_result(std::string_view name);
  // Puts `content` in a local position (e.g. "/UFS/") as `name` by downloading it from the fixture
  // (the one way the spec offers on every DUT); leaves the position at "/COM/".
  Done make_local_file(std::string_view root, std::string_view name, const std::string& content);
  // Checks that a local file holds `content`: read directly from a spawned emulator's UFS
  // directory, otherwise uploaded back to the fixture (AT+QFTPPUT with <fileSz> 0) and compared
  // there.
  Done verify_local_file(std::string_view root, std::string_view name, const std::string& content);

  // --- chapter-4 transcripts (transcript.cpp)
  // -----------------------------------------------------
  std::string substitute(std::string text);
  Done play_transcript(const Transcript& transcript);
  // The data directory's transcripts/<file>, whose @requirements must be the case's tags (the file
  // says what it checks, the case the same), played.
  Done play_transcript_file(std::string_view file);

  // How long a fixture DELAY may hold a reply without the DUT's own FTP timeout running out.
  int hold_ms();

  // --- the fixture (lower tester)
  // ------------------------------------------------------------------
  std::string ftp_host() { return pixit().fixture_host; }
  std::uint16_t ftp_port() { return suite().fixture()->ftp_port(); }
  std::string open_command();  // AT+QFTPOPEN="<fixture>",<port>
  Done server_file(std::string_view path, const std::string& content);
  Step<std::string> read_server_file(std::string_view path);
  bool server_has(std::string_view path);
  Step<int> fault(std::string_view directive);
  Step<std::vector<std::string>> ftp_commands();  // the FTP commands the DUT sent, in order
  // The fixture saw a login succeed (its reply 230): evidence of a session whatever the URC said.
  Step<bool> server_saw_login();
  // The FTP sessions the fixture still has open once none is, or after `within`: a DUT that ends
  // a session closes its control connection (R/46). Answered by the close itself, not polled.
  Step<std::size_t> server_sessions_within(Ms within);

  // --- the emulator's network control (not applicable to other DUTs)
  // --------------------------------
  Done network(std::string_view line);
};

}  // namespace qftp::harness
