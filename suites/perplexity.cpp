#include "suites/perplexity.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "adapters/stopwatch.hpp"
#include "core/error.hpp"
#include "core/interrupt.hpp"
#include "core/progress.hpp"
#include "suites/math.hpp"
#include "suites/task_entry.hpp"
#include "suites/windows.hpp"

namespace hubbench::suites {
namespace {

struct Variant {
    std::vector<Window> windows;
    NllAccumulator nll;
    nlohmann::json first_windows = nlohmann::json::array();
};

std::size_t checked_max_length(const adapters::Adapter& adapter, std::size_t requested) {
    const auto& info = adapter.info();
    std::size_t length = requested == 0 ? info.max_length : requested;
    if (length < 2) throw Error(ErrorKind::usage, "max-length must be at least 2 tokens");
    if (info.max_length != 0 && length > info.max_length) {
        throw Error(ErrorKind::usage, "max-length " + std::to_string(length) + " exceeds the " +
                                          std::to_string(info.max_length) + " positions of " + info.id);
    }
    return length;
}

}  // namespace

std::vector<SuiteResult> run_perplexity(adapters::Adapter& adapter, const Dataset& dataset,
                                        const PerplexityParams& params) {
    adapters::Stopwatch wall;
    adapter.require(adapters::Capability::causal_lm);
    const std::size_t max_length = checked_max_length(adapter, params.max_length);
    std::vector<std::size_t> strides = params.strides;
    if (strides.empty()) strides.push_back(std::max<std::size_t>(1, max_length / 2));
    const std::size_t batch_size = std::max<std::size_t>(1, params.batch_size);
    const adapters::PhaseTimings before = adapter.timings();

    // Tokenize once, whole, with the default special tokens (LLaMA: <s> in front; GPT-2: nothing).
    adapters::Stopwatch tokenize_watch;
    adapters::Encoded doc = adapter.encode(dataset.text, true);
    const double tokenize_seconds = tokenize_watch.seconds();
    std::string_view covered = dataset.text;
    if (params.limit != 0 && params.limit < doc.ids.size()) {
        doc.ids.resize(params.limit);
        // Words and bytes of the text the kept tokens cover, so that word/byte figures stay honest.
        std::size_t end = 0;
        for (std::size_t i = 0; i < params.limit && i < doc.offsets.size(); ++i) end = std::max(end, doc.offsets[i].second);
        covered = covered.substr(0, std::min(end, covered.size()));
    }
    const std::size_t n_tokens = doc.ids.size();
    if (n_tokens < 2) throw Error(ErrorKind::invalid_input, dataset.name + ": fewer than 2 tokens to score");
    const std::uint64_t n_words = count_words(covered);
    const std::uint64_t n_bytes = covered.size();

    std::vector<Variant> variants;
    for (std::size_t stride : strides) variants.push_back({rolling_windows(n_tokens, max_length, stride), {}, {}});
    const auto special = adapter.special_ids();
    // llama.cpp puts BOS first in every chunk when the vocabulary adds one (add_bos).
    const bool adds_bos = special.bos && !doc.special_mask.empty() && doc.special_mask[0] && doc.ids[0] == *special.bos;
    if (params.llama_cpp) {
        auto chunks = llama_cpp_chunks(n_tokens, max_length, adds_bos);
        // A chunk that already starts with BOS is the plain window: let it share that pass.
        for (auto& c : chunks) c.bos_first = c.bos_first && doc.ids[c.begin] != *special.bos;
        variants.push_back({std::move(chunks), {}, {}});
    }

    std::vector<std::vector<Window>> plans;
    for (const auto& v : variants) plans.push_back(v.windows);
    const SharedWindows shared = share_windows(plans);

    Progress progress("perplexity", shared.inputs.size(), "windows");
    std::vector<adapters::CausalWindow> batch;
    for (std::size_t start = 0; start < shared.inputs.size(); start += batch_size) {
        throw_if_interrupted();
        const std::size_t stop = std::min(start + batch_size, shared.inputs.size());
        batch.clear();
        for (std::size_t i = start; i < stop; ++i) {
            const Window& w = shared.inputs[i];
            adapters::CausalWindow cw;
            cw.ids.assign(doc.ids.begin() + static_cast<std::ptrdiff_t>(w.begin),
                          doc.ids.begin() + static_cast<std::ptrdiff_t>(w.end));
            if (w.bos_first) cw.ids[0] = *special.bos;
            cw.score_from = w.score_from - w.begin;
            batch.push_back(std::move(cw));
        }
        const auto logprobs = adapter.causal_logprobs(batch);
        for (std::size_t i = start; i < stop; ++i) {
            const Window& w = shared.inputs[i];
            const auto& lp = logprobs[i - start];  // positions w.score_from .. w.end-1
            for (const auto& [v, score_from] : shared.users[i]) {
                double window_nll = 0.0;
                for (std::size_t p = score_from; p < w.end; ++p) {
                    const double nll = -lp[p - w.score_from];
                    variants[v].nll.add(nll);
                    window_nll += nll;
                }
                if (variants[v].first_windows.size() < 3) {
                    variants[v].first_windows.push_back({w.begin, w.end, score_from, window_nll});
                }
            }
        }
        progress.advance(stop - start);
    }
    progress.finish();

    adapters::PhaseTimings timings = adapter.timings() - before;
    timings.tokenize += tokenize_seconds;
    const double seconds = wall.seconds();

    std::vector<SuiteResult> results;
    for (std::size_t s = 0; s < strides.size(); ++s) {
        const Variant& v = variants[s];
        const PerplexityFigures f = perplexity_figures(v.nll, n_words, n_bytes);
        SuiteResult r;
        r.task = "perplexity";
        r.params = {{"dataset", dataset.name},      {"dataset_sha256", dataset.sha256},
                    {"max_length", max_length},     {"stride", strides[s]},
                    {"batch_size", batch_size},     {"limit", params.limit},
                    {"convention", params.llama_cpp ? "llama.cpp" : "hf"},
                    {"threads", adapter.threads()}};
        r.add("nll_sum", f.nll_sum, f.nll_sum_stderr);
        r.add("n_scored", static_cast<double>(f.n_scored));
        r.add("token_ppl", f.token_ppl, f.token_ppl_stderr);
        r.add("word_ppl", f.word_ppl, f.word_ppl_stderr);
        r.add("byte_ppl", f.byte_ppl, f.byte_ppl_stderr);
        r.add("bits_per_byte", f.bits_per_byte, f.bits_per_byte_stderr);
        r.add("mean_nll", f.mean_nll, f.mean_nll_stderr);
        r.add("n_tokens", static_cast<double>(n_tokens));
        r.add("n_words", static_cast<double>(n_words));
        r.add("n_bytes", static_cast<double>(n_bytes));
        r.add("n_windows", static_cast<double>(v.windows.size()));
        if (params.llama_cpp) {
            const Variant& l = variants.back();
            const double ppl = std::exp(l.nll.mean());
            r.add("llamacpp_ppl", ppl, ppl * l.nll.stderr_of_mean());
            r.add("llamacpp_nll_sum", l.nll.sum);
            r.add("llamacpp_n_scored", static_cast<double>(l.nll.n));
            r.add("llamacpp_n_chunks", static_cast<double>(l.windows.size()));
        }
        r.n = f.n_scored;
        r.timings = timings;
        r.seconds = seconds;
        r.details["first_windows"] = v.first_windows;
        results.push_back(std::move(r));
    }
    return results;
}

namespace {

std::vector<SuiteResult> run_perplexity_task(adapters::Adapter& adapter, const TaskInput& in) {
    const Params& p = in.params;
    const std::size_t model_limit = in.fit_to_model ? adapter.info().max_length : 0;
    PerplexityParams pp;
    pp.max_length = fit_to_limit(p.count("max_length", 0), model_limit);
    pp.strides = p.counts("stride", {});
    if (in.fit_to_model && pp.max_length != 0) {
        for (auto& s : pp.strides) s = std::min(s, pp.max_length);
    }
    pp.limit = p.count("limit", 0);
    pp.batch_size = p.count("batch_size", pp.batch_size);
    pp.llama_cpp = p.text("convention", "hf") == "llama.cpp";
    adapter.require(adapters::Capability::causal_lm);  // before reading a large dataset
    return run_perplexity(adapter, load_dataset(in.dataset), pp);
}

}  // namespace

const TaskEntry& perplexity_task() {
    static const TaskEntry entry{
        .name = "perplexity",
        .label = "Perplexity",
        .summary = "causal-LM perplexity of a text in rolling windows (decoders)",
        .default_dataset = {.bundled = "wikitext-2-raw/wiki.test.raw"},
        .params = {{"max_length", ParamType::count, "tokens per window (default: the model's limit)"},
                   {"stride", ParamType::counts, "window stride(s), each its own result from shared passes (default: L/2)"},
                   {"limit", ParamType::count, "score the first N tokens only"},
                   {"batch_size", ParamType::count, "windows per forward pass (results do not change)"},
                   {"convention", ParamType::text, "llama.cpp also reports llama-perplexity's figure", {"hf", "llama.cpp"}}},
        .metrics = {metric("bits_per_byte", "bits/byte", "", lower, {.headline = "bits_per_byte", .headline_rank = 2}),
                    metric("token_ppl", "token PPL", "", lower, {.headline = "perplexity", .headline_rank = 2}),
                    metric("word_ppl", "word PPL", "", lower),
                    metric("byte_ppl", "byte PPL", "", lower),
                    metric("llamacpp_ppl", "llama.cpp PPL", "", lower),
                    metric("mean_nll", "mean NLL", "nats", lower),
                    metric("nll_sum", "NLL sum", "nats", lower, {.auxiliary = true}),
                    metric("llamacpp_nll_sum", "llama.cpp NLL sum", "nats", lower, {.auxiliary = true}),
                    count_metric("n_scored", "scored tokens"),
                    count_metric("n_tokens", "tokens"),
                    count_metric("n_words", "words"),
                    count_metric("n_bytes", "bytes"),
                    count_metric("n_windows", "windows"),
                    count_metric("llamacpp_n_scored", "llama.cpp scored"),
                    count_metric("llamacpp_n_chunks", "llama.cpp chunks")},
        .primary_metric = "bits_per_byte",
        .row_param = "stride",
        .run = run_perplexity_task,
    };
    return entry;
}

}  // namespace hubbench::suites
