// Levelled logging to stderr. The level comes from -v/-q on the command line or HUBBENCH_LOG
// (error|warn|info|debug|trace). stdout is reserved for a command's result.
#pragma once
#include <fmt/format.h>

#include <optional>
#include <string_view>

namespace hubbench::log {

enum class Level { trace = 0, debug = 1, info = 2, warn = 3, error = 4, off = 5 };

void set_level(Level level);
Level level();
bool enabled(Level level);
std::optional<Level> parse_level(std::string_view name);
// Applies HUBBENCH_LOG if it is set and valid; returns false if it is set but invalid.
bool apply_environment();

void write(Level level, std::string_view message);

template <typename... Args>
void trace(fmt::format_string<Args...> f, Args&&... args) {
    if (enabled(Level::trace)) write(Level::trace, fmt::format(f, std::forward<Args>(args)...));
}
template <typename... Args>
void debug(fmt::format_string<Args...> f, Args&&... args) {
    if (enabled(Level::debug)) write(Level::debug, fmt::format(f, std::forward<Args>(args)...));
}
template <typename... Args>
void info(fmt::format_string<Args...> f, Args&&... args) {
    if (enabled(Level::info)) write(Level::info, fmt::format(f, std::forward<Args>(args)...));
}
template <typename... Args>
void warn(fmt::format_string<Args...> f, Args&&... args) {
    if (enabled(Level::warn)) write(Level::warn, fmt::format(f, std::forward<Args>(args)...));
}
template <typename... Args>
void error(fmt::format_string<Args...> f, Args&&... args) {
    if (enabled(Level::error)) write(Level::error, fmt::format(f, std::forward<Args>(args)...));
}

}  // namespace hubbench::log
