// Scores of a ranked retrieval run against graded judgments, as BEIR reports them through
// pytrec_eval (trec_eval's ndcg_cut and recall) and its own MRR (beir/retrieval/custom_metrics.py).
// Per query, and means over queries; the caller keeps the per-query values for standard errors.
#pragma once
#include <cstddef>
#include <map>
#include <span>
#include <string>
#include <vector>

namespace hubbench::suites {

// One query's judgments: corpus id -> graded relevance. A score > 0 is relevant (trec_eval's
// default relevance level 1 for integer grades); 0 and negative scores are judged non-relevant.
using Judgments = std::map<std::string, int>;
// query id -> its judgments.
using Qrels = std::map<std::string, Judgments>;

// `ranked` is one query's retrieved corpus ids, best first; only the first k count, and an id
// that has no judgment has gain 0. Error(usage) for k = 0; Error(invalid_input) when an id occurs
// twice in `ranked` (trec_eval refuses duplicate documents too).

// nDCG@k as trec_eval's ndcg_cut computes it (usnistgov/trec_eval m_ndcg_cut.c, "Note: i+2 since
// doc i has rank i+1"; pytrec_eval and BEIR use it): the gain is the relevance grade itself (not
// 2^grade − 1), DCG@k = Σ_{i=1..k} gain_i / log2(i + 1) over the run's first k documents with
// gain > 0, and the ideal DCG@k is the same sum over the query's judged grades > 0 sorted from the
// highest. 0 when the query has no relevant document.
double ndcg_at_k(std::span<const std::string> ranked, const Judgments& judgments, std::size_t k);

// trec_eval's recall_k: relevant documents among the first k / relevant documents judged (grade
// > 0). 0 when the query has no relevant document.
double recall_at_k(std::span<const std::string> ranked, const Judgments& judgments, std::size_t k);

// BEIR's mrr (custom_metrics.py): 1 / rank of the first relevant document (grade > 0) within the
// first k, else 0.
double mrr_at_k(std::span<const std::string> ranked, const Judgments& judgments, std::size_t k);

// The cutoffs a retrieval task reports: metric names are "ndcg_at_<k>", "recall_at_<k>" and
// "mrr_at_<k>".
struct RetrievalCutoffs {
    std::vector<std::size_t> ndcg{10};
    std::vector<std::size_t> recall{10, 100};
    std::vector<std::size_t> mrr{10};
};

struct RetrievalScores {
    std::vector<std::string> query_ids;                     // as given
    std::map<std::string, std::vector<double>> per_query;   // "ndcg_at_10" -> one value per query
    std::map<std::string, double> mean;                     // "ndcg_at_10" -> mean over the queries
};

// Every metric of `cutoffs` for every query: rankings[q] is the run of query_ids[q]. Means are
// over the queries given (NaN when none). Error(invalid_input) when the two lists differ in
// length or a query has no entry in `qrels`; Error(usage) for a cutoff of 0.
RetrievalScores evaluate_retrieval(std::span<const std::string> query_ids,
                                   std::span<const std::vector<std::string>> rankings, const Qrels& qrels,
                                   const RetrievalCutoffs& cutoffs = {});

}  // namespace hubbench::suites
