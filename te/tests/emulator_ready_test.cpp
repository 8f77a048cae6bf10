// emulator_ready_test.cpp: the READY line qftp-emu prints once it serves, as EmulatorProcess reads
// it: the pty device or the TCP endpoint, and the control port when there is one.
#include <gtest/gtest.h>

#include "te/emulator_process.h"

namespace qftp::te {
namespace {

TEST(EmulatorReadyLine, PtyWithControl) {
  const auto pty = parse_emulator_ready("READY pty /dev/pts/7 control=127.0.0.1:4000");
  ASSERT_TRUE(pty.ok()) << pty.error();
  EXPECT_EQ(pty->transport, EmulatorOptions::Transport::pty);
  EXPECT_EQ(pty->device, "/dev/pts/7");
  EXPECT_EQ(pty->control_port, 4000);
}

TEST(EmulatorReadyLine, TcpWithoutControl) {
  const auto tcp = parse_emulator_ready("READY tcp 127.0.0.1:5000");
  ASSERT_TRUE(tcp.ok()) << tcp.error();
  EXPECT_EQ(tcp->transport, EmulatorOptions::Transport::tcp);
  EXPECT_EQ(tcp->host, "127.0.0.1");
  EXPECT_EQ(tcp->port, 5000);
  EXPECT_EQ(tcp->control_port, 0);
}

TEST(EmulatorReadyLine, AnythingElseIsRefusedWithTheLineQuoted) {
  for (const std::string_view bad :
       {"READY stdio", "READY tcp 127.0.0.1:0", "READY tcp 127.0.0.1", "READY pty",
        "READY pty /dev/pts/7 control=x", "READY pty /dev/pts/7 extra", "ready pty /dev/pts/7",
        ""}) {
    const auto parsed = parse_emulator_ready(bad);
    ASSERT_FALSE(parsed.ok()) << "accepted \"" << bad << "\"";
    EXPECT_NE(parsed.error().find("\"" + std::string(bad) + "\""), std::string::npos)
        << parsed.error();
  }
}

}  // namespace
}  // namespace qftp::te
