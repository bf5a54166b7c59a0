#include "suites/pppl.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "adapters/stopwatch.hpp"
#include "adapters/truncate.hpp"
#include "core/error.hpp"
#include "core/interrupt.hpp"
#include "core/progress.hpp"
#include "suites/math.hpp"
#include "suites/task_entry.hpp"

namespace hubbench::suites {
namespace {

struct Line {
    std::vector<std::int32_t> ids;
    std::vector<std::size_t> scored;  // non-special positions
    std::size_t bytes = 0;            // bytes of the line the kept tokens cover
};

}  // namespace

SuiteResult run_pppl(adapters::Adapter& adapter, const Dataset& dataset, const PpplParams& params) {
    adapters::Stopwatch wall;
    adapter.require(adapters::Capability::masked_lm);
    const auto& info = adapter.info();
    const auto special = adapter.special_ids();
    if (!special.mask) {
        throw Error(ErrorKind::unsupported, info.id + "'s tokenizer has no mask token: pseudo-perplexity needs one");
    }
    std::size_t max_length = params.max_length == 0 ? info.max_length : params.max_length;
    if (max_length == 0) throw Error(ErrorKind::usage, "pppl needs --max-length: " + info.id + " does not state its limit");
    if (info.max_length != 0 && max_length > info.max_length) {
        throw Error(ErrorKind::usage, "max-length " + std::to_string(max_length) + " exceeds the " +
                                          std::to_string(info.max_length) + " positions of " + info.id);
    }
    const std::size_t batch_size = std::max<std::size_t>(1, params.batch_size);
    const adapters::PhaseTimings before = adapter.timings();

    adapters::Stopwatch tokenize_watch;
    const auto texts = scored_lines(dataset.text, params.limit);
    std::vector<Line> lines;
    std::size_t n_queries = 0;
    for (const auto& text : texts) {
        adapters::Encoded enc = adapter.encode(text, true);
        Line line;
        const auto keep = adapters::truncation_indices(enc.special_mask, max_length);
        const bool truncated = keep.size() < enc.ids.size();
        for (std::size_t k = 0; k < keep.size(); ++k) {
            const std::size_t i = keep[k];
            line.ids.push_back(enc.ids[i]);
            if (!enc.special_mask[i]) {
                line.scored.push_back(k);
                if (truncated && i < enc.offsets.size()) line.bytes = std::max(line.bytes, enc.offsets[i].second);
            }
        }
        if (!truncated) line.bytes = text.size();
        n_queries += line.scored.size();
        lines.push_back(std::move(line));
    }
    const double tokenize_seconds = tokenize_watch.seconds();

    // One masked copy per scored position, in line order, run batch_size copies at a time.
    NllAccumulator nll;
    std::uint64_t n_bytes = 0;
    nlohmann::json first_lines = nlohmann::json::array();
    Progress progress("pppl", n_queries, "masked tokens");
    std::vector<adapters::MaskedQuery> batch;
    std::vector<std::size_t> batch_line;  // which line each query belongs to
    std::vector<double> line_pll(lines.size(), 0.0);
    auto flush = [&] {
        if (batch.empty()) return;
        throw_if_interrupted();
        const auto lp = adapter.masked_logprobs(batch);
        for (std::size_t q = 0; q < batch.size(); ++q) {
            nll.add(-lp[q]);
            line_pll[batch_line[q]] += lp[q];
        }
        progress.advance(batch.size());
        batch.clear();
        batch_line.clear();
    };
    for (std::size_t l = 0; l < lines.size(); ++l) {
        const Line& line = lines[l];
        n_bytes += line.bytes;
        for (std::size_t p : line.scored) {
            adapters::MaskedQuery q;
            q.ids = line.ids;
            q.position = p;
            q.target = line.ids[p];
            q.ids[p] = *special.mask;
            batch.push_back(std::move(q));
            batch_line.push_back(l);
            if (batch.size() == batch_size) flush();
        }
    }
    flush();
    progress.finish();
    for (std::size_t l = 0; l < lines.size() && l < 5; ++l) {
        first_lines.push_back({{"pll", line_pll[l]}, {"n", lines[l].scored.size()}});
    }

    SuiteResult r;
    r.task = "pppl";
    r.params = {{"dataset", dataset.name}, {"dataset_sha256", dataset.sha256}, {"max_length", max_length},
                {"limit", params.limit},   {"batch_size", batch_size},         {"threads", adapter.threads()}};
    const PerplexityFigures f = perplexity_figures(nll, 0, n_bytes);
    r.add("pll_sum", -f.nll_sum, f.nll_sum_stderr);
    r.add("n_scored", static_cast<double>(f.n_scored));
    r.add("pppl", f.token_ppl, f.token_ppl_stderr);
    r.add("pseudo_bits_per_byte", f.bits_per_byte, f.bits_per_byte_stderr);
    r.add("n_lines", static_cast<double>(lines.size()));
    r.add("n_bytes", static_cast<double>(n_bytes));
    r.n = f.n_scored;
    r.timings = adapter.timings() - before;
    r.timings.tokenize += tokenize_seconds;
    r.seconds = wall.seconds();
    r.details["first_lines"] = first_lines;
    return r;
}

namespace {

std::vector<SuiteResult> run_pppl_task(adapters::Adapter& adapter, const TaskInput& in) {
    const Params& p = in.params;
    PpplParams pp;
    pp.max_length = fit_to_limit(p.count("max_length", 0), in.fit_to_model ? adapter.info().max_length : 0);
    pp.limit = p.count("limit", 0);
    pp.batch_size = p.count("batch_size", pp.batch_size);
    adapter.require(adapters::Capability::masked_lm);
    return {run_pppl(adapter, load_dataset(in.dataset), pp)};
}

}  // namespace

const TaskEntry& pppl_task() {
    // Figures from pseudo-log-likelihood (Salazar et al. 2020) are marked pseudo wherever shown.
    static const TaskEntry entry{
        .name = "pppl",
        .label = "Pseudo-perplexity",
        .summary = "masked-LM pseudo-perplexity of text lines (masked encoders)",
        .default_dataset = {.bundled = "wikitext-2-raw/wiki.test.raw"},
        .params = {{"max_length", ParamType::count, "tokens per line, special ones included (default: the model's limit)"},
                   {"limit", ParamType::count, "the first N lines"},
                   {"batch_size", ParamType::count, "masked copies per forward pass (results do not change)"}},
        .metrics = {metric("pseudo_bits_per_byte", "bits/byte", "", lower,
                           {.pseudo = true, .headline = "bits_per_byte", .headline_rank = 2}),
                    metric("pppl", "PPPL", "", lower, {.pseudo = true, .headline = "perplexity", .headline_rank = 2}),
                    metric("pll_sum", "PLL sum", "nats", higher, {.pseudo = true, .auxiliary = true}),
                    count_metric("n_scored", "scored tokens"),
                    count_metric("n_lines", "lines"),
                    count_metric("n_bytes", "bytes")},
        .primary_metric = "pseudo_bits_per_byte",
        .run = run_pppl_task,
    };
    return entry;
}

}  // namespace hubbench::suites
