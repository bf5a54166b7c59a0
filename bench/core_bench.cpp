// Progress::advance is called once per scored window or downloaded chunk: it must cost next to
// nothing when the bar does not need redrawing.
#include <benchmark/benchmark.h>

#include "core/progress.hpp"

static void BM_progress_advance(benchmark::State& state) {
    hubbench::set_progress_mode(hubbench::ProgressMode::plain);
    hubbench::Progress bar("bench", 0);
    for (auto _ : state) bar.advance(1);
    hubbench::set_progress_mode(hubbench::ProgressMode::off);
}
BENCHMARK(BM_progress_advance);
