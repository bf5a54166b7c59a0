// Ctrl-C handling. The first SIGINT/SIGTERM sets a flag that long loops poll with
// throw_if_interrupted(), so work stops at a safe point (a finished file, a committed row) and the
// CLI exits 130 with nothing half-written. A second signal exits at once.
#pragma once

namespace hubbench {

void install_interrupt_handlers();
bool interrupted();
void throw_if_interrupted();   // throws Error(ErrorKind::interrupted)
void reset_interrupted();      // for tests

}  // namespace hubbench
