#include "suites/retrieval_metrics.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <unordered_set>

#include "core/error.hpp"

namespace hubbench::suites {
namespace {

// The grade of `id`, 0 when it has no judgment.
int grade_of(const Judgments& judgments, const std::string& id) {
    const auto it = judgments.find(id);
    return it == judgments.end() ? 0 : it->second;
}

// The first min(k, size) ids of `ranked`, after checking k and that no id repeats.
std::span<const std::string> first_k(std::span<const std::string> ranked, std::size_t k) {
    if (k == 0) throw Error(ErrorKind::usage, "a retrieval cutoff must be at least 1");
    std::unordered_set<std::string_view> seen;
    for (const auto& id : ranked) {
        if (!seen.insert(id).second)
            throw Error(ErrorKind::invalid_input, one_line("the ranking lists document '" + id + "' twice"));
    }
    return ranked.first(std::min(k, ranked.size()));
}

std::size_t relevant_count(const Judgments& judgments) {
    return static_cast<std::size_t>(
        std::count_if(judgments.begin(), judgments.end(), [](const auto& j) { return j.second > 0; }));
}

}  // namespace

double ndcg_at_k(std::span<const std::string> ranked, const Judgments& judgments, std::size_t k) {
    const auto top = first_k(ranked, k);
    // Rank r = i + 1 is discounted by log2(r + 1) = log2(i + 2), rank 1 included: trec_eval
    // since v9.0.4 (pytrec_eval 0.4 builds v9.0.5); earlier releases gave ranks 1 and 2 no discount.
    double dcg = 0.0;
    for (std::size_t i = 0; i < top.size(); ++i) {
        const int gain = grade_of(judgments, top[i]);
        if (gain > 0) dcg += gain / std::log2(static_cast<double>(i + 2));
    }
    std::vector<int> ideal;
    for (const auto& [id, grade] : judgments) {
        if (grade > 0) ideal.push_back(grade);
    }
    std::sort(ideal.begin(), ideal.end(), std::greater<>());
    double idcg = 0.0;
    for (std::size_t i = 0; i < ideal.size() && i < k; ++i) idcg += ideal[i] / std::log2(static_cast<double>(i + 2));
    return idcg > 0.0 ? dcg / idcg : 0.0;
}

double recall_at_k(std::span<const std::string> ranked, const Judgments& judgments, std::size_t k) {
    const auto top = first_k(ranked, k);
    const std::size_t relevant = relevant_count(judgments);
    if (relevant == 0) return 0.0;
    const auto found = std::count_if(top.begin(), top.end(), [&](const std::string& id) { return grade_of(judgments, id) > 0; });
    return static_cast<double>(found) / static_cast<double>(relevant);
}

double mrr_at_k(std::span<const std::string> ranked, const Judgments& judgments, std::size_t k) {
    const auto top = first_k(ranked, k);
    for (std::size_t i = 0; i < top.size(); ++i) {
        if (grade_of(judgments, top[i]) > 0) return 1.0 / static_cast<double>(i + 1);
    }
    return 0.0;
}

RetrievalScores evaluate_retrieval(std::span<const std::string> query_ids,
                                   std::span<const std::vector<std::string>> rankings, const Qrels& qrels,
                                   const RetrievalCutoffs& cutoffs) {
    if (query_ids.size() != rankings.size())
        throw Error(ErrorKind::invalid_input, std::to_string(rankings.size()) + " rankings for " +
                                                  std::to_string(query_ids.size()) + " queries");
    using Metric = double (*)(std::span<const std::string>, const Judgments&, std::size_t);
    struct Column {
        std::string name;
        Metric metric;
        std::size_t k;
    };
    std::vector<Column> columns;
    auto add = [&](const char* prefix, Metric metric, const std::vector<std::size_t>& ks) {
        for (std::size_t k : ks) {
            if (k == 0) throw Error(ErrorKind::usage, std::string("the ") + prefix + " cutoff must be at least 1");
            columns.push_back({std::string(prefix) + "_at_" + std::to_string(k), metric, k});
        }
    };
    add("ndcg", ndcg_at_k, cutoffs.ndcg);
    add("recall", recall_at_k, cutoffs.recall);
    add("mrr", mrr_at_k, cutoffs.mrr);

    RetrievalScores scores;
    scores.query_ids.assign(query_ids.begin(), query_ids.end());
    for (const auto& c : columns) scores.per_query[c.name].reserve(query_ids.size());
    for (std::size_t q = 0; q < query_ids.size(); ++q) {
        const auto it = qrels.find(query_ids[q]);
        if (it == qrels.end())
            throw Error(ErrorKind::invalid_input, one_line("query '" + query_ids[q] + "' has no judgments"));
        for (const auto& c : columns) scores.per_query[c.name].push_back(c.metric(rankings[q], it->second, c.k));
    }
    for (const auto& [name, values] : scores.per_query) {
        double sum = 0.0;
        for (double v : values) sum += v;
        scores.mean[name] = values.empty() ? std::numeric_limits<double>::quiet_NaN()
                                           : sum / static_cast<double>(values.size());
    }
    return scores;
}

}  // namespace hubbench::suites
