// Wall-clock timing for the per-phase split (tokenize / forward / score) that suites report.
#pragma once
#include <chrono>

namespace hubbench::adapters {

class Stopwatch {
public:
    Stopwatch() : start_(std::chrono::steady_clock::now()) {}
    double seconds() const {
        return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    }
    void restart() { start_ = std::chrono::steady_clock::now(); }

private:
    std::chrono::steady_clock::time_point start_;
};

// Adds the lifetime of the scope to `total` (seconds), also when the scope is left by a throw.
class ScopedTimer {
public:
    explicit ScopedTimer(double& total) : total_(total) {}
    ~ScopedTimer() { total_ += watch_.seconds(); }
    ScopedTimer(const ScopedTimer&) = delete;
    ScopedTimer& operator=(const ScopedTimer&) = delete;

private:
    double& total_;
    Stopwatch watch_;
};

}  // namespace hubbench::adapters
