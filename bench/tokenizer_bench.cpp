// Tokenizer throughput on wiki.test.raw (1.29 MB) encoded as one string, single-threaded, with the
// GPT-2, bert-base-uncased and Mistral-7B-v0.3 tokenizer.json files and the llama-2 SentencePiece
// model. bytes_per_second is the MB/s figure of issue 4; tokens_per_second is reported as well.
// Run: build/<dir>/bench/hubbench-bench --benchmark_filter=tokenizer
#include <benchmark/benchmark.h>

#include <fstream>
#include <sstream>
#include <string>

#include "tokenizer/tokenizer.hpp"

namespace {

const std::string& wiki_text() {
    static const std::string text = [] {
        std::ifstream in(std::string(HUBBENCH_SOURCE_DIR) + "/assets/datasets/wikitext-2-raw/wiki.test.raw", std::ios::binary);
        std::stringstream ss;
        ss << in.rdbuf();
        return ss.str();
    }();
    return text;
}

void encode_wiki(benchmark::State& state, const std::string& relative_path) {
    auto tok = hubbench::tokenizer::Tokenizer::load(std::string(HUBBENCH_SOURCE_DIR) + "/assets/" + relative_path);
    const std::string& text = wiki_text();
    std::size_t tokens = 0;
    for (auto _ : state) {
        auto e = tok.encode(text, true);
        tokens = e.ids.size();
        benchmark::DoNotOptimize(e.ids.data());
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * static_cast<std::int64_t>(text.size()));
    state.counters["tokens"] = static_cast<double>(tokens);
    state.counters["tokens_per_second"] =
        benchmark::Counter(static_cast<double>(tokens), benchmark::Counter::kIsIterationInvariantRate);
}

void decode_wiki(benchmark::State& state, const std::string& relative_path) {
    auto tok = hubbench::tokenizer::Tokenizer::load(std::string(HUBBENCH_SOURCE_DIR) + "/assets/" + relative_path);
    auto ids = tok.encode(wiki_text(), false).ids;
    for (auto _ : state) {
        auto text = tok.decode(ids, true);
        benchmark::DoNotOptimize(text.data());
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * static_cast<std::int64_t>(wiki_text().size()));
}

}  // namespace

BENCHMARK_CAPTURE(encode_wiki, tokenizer_gpt2, std::string("tokenizers/gpt2"))->Unit(benchmark::kMillisecond)->MinTime(2.0);
BENCHMARK_CAPTURE(encode_wiki, tokenizer_bert_base_uncased, std::string("tokenizers/bert-base-uncased"))
    ->Unit(benchmark::kMillisecond)->MinTime(2.0);
BENCHMARK_CAPTURE(encode_wiki, tokenizer_mistral_7b_v0_3, std::string("tokenizers/mistral-7b-v0.3/tokenizer.json"))
    ->Unit(benchmark::kMillisecond)->MinTime(2.0);
BENCHMARK_CAPTURE(encode_wiki, tokenizer_llama2_sentencepiece, std::string("tokenizers/llama-2/tokenizer.model"))
    ->Unit(benchmark::kMillisecond)->MinTime(2.0);
BENCHMARK_CAPTURE(decode_wiki, tokenizer_gpt2, std::string("tokenizers/gpt2"))->Unit(benchmark::kMillisecond)->MinTime(1.0);
