// What the reports know about the metrics they show: what the database says each one means
// (results' metric_meanings and task_meanings, written by the harness from the task registry),
// turned into display information. Reports never guess a meaning from a name: a metric stored
// without one (a database from before schema v4) is shown under its own name, with the unit and
// direction stored beside its value.
#pragma once
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "results/store.hpp"

namespace hubbench::reports {

// The headline figures of the side-by-side table, in display order. A metric meaning names the
// one it can fill by key ("bits_per_byte", "prefill_tokens_per_second", ...: headline_key()).
enum class Headline {
    none,
    bits_per_byte,   // cross-tokenizer quality: CLM bits/byte, or PPPL bits/byte (pseudo)
    perplexity,      // token perplexity (decoders) or pseudo-perplexity (encoders)
    sts_spearman,    // STS Spearman correlation of cosine similarities
    prefill_tps,     // prefill throughput, tokens/s
    decode_tps,      // decode throughput, tokens/s
    latency_p50,     // median latency, ms
    peak_memory,     // peak resident memory, MiB
    load_seconds,    // model load time
};

struct MetricInfo {
    std::string label;                    // "bits/byte", "prefill tok/s @512"
    std::string unit;                     // "", "tok/s", "ms", "MiB", "s", "nats"
    std::optional<bool> higher_is_better; // unset: no direction (counts, sums that depend on n)
    bool pseudo = false;                  // derived from pseudo-log-likelihood (not a true likelihood)
    bool speed = false;                   // a timing or memory figure: noisy, own regression threshold
    bool auxiliary = false;               // counts and sums: in CSV/JSON and the full lists only
    int order = 1000000;                  // position within its task's table; undescribed metrics last
    int sub_order = 0;                    // the trailing number of a name (prefill_tps_128 before _512)
    Headline headline = Headline::none;   // which headline column it can fill
    int headline_rank = 0;                // among several candidates for one headline, higher wins
};

// The key a metric meaning uses for a headline ("bits_per_byte", ...; "none" for none), and back.
const char* headline_key(Headline headline);
Headline headline_from_key(std::string_view key);
// Column title of a headline figure, e.g. "bits/byte".
const char* headline_label(Headline headline);
// Its direction (all headline figures have one).
bool headline_higher_is_better(Headline headline);

class Meanings {
public:
    Meanings() = default;
    static Meanings load(const results::ResultStore& store);

    // Never throws: an undescribed metric gets its name as label and no direction.
    MetricInfo describe(std::string_view task, std::string_view name) const;
    // Tasks in their registry order; undescribed tasks after, by name.
    int task_order(std::string_view task) const;
    std::string task_label(std::string_view task) const;   // the task's name when undescribed
    std::string primary_metric(std::string_view task) const;  // "" when none

private:
    std::map<std::pair<std::string, std::string>, results::MetricMeaning, std::less<>> metrics_;
    std::map<std::string, results::TaskMeaning, std::less<>> tasks_;
};

}  // namespace hubbench::reports
