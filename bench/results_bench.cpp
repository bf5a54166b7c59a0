// Results store throughput: how many rows per second record_result() commits (one result with two
// metrics per transaction, the harness's pattern), durable (synchronous=FULL, the default) and
// not (synchronous=NORMAL); the cost of the resume lookup; and reading history back.
// Run: build/<dir>/bench/hubbench-bench --benchmark_filter=Results
#include <benchmark/benchmark.h>

#include <string>

#include "core/fs.hpp"
#include "results/canonical_json.hpp"
#include "results/store.hpp"

namespace {

using namespace hubbench;
using namespace hubbench::results;

constexpr int kModels = 8;

ModelRef model_ref(long i) { return {"bench/model-" + std::to_string(i % kModels), std::string(40, 'a')}; }

const std::string kDataset = std::string(64, 'b');

void register_all(ResultStore& store) {
    for (int m = 0; m < kModels; ++m) {
        ModelRecord model;
        model.repo_id = model_ref(m).repo_id;
        model.commit_sha = model_ref(m).commit_sha;
        store.upsert_model(model);
    }
    store.upsert_dataset({"bench", "bench.txt", kDataset, 1000});
}

ResultRecord result(long i) {
    ResultRecord r;
    r.key.model = model_ref(i);
    r.key.task = "perplexity";
    r.key.dataset_sha256 = kDataset;
    r.key.parameters = canonical_json({{"window", i}, {"stride", 512}});
    r.seconds = 1.0;
    r.metrics = {{"perplexity", 10.0 + static_cast<double>(i % 100), 0.1, 4096, "nats", false},
                 {"tokens_per_second", 1000.0, std::nullopt, 16, "tokens/s", true}};
    return r;
}

// Rows per recorded result: the result and its two metrics.
constexpr int kRowsPerResult = 3;

void record(benchmark::State& state, bool durable) {
    TempDir dir("results-bench");
    ResultStore store(dir.path() / "bench.db", {OpenMode::create, std::chrono::milliseconds(10'000), durable});
    register_all(store);
    auto run = store.begin_run(RunInfo{});
    long i = 0;
    for (auto _ : state) store.record_result(run, result(i++));
    state.counters["rows/s"] = benchmark::Counter(static_cast<double>(state.iterations() * kRowsPerResult),
                                                  benchmark::Counter::kIsRate);
}

void BM_ResultsRecordDurable(benchmark::State& state) { record(state, true); }
BENCHMARK(BM_ResultsRecordDurable)->Unit(benchmark::kMicrosecond)->UseRealTime();

void BM_ResultsRecordNormalSync(benchmark::State& state) { record(state, false); }
BENCHMARK(BM_ResultsRecordNormalSync)->Unit(benchmark::kMicrosecond)->UseRealTime();

// The resume check the harness makes before every evaluation, in a store of range(0) results.
void BM_ResultsFindResult(benchmark::State& state) {
    TempDir dir("results-bench");
    ResultStore store(dir.path() / "bench.db", {OpenMode::create, std::chrono::milliseconds(10'000), false});
    register_all(store);
    auto run = store.begin_run(RunInfo{});
    const long n = state.range(0);
    for (long i = 0; i < n; ++i) store.record_result(run, result(i));
    long i = 0;
    for (auto _ : state) {
        auto found = store.find_result(result(i++ % n).key);
        benchmark::DoNotOptimize(found);
    }
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ResultsFindResult)->Arg(10'000)->Unit(benchmark::kMicrosecond);

// history() of one metric over range(0) results.
void BM_ResultsHistory(benchmark::State& state) {
    TempDir dir("results-bench");
    ResultStore store(dir.path() / "bench.db", {OpenMode::create, std::chrono::milliseconds(10'000), false});
    register_all(store);
    auto run = store.begin_run(RunInfo{});
    const long n = state.range(0);
    for (long i = 0; i < n; ++i) store.record_result(run, result(i));
    ResultFilter filter;
    filter.metric = "perplexity";
    for (auto _ : state) {
        auto points = store.history(filter);
        benchmark::DoNotOptimize(points);
    }
    state.SetItemsProcessed(state.iterations() * n);
}
BENCHMARK(BM_ResultsHistory)->Arg(10'000)->Unit(benchmark::kMillisecond);

}  // namespace
