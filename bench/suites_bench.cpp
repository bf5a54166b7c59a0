// Wall time of the default suite (suites/default.yaml) on tiny-llama and tiny-bert, with the split
// between tokenization, forward passes and scoring that every SuiteResult carries. One iteration
// each: a task over the whole of WikiText-2 takes tens of seconds.
//   hubbench-bench --benchmark_filter=default_suite
// And the log-softmax that scoring spends its time in, per vocabulary row.
#include <benchmark/benchmark.h>

#include <cmath>
#include <vector>

#include "adapters/log_softmax.hpp"
#include "adapters/native/native_adapter.hpp"
#include "core/progress.hpp"
#include "suites/suite_file.hpp"

namespace {

using namespace hubbench;

void run_default_suite(benchmark::State& state, const char* fixture, const char* task) {
    set_progress_mode(ProgressMode::off);
    const auto dir = std::filesystem::path(HUBBENCH_SOURCE_DIR) / "assets/models/fixtures" / fixture;
    auto adapter = adapters::open_native(dir, {"", "", static_cast<int>(state.range(0))});
    const auto suite = suites::builtin_suite("default");
    const suites::TaskSpec* spec = nullptr;
    for (const auto& t : suite.tasks) {
        if (t.task == task) spec = &t;
    }
    if (spec == nullptr) {
        state.SkipWithError("task not in the default suite");
        return;
    }
    adapters::PhaseTimings phases;
    double n = 0;
    for (auto _ : state) {
        auto results = suites::run_task_or_skip(*adapter, *spec, {true});
        if (results.at(0).skipped) {
            state.SkipWithError(results[0].skipped->c_str());
            return;
        }
        phases = results[0].timings;
        n = static_cast<double>(results[0].n);
    }
    state.counters["tokenize_s"] = phases.tokenize;
    state.counters["forward_s"] = phases.forward;
    state.counters["score_s"] = phases.score;
    state.counters["items"] = n;
    state.counters["threads"] = static_cast<double>(adapter->threads());
}

void BM_default_suite_llama_perplexity(benchmark::State& s) { run_default_suite(s, "tiny-llama", "perplexity"); }
void BM_default_suite_llama_sts(benchmark::State& s) { run_default_suite(s, "tiny-llama", "sts"); }
void BM_default_suite_llama_speed(benchmark::State& s) { run_default_suite(s, "tiny-llama", "speed"); }
void BM_default_suite_bert_pppl(benchmark::State& s) { run_default_suite(s, "tiny-bert", "pppl"); }
void BM_default_suite_bert_sts(benchmark::State& s) { run_default_suite(s, "tiny-bert", "sts"); }
void BM_default_suite_bert_speed(benchmark::State& s) { run_default_suite(s, "tiny-bert", "speed"); }

// Argument: compute threads (1, and 0 = all cores).
#define SUITE_BENCH(fn) BENCHMARK(fn)->Arg(1)->Arg(0)->Iterations(1)->Unit(benchmark::kSecond)->UseRealTime()
SUITE_BENCH(BM_default_suite_llama_perplexity);
SUITE_BENCH(BM_default_suite_llama_sts);
SUITE_BENCH(BM_default_suite_llama_speed);
SUITE_BENCH(BM_default_suite_bert_pppl);
SUITE_BENCH(BM_default_suite_bert_sts);
SUITE_BENCH(BM_default_suite_bert_speed);

void BM_log_softmax_row(benchmark::State& state) {
    const auto vocab = static_cast<std::size_t>(state.range(0));
    std::vector<float> row(vocab);
    for (std::size_t i = 0; i < vocab; ++i) row[i] = static_cast<float>(std::sin(0.37 * static_cast<double>(i)) * 6.0);
    for (auto _ : state) benchmark::DoNotOptimize(adapters::log_softmax_at(row.data(), vocab, 7));
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * vocab));
}
BENCHMARK(BM_log_softmax_row)->Arg(4096)->Arg(32000)->Arg(151936);

}  // namespace
