// telnet_codec.cpp: the telnet byte parser (data, IAC commands, subnegotiations, in any split
// across reads) and option negotiation without loops (RFC 1143's rule: answer only a change of
// state).
#include "te/telnet_codec.h"

#include <algorithm>

namespace qftp::te {
namespace {

using namespace telnet;

// A server that never ends a subnegotiation must not grow the buffer without bound; no option this
// client understands has a payload near this size.
constexpr std::size_t kMaxSubnegotiation = 4096;

constexpr char to_char(std::uint8_t b) {
  return static_cast<char>(b);
}

}  // namespace

std::string TelnetCodec::start(bool com_port) {
  com_port_ = com_port;
  for (const std::uint8_t option : {kBinary, kSuppressGoAhead}) {
    local_[option].pending = true;
    send_verb(kWill, option);
    remote_[option].pending = true;
    send_verb(kDo, option);
  }
  if (com_port) {
    local_[kComPortOption].pending = true;
    send_verb(kWill, kComPortOption);
  }
  return take_output();
}

bool TelnetCodec::accepts(std::uint8_t option) const {
  switch (option) {
    case kBinary:
    case kSuppressGoAhead:
      return true;
    case kComPortOption:
      // Ours is RFC 2217's client role; a server that offers its own side is taken up as pyserial
      // does, since either way the server then listens to our commands.
      return com_port_;
    default:
      // ECHO among them: the modem echoes, a telnet echo on top would double every command.
      return false;
  }
}

void TelnetCodec::receive(std::string_view bytes, std::string& data) {
  std::size_t i = 0;
  while (i < bytes.size()) {
    const auto c = static_cast<std::uint8_t>(bytes[i]);
    switch (state_) {
      case State::data: {
        // Most bytes are data: take the run up to the next IAC at once.
        const auto end = std::min(bytes.find(to_char(kIac), i), bytes.size());
        data.append(bytes.substr(i, end - i));
        i = end;
        if (i < bytes.size()) {
          state_ = State::iac;
          ++i;
        }
        continue;
      }
      case State::iac:
        if (c == kIac) {
          data.push_back(to_char(kIac));
          state_ = State::data;
        } else if (c == kWill || c == kWont || c == kDo || c == kDont) {
          verb_ = c;
          state_ = State::verb;
        } else if (c == kSb) {
          state_ = State::sb_option;
        } else {
          // NOP, DM, GA, AYT and the like carry nothing for a modem link.
          state_ = State::data;
        }
        break;
      case State::verb:
        command(verb_, c);
        state_ = State::data;
        break;
      case State::sb_option:
        sb_.option = c;
        sb_.payload.clear();
        state_ = State::sb;
        break;
      case State::sb:
        if (c == kIac) {
          state_ = State::sb_iac;
        } else if (sb_.payload.size() < kMaxSubnegotiation) {
          sb_.payload.push_back(to_char(c));
        }
        break;
      case State::sb_iac:
        if (c == kIac) {
          if (sb_.payload.size() < kMaxSubnegotiation) sb_.payload.push_back(to_char(kIac));
          state_ = State::sb;
        } else if (c == kSe) {
          subnegotiations_.push_back(std::move(sb_));
          sb_ = {};
          state_ = State::data;
        } else {
          // An IAC command inside a subnegotiation: the server broke it off. Drop it and read the
          // command as if it came after IAC in data.
          sb_ = {};
          state_ = State::iac;
          continue;
        }
        break;
    }
    ++i;
  }
}

void TelnetCodec::command(std::uint8_t verb, std::uint8_t option) {
  const bool local = verb == kDo || verb == kDont;
  Side& side = local ? local_[option] : remote_[option];
  const std::uint8_t yes = local ? kWill : kDo;
  const std::uint8_t no = local ? kWont : kDont;
  const bool asked_on = verb == kWill || verb == kDo;
  if (asked_on) {
    if (side.enabled) {
      side.pending = false;
    } else if (accepts(option)) {
      side.enabled = true;
      // The answer to our own request needs no answer; a request of the server's does.
      if (!side.pending) send_verb(yes, option);
      side.pending = false;
    } else {
      side.pending = false;
      send_verb(no, option);
    }
  } else {
    // WONT or DONT: a refusal of our request, or the end of an enabled option.
    if (side.enabled) {
      side.enabled = false;
      if (!side.pending) send_verb(no, option);
    }
    side.pending = false;
  }
}

void TelnetCodec::send_verb(std::uint8_t verb, std::uint8_t option) {
  output_.push_back(to_char(kIac));
  output_.push_back(to_char(verb));
  output_.push_back(to_char(option));
}

std::string TelnetCodec::take_output() {
  std::string out;
  out.swap(output_);
  return out;
}

std::vector<TelnetSubnegotiation> TelnetCodec::take_subnegotiations() {
  std::vector<TelnetSubnegotiation> out;
  out.swap(subnegotiations_);
  return out;
}

bool TelnetCodec::negotiating() const {
  const auto pending = [](const Side& s) { return s.pending; };
  return std::any_of(local_.begin(), local_.end(), pending) ||
         std::any_of(remote_.begin(), remote_.end(), pending);
}

void TelnetCodec::escape(std::string_view data, std::string& out) {
  out.reserve(out.size() + data.size());
  std::size_t i = 0;
  while (i < data.size()) {
    const auto end = std::min(data.find(to_char(kIac), i), data.size());
    out.append(data.substr(i, end - i));
    if (end < data.size()) {
      out.push_back(to_char(kIac));
      out.push_back(to_char(kIac));
    }
    i = end + 1;
  }
}

std::string TelnetCodec::subnegotiation(std::uint8_t option, std::string_view payload) {
  std::string out{to_char(kIac), to_char(kSb), to_char(option)};
  escape(payload, out);
  out.push_back(to_char(kIac));
  out.push_back(to_char(kSe));
  return out;
}

}  // namespace qftp::te
