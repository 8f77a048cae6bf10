// e2e_fixture.cpp: the suites' shared environment (fixture, emulator, link), the reset between
// tests, and the TE-side and file helpers of ModemTest.
#include "e2e_fixture.h"

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <iterator>
#include <stdexcept>

#include "core/common/printable.h"

namespace qftp::e2e {

namespace fs = std::filesystem;

namespace {

// What every test starts from (ruling 7's defaults, the spec's account and APN of example 4.1).
constexpr std::string_view kDefaultsLine =
    "AT+QICSGP=1,\"CMNET\";+QFTPUSER=\"quectel\";+QFTPPASS=\"123456\";"
    "+QFTPCFG=1,1;+QFTPCFG=2,0;+QFTPCFG=3,0;+QFTPCFG=4,\"/COM/\"";
constexpr std::string_view kDefaultsAnswer =
    "\r\nOK\r\n\r\n+QFTPCFG:0\r\n\r\n+QFTPCFG:0\r\n\r\n+QFTPCFG:0\r\n\r\n+QFTPCFG:0\r\n";

std::string slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

std::optional<std::string> read_file(const fs::path& path) {
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) return std::nullopt;
  return slurp(path);
}

void write_file(const fs::path& path, std::string_view bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  ASSERT_TRUE(out.good()) << "cannot write " << path;
}

void empty_directory(const fs::path& dir) {
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec)) fs::remove_all(entry.path(), ec);
}

}  // namespace

std::string show(std::string_view bytes) {
  return printable(bytes);
}

::testing::AssertionResult same_bytes(const std::optional<std::string>& got,
                                      std::string_view want) {
  if (!got)
    return ::testing::AssertionFailure() << "no such file (wanted " << want.size() << " bytes)";
  const std::string_view have = *got;
  if (have == want) return ::testing::AssertionSuccess();
  if (have.size() + want.size() < 400) {
    return ::testing::AssertionFailure()
           << "got \"" << show(have) << "\", want \"" << show(want) << "\"";
  }
  std::size_t i = 0;
  while (i < have.size() && i < want.size() && have[i] == want[i]) ++i;
  const std::size_t from = i > 40 ? i - 40 : 0;
  return ::testing::AssertionFailure()
         << "got " << have.size() << " bytes, want " << want.size()
         << "; first difference at offset " << i << ": got \"" << show(have.substr(from, 80))
         << "\", want \"" << show(want.substr(from, 80)) << "\" (from offset " << from << ")";
}

std::filesystem::path emulator_path() {
  const char* other = std::getenv("QFTP_EMU");
  return other != nullptr && *other != '\0' ? other : QFTP_EMU_PATH;
}

EmulatorOptions emulator_options(std::string profile_text) {
  EmulatorOptions options;
  options.exe = emulator_path();
  options.profile_text = std::move(profile_text);
  return options;
}

te::ChildProcess spawn_emulator(const std::vector<std::string>& args,
                                const std::filesystem::path& stdin_file) {
  te::ChildProcess::Io io;
  io.stdin_pipe = stdin_file.empty();
  io.stdin_file = stdin_file;
  io.stderr_pipe = true;
  return or_throw(te::ChildProcess::spawn(emulator_path(), args, io));
}

te::WorkDir temp_dir() {
  auto dir = te::WorkDir::make({}, "qftp-e2e-", false);
  return dir ? std::move(dir).value() : te::WorkDir{};
}

std::string pseudo_random_bytes(std::size_t size, std::uint32_t seed) {
  std::string out(size, '\0');
  std::uint32_t x = seed * 2654435761U + 1;
  for (auto& c : out) {
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    c = static_cast<char>(x & 0xff);
  }
  return out;
}

struct ModemTest::Env {
  EmulatorOptions options;
  std::optional<te::FixtureProcess> fixture;
  std::optional<te::FixtureControl> control;
  std::optional<EmulatorProcess> emulator;
  std::optional<DutLink> link;
  std::string error;  // why the environment could not start
  unsigned sync_count = 0;
};

std::unique_ptr<ModemTest::Env> ModemTest::env_;

void ModemTest::start_env(EmulatorOptions options) {
  env_ = std::make_unique<Env>();
  env_->options = std::move(options);
  te::FixtureOptions fixture;
  fixture.script = QFTP_FIXTURE_PATH;
  auto started = te::FixtureProcess::start(fixture);
  if (!started) {
    env_->error = "fixture: " + started.error();
    return;
  }
  env_->fixture.emplace(std::move(started).value());
  auto control = env_->fixture->control();
  if (!control) {
    env_->error = "fixture control: " + control.error();
    return;
  }
  env_->control.emplace(std::move(control).value());
  restart_emulator();
}

void ModemTest::stop_env() {
  if (!env_) return;
  env_->link.reset();
  env_->emulator.reset();
  env_->control.reset();
  env_->fixture.reset();
  env_.reset();
}

bool ModemTest::restart_emulator() {
  env_->link.reset();
  env_->emulator.reset();
  auto started = EmulatorProcess::start(env_->options);
  if (!started) {
    env_->error = "qftp-emu: " + started.error();
    return false;
  }
  env_->emulator.emplace(std::move(started).value());
  auto link = env_->emulator->link(kDeadline);
  if (!link) {
    env_->error = "qftp-emu: " + link.error();
    return false;
  }
  env_->link.emplace(std::move(link).value());
  env_->error.clear();
  return true;
}

void ModemTest::drop_link() {
  env_->link.reset();
}

bool ModemTest::relink() {
  env_->link.reset();
  auto link = env_->emulator->link(kDeadline);
  if (!link) {
    ADD_FAILURE() << link.error();
    return false;
  }
  env_->link.emplace(std::move(link).value());
  return true;
}

// Puts the modem in a known state. A unique token in an echoed command marks where this test's
// bytes begin, so nothing an earlier test left on the line can be mistaken for an answer.
bool ModemTest::sync_modem() {
  DutLink& link = *env_->link;
  const std::string token = "AT+QICSGP=1,\"sync-" + std::to_string(++env_->sync_count) + "\"\r";
  if (!link.send("ATQ0V1E1\r" + token)) return false;
  if (!link.read_until(token + "\r\nOK\r\n", 3s)) return false;
  const std::string close = "AT+QFTPCLOSE\r";
  if (!link.send(close)) return false;
  const std::string closed = close + "\r\nOK\r\n\r\n+QFTPCLOSE:0\r\n";
  auto got = link.read_exactly(closed.size(), 5s);
  if (!got || got.value() != closed) return false;
  const std::string defaults = std::string(kDefaultsLine) + "\r";
  if (!link.send(defaults)) return false;
  const std::string answer = defaults + std::string(kDefaultsAnswer);
  got = link.read_exactly(answer.size(), 5s);
  return got && got.value() == answer;
}

void ModemTest::SetUp() {
  ASSERT_TRUE(env_ != nullptr);
  ASSERT_TRUE(env_->error.empty()) << env_->error;
  ASSERT_EQ(fixture_request("CLEAR ALL"), "OK");
  if (!emulator().running()) {
    ASSERT_TRUE(restart_emulator()) << env_->error;
  }
  ASSERT_EQ(emu_control("RESET"), "OK");
  if (!sync_modem()) {
    std::cout << "[ e2e ] the modem did not answer the reset; starting a fresh qftp-emu\n";
    ASSERT_TRUE(restart_emulator()) << env_->error;
    ASSERT_TRUE(sync_modem()) << "a fresh qftp-emu does not answer";
  }
  ASSERT_EQ(fixture_request("RESET"), "OK");
  empty_directory(emulator().ufs_dir());
}

void ModemTest::TearDown() {
  if (!HasFailure() || !env_ || !env_->emulator) return;
  std::cout << "---- qftp-emu wire log (tail) ----\n" << emulator().log_tail(3000) << "\n";
  if (env_->control) {
    const auto lines = env_->control->request_list("LOG");
    if (!lines) return;
    std::cout << "---- fixture log (last 40) ----\n";
    const auto& all = lines.value();
    for (std::size_t i = all.size() > 40 ? all.size() - 40 : 0; i < all.size(); ++i) {
      std::cout << all[i] << "\n";
    }
  }
}

te::FixtureProcess& ModemTest::fixture() {
  return *env_->fixture;
}
EmulatorProcess& ModemTest::emulator() {
  return *env_->emulator;
}
DutLink& ModemTest::te() {
  return *env_->link;
}

std::string ModemTest::fixture_request(std::string_view line) {
  auto reply = env_->control->request(line);
  return reply ? reply.value() : "(no reply: " + reply.error() + ")";
}

bool ModemTest::send(std::string_view bytes) {
  const auto sent = te().send(bytes);
  EXPECT_TRUE(sent.ok()) << sent.error();
  return sent.ok();
}

bool ModemTest::expect(std::string_view want, Ms timeout) {
  auto got = te().read_exactly(want.size(), timeout);
  if (!got) {
    ADD_FAILURE() << "expected \"" << show(want) << "\": " << got.error();
    return false;
  }
  const auto same = same_bytes(*got, want);
  EXPECT_TRUE(same);
  return static_cast<bool>(same);
}

bool ModemTest::command(std::string_view line, std::string_view answer) {
  const std::string sent = std::string(line) + "\r";
  return send(sent) && expect(sent + std::string(answer));
}

std::string ModemTest::read_until(std::string_view pattern, Ms timeout) {
  auto got = te().read_until(pattern, timeout);
  if (!got) {
    ADD_FAILURE() << got.error();
    return {};
  }
  return std::move(got).value();
}

std::optional<std::string> ModemTest::urc(std::string_view name, Ms timeout) {
  const std::string head = "\r\n" + std::string(name) + ":";
  if (auto skipped = te().read_until(head, timeout); !skipped) {
    ADD_FAILURE() << skipped.error();
    return std::nullopt;
  }
  auto rest = te().read_until("\r\n", timeout);
  if (!rest) {
    ADD_FAILURE() << rest.error();
    return std::nullopt;
  }
  std::string value = rest->substr(0, rest->size() - 2);
  if (!value.empty() && value.front() == ' ') value.erase(0, 1);
  return value;
}

bool ModemTest::expect_silence(Ms window) {
  const std::string extra = te().read_for(window);
  EXPECT_EQ(show(extra), "") << "the modem said more than expected";
  return extra.empty();
}

std::string ModemTest::open_line() const {
  return "AT+QFTPOPEN=\"127.0.0.1\"," + std::to_string(env_->fixture->ftp_port());
}

bool ModemTest::open_session() {
  return command(open_line(), "\r\nOK\r\n") && expect("\r\n+QFTPOPEN:0\r\n");
}

bool ModemTest::close_session() {
  return command("AT+QFTPCLOSE", "\r\nOK\r\n") && expect("\r\n+QFTPCLOSE:0\r\n");
}

void ModemTest::expect_usable() {
  EXPECT_TRUE(command("AT", "\r\nOK\r\n")) << "the modem does not answer AT after the failure";
  // Whatever the failure left (a session or none), the service can be closed, then opened anew.
  // The close itself may report an error (a QUIT stuck behind a command the server still delays
  // times out): that is the old session's business, not the point here.
  EXPECT_TRUE(command("AT+QFTPCLOSE", "\r\nOK\r\n"));
  EXPECT_TRUE(urc("+QFTPCLOSE").has_value());
  const std::string state = stat();
  EXPECT_TRUE(state == "CLOSED" || state == "IDLE") << state;
  EXPECT_EQ(fixture_request("CLEAR ALL"), "OK");
  EXPECT_TRUE(open_session()) << "AT+QFTPOPEN does not work after the failure";
  EXPECT_TRUE(command("AT+QFTPPATH=\"/\"", "\r\nOK\r\n\r\n+QFTPPATH:0\r\n"));
  EXPECT_TRUE(close_session());
}

std::string ModemTest::stat() {
  if (!send("AT+QFTPSTAT\r")) return {};
  const std::string out = read_until("\r\nOK\r\n");
  const std::string head = "+QFTPSTAT: ";
  const auto at = out.find(head);
  if (at == std::string::npos) {
    ADD_FAILURE() << "no +QFTPSTAT in \"" << show(out) << "\"";
    return {};
  }
  const auto end = out.find("\r\n", at);
  return out.substr(at + head.size(), end - at - head.size());
}

void ModemTest::fault(std::string_view directive) {
  const std::string reply = fixture_request("SET " + std::string(directive));
  EXPECT_EQ(reply.rfind("OK ", 0), 0U) << directive << ": " << reply;
}

std::vector<std::string> ModemTest::fixture_commands() {
  std::vector<std::string> out;
  auto log = env_->control->log();
  EXPECT_TRUE(log.ok()) << log.error();
  if (!log) return out;
  for (const auto& entry : log.value()) {
    if (entry.kind == "CMD") out.push_back(entry.text);
  }
  return out;
}

void ModemTest::put_server_file(const std::string& name, std::string_view bytes) {
  write_file(fixture().root() / name, bytes);
}

std::optional<std::string> ModemTest::server_file(const std::string& name) {
  return read_file(fixture().root() / name);
}

std::string ModemTest::emu_control(std::string_view line) {
  auto reply = emulator().control(line);
  return reply ? reply.value() : "(no reply: " + reply.error() + ")";
}

void ModemTest::put_ufs_file(const std::string& name, std::string_view bytes) {
  write_file(emulator().ufs_dir() / name, bytes);
}

std::optional<std::string> ModemTest::ufs_file(const std::string& name) {
  return read_file(emulator().ufs_dir() / name);
}

}  // namespace qftp::e2e
