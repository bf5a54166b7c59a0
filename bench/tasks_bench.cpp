// The task suites' hot paths on the bundled data: texts embedded per second (SST-2 dev, every
// sentence) and multiple-choice choices scored per second (the first 200 CommonsenseQA dev items,
// five choices each, lm-eval's convention) for a decoder, through the adapter's KV-cache path
// (each context once, its choices on top of it) and through the plain path (every choice a full
// window, one padded batch), and masked-LM pseudo-log-likelihood.
//   hubbench-bench --benchmark_filter=tasks_
#include <benchmark/benchmark.h>

#include "adapters/native/native_adapter.hpp"
#include "core/progress.hpp"
#include "suites/choice_scoring.hpp"
#include "suites/multiple_choice.hpp"
#include "suites/dataset.hpp"
#include "suites/tabular.hpp"

namespace {

using namespace hubbench;

std::filesystem::path fixture(const char* name) { return std::filesystem::path(HUBBENCH_SOURCE_DIR) / "assets/models/fixtures" / name; }

std::vector<std::string> sst2_sentences() {
    const auto data = suites::load_dataset({.bundled = "sst2/dev.tsv"});
    std::vector<std::string> texts;
    for (auto& item : suites::read_labelled(data.text, suites::TableFormat::tsv, {"sentence", "", "label"}, data.name)) texts.push_back(item.text);
    return texts;
}

std::vector<suites::ChoiceItem> csqa_items(std::size_t n) {
    const auto data = suites::load_dataset({.bundled = "commonsenseqa/dev.jsonl"});
    std::vector<suites::ChoiceItem> items;
    for (const auto& q : suites::parse_choice_questions(data.text, data.name)) {
        suites::ChoiceItem item{"Question: " + q.context + "\nAnswer:", {}};
        for (const auto& c : q.choices) item.continuations.push_back(" " + c);
        items.push_back(std::move(item));
        if (items.size() == n) break;
    }
    return items;
}

void embed(benchmark::State& state, const char* model) {
    set_progress_mode(ProgressMode::off);
    auto adapter = adapters::open_native(fixture(model), {"", "", static_cast<int>(state.range(0))});
    const auto texts = sst2_sentences();
    for (auto _ : state) {
        for (std::size_t start = 0; start < texts.size(); start += 32) {
            const std::size_t n = std::min<std::size_t>(32, texts.size() - start);
            benchmark::DoNotOptimize(adapter->embed(std::span<const std::string>(texts.data() + start, n)));
        }
    }
    state.counters["texts_per_second"] = benchmark::Counter(static_cast<double>(texts.size() * state.iterations()), benchmark::Counter::kIsRate);
}
void BM_tasks_embed_sst2_bert_sentence(benchmark::State& s) { embed(s, "tiny-bert-sentence"); }
void BM_tasks_embed_sst2_gpt2(benchmark::State& s) { embed(s, "tiny-gpt2"); }

// A view of an adapter that scores continuations the plain way (full windows, one padded batch).
class PlainContinuations final : public adapters::Adapter {
public:
    explicit PlainContinuations(adapters::Adapter& inner) : inner_(inner) {}
    const adapters::ModelInfo& info() const override { return inner_.info(); }
    const tokenizer::Tokenizer& tokenizer() const override { return inner_.tokenizer(); }
    std::optional<std::string> unsupported(adapters::Capability c) const override { return inner_.unsupported(c); }
    std::vector<std::vector<double>> causal_logprobs(std::span<const adapters::CausalWindow> w) override { return inner_.causal_logprobs(w); }
    std::vector<double> masked_logprobs(std::span<const adapters::MaskedQuery> q) override { return inner_.masked_logprobs(q); }
    std::vector<std::vector<float>> embed(std::span<const std::string> t) override { return inner_.embed(t); }
    adapters::GenerateResult generate(std::span<const std::int32_t> p, std::size_t n, bool eos,
                                      const adapters::TokenCallback& on_token) override {
        return inner_.generate(p, n, eos, on_token);
    }
    void prefill(std::span<const std::vector<std::int32_t>> b) override { inner_.prefill(b); }
    void set_threads(int t) override { inner_.set_threads(t); }
    int threads() const override { return inner_.threads(); }

private:
    adapters::Adapter& inner_;
};

void choices(benchmark::State& state, bool kv_cache) {
    set_progress_mode(ProgressMode::off);
    auto native = adapters::open_native(fixture("tiny-gpt2"), {"", "", static_cast<int>(state.range(0))});
    PlainContinuations plain(*native);
    adapters::Adapter& adapter = kv_cache ? *native : static_cast<adapters::Adapter&>(plain);
    const auto items = csqa_items(200);
    std::size_t n_choices = 0;
    for (const auto& i : items) n_choices += i.continuations.size();
    for (auto _ : state) {
        for (std::size_t start = 0; start < items.size(); start += 8) {
            std::vector<suites::ChoiceItem> batch(items.begin() + static_cast<std::ptrdiff_t>(start),
                                                  items.begin() + static_cast<std::ptrdiff_t>(std::min(items.size(), start + 8)));
            benchmark::DoNotOptimize(suites::continuation_scores(adapter, batch));
        }
    }
    state.counters["choices_per_second"] = benchmark::Counter(static_cast<double>(n_choices * state.iterations()), benchmark::Counter::kIsRate);
}
void BM_tasks_choices_csqa_gpt2_kv_cache(benchmark::State& s) { choices(s, true); }
void BM_tasks_choices_csqa_gpt2_padded_batch(benchmark::State& s) { choices(s, false); }

void BM_tasks_pll_csqa_bert(benchmark::State& state) {
    set_progress_mode(ProgressMode::off);
    auto adapter = adapters::open_native(fixture("tiny-bert"), {"", "", static_cast<int>(state.range(0))});
    const auto items = csqa_items(20);
    std::size_t n_choices = 0;
    for (auto _ : state) {
        for (const auto& item : items) {
            std::vector<std::string> texts;
            for (const auto& c : item.continuations) texts.push_back(item.context + c);
            n_choices += texts.size();
            benchmark::DoNotOptimize(suites::pseudo_log_likelihoods(*adapter, texts, 64));
        }
    }
    state.counters["choices_per_second"] = benchmark::Counter(static_cast<double>(n_choices), benchmark::Counter::kIsRate);
}

// Argument: compute threads (1, and 0 = all cores).
#define TASK_BENCH(fn) BENCHMARK(fn)->Arg(1)->Arg(0)->Unit(benchmark::kMillisecond)->UseRealTime()
TASK_BENCH(BM_tasks_embed_sst2_bert_sentence);
TASK_BENCH(BM_tasks_embed_sst2_gpt2);
TASK_BENCH(BM_tasks_choices_csqa_gpt2_kv_cache);
TASK_BENCH(BM_tasks_choices_csqa_gpt2_padded_batch);
TASK_BENCH(BM_tasks_pll_csqa_bert);

}  // namespace
