// interruption.h: SIGINT, SIGTERM and SIGHUP end a run in order: the first one is recorded and
// every wait of the TE session ends at once (the case in progress becomes `error`), the suite stops
// its children and writes the report of what ran; a second signal exits at once.
#pragma once

namespace qftp::te {

// Installs the handlers (once, from main).
void install_interrupt_handlers();

// The signal that interrupted the run, or 0.
int interrupt_signal();

// "SIGINT", "SIGTERM", "SIGHUP", or "signal N".
const char* signal_name(int signal);

}  // namespace qftp::te
