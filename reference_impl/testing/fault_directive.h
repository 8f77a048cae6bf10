// A fault directive of the fixture FTP server (fixtures/README.md, "Fault directives"), as the
// in-process server model understands it: "REPLY RETR 550", "CUT STOR 100 226 times=1",
// "DELAY PASS 3000". One vocabulary for the fixture, the unit tests and the session fuzzer.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

namespace qftp::testing {

enum class FaultKind : std::uint8_t {
  reply,       // REPLY CMD CODE [text]: answer instead of executing the command
  delay,       // DELAY CMD MS: process the command MS ms late
  nodataconn,  // NODATACONN [CODE] [after150] [refuse]: the next data connection never serves
  cut,         // CUT CMD BYTES [CODE]: close the data connection after BYTES, reply CODE
  stall,       // STALL CMD BYTES: after BYTES the data connection stays open and silent
  final,       // FINAL CMD CODE [text]: the transfer completes, then CODE instead of 226
  close,       // CLOSE CMD [rst]: drop the control connection instead of answering
  idle,        // IDLE MS: 421 and close after MS ms without a command
  multiline,   // MULTILINE CMD: the replies become RFC 959 multi-line replies
  lfonly,      // LFONLY [CMD]: replies end in LF
  burst,       // BURST [CMD]: replies leave together; a download's 150 waits for its final reply
  slow,        // SLOW BYTES_PER_S: data connections paced
  refuse,      // REFUSE: new connections are refused
  garbage,     // GARBAGE CMD: bytes that are no FTP reply instead of the answer
};

struct Directive {
  FaultKind kind = FaultKind::reply;
  std::string cmd = "*";     // upper case; GREETING, IDLE or * where the fixture allows them
  int code = 0;              // REPLY, FINAL, CUT, NODATACONN
  std::string text;          // REPLY, FINAL: the reply text (a standard one when none was given)
  std::uint64_t amount = 0;  // DELAY and IDLE milliseconds, CUT and STALL bytes, SLOW rate
  bool rst = false;          // CLOSE ... rst
  bool after150 = false;     // NODATACONN ... after150
  bool refuse = false;       // NODATACONN ... refuse
  std::optional<std::uint64_t> times;  // matches left; nullopt: until cleared

  // Whether the directive is about `command` (as the client sent it, in any case).
  bool about(std::string_view command) const;
};

// One directive line as the fixture's control port takes it; the reason when it is not one.
std::variant<Directive, std::string> parse_directive(std::string_view line);

// The RFC 959 text the fixture sends with an injected code that has none of its own.
std::string_view standard_reply_text(int code);

// Upper-cased ASCII, for command names.
std::string upper(std::string_view text);

}  // namespace qftp::testing
