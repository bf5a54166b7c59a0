// Forward speed of every architecture the engine runs, on its fixture in assets/models/fixtures:
// 512 tokens as 4 sequences of 128 (the fixtures' encoders hold 128 positions), the last hidden
// states only, so a slow path in one architecture shows next to the others. The fixtures are
// tiny (hidden 128, 3 layers): the figure compares architectures, it is not a model's speed
// (BM_engine_* measure a 110M model).
//
//   BM_architecture_forward/<fixture>        tokens/s, all threads
//   BM_architecture_forward_base/<fixture>   the same at BERT-base's layer stack (hidden 768, 12
//                                            layers, 12 heads; bench/tools/base_size_model.hpp),
//                                            random weights written to a temp folder and removed
//
// Run: build/<dir>/bench/hubbench-bench --benchmark_filter=architecture
#include <benchmark/benchmark.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include <unistd.h>

#include "bench/tools/base_size_model.hpp"
#include "engine/model.hpp"

namespace {

namespace engine = hubbench::engine;

void forward(benchmark::State& state, const std::filesystem::path& dir) {
    auto model = engine::Model::load(dir);
    const auto vocab = static_cast<std::uint32_t>(model->config().vocab_size);
    std::vector<std::vector<std::int32_t>> batch(4, std::vector<std::int32_t>(128));
    std::uint32_t x = 1;
    for (auto& seq : batch)
        for (auto& id : seq) {
            x = x * 1664525u + 1013904223u;
            id = static_cast<std::int32_t>(5 + (x >> 8) % (vocab - 5));  // clear of the special tokens
        }
    float sink = 0;
    auto touch = [&](std::size_t, const float* rows, std::size_t n) { sink += rows[n - 1]; };
    model->forward_hidden(batch, touch);  // untimed: first-touch page faults
    for (auto _ : state) model->forward_hidden(batch, touch);
    benchmark::DoNotOptimize(sink);
    state.counters["tokens_per_s"] = benchmark::Counter(512.0 * static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}

void forward_base_size(benchmark::State& state, const std::filesystem::path& fixture) {
    const auto dir = std::filesystem::temp_directory_path() /
                     ("hubbench-base-" + fixture.filename().string() + "-" + std::to_string(::getpid()));
    struct Remove {
        std::filesystem::path dir;
        ~Remove() { std::filesystem::remove_all(dir); }
    } remove{dir};
    try {
        const auto parameters = hubbench::bench::write_base_size_model(fixture, dir);
        forward(state, dir);
        state.counters["parameters_M"] = static_cast<double>(parameters) / 1e6;
    } catch (const std::exception& e) {
        state.SkipWithError(e.what());
    }
}

const bool registered = [] {
    const auto root = std::filesystem::path(HUBBENCH_SOURCE_DIR) / "assets/models/fixtures";
    std::vector<std::filesystem::path> dirs;
    for (const auto& entry : std::filesystem::directory_iterator(root)) dirs.push_back(entry.path());
    std::sort(dirs.begin(), dirs.end());
    for (const auto& dir : dirs)
        benchmark::RegisterBenchmark(("BM_architecture_forward/" + dir.filename().string()).c_str(),
                                     [dir](benchmark::State& s) { forward(s, dir); })
            ->Unit(benchmark::kMillisecond)
            ->UseRealTime()
            ->MinTime(0.5);
    // A fixed iteration count: each run writes and loads a ~90M-parameter model once.
    for (const auto& dir : dirs)
        benchmark::RegisterBenchmark(("BM_architecture_forward_base/" + dir.filename().string()).c_str(),
                                     [dir](benchmark::State& s) { forward_base_size(s, dir); })
            ->Unit(benchmark::kMillisecond)
            ->UseRealTime()
            ->Iterations(3);
    return true;
}();

}  // namespace
