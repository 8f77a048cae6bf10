// What the session fuzzer's host does, decoded from the front of the input: AT command lines
// built from templates, data bursts, the "+++" escape with its guard times, waits, and the
// disturbances it may cause at the server or in the network. ScriptWriter encodes the same
// steps, for seed corpora.
//
// The host never changes the result format (no ATE/ATV/ATQ/ATS/ATZ/AT&F can be formed: templates
// hold none, strings hold no 'A', 'a' or '"', data bursts no 'A', 'a' or '"'), so the oracle can
// read the modem's answers as E0 V1 Q0 text.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/input_reader.h"
#include "core/common/time.h"
#include "core/modem/events.h"

namespace qftp::fuzz {

struct HostStep {
  enum class Kind : std::uint8_t { bytes, wait, server, network };
  enum class Server : std::uint8_t {
    kick,
    drop_control_eof,
    drop_control_reset,
    drop_data_eof,
    drop_data_reset,
    noise
  };

  Kind kind = Kind::bytes;
  std::string bytes;  // sent back to back, at one instant
  TimeMs wait = 0;
  Server server = Server::kick;
  modem::NetworkEvent::Kind network = modem::NetworkEvent::Kind::context_lost;
};

// Op codes: the first byte of each step, modulo 16.
enum class Op : std::uint8_t {
  line = 0,       // 0..7: an AT command line from a template
  burst = 8,      // raw bytes
  wait = 9,       // time passes
  escape = 10,    // guard, "+++" with gaps, guard
  plus_ath = 11,  // "+++ATH\r" with no pause (must stay data in data mode)
  server = 12,
  network = 13,
  paced = 14,  // raw bytes with time between them
  long_wait = 15,
};

// Templates: the second byte of a line step. Each reads its parameters from the input. The FTP
// commands after V1.1 that move data come last, so that a seed's template bytes keep their meaning:
// listing is AT+QFTPLIST or AT+QFTPNLST (execute, write or test form), sized_get
// AT+QFTPGET="<file>",<size>.
enum class Template : std::uint8_t {
  user,
  pass,
  open,
  path,
  put,
  get,
  cfg,
  simple,
  listing,
  sized_get,
  count
};

// Appends the steps the next op asks for; returns false when the input is exhausted.
bool next_steps(InputReader& in, std::vector<HostStep>& out);

// The preset tables, for ScriptWriter and the dictionary.
const std::vector<std::string>& preset_strings(Template t);  // string parameter presets
const std::vector<std::string>& preset_numbers(Template t);  // sizes, ports, CFG pairs, commands
extern const TimeMs kWaits[16];

// Builds inputs step by step, mirroring next_steps; the server script is written from the back.
class ScriptWriter {
 public:
  // One AT line: the template and its parameters as preset values (each must be in the tables).
  // listing: {"+QFTPLIST" or "+QFTPNLST"} for the execute form, {verb, "=?"} for the test form,
  // {verb, name} for the write form.
  // `flags`: bits 0-1 terminator (CR, LF, CRLF, CR), 2-3 junk before AT (none, " ", ESC, CRLF),
  // bit 4 "at" in lower case, bit 5 "A/" instead of the line.
  ScriptWriter& line(Template t, std::vector<std::string> params, std::uint8_t flags = 0);
  ScriptWriter& burst(std::string_view bytes);
  ScriptWriter& paced(std::string_view bytes, std::uint8_t delay_index);
  ScriptWriter& wait(TimeMs ms);  // must be one of kWaits
  ScriptWriter& long_wait(std::uint8_t index);
  ScriptWriter& escape(std::uint8_t shape = 0);
  ScriptWriter& plus_ath();
  ScriptWriter& server(HostStep::Server what);
  ScriptWriter& network(modem::NetworkEvent::Kind what);
  // Server decisions, consumed in the order the server model asks its plan (fuzz_fault_plan.cpp).
  ScriptWriter& decide(std::vector<std::uint8_t> bytes);
  std::string bytes() const;

 private:
  std::string front_;
  std::string back_;  // in consumption order; reversed onto the end of the input
};

}  // namespace qftp::fuzz
