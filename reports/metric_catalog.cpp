#include "reports/metric_catalog.hpp"

#include <algorithm>
#include <array>
#include <cctype>

namespace hubbench::reports {

namespace {

struct Entry {
    const char* name;
    const char* label;
    const char* unit;
    int direction;  // +1 higher is better, -1 lower is better, 0 none
    bool speed;
    bool auxiliary;
    Headline headline;
    int headline_rank;
    double scale;
};

constexpr double mib = 1.0 / (1024.0 * 1024.0);

// Exact names. Order in this table is the display order within a task.
constexpr std::array<Entry, 36> entries{{
    // quality: causal LM perplexity task (references.md definitions)
    {"bits_per_byte", "bits/byte", "", -1, false, false, Headline::bits_per_byte, 2, 1.0},
    {"pseudo_bits_per_byte", "bits/byte", "", -1, false, false, Headline::bits_per_byte, 2, 1.0},
    {"token_ppl", "token PPL", "", -1, false, false, Headline::perplexity, 2, 1.0},
    {"pppl", "PPPL", "", -1, false, false, Headline::perplexity, 2, 1.0},
    {"word_ppl", "word PPL", "", -1, false, false, Headline::none, 0, 1.0},
    {"byte_ppl", "byte PPL", "", -1, false, false, Headline::none, 0, 1.0},
    {"llamacpp_ppl", "llama.cpp PPL", "", -1, false, false, Headline::none, 0, 1.0},
    {"mean_nll", "mean NLL", "nats", -1, false, false, Headline::none, 0, 1.0},
    {"nll_sum", "NLL sum", "nats", -1, false, true, Headline::none, 0, 1.0},
    {"pll_sum", "PLL sum", "nats", +1, false, true, Headline::none, 0, 1.0},
    {"llamacpp_nll_sum", "llama.cpp NLL sum", "nats", -1, false, true, Headline::none, 0, 1.0},
    // STS
    {"spearman", "Spearman ρ", "", +1, false, false, Headline::sts_spearman, 2, 1.0},
    {"spearman_cosine", "Spearman ρ", "", +1, false, false, Headline::sts_spearman, 2, 1.0},
    {"pearson", "Pearson r", "", +1, false, false, Headline::none, 0, 1.0},
    {"pearson_cosine", "Pearson r", "", +1, false, false, Headline::none, 0, 1.0},
    // speed and memory
    {"decode_tokens_per_second", "decode tok/s", "tok/s", +1, true, false, Headline::decode_tps, 2, 1.0},
    {"decode_tps", "decode tok/s", "tok/s", +1, true, false, Headline::decode_tps, 2, 1.0},
    {"latency_p50_ms", "latency p50", "ms", -1, true, false, Headline::latency_p50, 2, 1.0},
    {"latency_p95_ms", "latency p95", "ms", -1, true, false, Headline::none, 0, 1.0},
    {"decode_p50_ms", "decode p50", "ms", -1, true, false, Headline::latency_p50, 1, 1.0},
    {"decode_p95_ms", "decode p95", "ms", -1, true, false, Headline::none, 0, 1.0},
    {"peak_rss_bytes", "peak RSS", "MiB", -1, true, false, Headline::peak_memory, 2, mib},
    {"peak_rss_mb", "peak RSS", "MiB", -1, true, false, Headline::peak_memory, 2, 1.0},
    {"load_seconds", "load time", "s", -1, true, false, Headline::load_seconds, 2, 1.0},
    {"tokenize_seconds", "tokenize time", "s", -1, true, true, Headline::none, 0, 1.0},
    {"forward_seconds", "forward time", "s", -1, true, true, Headline::none, 0, 1.0},
    {"score_seconds", "scoring time", "s", -1, true, true, Headline::none, 0, 1.0},
    // counts: what the figures above were computed over
    {"n_scored", "scored", "", 0, false, true, Headline::none, 0, 1.0},
    {"n_tokens", "tokens", "", 0, false, true, Headline::none, 0, 1.0},
    {"n_words", "words", "", 0, false, true, Headline::none, 0, 1.0},
    {"n_bytes", "bytes", "", 0, false, true, Headline::none, 0, 1.0},
    {"n_windows", "windows", "", 0, false, true, Headline::none, 0, 1.0},
    {"n_lines", "lines", "", 0, false, true, Headline::none, 0, 1.0},
    {"n_pairs", "pairs", "", 0, false, true, Headline::none, 0, 1.0},
    {"llamacpp_n_scored", "llama.cpp scored", "", 0, false, true, Headline::none, 0, 1.0},
    {"threads", "threads", "", 0, false, true, Headline::none, 0, 1.0},
}};

// Names with a per-length suffix: prefill_tokens_per_second_512, prefill_tps_512, ...
struct LengthEntry {
    const char* prefix;  // without the trailing "_<L>"
    const char* label;   // "@L" is appended
    const char* unit;
    int direction;
    Headline headline;
    int order;
};
constexpr std::array<LengthEntry, 4> length_entries{{
    // order: just before decode_tokens_per_second (entry 15, order 150)
    {"prefill_tokens_per_second", "prefill tok/s", "tok/s", +1, Headline::prefill_tps, 141},
    {"prefill_tps", "prefill tok/s", "tok/s", +1, Headline::prefill_tps, 141},
    {"prefill_p50_ms", "prefill p50", "ms", -1, Headline::none, 142},
    {"prefill_p95_ms", "prefill p95", "ms", -1, Headline::none, 143},
}};

bool all_digits(std::string_view s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isdigit(c) != 0; });
}

MetricInfo from_entry(const Entry& e, int order) {
    MetricInfo info;
    info.label = e.label;
    info.unit = e.unit;
    if (e.direction != 0) info.higher_is_better = e.direction > 0;
    info.speed = e.speed;
    info.auxiliary = e.auxiliary;
    info.order = order;
    info.headline = e.headline;
    info.headline_rank = e.headline_rank;
    info.display_scale = e.scale;
    return info;
}

}  // namespace

MetricInfo describe_metric(std::string_view task, std::string_view name) {
    for (std::size_t i = 0; i < entries.size(); ++i) {
        if (name != entries[i].name) continue;
        MetricInfo info = from_entry(entries[i], static_cast<int>(i) * 10);
        // bits/byte and perplexity under the pppl task come from pseudo-log-likelihood
        // (Salazar et al. 2020): not a true likelihood, so they are labelled wherever shown.
        info.pseudo = name == "pppl" || name == "pseudo_bits_per_byte" || name == "pll_sum" ||
                      (task == "pppl" && (name == "bits_per_byte" || name == "byte_ppl" || name == "mean_nll"));
        return info;
    }
    for (const auto& e : length_entries) {
        std::string_view prefix = e.prefix;
        if (name == prefix || (name.size() > prefix.size() + 1 && name.substr(0, prefix.size()) == prefix &&
                               name[prefix.size()] == '_' && all_digits(name.substr(prefix.size() + 1)))) {
            MetricInfo info;
            std::string length = name.size() > prefix.size() ? std::string(name.substr(prefix.size() + 1)) : "";
            info.label = length.empty() ? e.label : std::string(e.label) + " @" + length;
            info.unit = e.unit;
            info.higher_is_better = e.direction > 0;
            info.speed = true;
            info.order = e.order;
            info.headline = e.headline;
            // The longest prefill length is the headline (throughput has settled there); a name
            // without a length is the suite's own summary and wins outright.
            int rank = 0;
            for (char c : length) rank = std::min(rank * 10 + (c - '0'), 99'999'999);
            info.headline_rank = length.empty() ? 100'000'000 : rank;
            info.sub_order = rank;  // prefill @128 before @512 before @1024
            return info;
        }
    }
    MetricInfo info;
    info.label = std::string(name);
    return info;
}

const char* headline_label(Headline headline) {
    switch (headline) {
        case Headline::none: return "";
        case Headline::bits_per_byte: return "bits/byte";
        case Headline::perplexity: return "PPL";
        case Headline::sts_spearman: return "STS ρ";
        case Headline::prefill_tps: return "prefill tok/s";
        case Headline::decode_tps: return "decode tok/s";
        case Headline::latency_p50: return "latency p50 (ms)";
        case Headline::peak_memory: return "peak RSS (MiB)";
        case Headline::load_seconds: return "load (s)";
    }
    return "";
}

bool headline_higher_is_better(Headline headline) {
    return headline == Headline::sts_spearman || headline == Headline::prefill_tps || headline == Headline::decode_tps;
}

int task_order(std::string_view task) {
    if (task == "perplexity") return 0;
    if (task == "pppl") return 1;
    if (task == "sts") return 2;
    if (task == "speed") return 3;
    return 4;
}

}  // namespace hubbench::reports
