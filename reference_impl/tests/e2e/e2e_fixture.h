// e2e_fixture.h: the base of the end-to-end suites: one real fixture server and one qftp-emu per
// test suite, a raw TE-side link to the emulator, exact-byte expectations and server/UFS file
// access. What only a test of the emulator can see; the conformance suite checks the spec. The
// processes and links are the TE library's (te/), as the suite and qftp-dutfuzz use them.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "te/child_process.h"
#include "te/dut_link.h"
#include "te/emulator_process.h"
#include "te/fixture_control.h"
#include "te/fixture_launcher.h"

namespace qftp::e2e {

using namespace std::chrono_literals;
using Ms = std::chrono::milliseconds;

// How long any answer may take. Generous: a loaded CI machine is slow, and a passing test never
// waits for a deadline.
inline constexpr Ms kDeadline{10000};

using te::DutLink;
using te::EmulatorOptions;
using te::EmulatorProcess;
using Transport = te::EmulatorOptions::Transport;

// The qftp-emu under test: $QFTP_EMU, else the one built beside these tests.
std::filesystem::path emulator_path();
// Emulator options for a suite: on a pty, with an optional profile text.
EmulatorOptions emulator_options(std::string profile_text = {});
// qftp-emu with `args` as a plain child: stdin a pipe (or `stdin_file`), stderr kept. Throws when
// it cannot be started.
te::ChildProcess spawn_emulator(const std::vector<std::string>& args,
                                const std::filesystem::path& stdin_file = {});
// A fresh temporary directory, removed with its contents; an empty path if none could be made.
te::WorkDir temp_dir();
// The value of a TE-library result; its error thrown (a start-up failure: the test fails with it).
template <class T>
T or_throw(te::Result<T> result) {
  if (!result) throw std::runtime_error(result.error());
  return std::move(result).value();
}

// Deterministic test data: every byte value, in an order that depends on `seed`.
std::string pseudo_random_bytes(std::size_t size, std::uint32_t seed);

class ModemTest : public ::testing::Test {
 protected:
  // A suite overrides these to start with other options (profile, transport).
  static void SetUpTestSuite() { start_env(emulator_options()); }
  static void TearDownTestSuite() { stop_env(); }
  static void start_env(EmulatorOptions options);
  static void stop_env();

  // Between tests: faults cleared, network control reset, the modem's session closed and its
  // settings back to defaults, the server root and the UFS emptied. A modem that does not answer
  // (a failed test left it in data mode) is replaced by a fresh emulator.
  void SetUp() override;
  // On failure: the emulator's wire log and the fixture's log, for the post-mortem.
  void TearDown() override;

  static te::FixtureProcess& fixture();
  static EmulatorProcess& emulator();
  static DutLink& te();
  // A fresh emulator with the suite's options (and a new link).
  static bool restart_emulator();
  // Closes the TE-side link and opens a new one to the same emulator.
  static bool relink();
  // Closes the TE-side link only, as a host that leaves (relink() opens the next one).
  static void drop_link();

  // --- TE side: every check is on exact bytes ---
  bool send(std::string_view bytes);
  // The next bytes from the modem are exactly `want`.
  bool expect(std::string_view want, Ms timeout = kDeadline);
  // Sends `line` + CR and expects its echo followed by `answer`.
  bool command(std::string_view line, std::string_view answer);
  // Everything up to and including `pattern` ("" and a failure on timeout).
  std::string read_until(std::string_view pattern, Ms timeout = kDeadline);
  // Skips to the URC "\r\n+NAME:" and returns its value (after the colon and one optional
  // space) up to "\r\n"; nullopt and a failure on timeout.
  std::optional<std::string> urc(std::string_view name, Ms timeout = kDeadline);
  // The modem says nothing within `window` (a bounded wait: silence has no event).
  bool expect_silence(Ms window);

  // --- sessions ---
  std::string open_line() const;  // AT+QFTPOPEN="127.0.0.1",<fixture port>
  bool open_session();            // OK, +QFTPOPEN:0
  bool close_session();           // OK, +QFTPCLOSE:0
  // After a failure: AT answers OK, any session closes, a new one opens and sets a path, closes.
  void expect_usable();
  // AT+QFTPSTAT's state word.
  std::string stat();

  // --- fixture ---
  // One control request, its reply line ("OK", "OK 3", "ERR ..."; the error text on failure).
  static std::string fixture_request(std::string_view line);
  void fault(std::string_view directive);
  std::vector<std::string> fixture_commands();  // the CMD lines, in order
  void put_server_file(const std::string& name, std::string_view bytes);
  std::optional<std::string> server_file(const std::string& name);

  // --- emulator ---
  std::string emu_control(std::string_view line);  // the reply line
  void put_ufs_file(const std::string& name, std::string_view bytes);
  std::optional<std::string> ufs_file(const std::string& name);

 private:
  struct Env;
  static bool sync_modem();
  static std::unique_ptr<Env> env_;  // one suite runs at a time
};

// Printable form of bytes for messages (\r, \n, \xNN).
std::string show(std::string_view bytes);

// Byte-for-byte equality; a mismatch names the first differing offset with some context, since
// a megabyte of printed bytes helps nobody. A missing file (nullopt) is a mismatch.
::testing::AssertionResult same_bytes(const std::optional<std::string>& got, std::string_view want);

}  // namespace qftp::e2e
