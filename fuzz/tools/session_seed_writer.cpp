// Writes the session fuzzer's seed corpus: the spec's chapter-4 examples and the host and server
// behaviours of docs/field-facts.md §2, encoded in the fuzzer's binary script format
// (session/host_script.h).
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "session/host_script.h"

namespace {

using qftp::fuzz::HostStep;
using qftp::fuzz::ScriptWriter;
using qftp::fuzz::Template;
using NetKind = qftp::modem::NetworkEvent::Kind;

// Server decisions, in the order the scripted server reads them (scripted_ftp_server.cpp):
// the profile, the control connect, the greeting, USER, PASS, the PWD text and its reply.
const std::vector<std::uint8_t> kLogin = {0, 0, 0, 0, 0, 0, 0};
// Then per transfer: TYPE, the PASV text and reply, the data connect, and RETR's shape and seed
// (or STOR's shape).
std::vector<std::uint8_t> download(std::uint8_t shape, std::uint8_t seed = 7) {
  return {0, 0, 0, 0, shape, seed};
}
std::vector<std::uint8_t> upload(std::uint8_t shape) {
  return {0, 0, 0, 0, shape};
}
std::vector<std::uint8_t> join(std::vector<std::vector<std::uint8_t>> parts) {
  std::vector<std::uint8_t> out;
  for (const auto& p : parts) {
    out.insert(out.end(), p.begin(), p.end());
  }
  return out;
}

ScriptWriter& open(ScriptWriter& w, const std::string& port = "21") {
  return w.line(Template::user, {"quectel"})
      .line(Template::pass, {"123456"})
      .line(Template::open, {"quectel.3322.org", port});
}

ScriptWriter& cmd(ScriptWriter& w, const std::string& simple, std::uint8_t flags = 0) {
  return w.line(Template::simple, {simple}, flags);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: session_seed_writer OUTDIR\n");
    return 2;
  }
  const std::filesystem::path dir = argv[1];
  std::filesystem::create_directories(dir);
  auto save = [&](const std::string& name, const ScriptWriter& w) {
    std::ofstream(dir / name, std::ios::binary) << w.bytes();
  };

  {  // Spec 4.1 and 4.5: open, query, close, deactivate.
    ScriptWriter w;
    cmd(w, "+QIFGCNT=0");
    cmd(w, "+QICSGP=1,\"CMNET\"");
    open(w);
    cmd(w, "+QFTPSTAT").line(Template::simple, {"+QFTPOPEN?"});
    cmd(w, "+QFTPCLOSE");
    cmd(w, "+QFTPSTAT");
    cmd(w, "+QIDEACT");
    w.decide(kLogin);
    save("spec_4_1_open_4_5_close", w);
  }
  {  // Spec 4.2.1: upload through the UART; the bytes after <fileSz> are commands again.
    ScriptWriter w;
    open(w).line(Template::path, {"/"}).line(Template::put, {"up.bin", "10", "200"});
    w.burst("0123456789");
    cmd(w, "+QFTPSTAT");
    w.wait(10);
    cmd(w, "+QFTPLEN");
    w.decide(join({kLogin, {0}, upload(0)}));
    save("spec_4_2_1_upload_uart", w);
  }
  {  // Ruling 6: "+++ATH\r" without pauses is data; then a real escape, and ATO.
    ScriptWriter w;
    open(w).line(Template::put, {"up.bin", "100"});
    w.burst("data").plus_ath().escape(0);
    cmd(w, "O");
    w.wait(10);
    cmd(w, "+QFTPLEN");
    w.decide(join({kLogin, upload(0)}));
    save("escape_upload_plus_ath", w);
  }
  {  // 2.2.3: an upload shorter than <fileSz> ends at <time>.
    ScriptWriter w;
    open(w).line(Template::put, {"up.bin", "100", "2"});
    w.burst("abc").wait(2000).wait(10);
    cmd(w, "+QFTPLEN");
    w.decide(join({kLogin, upload(0)}));
    save("upload_ends_at_time", w);
  }
  {  // Spec 4.3.1: download 1587 bytes through the UART, then AT to confirm the end.
    ScriptWriter w;
    open(w).line(Template::path, {"/"}).line(Template::get, {"sscom.ini"});
    w.wait(10);
    cmd(w, "");
    cmd(w, "+QFTPLEN");
    w.decide(join({kLogin, {0}, download(4)}));
    save("spec_4_3_1_download_uart", w);
  }
  {  // Spec 4.3.2 and 4.3.3: download into UFS, and into a named UFS file.
    ScriptWriter w;
    open(w).line(Template::cfg, {"4,\"/UFS/\""}).line(Template::get, {"sscom.ini"});
    cmd(w, "+QFTPLEN");
    w.line(Template::cfg, {"4,\"/UFS/dwl.txt\""}).line(Template::get, {"sscom.ini"});
    cmd(w, "+QFTPLEN");
    w.decide(join({kLogin, download(4), download(3)}));
    save("spec_4_3_2_download_ufs", w);
  }
  {  // Spec 4.2.2 and 4.2.3: upload from UFS, the whole file and a named one.
    ScriptWriter w;
    open(w)
        .line(Template::cfg, {"4,\"/UFS/\""})
        .line(Template::path, {""})
        .line(Template::put, {"sscom.ini", "1587", "200"});
    w.wait(10);
    w.line(Template::cfg, {"4,\"/UFS/test.txt\""}).line(Template::put, {"up.bin", "0"});
    w.wait(10);
    cmd(w, "+QFTPLEN");
    w.decide(join({kLogin, {0}, upload(0), upload(0)}));
    save("spec_4_2_2_upload_ufs", w);
  }
  {  // Spec 4.4.1 and 4.4.2: resume an upload and a download; the point resets (ruling 7).
    ScriptWriter w;
    open(w).line(Template::cfg, {"3,10"}).line(Template::put, {"up.bin", "5"});
    w.burst("12345");
    w.wait(10);
    w.line(Template::cfg, {"3"}).line(Template::cfg, {"3,10"}).line(Template::get, {"big.bin"});
    w.wait(10);
    cmd(w, "+QFTPLEN");
    w.decide(join({kLogin, {0}, upload(0), {0}, download(4)}));
    save("spec_4_4_resume", w);
  }
  {  // Ruling 8: resuming a download into a UFS file shorter than the point is -12.
    ScriptWriter w;
    open(w)
        .line(Template::cfg, {"4,\"/UFS/dwl.txt\""})
        .line(Template::cfg, {"3,1587"})
        .line(Template::get, {"sscom.ini"});
    w.decide(kLogin);
    save("resume_past_local_end", w);
  }
  {  // Chapter 3 and 4.5: the server's idle 421 and close, then a new session.
    ScriptWriter w;
    open(w);
    w.wait(1000).server(HostStep::Server::kick).wait(10);
    cmd(w, "+QFTPSTAT");
    w.line(Template::open, {"ftp.host", "\"21\""});
    cmd(w, "+QFTPSTAT");
    w.decide(join({kLogin, kLogin}));
    save("idle_421_then_reopen", w);
  }
  {  // The PDP context goes away in the middle of a download.
    ScriptWriter w;
    open(w).line(Template::get, {"big.bin"});
    w.wait(1);
    w.network(NetKind::context_lost);
    cmd(w, "+QFTPSTAT");
    w.network(NetKind::activation_fails);
    w.line(Template::open, {"ftp.host"});
    w.decide(join({kLogin, download(0x80 | 0x20 | 5)}));  // stalled half-way
    save("context_lost_in_download", w);
  }
  {  // Escape during a stalled download: OK, then +QFTPGET with what was shown.
    ScriptWriter w;
    open(w).line(Template::get, {"big.bin"});
    w.escape(0x10);
    cmd(w, "+QFTPSTAT");
    cmd(w, "+QFTPLEN");
    w.decide(join({kLogin, download(0x20 | 4)}));
    save("escape_stalled_download", w);
  }
  {  // A UFS download paced over time, polled with AT+QFTPSTAT while it runs (docs/field-facts.md §2).
    ScriptWriter w;
    open(w).line(Template::cfg, {"4,\"/UFS/\""}).line(Template::get, {"big.bin"});
    for (int i = 0; i < 4; ++i) {
      w.wait(1);
      cmd(w, "+QFTPSTAT");
      cmd(w, "+QFTPLEN");
    }
    w.decide(join({kLogin, download(0xC0 | 7)}));
    save("poll_stat_during_ufs_transfer", w);
  }
  {  // Active mode and ASCII type (2.2.8 types 1 and 2).
    ScriptWriter w;
    open(w)
        .line(Template::cfg, {"1,0"})
        .line(Template::cfg, {"2,1"})
        .line(Template::get, {"sscom.ini"});
    w.line(Template::put, {"up.bin", "3"}).burst("xyz");
    w.wait(10);
    cmd(w, "+QFTPLEN");
    w.decide(join({kLogin, {0, 0, 3, 0}, {0, 0, 0}}));
    save("active_mode_ascii", w);
  }
  {  // Close while a transfer runs: the transfer's URC comes before +QFTPCLOSE.
    ScriptWriter w;
    open(w).line(Template::cfg, {"4,\"/UFS/\""}).line(Template::get, {"big.bin"});
    cmd(w, "+QFTPCLOSE");
    w.wait(10);
    cmd(w, "+QFTPSTAT");
    w.decide(join({kLogin, download(0x20 | 4)}));
    save("close_during_transfer", w);
  }
  {  // Host habits of docs/field-facts.md §2: junk before AT, LF-only and CRLF ends, lower case, A/.
    ScriptWriter w;
    w.line(Template::simple, {"+QFTPSTAT"}, 0x04);
    w.line(Template::simple, {"+QFTPSTAT"}, 0x08 | 0x01);
    w.line(Template::simple, {"+QFTPLEN"}, 0x0c | 0x02);
    w.line(Template::simple, {"+QFTPSTAT"}, 0x10);
    w.line(Template::simple, {"+QFTPSTAT"}, 0x20);
    w.line(Template::user, {"u;v, w"}).line(Template::simple, {"+QFTPUSER?"});
    w.line(Template::simple, {"+QFTPUSE=\"x\""}).line(Template::simple, {"+QFTPFCFG=1,1"});
    save("host_habits", w);
  }
  {  // Every FTP failure a login can meet, one after another.
    ScriptWriter w;
    for (int i = 0; i < 6; ++i) {
      open(w);
      w.wait(30000);
    }
    w.decide({0, 5,    2,                       // connect refused
              0, 0x08, 10,                      // greeting 530
              0, 0,    0,    0x08, 10,          // PASS 530
              0, 0,    0x0b,                    // USER never answered
              6,                                // connect never answered
              0, 0,    0,    0,    0,  0x0c});  // control closed at PWD
    save("login_failures", w);
  }
  {  // Transfer failures: 550, a cut download, reset data, refused data connection, 552 upload.
    ScriptWriter w;
    open(w);
    for (int i = 0; i < 4; ++i) {
      w.line(Template::get, {"sscom.ini"}).wait(10);
    }
    w.line(Template::put, {"up.bin", "3"}).burst("abc").wait(10);
    cmd(w, "+QFTPLEN");
    w.decide(join(
        {kLogin, download(0x30), download(0x18 | 4), download(0x28 | 3), {0, 0, 0, 6}, upload(3)}));
    save("transfer_failures", w);
  }
  {  // Odd replies: multi-line, split, LF-only, garbage; PASV variants and EPSV.
    ScriptWriter w;
    open(w).line(Template::get, {"sscom.ini"}).wait(10).line(Template::get, {"sscom.ini"}).wait(10);
    w.decide({0, 0, 0x09, 0x0a, 0x0f, 2, 0x09, 0, 1, 0, 0, 4, 1, 0, 0, 0x08, 8, 0, 0, 0, 3, 2});
    save("odd_replies", w);
  }
  return 0;
}
