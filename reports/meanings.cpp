#include "reports/meanings.hpp"

#include <array>
#include <cctype>

namespace hubbench::reports {
namespace {

struct HeadlineName {
    Headline headline;
    const char* key;
    const char* label;
    bool higher_is_better;
};

constexpr std::array<HeadlineName, 8> headline_names{{
    {Headline::bits_per_byte, "bits_per_byte", "bits/byte", false},
    {Headline::perplexity, "perplexity", "PPL", false},
    {Headline::sts_spearman, "sts_spearman", "STS ρ", true},
    {Headline::prefill_tps, "prefill_tokens_per_second", "prefill tok/s", true},
    {Headline::decode_tps, "decode_tokens_per_second", "decode tok/s", true},
    {Headline::latency_p50, "latency_p50_ms", "latency p50 (ms)", false},
    {Headline::peak_memory, "peak_memory_mib", "peak RSS (MiB)", false},
    {Headline::load_seconds, "load_seconds", "load (s)", false},
}};

// 128 for "prefill_tps_128": names of one family sort by their number, not as text.
int trailing_number(std::string_view name) {
    std::size_t start = name.size();
    while (start > 0 && std::isdigit(static_cast<unsigned char>(name[start - 1]))) --start;
    if (start == name.size() || start == 0 || name[start - 1] != '_') return 0;
    int n = 0;
    for (char c : name.substr(start)) n = std::min(n * 10 + (c - '0'), 99'999'999);
    return n;
}

}  // namespace

const char* headline_key(Headline headline) {
    for (const auto& h : headline_names)
        if (h.headline == headline) return h.key;
    return "none";
}

Headline headline_from_key(std::string_view key) {
    for (const auto& h : headline_names)
        if (key == h.key) return h.headline;
    return Headline::none;
}

const char* headline_label(Headline headline) {
    for (const auto& h : headline_names)
        if (h.headline == headline) return h.label;
    return "";
}

bool headline_higher_is_better(Headline headline) {
    for (const auto& h : headline_names)
        if (h.headline == headline) return h.higher_is_better;
    return false;
}

Meanings Meanings::load(const results::ResultStore& store) {
    Meanings meanings;
    for (auto& row : store.metric_meanings()) meanings.metrics_.emplace(std::make_pair(row.task, row.name), std::move(row.meaning));
    for (auto& task : store.task_meanings()) meanings.tasks_.emplace(task.task, std::move(task));
    return meanings;
}

MetricInfo Meanings::describe(std::string_view task, std::string_view name) const {
    MetricInfo info;
    info.sub_order = trailing_number(name);
    auto it = metrics_.find(std::make_pair(std::string(task), std::string(name)));
    if (it == metrics_.end()) {
        info.label = std::string(name);
        return info;
    }
    const results::MetricMeaning& m = it->second;
    info.label = m.label;
    info.unit = m.unit;
    info.higher_is_better = m.higher_is_better;
    info.pseudo = m.pseudo;
    info.speed = m.speed;
    info.auxiliary = m.auxiliary;
    info.order = m.position;
    info.headline = headline_from_key(m.headline);
    info.headline_rank = m.headline_rank;
    return info;
}

int Meanings::task_order(std::string_view task) const {
    auto it = tasks_.find(task);
    return it == tasks_.end() ? 1000000 : it->second.position;
}

std::string Meanings::task_label(std::string_view task) const {
    auto it = tasks_.find(task);
    return it == tasks_.end() ? std::string(task) : it->second.label;
}

std::string Meanings::primary_metric(std::string_view task) const {
    auto it = tasks_.find(task);
    return it == tasks_.end() ? std::string() : it->second.primary_metric;
}

}  // namespace hubbench::reports
