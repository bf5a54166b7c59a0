// Reports on a large nightly database: 200 models x 3 tasks in two runs (a baseline and the
// current run), and a classification question (SST-2 dev size, 872 items with per-item samples)
// that 20 of the models answered. Building the report model is one query per result table plus
// one model lookup per model, and the paired bootstrap of each classification result against the
// best (1000 resamples of 872 items, drawn once and shared: 19 x 0.9M additions); rendering must
// stay far below the time a user waits for a page.
#include <benchmark/benchmark.h>

#include <memory>

#include "core/fs.hpp"
#include "reports/render.hpp"
#include "results/store.hpp"

namespace {

using namespace hubbench;

constexpr int models = 200;
constexpr int classified = 20;   // models that also answered the classification question
constexpr int items = 872;

struct Database {
    TempDir dir{"reports-bench"};
    fs::path path = dir.path() / "hubbench.db";

    Database() {
        results::StoreOptions options;
        options.durable = false;
        results::ResultStore store(path, options);
        const std::string sha(64, 'a');
        for (int r = 0; r < 2; ++r) {
            results::RunInfo info;
            info.label = "nightly";
            auto run = store.begin_run(info);
            store.upsert_dataset({"wikitext-2-raw/test", "wiki.test.raw", sha, 1290590});
            results::MetricMeaning accuracy;
            accuracy.label = "accuracy";
            accuracy.higher_is_better = true;
            store.describe_task({"classification", "Classification", 0, "accuracy"}, {{"classification", "accuracy", accuracy}});
            for (int m = 0; m < models; ++m) {
                const bool encoder = m % 2 == 1;
                const std::string repo = "org/model-" + std::to_string(m);
                const std::string commit = std::string(39, 'c') + std::to_string(m % 10);
                store.upsert_model({repo, commit, "Arch", "x", 1'000'000 + m, "float32",
                                    encoder ? ModelKind::encoder : ModelKind::decoder, "mit", 4'000'000});
                auto add = [&](const std::string& task, std::vector<results::Metric> metrics) {
                    results::ResultRecord rec;
                    rec.key.model = {repo, commit};
                    rec.key.task = task;
                    rec.key.dataset_sha256 = sha;
                    rec.metrics = std::move(metrics);
                    store.record_result(run, rec);
                };
                const double drift = r == 1 && m % 7 == 0 ? 1.05 : 1.0;  // every 7th model regresses
                add(encoder ? "pppl" : "perplexity", {{"bits_per_byte", (1.0 + m * 0.001) * drift, 0.01, 1000, {}, false},
                                                      {encoder ? "pppl" : "token_ppl", 20.0 + m * 0.1, 0.2, 1000, {}, false},
                                                      {"n_scored", 1000, {}, 1000, {}, {}}});
                add("sts", {{"spearman", 0.5 + m * 0.001, 0.01, 1379, {}, true}, {"pearson", 0.5, 0.01, 1379, {}, true}});
                if (m < classified) {
                    results::ResultRecord rec;
                    rec.key.model = {repo, commit};
                    rec.key.task = "classification";
                    rec.key.dataset_sha256 = sha;
                    rec.key.parameters = encoder ? R"({"method":"probe"})" : R"({"method":"likelihood"})";
                    int right = 0;
                    for (int i = 0; i < items; ++i) {
                        const bool ok = (i * 7 + m * 13) % 100 < 70 + m % 10;  // 70-79% right, on different items
                        right += ok;
                        rec.samples.push_back({"accuracy", i, ok ? 1.0 : 0.0});
                    }
                    rec.metrics = {{"accuracy", static_cast<double>(right) / items, 0.015, items, {}, true}};
                    store.record_result(run, rec);
                }
                add("speed", {{"prefill_tokens_per_second_512", 1000.0 + m, {}, 5, {}, true},
                              {"peak_rss_bytes", 1e8 + m, {}, 1, {}, false},
                              {"load_seconds", 0.1, {}, 1, {}, false}});
            }
            store.finish_run(run, results::RunStatus::ok);
        }
    }
};

Database& database() {
    static Database db;
    return db;
}

void BM_build_report(benchmark::State& state) {
    auto store = results::ResultStore::open_for_reading(database().path);
    for (auto _ : state) benchmark::DoNotOptimize(reports::build_report(store));
    state.SetItemsProcessed(state.iterations() * models);
}
BENCHMARK(BM_build_report)->Unit(benchmark::kMillisecond);

void BM_render(benchmark::State& state) {
    auto store = results::ResultStore::open_for_reading(database().path);
    const auto report = reports::build_report(store);
    const auto format = static_cast<reports::Format>(state.range(0));
    std::size_t bytes = 0;
    for (auto _ : state) {
        auto text = reports::render(report, format);
        bytes = text.size();
        benchmark::DoNotOptimize(text);
    }
    state.SetLabel(std::string(reports::format_name(format)) + ", " + std::to_string(bytes / 1024) + " KiB");
    state.SetItemsProcessed(state.iterations() * models);
}
BENCHMARK(BM_render)->DenseRange(0, 3)->Unit(benchmark::kMillisecond);

}  // namespace
