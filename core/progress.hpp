// A progress bar for long work (downloads, evaluation). On a terminal it redraws one line in place;
// otherwise (CI logs, pipes) it prints a plain line at most every few seconds; with -q it is silent.
// HUBBENCH_PROGRESS=tty|plain|off overrides the detection.
#pragma once
#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>

namespace hubbench {

enum class ProgressMode { tty, plain, off };

// Set once by the CLI from -q and the environment; defaults to detecting whether stderr is a TTY.
void set_progress_mode(ProgressMode mode);
ProgressMode progress_mode();
ProgressMode detect_progress_mode();

class Progress {
public:
    // total == 0 means "unknown": the bar shows the count and rate without a percentage.
    Progress(std::string label, std::uint64_t total, std::string unit = "");
    ~Progress();
    Progress(const Progress&) = delete;
    Progress& operator=(const Progress&) = delete;

    void advance(std::uint64_t n = 1);
    void set_total(std::uint64_t total);
    // Prints the final state once; called by the destructor if not called before.
    void finish();

    // The line as it would be drawn now (for tests and for the plain mode).
    std::string render() const;

private:
    void maybe_draw(bool force);

    std::string label_;
    std::string unit_;
    std::uint64_t total_;
    std::uint64_t done_ = 0;
    bool finished_ = false;
    std::chrono::steady_clock::time_point start_;
    std::chrono::steady_clock::time_point last_draw_;
    mutable std::mutex mutex_;
};

namespace progress_detail {
// Used by the logger so that a log line does not land in the middle of a bar being redrawn.
void clear_line_for_log();
void redraw_after_log();
std::string format_bytes_or_count(double value, const std::string& unit);
}  // namespace progress_detail

}  // namespace hubbench
