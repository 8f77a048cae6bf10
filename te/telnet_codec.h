// telnet_codec.h: telnet (RFC 854/855) as a serial server's telnet port speaks it, client side and
// sans I/O: server bytes in, data bytes, replies and subnegotiations out; data out IAC-escaped.
// Agrees BINARY and SUPPRESS-GO-AHEAD both ways and COM-PORT-OPTION, refuses every other option.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace qftp::te {

namespace telnet {
inline constexpr std::uint8_t kIac = 255;
inline constexpr std::uint8_t kDont = 254;
inline constexpr std::uint8_t kDo = 253;
inline constexpr std::uint8_t kWont = 252;
inline constexpr std::uint8_t kWill = 251;
inline constexpr std::uint8_t kSb = 250;
inline constexpr std::uint8_t kSe = 240;
inline constexpr std::uint8_t kBinary = 0;
inline constexpr std::uint8_t kEcho = 1;
inline constexpr std::uint8_t kSuppressGoAhead = 3;
inline constexpr std::uint8_t kComPortOption = 44;  // RFC 2217
}  // namespace telnet

struct TelnetSubnegotiation {
  std::uint8_t option = 0;
  std::string payload;  // between the option byte and IAC SE, IAC IAC already undone
};

class TelnetCodec {
 public:
  // The requests a client opens with: WILL and DO BINARY, WILL and DO SUPPRESS-GO-AHEAD and, with
  // `com_port`, WILL COM-PORT-OPTION (RFC 2217's client request). The bytes to send.
  std::string start(bool com_port);

  // Bytes as they came from the server, in any split. Data bytes are appended to `data`; answers
  // to the server's requests wait in take_output(), subnegotiations in take_subnegotiations().
  void receive(std::string_view bytes, std::string& data);
  std::string take_output();
  std::vector<TelnetSubnegotiation> take_subnegotiations();

  // Whether an option is on for our side (we WILL) or the server's (it WILL).
  bool local_enabled(std::uint8_t option) const { return local_[option].enabled; }
  bool remote_enabled(std::uint8_t option) const { return remote_[option].enabled; }
  // A request of ours still waits for its answer.
  bool negotiating() const;

  // `data` as it goes on the wire: IAC doubled, the rest as is (binary both ways, so a CR needs
  // no NUL after it).
  static void escape(std::string_view data, std::string& out);
  // IAC SB option payload IAC SE, the payload's IACs doubled.
  static std::string subnegotiation(std::uint8_t option, std::string_view payload);

 private:
  // One side of one option, after RFC 1143 without its queue: a request of ours is `pending` until
  // the peer answers, and an answer is sent only when the state changes, so no loop can start.
  struct Side {
    bool enabled = false;
    bool pending = false;
  };
  enum class State : std::uint8_t { data, iac, verb, sb_option, sb, sb_iac };

  bool accepts(std::uint8_t option) const;
  void command(std::uint8_t verb, std::uint8_t option);
  void send_verb(std::uint8_t verb, std::uint8_t option);

  bool com_port_ = false;
  State state_ = State::data;
  std::uint8_t verb_ = 0;
  TelnetSubnegotiation sb_;
  std::array<Side, 256> local_{};
  std::array<Side, 256> remote_{};
  std::string output_;
  std::vector<TelnetSubnegotiation> subnegotiations_;
};

}  // namespace qftp::te
