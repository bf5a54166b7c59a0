#include "harness/metric_catalog.hpp"

#include <string_view>

namespace hubbench::harness {
namespace {
bool starts_with(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }
bool ends_with(std::string_view s, std::string_view p) {
    return s.size() >= p.size() && s.substr(s.size() - p.size()) == p;
}
bool contains(std::string_view s, std::string_view p) { return s.find(p) != std::string_view::npos; }
}  // namespace

MetricMeaning metric_meaning(const std::string& name) {
    // Order matters: the most specific patterns first.
    if (name == "n_scored" || name == "threads" || ends_with(name, "_count")) return {std::nullopt, std::nullopt};
    if (name == "bits_per_byte") return {"bits/byte", false};
    if (name == "nll_sum") return {"nats", false};
    if (name == "pll_sum") return {"nats", true};  // a log-likelihood: closer to 0 is better
    if (contains(name, "ppl")) return {std::nullopt, false};  // token_ppl, word_ppl, byte_ppl, pppl, llamacpp_ppl
    if (starts_with(name, "spearman") || starts_with(name, "pearson")) return {std::nullopt, true};
    if (contains(name, "tokens_per_second") || starts_with(name, "prefill_tps") || starts_with(name, "decode_tps"))
        return {"tokens/s", true};
    if (contains(name, "rss") || ends_with(name, "_bytes")) return {"bytes", false};
    if (ends_with(name, "_ms")) return {"ms", false};
    if (ends_with(name, "_seconds") || ends_with(name, "seconds")) return {"s", false};
    return {std::nullopt, std::nullopt};
}

}  // namespace hubbench::harness
