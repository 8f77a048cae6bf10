// r_connection_release_test.cpp: R/46, a session the DUT reports as over holds no connection. Once
// +QFTPOPEN:<err> says an open failed, or +QFTPCLOSE the session closed, the server sees the DUT's
// control connection close: a login the server refused (it keeps the connection for another try,
// as RFC 959 lets it), an answer that is no FTP reply, and a close in order.
#include "harness/qftp_case.h"

namespace qftp::harness {
namespace {

class R_ConnectionRelease : public QftpCase {
 protected:
  // An open the fixture spoils with `directive`: its +QFTPOPEN must be an error, and then no
  // session may stay open at the server.
  Done failed_open_releases(const std::string& directive) {
    if (auto st = set_account(); !st.ok()) return st;
    if (auto id = fault(directive + " times=1"); !id.ok()) return id.outcome();
    auto opened = urc_of(open_command(), "+QFTPOPEN", urc_timeout() + transfer_timeout());
    if (!opened.ok()) return opened.outcome();
    if (opened.value().value.rfind('-', 0) != 0) {
      return fail(directive + ": the open gave +QFTPOPEN:" + opened.value().value +
                  ", not an error");
    }
    auto open = server_sessions_within(urc_timeout());
    if (!open.ok()) return open.outcome();
    if (open.value() != 0) {
      return fail(directive + ": after +QFTPOPEN:" + opened.value().value + " the server still has " +
                  std::to_string(open.value()) + " session(s) open from the DUT");
    }
    return {};
  }
};

QFTP_CASE(R_ConnectionRelease, ALoginTheServerRefusedLeavesNoConnectionOpen, "R/46") {
  QFTP_DO(failed_open_releases("REPLY PASS 530"));
}

QFTP_CASE(R_ConnectionRelease, AnOpenAnsweredWithNoReplyLeavesNoConnectionOpen, "R/46") {
  QFTP_DO(failed_open_releases("GARBAGE PWD"));
}

QFTP_CASE(R_ConnectionRelease, AClosedSessionLeavesNoConnectionOpen, "R/46") {
  QFTP_SETUP(open_session());
  QFTP_DO(close_session());
  QFTP_TRY(auto open, server_sessions_within(urc_timeout()));
  EXPECT_EQ(open, 0U) << "after +QFTPCLOSE:0 the server still has a session open from the DUT";
}

}  // namespace
}  // namespace qftp::harness
