#include "suites/sts.hpp"

#include <algorithm>
#include <cmath>
#include <random>
#include <string>
#include <unordered_map>

#include "adapters/stopwatch.hpp"
#include "core/error.hpp"
#include "core/interrupt.hpp"
#include "core/progress.hpp"
#include "suites/math.hpp"
#include "suites/task_entry.hpp"

namespace hubbench::suites {
namespace {

// Standard deviation of a statistic over bootstrap resamples of the pairs. The generator is
// std::mt19937_64, whose sequence the standard fixes, and indices come from its raw output, so a
// seed gives the same resamples with every compiler.
std::pair<double, double> bootstrap_stderr(const std::vector<double>& cosines, const std::vector<double>& gold,
                                           std::size_t resamples, std::uint64_t seed) {
    if (resamples < 2 || cosines.size() < 3) return {std::nan(""), std::nan("")};
    std::mt19937_64 gen(seed);
    const std::size_t n = cosines.size();
    std::vector<double> x(n), y(n);
    std::vector<double> s_values, p_values;
    for (std::size_t r = 0; r < resamples; ++r) {
        for (std::size_t i = 0; i < n; ++i) {
            const std::size_t k = static_cast<std::size_t>(gen() % n);
            x[i] = cosines[k];
            y[i] = gold[k];
        }
        const double s = spearman(x, y), p = pearson(x, y);
        if (std::isfinite(s)) s_values.push_back(s);
        if (std::isfinite(p)) p_values.push_back(p);
    }
    auto sd = [](const std::vector<double>& v) {
        if (v.size() < 2) return std::nan("");
        const double m = mean(v);
        double ss = 0.0;
        for (double x : v) ss += (x - m) * (x - m);
        return std::sqrt(ss / static_cast<double>(v.size() - 1));
    };
    return {sd(s_values), sd(p_values)};
}

}  // namespace

SuiteResult run_sts(adapters::Adapter& adapter, const Dataset& dataset, const StsParams& params) {
    adapters::Stopwatch wall;
    adapter.require(adapters::Capability::embeddings);
    const std::size_t batch_size = std::max<std::size_t>(1, params.batch_size);
    const adapters::PhaseTimings before = adapter.timings();

    auto pairs = parse_sts(dataset.text, dataset.name);
    if (params.limit != 0 && params.limit < pairs.size()) pairs.resize(params.limit);
    if (pairs.size() < 2) throw Error(ErrorKind::invalid_input, dataset.name + ": fewer than 2 sentence pairs");

    // Each distinct sentence is embedded once, in order of first appearance. STS-B repeats
    // sentences (and whole pairs); one vector per text keeps their cosines exactly tied, so the
    // Spearman ranks cannot depend on which batch a copy landed in.
    std::vector<std::string> sentences;
    std::unordered_map<std::string, std::size_t> index;
    std::vector<std::pair<std::size_t, std::size_t>> pair_index;
    auto intern = [&](const std::string& text) {
        auto [it, fresh] = index.emplace(text, sentences.size());
        if (fresh) sentences.push_back(text);
        return it->second;
    };
    for (const auto& p : pairs) {
        const std::size_t a = intern(p.first);
        pair_index.emplace_back(a, intern(p.second));
    }
    std::vector<std::vector<float>> vectors;
    vectors.reserve(sentences.size());
    Progress progress("sts", sentences.size(), "sentences");
    for (std::size_t start = 0; start < sentences.size(); start += batch_size) {
        throw_if_interrupted();
        const std::size_t count = std::min(batch_size, sentences.size() - start);
        auto batch = adapter.embed(std::span<const std::string>(sentences.data() + start, count));
        for (auto& v : batch) vectors.push_back(std::move(v));
        progress.advance(count);
    }
    progress.finish();

    adapters::Stopwatch score_watch;
    std::vector<double> cosines, gold;
    for (std::size_t i = 0; i < pairs.size(); ++i) {
        cosines.push_back(cosine(vectors[pair_index[i].first], vectors[pair_index[i].second]));
        gold.push_back(pairs[i].score);
    }
    const double rho = spearman(cosines, gold);
    const double r_value = pearson(cosines, gold);
    const auto [rho_se, r_se] = bootstrap_stderr(cosines, gold, params.bootstrap, params.seed);

    SuiteResult r;
    r.task = "sts";
    r.params = {{"dataset", dataset.name}, {"dataset_sha256", dataset.sha256}, {"batch_size", batch_size},
                {"limit", params.limit},   {"bootstrap", params.bootstrap},    {"seed", params.seed},
                {"threads", adapter.threads()}};
    auto se = [&](double v) { return params.bootstrap >= 2 ? std::optional<double>(v) : std::nullopt; };
    r.add("spearman_cosine", rho, se(rho_se));
    r.add("pearson_cosine", r_value, se(r_se));
    r.add("n_pairs", static_cast<double>(pairs.size()));
    r.add("n_sentences", static_cast<double>(sentences.size()));  // distinct, each embedded once
    r.n = pairs.size();
    r.timings = adapter.timings() - before;
    r.timings.score += score_watch.seconds();
    r.seconds = wall.seconds();
    nlohmann::json first = nlohmann::json::array();
    for (std::size_t i = 0; i < cosines.size() && i < 10; ++i) first.push_back(cosines[i]);
    r.details["first_cosines"] = first;
    return r;
}

namespace {

std::vector<SuiteResult> run_sts_task(adapters::Adapter& adapter, const TaskInput& in) {
    const Params& p = in.params;
    StsParams sp;
    sp.limit = p.count("limit", 0);
    sp.batch_size = p.count("batch_size", sp.batch_size);
    sp.bootstrap = p.count("bootstrap", sp.bootstrap);
    sp.seed = p.count("seed", 0);
    adapter.require(adapters::Capability::embeddings);
    return {run_sts(adapter, load_dataset(in.dataset), sp)};
}

}  // namespace

const TaskEntry& sts_task() {
    static const TaskEntry entry{
        .name = "sts",
        .label = "Semantic similarity (STS)",
        .summary = "Spearman correlation of embedding cosines with gold similarity (every model)",
        .default_dataset = {.bundled = "stsbenchmark/sts-test.csv"},
        .params = {{"limit", ParamType::count, "the first N pairs"},
                   {"batch_size", ParamType::count, "sentences per forward pass (results do not change)"},
                   {"bootstrap", ParamType::count, "bootstrap resamples for standard errors (0: none)"},
                   {"seed", ParamType::count, "seed of the bootstrap"}},
        .metrics = {metric("spearman_cosine", "Spearman ρ", "", higher, {.headline = "sts_spearman", .headline_rank = 2}),
                    metric("pearson_cosine", "Pearson r", "", higher),
                    count_metric("n_pairs", "pairs"),
                    count_metric("n_sentences", "distinct sentences")},
        .primary_metric = "spearman_cosine",
        .run = run_sts_task,
    };
    return entry;
}

}  // namespace hubbench::suites
