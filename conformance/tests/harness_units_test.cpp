// harness_units_test.cpp: the harness's own units: the TE session's framing of DUT output (echo,
// information text, finals in both forms, queued URCs, data after CONNECT, deadlines, the byte cap,
// a closed link), the parsers of --dut, profiles, the inventory and transcripts, and the reports.
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "loopback_listener.h"
#include "te/child_process.h"
#include "te/dut_spec.h"
#include "te/emulator_process.h"
#include "te/profile.h"
#include "harness/qftp_case.h"
#include "harness/report.h"
#include "harness/requirements.h"
#include "te/te_session.h"
#include "harness/te_vocabulary.h"
#include "harness/transcript.h"

namespace qftp::harness {
namespace {

using namespace std::chrono_literals;

// A TE session over loopback TCP whose other end is a plain socket the test writes to directly.
class SessionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::uint16_t port = 0;
    listener_ = te::testing::listen_loopback(port);
    ASSERT_GE(listener_, 0) << "no loopback listener";
    auto link = DutLink::connect_tcp("127.0.0.1", port);
    ASSERT_TRUE(link.ok()) << link.error();
    peer_ = ::accept4(listener_, nullptr, nullptr, SOCK_CLOEXEC);
    ASSERT_GE(peer_, 0);
    TeSession::Options o;
    o.command_timeout = 300ms;
    o.guard_ms = 20;
    o.max_buffer = 4096;
    session_ = std::make_unique<TeSession>(std::move(link).value(), o);
  }
  void TearDown() override {
    session_.reset();
    if (peer_ >= 0) ::close(peer_);
    ::close(listener_);
  }
  // What the DUT "says", already waiting when the TE reads.
  void dut_says(const std::string& bytes) {
    ASSERT_EQ(::send(peer_, bytes.data(), bytes.size(), MSG_NOSIGNAL),
              static_cast<ssize_t>(bytes.size()));
  }
  std::string dut_heard() {
    char buf[4096];
    const ssize_t n = ::recv(peer_, buf, sizeof buf, MSG_DONTWAIT);
    return n > 0 ? std::string(buf, static_cast<std::size_t>(n)) : std::string();
  }

  int listener_ = -1;
  int peer_ = -1;
  std::unique_ptr<TeSession> session_;
};

TEST_F(SessionTest, EchoInformationTextAndFinalResult) {
  dut_says("AT+QFTPSTAT\r\r\n+QFTPSTAT: IDLE\r\n\r\nOK\r\n");
  auto r = session_->command("AT+QFTPSTAT");
  ASSERT_TRUE(r.ok()) << r.error();
  EXPECT_EQ(dut_heard(), "AT+QFTPSTAT\r");
  EXPECT_TRUE(r->echoed);
  ASSERT_EQ(r->info.size(), 1U);
  EXPECT_EQ(r->info[0].text, "+QFTPSTAT: IDLE");
  EXPECT_TRUE(r->info[0].framed);
  EXPECT_TRUE(r->is(FinalKind::ok));
  EXPECT_TRUE(r->final_framed);
}

TEST_F(SessionTest, UrcOfAnotherCommandIsQueuedNotInformation) {
  dut_says("\r\n+QFTPOPEN:0\r\n\r\n+QFTPSTAT: OPENED\r\n\r\nOK\r\n");
  auto r = session_->command("AT+QFTPSTAT");
  ASSERT_TRUE(r.ok()) << r.error();
  ASSERT_EQ(r->info.size(), 1U);
  EXPECT_EQ(r->info[0].text, "+QFTPSTAT: OPENED");
  auto urc = session_->wait_urc("+QFTPOPEN", 10ms);
  ASSERT_TRUE(urc.ok()) << urc.error();
  EXPECT_EQ(urc->value, "0");
  EXPECT_FALSE(urc->spaced);
}

TEST_F(SessionTest, UnframedUrcIsReadButMarked) {
  dut_says("\r\nOK\r\n+QFTPCFG:1\r\n");
  auto r = session_->command("AT+QFTPCFG=1");
  ASSERT_TRUE(r.ok()) << r.error();
  auto urc = session_->wait_urc("+QFTPCFG", 100ms);
  ASSERT_TRUE(urc.ok()) << urc.error();
  EXPECT_FALSE(urc->line.framed);
}

TEST_F(SessionTest, NumericResultsNeedNoLineFeed) {
  session_->set_numeric(true);
  dut_says("+QFTPSTAT: IDLE\r\n0\r");
  auto r = session_->command("AT+QFTPSTAT", 200ms);
  ASSERT_TRUE(r.ok()) << r.error();
  EXPECT_TRUE(r->is(FinalKind::ok));
  EXPECT_EQ(r->final.text, "0");
  ASSERT_EQ(r->info.size(), 1U);
  EXPECT_FALSE(r->info[0].framed);
}

TEST_F(SessionTest, EachLineRecordsHowItEnded) {
  session_->set_numeric(true);
  dut_says("+QFTPSTAT: IDLE\r\n0\r");
  auto numeric = session_->command("AT+QFTPSTAT", 200ms);
  ASSERT_TRUE(numeric.ok()) << numeric.error();
  ASSERT_EQ(numeric->info.size(), 1U);
  EXPECT_EQ(numeric->info[0].end, LineEnd::crlf);
  EXPECT_EQ(numeric->final_end, LineEnd::cr);
  // A result code left unterminated is read when the wait ends, and says so.
  dut_says("4");
  auto bare = session_->command("AT+NOPE", 100ms);
  ASSERT_TRUE(bare.ok()) << bare.error();
  EXPECT_EQ(bare->final.text, "4");
  EXPECT_EQ(bare->final_end, LineEnd::none);
  session_->set_numeric(false);
  dut_says("\r\nOK\n");
  auto lf = session_->command("AT", 200ms);
  ASSERT_TRUE(lf.ok()) << lf.error();
  EXPECT_EQ(lf->final_end, LineEnd::lf);
  EXPECT_EQ(line_end_name(LineEnd::cr), "<CR>");
}

TEST_F(SessionTest, DataAfterConnectIsNotEatenByTheLineParser) {
  dut_says("\r\nOK\r\n\r\nCONNECT\r\n\nabc+x\r\n+QFTPGET:5\r\n");
  ASSERT_TRUE(session_->command("AT+QFTPGET=\"f\"").ok());
  auto c = session_->await_line([](const Line& l) { return l.text == "CONNECT"; }, 100ms);
  ASSERT_TRUE(c.ok()) << c.error();
  auto data = session_->read_until("+QFTPGET:", 100ms);
  ASSERT_TRUE(data.ok()) << data.error();
  EXPECT_EQ(*data, "\nabc+x\r\n");
  auto urc = session_->wait_urc("+QFTPGET", 100ms);
  ASSERT_TRUE(urc.ok()) << urc.error();
  EXPECT_EQ(urc->value, "5");
}

TEST_F(SessionTest, FieldsAcceptBothSpacings) {
  Line spaced{"+QFTPPUT: 1587", true, {}};
  Line tight{"+QFTPPUT:1587", true, {}};
  Line before{"+QFTPPUT :1587", true, {}};
  ASSERT_TRUE(parse_field(spaced, "+QFTPPUT"));
  EXPECT_TRUE(parse_field(spaced, "+QFTPPUT")->spaced);
  EXPECT_EQ(parse_field(spaced, "+QFTPPUT")->value, "1587");
  ASSERT_TRUE(parse_field(tight, "+QFTPPUT"));
  EXPECT_FALSE(parse_field(tight, "+QFTPPUT")->spaced);
  EXPECT_FALSE(parse_field(before, "+QFTPPUT")) << "ruling 2: a space before the colon is a typo";
  EXPECT_FALSE(parse_field(tight, "+QFTPPU"));
}

TEST_F(SessionTest, FinalResultCodesInBothForms) {
  EXPECT_EQ(parse_final("+CME ERROR: 3", false)->kind, FinalKind::cme_error);
  EXPECT_EQ(parse_final("+CME ERROR: 3", false)->cme, 3);
  EXPECT_EQ(parse_final("CONNECT 9600", false)->kind, FinalKind::connect);
  EXPECT_EQ(parse_final("DEACT OK", false)->kind, FinalKind::deact_ok);
  EXPECT_EQ(parse_final("NO CARRIER", false)->kind, FinalKind::no_carrier);
  EXPECT_EQ(parse_final("3", true)->kind, FinalKind::no_carrier);
  EXPECT_EQ(parse_final("4", true)->kind, FinalKind::error);
  EXPECT_FALSE(parse_final("013", true)) << "ATS3? information text is not a result code";
  EXPECT_FALSE(parse_final("0", false));
}

TEST_F(SessionTest, SilenceEndsAtTheDeadlineWithTheReason) {
  auto r = session_->command("AT", 100ms);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().find("no final result code within 100 ms"), std::string::npos) << r.error();
  EXPECT_FALSE(session_->broken()) << "silence is not a broken link";
}

TEST_F(SessionTest, GarbageIsQuoted) {
  dut_says(std::string("\x01\x02 junk", 7));
  auto r = session_->command("AT", 100ms);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().find("\\x01\\x02 junk"), std::string::npos) << r.error();
}

TEST_F(SessionTest, AFloodBreaksTheSessionAtTheCap) {
  dut_says(std::string(6000, 'x'));
  auto r = session_->command("AT", 1s);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().find("flooded"), std::string::npos) << r.error();
  EXPECT_TRUE(session_->broken());
  EXPECT_FALSE(session_->send("AT\r")) << "a broken session refuses further use";
}

TEST_F(SessionTest, AClosedLinkBreaksTheSession) {
  ::close(peer_);
  peer_ = -1;
  auto r = session_->command("AT", 1s);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().find("closed the link"), std::string::npos) << r.error();
  EXPECT_TRUE(session_->broken());
}

TEST_F(SessionTest, EscapeSendsThreePlusesAndIsLogged) {
  ASSERT_TRUE(session_->send_escape());
  EXPECT_EQ(dut_heard(), "+++");
  const auto text = session_->wire_text(0, Clock::now(), 4096);
  EXPECT_NE(text.find("TE> +++"), std::string::npos) << text;
}

TEST(DutSpec, ParsesTheThreeTransports) {
  EXPECT_EQ(parse_dut_spec("emulator")->kind, DutSpec::Kind::emulator);
  auto serial = parse_dut_spec("serial:/dev/ttyUSB0,baud=9600,rtscts");
  ASSERT_TRUE(serial.ok()) << serial.error();
  EXPECT_EQ(serial->device, "/dev/ttyUSB0");
  EXPECT_EQ(serial->baud, 9600);
  EXPECT_TRUE(serial->rtscts);
  auto tcp = parse_dut_spec("tcp:192.0.2.7:4001");
  ASSERT_TRUE(tcp.ok()) << tcp.error();
  EXPECT_EQ(tcp->host, "192.0.2.7");
  EXPECT_EQ(tcp->port, 4001);
  for (const char* bad : {"", "serial:", "serial:/dev/x,parity=even", "serial:/dev/x,baud=fast",
                          "tcp:host", "tcp:host:0", "tcp::21", "modem"}) {
    EXPECT_FALSE(parse_dut_spec(bad).ok()) << bad;
  }
}

TEST(Profiles, ShippedProfilesLoadAndUnknownKeysAreRefused) {
  for (const char* name : {"emulator.json", "m33.json", "m_series_lab.json"}) {
    auto p = load_profile(std::filesystem::path(QFTP_CONFORMANCE_DIR) / "profiles" / name);
    EXPECT_TRUE(p.ok()) << name << ": " << (p.ok() ? "" : p.error());
  }
  EXPECT_FALSE(parse_profile_json(R"({"pixit": {"guard": 5}})").ok());
  EXPECT_FALSE(parse_profile_json(R"({"pics": {"has_sd": "yes"}})").ok());
  EXPECT_FALSE(parse_profile_json(R"({"pixit": {"fixture_passive_ports": "9-2"}})").ok());
  auto p = parse_profile_json(
      R"({"pics": {"has_ram": true}, "pixit": {"guard_ms": 42, "spaced_urcs": []}})");
  ASSERT_TRUE(p.ok()) << p.error();
  const auto text = emulator_profile_text(p.value());
  EXPECT_NE(text.find("guard_ms = 42\n"), std::string::npos) << text;
  EXPECT_NE(text.find("has_ram = true\n"), std::string::npos) << text;
  EXPECT_NE(text.find("spaced_urcs = \n"), std::string::npos) << text;
}

TEST(Inventory, TheShippedInventoryCoversChapter3AndTheRulings) {
  auto inv = Inventory::load(std::filesystem::path(QFTP_CONFORMANCE_DIR) / "requirements" /
                             "requirements.json");
  ASSERT_TRUE(inv.ok()) << inv.error();
  for (const char* code : {"-1",   "-3",   "-4",   "-5",   "-6",   "-7",   "-8",   "-9",   "-10",
                           "-11",  "-12",  "-421", "-425", "-426", "-450", "-452", "-500", "-501",
                           "-502", "-530", "-532", "-550", "-551", "-552", "-553"}) {
    EXPECT_NE(inv->find(std::string("3/") + code), nullptr) << code;
  }
  for (int ruling = 1; ruling <= 9; ++ruling)
    EXPECT_NE(inv->find("R/" + std::to_string(ruling)), nullptr);
  for (const auto& r : inv->all()) {
    if (r.id.rfind("R/", 0) == 0 && std::stoi(r.id.substr(2)) >= 10) {
      EXPECT_FALSE(r.reason.empty()) << r.id << ": a further ruling needs its reason";
    }
  }
}

TEST(Inventory, RefusesDuplicatesAndUnknownRulings) {
  EXPECT_FALSE(
      Inventory::parse(
          R"({"requirements": [{"id": "1/01", "text": "a"}, {"id": "1/01", "text": "b"}]})")
          .ok());
  EXPECT_FALSE(
      Inventory::parse(R"({"requirements": [{"id": "1/01", "text": "a", "rulings": ["R/99"]}]})")
          .ok());
  EXPECT_FALSE(Inventory::parse(R"({"requirements": [{"id": "101", "text": "a"}]})").ok());
  EXPECT_FALSE(
      Inventory::parse(R"({"requirements": [{"id": "1/01", "text": "a", "colour": "red"}]})").ok());
}

TEST(Transcripts, ParseKindsAndRefuseUnknownOnes) {
  auto t =
      parse_transcript("@requirements 4.1/01\n> AT\n< OK\n>data f 10 2 3\n@session\n", "t.txt");
  ASSERT_TRUE(t.ok()) << t.error();
  ASSERT_EQ(t->lines.size(), 4U);
  EXPECT_EQ(t->lines[0].kind, "send");
  EXPECT_EQ(t->lines[2].kind, "send_data");
  EXPECT_EQ(t->lines[3].kind, "session");
  EXPECT_FALSE(parse_transcript("> AT\n", "t.txt").ok()) << "no @requirements";
  EXPECT_FALSE(parse_transcript("@requirements x/1\n! AT\n", "t.txt").ok());
  EXPECT_FALSE(parse_transcript("@requirements x/1\n>data f 10 8 3\n", "t.txt").ok())
      << "slice past the end";
}

TEST(Transcripts, EveryShippedTranscriptParses) {
  int count = 0;
  for (const auto& e : std::filesystem::directory_iterator(
           std::filesystem::path(QFTP_CONFORMANCE_DIR) / "transcripts")) {
    auto t = load_transcript(e.path());
    EXPECT_TRUE(t.ok()) << (t.ok() ? "" : t.error());
    ++count;
  }
  EXPECT_GE(count, 20);
}

TEST(TestContent, IsDeterministicAndFreeOfEscapesAndResults) {
  const auto a = test_content("sscom.ini", 5000);
  EXPECT_EQ(a, test_content("sscom.ini", 5000));
  EXPECT_NE(a, test_content("other", 5000));
  EXPECT_EQ(a.size(), 5000U);
  EXPECT_EQ(a.find("+++"), std::string::npos);
  EXPECT_EQ(a.find("OK"), std::string::npos);
  EXPECT_EQ(a.find("+QFTP"), std::string::npos);
}

TEST(Reports, RequirementVerdictsCombineAndFilesAreWritten) {
  auto inv = Inventory::parse(R"({"requirements": [
      {"id": "A/1", "text": "a"}, {"id": "A/2", "text": "b & <c>"}, {"id": "A/3", "text": "c"}]})");
  ASSERT_TRUE(inv.ok()) << inv.error();
  std::vector<CaseRecord> cases = {
      {"S.One", {"A/1", "A/2"}, Verdict::pass, "", 1.0, "log one", {}, -1},
      {"S.Two", {"A/2"}, Verdict::fail, "it \"broke\"", 2.0, "log <two>", {}, -1},
      {"S.Three", {"A/1"}, Verdict::not_applicable, "no SD", 0.0, "log three", {}, -1},
  };
  RunInfo complete;
  RunInfo partial;
  partial.partial = true;
  const auto reqs = requirement_results(inv.value(), cases, complete);
  ASSERT_EQ(reqs.size(), 3U);
  EXPECT_EQ(reqs[0].verdict, Verdict::pass) << "not_applicable counts only when nothing ran";
  EXPECT_EQ(reqs[1].verdict, Verdict::fail);
  EXPECT_EQ(reqs[2].verdict, Verdict::error) << "a requirement no case covers";
  EXPECT_EQ(requirement_results(inv.value(), cases, partial).size(), 2U)
      << "a selection leaves out what did not run";

  auto dir = make_temp_dir("qftp-report-");
  ASSERT_TRUE(dir.ok());
  RunInfo info;
  info.dut = "emulator";
  info.duration_s = 1.5;
  ASSERT_TRUE(write_reports(dir.value(), inv.value(), cases, info).ok());
  std::ifstream json_in(dir.value() / "report.json");
  const auto doc = nlohmann::json::parse(json_in);
  EXPECT_EQ(doc["summary"]["total"], 3);
  EXPECT_EQ(doc["summary"]["fail"], 1);
  EXPECT_EQ(doc["summary"]["duration_s"], 1.5);
  EXPECT_EQ(doc["requirements"][1]["verdict"], "fail");
  EXPECT_EQ(doc["cases"][1]["log"], "log <two>");
  std::ifstream junit_in(dir.value() / "junit.xml");
  const std::string junit((std::istreambuf_iterator<char>(junit_in)),
                          std::istreambuf_iterator<char>());
  EXPECT_NE(junit.find("<failure type=\"fail\" message=\"it &quot;broke&quot;\">log "
                       "&lt;two&gt;</failure>"),
            std::string::npos);
  EXPECT_NE(junit.find("<skipped type=\"not_applicable\" message=\"not_applicable: no SD\"/>"),
            std::string::npos);
  EXPECT_NE(junit.find("<testsuite name=\"requirements\""), std::string::npos);
  for (const char* f : {"report.html", "summary.md"})
    EXPECT_TRUE(std::filesystem::exists(dir.value() / f)) << f;
  std::filesystem::remove_all(dir.value());
}

TEST(EmulatorReady, ParsesPtyAndTcpLinesAndRefusesOthers) {
  auto pty = parse_emulator_ready("READY pty /dev/pts/7 control=127.0.0.1:4000");
  ASSERT_TRUE(pty.ok()) << pty.error();
  EXPECT_EQ(pty->device, "/dev/pts/7");
  EXPECT_EQ(pty->control_port, 4000);
  auto tcp = parse_emulator_ready("READY tcp 127.0.0.1:5000");
  ASSERT_TRUE(tcp.ok()) << tcp.error();
  EXPECT_EQ(tcp->host, "127.0.0.1");
  EXPECT_EQ(tcp->port, 5000);
  EXPECT_EQ(tcp->control_port, 0);
  EXPECT_FALSE(parse_emulator_ready("READY stdio").ok());
  EXPECT_FALSE(parse_emulator_ready("READY tcp 127.0.0.1:0").ok());
  EXPECT_FALSE(parse_emulator_ready("READY pty /dev/pts/7 control=x").ok());
}

}  // namespace
}  // namespace qftp::harness
