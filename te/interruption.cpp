// interruption.cpp: the handlers only store the signal (async-signal-safe); the TE session polls it
// between short slices of every wait.
#include "te/interruption.h"

#include <unistd.h>

#include <atomic>
#include <csignal>
#include <cstdio>

namespace qftp::te {
namespace {

std::atomic<int> g_signal{0};

// The exit code of an interrupted run (docs/architecture.md §3).
constexpr int kExitInterrupted = 3;

void on_signal(int signal) {
  int expected = 0;
  if (!g_signal.compare_exchange_strong(expected, signal)) {
    static constexpr char kMessage[] = "qftp-conformance: second signal, exiting at once\n";
    (void)!::write(STDERR_FILENO, kMessage, sizeof kMessage - 1);
    ::_exit(kExitInterrupted);
  }
  static constexpr char kMessage[] =
      "qftp-conformance: interrupted; ending the current case and writing the report (a second "
      "signal exits at once)\n";
  (void)!::write(STDERR_FILENO, kMessage, sizeof kMessage - 1);
}

}  // namespace

void install_interrupt_handlers() {
  struct sigaction action {};
  action.sa_handler = on_signal;
  sigemptyset(&action.sa_mask);
  action.sa_flags = 0;  // no SA_RESTART: a blocking poll returns EINTR and its caller looks
  for (const int signal : {SIGINT, SIGTERM, SIGHUP}) ::sigaction(signal, &action, nullptr);
}

int interrupt_signal() {
  return g_signal.load();
}

const char* signal_name(int signal) {
  switch (signal) {
    case SIGINT:
      return "SIGINT";
    case SIGTERM:
      return "SIGTERM";
    case SIGHUP:
      return "SIGHUP";
    default:
      return "a signal";
  }
}

}  // namespace qftp::te
