// telnet_codec_test.cpp: the telnet codec and the RFC 2217 setup as units: every IAC case (doubled
// in data, split across reads, inside subnegotiations, a subnegotiation broken off), negotiation
// without loops, ser2net's own greeting, and the SET-* commands with their acknowledgements.
#include <gtest/gtest.h>

#include <string>

#include "te/com_port_option.h"
#include "te/telnet_codec.h"

namespace qftp::te {
namespace {

using namespace std::string_literals;

// Bytes written as in the RFCs' tables: "\xff\xfb\x00" is IAC WILL BINARY.
std::string bytes(std::initializer_list<int> values) {
  std::string out;
  for (const int v : values) out.push_back(static_cast<char>(v));
  return out;
}

constexpr int kIac = 255, kDont = 254, kDo = 253, kWont = 252, kWill = 251, kSb = 250, kSe = 240,
              kNop = 241, kGa = 249;
constexpr int kBinary = 0, kEcho = 1, kSga = 3, kCom = 44, kLinemode = 34;

// A codec that has sent its opening requests, as DutLink's is after connecting.
TelnetCodec started() {
  TelnetCodec codec;
  (void)codec.start(true);
  return codec;
}

std::string feed(TelnetCodec& codec, const std::string& wire) {
  std::string data;
  codec.receive(wire, data);
  return data;
}

TEST(TelnetCodec, OpensWithBinaryAndSuppressGoAheadBothWaysAndComPort) {
  TelnetCodec codec;
  EXPECT_EQ(codec.start(true), bytes({kIac, kWill, kBinary, kIac, kDo, kBinary, kIac, kWill, kSga,
                                      kIac, kDo, kSga, kIac, kWill, kCom}));
  EXPECT_TRUE(codec.negotiating());
  TelnetCodec plain;
  EXPECT_EQ(plain.start(false),
            bytes({kIac, kWill, kBinary, kIac, kDo, kBinary, kIac, kWill, kSga, kIac, kDo, kSga}));
}

TEST(TelnetCodec, DataPassesAndADoubledIacIsOneDataByte) {
  TelnetCodec codec = started();
  EXPECT_EQ(feed(codec, "AT\r\r\nOK\r\n"), "AT\r\r\nOK\r\n");
  EXPECT_EQ(feed(codec, "a" + bytes({kIac, kIac}) + "b" + bytes({kIac, kIac, kIac, kIac})),
            "a\xff"
            "b\xff\xff"s);
  EXPECT_TRUE(codec.take_output().empty());
}

TEST(TelnetCodec, CarriageReturnNulIsLeftAsItIs) {
  // BINARY is agreed both ways before any data flows (DutLink refuses a server that will not), and
  // in binary mode CR NUL is two data bytes; the codec never translates it.
  TelnetCodec codec = started();
  EXPECT_EQ(feed(codec, "\r\0x\r\n"s), "\r\0x\r\n"s);
  std::string out;
  TelnetCodec::escape("AT\r", out);
  EXPECT_EQ(out, "AT\r");
}

TEST(TelnetCodec, AnIacSplitAcrossReadsIsStillOneByteOrOneCommand) {
  TelnetCodec codec = started();
  EXPECT_EQ(feed(codec, "x" + bytes({kIac})), "x");
  EXPECT_EQ(feed(codec, bytes({kIac}) + "y"), "\xffy");
  // IAC | WILL | ECHO in three reads: refused once, with nothing leaking into the data.
  EXPECT_EQ(feed(codec, bytes({kIac})), "");
  EXPECT_EQ(feed(codec, bytes({kWill})), "");
  EXPECT_EQ(feed(codec, bytes({kEcho}) + "z"), "z");
  EXPECT_EQ(codec.take_output(), bytes({kIac, kDont, kEcho}));
}

TEST(TelnetCodec, OtherCommandsCarryNothing) {
  TelnetCodec codec = started();
  EXPECT_EQ(feed(codec, "a" + bytes({kIac, kNop}) + "b" + bytes({kIac, kGa}) + "c"), "abc");
  EXPECT_TRUE(codec.take_output().empty());
}

TEST(TelnetCodec, AnswersToOurRequestsAreNotAnsweredAgain) {
  TelnetCodec codec = started();
  feed(codec, bytes({kIac, kDo, kBinary, kIac, kWill, kBinary, kIac, kDo, kSga, kIac, kWill, kSga,
                     kIac, kDo, kCom}));
  EXPECT_TRUE(codec.local_enabled(kBinary));
  EXPECT_TRUE(codec.remote_enabled(kBinary));
  EXPECT_TRUE(codec.local_enabled(kSga));
  EXPECT_TRUE(codec.remote_enabled(kSga));
  EXPECT_TRUE(codec.local_enabled(kCom));
  EXPECT_FALSE(codec.negotiating());
  EXPECT_TRUE(codec.take_output().empty());
  // A server that says it again gets no answer either: no loop can start.
  feed(codec, bytes({kIac, kDo, kSga, kIac, kWill, kBinary}));
  EXPECT_TRUE(codec.take_output().empty());
}

TEST(TelnetCodec, ServerRequestsAreAgreedOrRefused) {
  TelnetCodec codec;  // no requests of ours yet
  (void)codec.start(false);
  feed(codec, bytes({kIac, kWill, kEcho, kIac, kDo, kLinemode, kIac, kDo, kCom, kIac, kWill, 200}));
  EXPECT_EQ(codec.take_output(), bytes({kIac, kDont, kEcho, kIac, kWont, kLinemode, kIac, kWont,
                                        kCom, kIac, kDont, 200}));
  EXPECT_FALSE(codec.remote_enabled(kEcho));
  EXPECT_FALSE(codec.local_enabled(kCom));
  // A refusal of something already off needs no answer.
  feed(codec, bytes({kIac, kWont, kEcho, kIac, kDont, kLinemode}));
  EXPECT_TRUE(codec.take_output().empty());
}

TEST(TelnetCodec, TheServerTurningAnOptionOffIsAcknowledgedOnce) {
  TelnetCodec codec = started();
  feed(codec, bytes({kIac, kDo, kBinary, kIac, kWill, kBinary}));
  feed(codec, bytes({kIac, kWont, kBinary, kIac, kDont, kBinary}));
  EXPECT_EQ(codec.take_output(), bytes({kIac, kDont, kBinary, kIac, kWont, kBinary}));
  EXPECT_FALSE(codec.local_enabled(kBinary));
  EXPECT_FALSE(codec.remote_enabled(kBinary));
  feed(codec, bytes({kIac, kWont, kBinary}));
  EXPECT_TRUE(codec.take_output().empty());
}

TEST(TelnetCodec, ARefusedRequestSettlesWithoutAnswer) {
  TelnetCodec codec = started();
  feed(codec, bytes({kIac, kDont, kCom, kIac, kWont, kSga}));
  EXPECT_FALSE(codec.local_enabled(kCom));
  EXPECT_FALSE(codec.remote_enabled(kSga));
  EXPECT_TRUE(codec.take_output().empty());
}

TEST(TelnetCodec, Ser2netGreetingAsCaptured) {
  // What ser2net 4.3 sends on a telnet(rfc2217) port before it has heard anything, then its answers
  // to our requests: a repeated DO SGA and a modem state notice.
  TelnetCodec codec = started();
  const std::string greeting =
      bytes({kIac,  kWill, kSga, kIac,    kDo,  kSga,  kIac,    kWill, kEcho, kIac, kDont,
             kEcho, kIac,  kDo,  kBinary, kIac, kWill, kBinary, kIac,  kDo,   kCom});
  EXPECT_EQ(feed(codec, greeting), "");
  EXPECT_EQ(feed(codec, bytes({kIac, kDo, kSga, kIac, kSb, kCom, 107, 0, kIac, kSe})), "");
  EXPECT_FALSE(codec.negotiating());
  EXPECT_TRUE(codec.local_enabled(kBinary) && codec.remote_enabled(kBinary));
  EXPECT_TRUE(codec.local_enabled(kCom));
  EXPECT_EQ(codec.take_output(), bytes({kIac, kDont, kEcho}));
  const auto sbs = codec.take_subnegotiations();
  ASSERT_EQ(sbs.size(), 1U);
  EXPECT_EQ(sbs[0].option, kCom);
  EXPECT_EQ(sbs[0].payload, bytes({107, 0}));
}

TEST(TelnetCodec, SubnegotiationWithDoubledIacInsideSplitByteByByte) {
  TelnetCodec codec = started();
  const std::string wire =
      "a" + bytes({kIac, kSb, kCom, 101, 0, kIac, kIac, 1, kIac, kIac, kIac, kSe}) + "b";
  std::string data;
  for (const char c : wire) codec.receive(std::string(1, c), data);
  EXPECT_EQ(data, "ab");
  const auto sbs = codec.take_subnegotiations();
  ASSERT_EQ(sbs.size(), 1U);
  EXPECT_EQ(sbs[0].option, kCom);
  EXPECT_EQ(sbs[0].payload, bytes({101, 0, 255, 1, 255}));
}

TEST(TelnetCodec, ASubnegotiationBrokenOffByACommandIsDropped) {
  TelnetCodec codec = started();
  EXPECT_EQ(feed(codec, bytes({kIac, kSb, kCom, 101, 0, kIac, kWill, kEcho}) + "x"), "x");
  EXPECT_TRUE(codec.take_subnegotiations().empty());
  EXPECT_EQ(codec.take_output(), bytes({kIac, kDont, kEcho}));
}

TEST(TelnetCodec, AnEndlessSubnegotiationStaysBounded) {
  TelnetCodec codec = started();
  feed(codec, bytes({kIac, kSb, kCom}) + std::string(100000, 'x'));
  EXPECT_EQ(feed(codec, bytes({kIac, kSe}) + "ok"), "ok");
  const auto sbs = codec.take_subnegotiations();
  ASSERT_EQ(sbs.size(), 1U);
  EXPECT_LT(sbs[0].payload.size(), 100000U);
}

TEST(TelnetCodec, EscapeDoublesEveryIac) {
  std::string out = "pre:";
  TelnetCodec::escape(
      "\xff"
      "a\xff\xff"
      "b\xff"s,
      out);
  EXPECT_EQ(out,
            "pre:\xff\xff"
            "a\xff\xff\xff\xff"
            "b\xff\xff"s);
  EXPECT_EQ(TelnetCodec::subnegotiation(kCom, bytes({1, 0, 1, 255, 0})),
            bytes({kIac, kSb, kCom, 1, 0, 1, kIac, kIac, 0, kIac, kSe}));
}

TEST(ComPortSetup, FiveCommandsAsPyserialSendsThem) {
  ComPortSetup setup({115200, false});
  EXPECT_EQ(setup.requests(), bytes({kIac, kSb, kCom, 1, 0x00, 0x01, 0xc2, 0x00, kIac, kSe,  // baud
                                     kIac, kSb, kCom, 2, 8,    kIac, kSe,     // datasize
                                     kIac, kSb, kCom, 3, 1,    kIac, kSe,     // parity none
                                     kIac, kSb, kCom, 4, 1,    kIac, kSe,     // 1 stop bit
                                     kIac, kSb, kCom, 5, 1,    kIac, kSe}));  // no flow
  ComPortSetup rtscts({9600, true});
  EXPECT_NE(rtscts.requests().find(bytes({kIac, kSb, kCom, 5, 3, kIac, kSe})), std::string::npos);
  EXPECT_NE(rtscts.requests().find(bytes({kIac, kSb, kCom, 1, 0, 0, 0x25, 0x80, kIac, kSe})),
            std::string::npos);
}

TEST(ComPortSetup, ABaudRateWithAnIacByteIsEscaped) {
  ComPortSetup setup({0x0001ff00, false});
  EXPECT_NE(
      setup.requests().find(bytes({kIac, kSb, kCom, 1, 0x00, 0x01, kIac, kIac, 0x00, kIac, kSe})),
      std::string::npos);
}

TEST(ComPortSetup, DoneWhenEveryCommandIsAnsweredAsAsked) {
  ComPortSetup setup({115200, true});
  EXPECT_FALSE(setup.done());
  EXPECT_EQ(setup.unanswered(),
            "SET-BAUDRATE, SET-DATASIZE, SET-PARITY, SET-STOPSIZE, SET-CONTROL");
  setup.on_reply(bytes({107, 0x30}));  // a modem state notice is no answer
  setup.on_reply(bytes({101, 0x00, 0x01, 0xc2, 0x00}));
  setup.on_reply(bytes({102, 8}));
  setup.on_reply(bytes({103, 1}));
  setup.on_reply(bytes({104, 1}));
  EXPECT_FALSE(setup.done());
  EXPECT_EQ(setup.unanswered(), "SET-CONTROL");
  setup.on_reply(bytes({105, 3}));
  EXPECT_TRUE(setup.done());
  EXPECT_TRUE(setup.result().ok());
}

TEST(ComPortSetup, AnAnswerThatDiffersIsAnError) {
  ComPortSetup setup({115200, true});
  setup.on_reply(bytes({101, 0x00, 0x00, 0x25, 0x80}));
  setup.on_reply(bytes({105, 1}));
  const auto st = setup.result();
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error(), "the serial server answered SET-BAUDRATE 115200 with 9600");
}

TEST(ComPortSetup, FlowControlNotices) {
  EXPECT_EQ(com_port_suspends(bytes({108})), true);
  EXPECT_EQ(com_port_suspends(bytes({109})), false);
  EXPECT_EQ(com_port_suspends(bytes({107, 0})), std::nullopt);
  EXPECT_EQ(com_port_suspends(""), std::nullopt);
}

}  // namespace
}  // namespace qftp::te
