#include "core/interrupt.hpp"

#include <csignal>
#include <unistd.h>

#include <atomic>

#include "core/error.hpp"

namespace hubbench {
namespace {
std::atomic<int> g_signal{0};

extern "C" void on_signal(int sig) {
    if (g_signal.exchange(sig) != 0) _exit(128 + sig);  // second Ctrl-C: the user means it
}
}  // namespace

void install_interrupt_handlers() {
    struct sigaction action {};
    action.sa_handler = on_signal;
    sigemptyset(&action.sa_mask);
    sigaction(SIGINT, &action, nullptr);
    sigaction(SIGTERM, &action, nullptr);
    // A closed pipe (`hubbench search | head`) must become a write error, not a silent death.
    std::signal(SIGPIPE, SIG_IGN);
}

bool interrupted() { return g_signal.load() != 0; }

void throw_if_interrupted() {
    if (interrupted()) throw Error(ErrorKind::interrupted, "interrupted");
}

void reset_interrupted() { g_signal.store(0); }

}  // namespace hubbench
