// f_file_case.h: the base of the cases that drive the FILE commands (docs/field-facts.md §6,
// ruling 17): opening a file, reading through a handle, the data mode of AT+QFWRITE, AT+QFUPL and
// AT+QFDWL, and the +CME ERROR code of the set the DUT declares. One copy for every F/ case file.
#pragma once

#include <algorithm>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "f_file_checks.h"
#include "harness/qftp_case.h"

namespace qftp::harness {

// A failure in any form AT+CMEE allows: ERROR or +CME ERROR.
inline bool refused(const Response& r) { return r.is(FinalKind::error) || r.is(FinalKind::cme_error); }

class FileCase : public QftpCase {
 protected:
  // AT+QFOPEN=<name>,<mode>[,<length>]: "+QFOPEN: <handle>" and OK; the handle.
  Step<std::string> qfopen(std::string_view name, int mode,
                           std::optional<int> length = std::nullopt) {
    const std::string line = "AT+QFOPEN=" + quote(name) + "," + std::to_string(mode) +
                             (length ? "," + std::to_string(*length) : std::string());
    auto r = at_expect(line, FinalKind::ok);
    if (!r.ok()) return r.outcome();
    auto f = info_field(r.value(), "+QFOPEN");
    if (!f.ok()) return f.outcome();
    return f.value().value;
  }
  // After a line whose final result must be CONNECT <n>: the n bytes, then OK.
  Step<std::string> connect_bytes(const Response& r) {
    if (!r.is(FinalKind::connect) || r.final.text.size() < 9)
      return fail("expected CONNECT <n>, the DUT answered " + r.describe());
    const std::size_t n = std::stoul(r.final.text.substr(8));
    auto data = te().read_exactly(n, transfer_timeout());
    if (!data) return fail("the CONNECT " + std::to_string(n) + " bytes: " + data.error());
    auto ok = next_line();
    if (!ok.ok()) return ok.outcome();
    if (ok.value().text != "OK") return fail("after the read bytes: \"" + ok.value().text + "\", not OK");
    return std::move(data).value();
  }
  // AT+QFREAD=<handle>,<length>: the bytes CONNECT <n> announced.
  Step<std::string> qfread(const std::string& handle, std::size_t length) {
    auto r = at("AT+QFREAD=" + handle + "," + std::to_string(length), transfer_timeout());
    if (!r.ok()) return r.outcome();
    return connect_bytes(r.value());
  }
  // AT+QFPOSITION=<handle>: the position.
  Step<std::string> qfposition(const std::string& handle) {
    auto r = at_expect("AT+QFPOSITION=" + handle, FinalKind::ok);
    if (!r.ok()) return r.outcome();
    auto f = info_field(r.value(), "+QFPOSITION");
    if (!f.ok()) return f.outcome();
    return f.value().value;
  }
  // A line that must answer CONNECT (data mode for the host's bytes).
  Done expect_connect_to(std::string_view line) {
    auto r = at(line, transfer_timeout());
    if (!r.ok()) return r.outcome();
    if (!r.value().is(FinalKind::connect)) return fail(std::string(line) + ": " + r.value().describe());
    return {};
  }
  // After data mode: the information line named `name` and OK; the line's value.
  Step<std::string> result_line(std::string_view name, std::optional<Ms> timeout = std::nullopt) {
    auto line = next_line(timeout.value_or(transfer_timeout()));
    if (!line.ok()) return line.outcome();
    const std::string head = std::string(name) + ": ";
    if (line.value().text.rfind(head, 0) != 0)
      return fail("expected " + head + "..., the DUT answered \"" + line.value().text + "\"");
    auto ok = next_line();
    if (!ok.ok()) return ok.outcome();
    if (ok.value().text != "OK") return fail("after " + std::string(name) + ": \"" + ok.value().text + "\", not OK");
    return line.value().text.substr(head.size());
  }
  // A file's bytes through AT+QFDWL (F/14).
  Step<std::string> download(std::string_view name) {
    if (auto st = expect_connect_to("AT+QFDWL=" + quote(name)); !st.ok()) return st.outcome();
    auto data = te().read_until("\r\n+QFDWL:", transfer_timeout());
    if (!data) return fail("AT+QFDWL's bytes: " + data.error());
    auto trailer = result_line("+QFDWL");
    if (!trailer.ok()) return trailer.outcome();
    return std::move(data).value();
  }
  // AT+QFDWL of `name`, which holds `content`, ended by the escape at once (F/32): the bytes sent
  // before it, checked to be the file's start and to be what the +QFDWL trailer counts.
  // Inconclusive when the whole file had gone before the escape reached the DUT.
  Step<std::string> escaped_download(std::string_view name, const std::string& content) {
    if (auto st = expect_connect_to("AT+QFDWL=" + quote(name)); !st.ok()) return st.outcome();
    if (auto st = send_escape(); !st.ok()) return st.outcome();
    auto sent = te().read_until("\r\n+QFDWL:", transfer_timeout());
    if (!sent) return fail("no +QFDWL after the escape: " + sent.error());
    auto trailer = result_line("+QFDWL");
    if (!trailer.ok()) return trailer.outcome();
    const std::string& bytes = sent.value();
    if (bytes.size() == content.size())
      return inconclusive("the DUT had sent the whole file before the escape reached it");
    EXPECT_LT(bytes.size(), content.size());
    EXPECT_EQ(bytes, content.substr(0, bytes.size())) << "the bytes sent are not the file's start";
    EXPECT_EQ(trailer.value(), std::to_string(bytes.size()) + "," + file_checksum(bytes));
    return bytes;
  }
  // A new file of `content` through AT+QFUPL (F/29), after removing any earlier one; the
  // +QFUPL line's value.
  Step<std::string> upload(std::string_view name, const std::string& content) {
    auto removed = at("AT+QFDEL=" + quote(name));
    if (!removed.ok()) return removed.outcome();
    if (auto st = expect_connect_to("AT+QFUPL=" + quote(name) + "," + std::to_string(content.size()));
        !st.ok())
      return st.outcome();
    if (auto st = send_raw(content); !st.ok()) return st.outcome();
    return result_line("+QFUPL");
  }
  // AT+QFUPL of `content` in ACK mode (F/30), with <timeout> `timeout_s`: each whole 1024-byte
  // block goes as a write of `first_piece` bytes and one of the rest, then the "A" the DUT owes for
  // it is read (each checked); then the bytes after the last whole block; the +QFUPL line's value.
  Step<std::string> upload_acked(std::string_view name, const std::string& content, int timeout_s,
                                 std::size_t first_piece = 1024) {
    const std::string line = "AT+QFUPL=" + quote(name) + "," + std::to_string(content.size()) +
                             "," + std::to_string(timeout_s) + ",1";
    if (auto st = expect_connect_to(line); !st.ok()) return st.outcome();
    std::size_t at_byte = 0;
    for (; at_byte + 1024 <= content.size(); at_byte += 1024) {
      const std::size_t first = std::min<std::size_t>(first_piece, 1024);
      if (auto st = send_raw(content.substr(at_byte, first)); !st.ok()) return st.outcome();
      if (first < 1024) {
        if (auto st = send_raw(content.substr(at_byte + first, 1024 - first)); !st.ok())
          return st.outcome();
      }
      auto ack = te().read_exactly(1, transfer_timeout());
      if (!ack) {
        return fail("no A after " + std::to_string(at_byte + 1024) + " bytes: " + ack.error());
      }
      EXPECT_EQ(ack.value(), "A") << "after " << at_byte + 1024 << " bytes";
    }
    if (auto st = send_raw(content.substr(at_byte)); !st.ok()) return st.outcome();
    return result_line("+QFUPL");
  }
  // The server's file downloaded into RAM through FTP (the M95 driver's way of filling RAM).
  Done ram_file(std::string_view name, const std::string& content) {
    if (auto st = open_session(); !st.ok()) return st;
    return make_local_file("/RAM/", name, content);
  }
  // The FILE error the declared set gives for the 39xx code `c39` (PIXIT file_error_codes).
  std::string code(int c39) {
    if (pixit().file_error_codes != "40xx") return std::to_string(c39);
    switch (c39) {
      case 3765: case 3920: return "4013";
      case 3919: return "4010";
      case 3921: return "4012";
      default: return std::to_string(c39);
    }
  }
  // The AT+CMEE=2 text of invalid input in the declared set.
  std::string invalid_input_text() {
    return pixit().file_error_codes == "40xx" ? "invalid parameter" : "invalid input value";
  }
};

}  // namespace qftp::harness
