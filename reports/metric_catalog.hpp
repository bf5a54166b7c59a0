// What the reports know about the metrics the suites write: a human label, the display unit, the
// direction of "better", whether the number is pseudo (from masked-LM pseudo-log-likelihood), and
// where it goes in a table. Unknown metrics are still rendered (label = name, no direction): the
// catalog only curates order and labels, it never hides data.
//
// Two spellings exist for several metrics (the names agreed for the store and the ones the suites
// first wrote): bits_per_byte / pseudo_bits_per_byte, spearman / spearman_cosine,
// prefill_tokens_per_second_<L> / prefill_tps_<L>, decode_tokens_per_second / decode_tps,
// peak_rss_bytes / peak_rss_mb. Both are known here.
#pragma once
#include <optional>
#include <string>
#include <string_view>

namespace hubbench::reports {

// The headline figures of the side-by-side table, in display order.
enum class Headline {
    none,
    bits_per_byte,   // cross-tokenizer quality: CLM bits/byte, or PPPL bits/byte (pseudo)
    perplexity,      // token perplexity (decoders) or pseudo-perplexity (encoders)
    sts_spearman,    // STS Spearman correlation of cosine similarities
    prefill_tps,     // prefill throughput, tokens/s
    decode_tps,      // decode throughput, tokens/s
    latency_p50,     // median latency, ms
    peak_memory,     // peak resident memory, shown in MiB
    load_seconds,    // model load time
};

struct MetricInfo {
    std::string label;                    // "bits/byte", "prefill tok/s @512"
    std::string unit;                     // display unit: "", "tok/s", "ms", "MiB", "s", "nats"
    std::optional<bool> higher_is_better; // unset: no direction (counts, sums that depend on n)
    bool pseudo = false;                  // derived from pseudo-log-likelihood (not a true likelihood)
    bool speed = false;                   // a timing or memory figure: noisy, own regression threshold
    bool auxiliary = false;               // counts and sums: in CSV/JSON and the full lists only
    int order = 1000;                     // position within its task's table; unknown metrics last
    int sub_order = 0;                    // among names of one family (the length L of prefill_tps_L)
    Headline headline = Headline::none;   // which headline column it can fill
    int headline_rank = 0;                // among several candidates for one headline, higher wins
    double display_scale = 1.0;           // value * scale is shown in `unit` (bytes -> MiB)
};

// `task` disambiguates bits_per_byte (pseudo under "pppl"). Never throws.
MetricInfo describe_metric(std::string_view task, std::string_view name);

// Column title of a headline figure, e.g. "bits/byte".
const char* headline_label(Headline headline);
// Its direction (all headline figures have one).
bool headline_higher_is_better(Headline headline);

// Canonical order of the known tasks (perplexity, pppl, sts, speed); others sort after, by name.
int task_order(std::string_view task);

}  // namespace hubbench::reports
