#include "core/log.hpp"

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <string>

#include "core/progress.hpp"

namespace hubbench::log {
namespace {
std::atomic<Level> g_level{Level::info};
std::mutex g_mutex;

const char* prefix(Level level) {
    switch (level) {
        case Level::trace: return "trace: ";
        case Level::debug: return "debug: ";
        case Level::info: return "";
        case Level::warn: return "warning: ";
        case Level::error: return "error: ";
        case Level::off: return "";
    }
    return "";
}
}  // namespace

void set_level(Level level) { g_level.store(level); }
Level level() { return g_level.load(); }
bool enabled(Level l) { return l >= g_level.load() && l != Level::off; }

std::optional<Level> parse_level(std::string_view name) {
    if (name == "trace") return Level::trace;
    if (name == "debug") return Level::debug;
    if (name == "info") return Level::info;
    if (name == "warn" || name == "warning") return Level::warn;
    if (name == "error") return Level::error;
    if (name == "off" || name == "quiet") return Level::off;
    return std::nullopt;
}

bool apply_environment() {
    const char* env = std::getenv("HUBBENCH_LOG");
    if (env == nullptr || *env == '\0') return true;
    auto parsed = parse_level(env);
    if (!parsed) return false;
    set_level(*parsed);
    return true;
}

void write(Level l, std::string_view message) {
    std::lock_guard lock(g_mutex);
    // A progress bar being redrawn on this terminal line is cleared first, then redrawn after.
    progress_detail::clear_line_for_log();
    std::string line = std::string(prefix(l)) + std::string(message) + "\n";
    std::fwrite(line.data(), 1, line.size(), stderr);
    std::fflush(stderr);
    progress_detail::redraw_after_log();
}

}  // namespace hubbench::log
