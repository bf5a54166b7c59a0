#include "core/progress.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace hubbench {
namespace {
std::atomic<int> g_mode{-1};  // -1: not decided yet
std::mutex g_active_mutex;
Progress* g_active = nullptr;  // the bar currently drawn on the terminal line, if any
bool g_line_dirty = false;

constexpr auto k_tty_interval = std::chrono::milliseconds(100);
constexpr auto k_plain_interval = std::chrono::seconds(10);

void write_stderr(const std::string& s) {
    std::fwrite(s.data(), 1, s.size(), stderr);
    std::fflush(stderr);
}
}  // namespace

ProgressMode detect_progress_mode() {
    if (const char* env = std::getenv("HUBBENCH_PROGRESS")) {
        if (std::strcmp(env, "tty") == 0) return ProgressMode::tty;
        if (std::strcmp(env, "plain") == 0) return ProgressMode::plain;
        if (std::strcmp(env, "off") == 0) return ProgressMode::off;
    }
    return isatty(STDERR_FILENO) ? ProgressMode::tty : ProgressMode::plain;
}

void set_progress_mode(ProgressMode mode) { g_mode.store(static_cast<int>(mode)); }

ProgressMode progress_mode() {
    int m = g_mode.load();
    if (m < 0) {
        m = static_cast<int>(detect_progress_mode());
        g_mode.store(m);
    }
    return static_cast<ProgressMode>(m);
}

namespace progress_detail {
void clear_line_for_log() {
    std::lock_guard lock(g_active_mutex);
    if (g_line_dirty) {
        write_stderr("\r\x1b[K");
        g_line_dirty = false;
    }
}
void redraw_after_log() {
    std::lock_guard lock(g_active_mutex);
    if (g_active != nullptr && progress_mode() == ProgressMode::tty) {
        write_stderr(g_active->render());
        g_line_dirty = true;
    }
}
std::string format_bytes_or_count(double value, const std::string& unit) {
    if (unit == "B") {
        const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
        int i = 0;
        while (value >= 1024.0 && i < 4) {
            value /= 1024.0;
            ++i;
        }
        return i == 0 ? fmt::format("{:.0f} B", value) : fmt::format("{:.1f} {}", value, units[i]);
    }
    std::string number = value >= 100 || value == static_cast<double>(static_cast<long long>(value))
                             ? fmt::format("{:.0f}", value)
                             : fmt::format("{:.1f}", value);
    return unit.empty() ? number : number + " " + unit;
}
}  // namespace progress_detail

Progress::Progress(std::string label, std::uint64_t total, std::string unit)
    : label_(std::move(label)), unit_(std::move(unit)), total_(total),
      start_(std::chrono::steady_clock::now()), last_draw_(start_) {
    if (progress_mode() == ProgressMode::tty) {
        std::lock_guard lock(g_active_mutex);
        g_active = this;
    }
}

Progress::~Progress() {
    finish();
    std::lock_guard lock(g_active_mutex);
    if (g_active == this) g_active = nullptr;
}

void Progress::advance(std::uint64_t n) {
    {
        std::lock_guard lock(mutex_);
        done_ += n;
    }
    maybe_draw(false);
}

void Progress::set_total(std::uint64_t total) {
    std::lock_guard lock(mutex_);
    total_ = total;
}

std::string Progress::render() const {
    std::lock_guard lock(mutex_);
    using progress_detail::format_bytes_or_count;
    double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    double rate = seconds > 0 ? static_cast<double>(done_) / seconds : 0.0;
    std::string rate_text = format_bytes_or_count(rate, unit_) + "/s";
    if (total_ > 0) {
        double fraction = std::min(1.0, static_cast<double>(done_) / static_cast<double>(total_));
        constexpr int width = 24;
        int filled = static_cast<int>(fraction * width);
        std::string bar(static_cast<std::size_t>(filled), '#');
        bar.append(static_cast<std::size_t>(width - filled), '.');
        return fmt::format("{} [{}] {:3.0f}% {}/{} {}", label_, bar, fraction * 100.0,
                           format_bytes_or_count(static_cast<double>(done_), unit_),
                           format_bytes_or_count(static_cast<double>(total_), unit_), rate_text);
    }
    return fmt::format("{} {} {}", label_, format_bytes_or_count(static_cast<double>(done_), unit_), rate_text);
}

void Progress::maybe_draw(bool force) {
    ProgressMode mode = progress_mode();
    if (mode == ProgressMode::off) return;
    auto now = std::chrono::steady_clock::now();
    {
        std::lock_guard lock(mutex_);
        auto interval = mode == ProgressMode::tty ? std::chrono::duration_cast<std::chrono::milliseconds>(k_tty_interval)
                                                  : std::chrono::duration_cast<std::chrono::milliseconds>(k_plain_interval);
        if (!force && now - last_draw_ < interval) return;
        last_draw_ = now;
    }
    std::string line = render();
    std::lock_guard lock(g_active_mutex);
    if (mode == ProgressMode::tty) {
        write_stderr("\r\x1b[K" + line);
        g_line_dirty = true;
    } else {
        write_stderr(line + "\n");
    }
}

void Progress::finish() {
    {
        std::lock_guard lock(mutex_);
        if (finished_) return;
        finished_ = true;
    }
    ProgressMode mode = progress_mode();
    if (mode == ProgressMode::off) return;
    std::string line = render();
    std::lock_guard lock(g_active_mutex);
    write_stderr((mode == ProgressMode::tty ? "\r\x1b[K" : "") + line + "\n");
    g_line_dirty = false;
    if (g_active == this) g_active = nullptr;
}

}  // namespace hubbench
