#include "suites/retrieval.hpp"

#include <algorithm>

#include "adapters/stopwatch.hpp"
#include "core/error.hpp"
#include "core/interrupt.hpp"
#include "core/progress.hpp"
#include "suites/beir.hpp"
#include "suites/math.hpp"
#include "suites/nearest.hpp"
#include "suites/retrieval_metrics.hpp"

namespace hubbench::suites {
namespace {

constexpr std::size_t retrieved = 100;  // the deepest cutoff reported (recall@100)

Matrix embed_all(adapters::Adapter& adapter, const std::vector<std::string>& texts, std::size_t batch_size, const char* what) {
    std::vector<std::vector<float>> rows;
    rows.reserve(texts.size());
    Progress progress("retrieval", texts.size(), what);
    for (std::size_t start = 0; start < texts.size(); start += batch_size) {
        throw_if_interrupted();
        const std::size_t count = std::min(batch_size, texts.size() - start);
        for (auto& v : adapter.embed(std::span<const std::string>(texts.data() + start, count))) rows.push_back(std::move(v));
        progress.advance(count);
    }
    progress.finish();
    Matrix m = Matrix::from_rows(rows);
    normalize_rows(m);  // embed() normalises already; a remote server may not
    return m;
}

std::vector<SuiteResult> run_retrieval(adapters::Adapter& adapter, const TaskInput& in) {
    adapters::Stopwatch wall;
    const Params& p = in.params;
    adapter.require(adapters::Capability::embeddings);
    const std::size_t batch_size = std::max<std::size_t>(1, p.count("batch_size", 32));
    const std::size_t limit = p.count("limit", 0);
    const std::string query_prefix = p.text("query_prefix", ""), document_prefix = p.text("document_prefix", "");
    NearestOptions nearest;
    nearest.exact_max_documents = p.count("exact_max_documents", nearest.exact_max_documents);
    const adapters::PhaseTimings before = adapter.timings();

    const Dataset dataset = read_user_data([&] { return load_dataset(in.dataset); });
    if (!dataset.is_folder()) {
        throw Error(ErrorKind::usage, "retrieval: " + dataset.path.string() +
                                          " must be a BEIR folder (corpus.jsonl, queries.jsonl, qrels/test.tsv)");
    }
    BeirSet set = read_user_data([&] { return read_beir(dataset); });
    if (limit != 0 && limit < set.queries.size()) set.queries.resize(limit);

    std::vector<std::string> documents, queries, query_ids;
    for (const auto& d : set.corpus) documents.push_back(document_prefix + embedding_text(d));
    for (const auto& q : set.queries) {
        queries.push_back(query_prefix + q.text);
        query_ids.push_back(q.id);
    }
    const Matrix doc_vectors = embed_all(adapter, documents, batch_size, "documents");
    const Matrix query_vectors = embed_all(adapter, queries, batch_size, "queries");

    adapters::Stopwatch score_watch;
    const Neighbours found = top_k(doc_vectors, query_vectors, std::min(retrieved, set.corpus.size()), nearest);
    std::vector<std::vector<std::string>> rankings;
    for (const auto& ids : found.ids) {
        std::vector<std::string> ranking;
        for (std::size_t row : ids) ranking.push_back(set.corpus[row].id);
        rankings.push_back(std::move(ranking));
    }
    const RetrievalScores scores = evaluate_retrieval(query_ids, rankings, set.qrels);

    SuiteResult r;
    r.task = "retrieval";
    for (const char* name : {"ndcg_at_10", "recall_at_10", "recall_at_100", "mrr_at_10"}) {
        const auto& values = scores.per_query.at(name);
        r.add(name, mean(values), stderr_of_mean(values));
        if (std::string(name) == "ndcg_at_10") {
            for (std::size_t q = 0; q < values.size(); ++q) r.samples.push_back({name, static_cast<std::int64_t>(q), values[q]});
        }
    }
    r.add("n_queries", static_cast<double>(queries.size()));
    r.add("n_documents", static_cast<double>(documents.size()));
    const double seconds = wall.seconds();
    r.add("items_per_second", seconds > 0 ? static_cast<double>(documents.size() + queries.size()) / seconds : 0.0);
    r.params = {{"dataset", dataset.name}, {"dataset_sha256", dataset.sha256}, {"limit", limit},
                {"batch_size", batch_size}, {"search", found.approximate ? "hnsw" : "exact"},
                {"query_prefix", query_prefix}, {"document_prefix", document_prefix}, {"threads", adapter.threads()}};
    r.n = queries.size();
    r.timings = adapter.timings() - before;
    r.timings.score += score_watch.seconds();
    r.seconds = seconds;
    return {r};
}

}  // namespace

const TaskEntry& retrieval_task() {
    static const TaskEntry entry{
        .name = "retrieval",
        .label = "Retrieval",
        .summary = "nDCG@10, recall and MRR of cosine search over a BEIR folder (every model that embeds)",
        .default_dataset = {.bundled = "retrieval/stsb-paraphrase"},
        .params = {{"limit", ParamType::count, "the first N queries"},
                   {"batch_size", ParamType::count, "texts per forward pass (results do not change)"},
                   {"query_prefix", ParamType::text, "text put before every query (\"query: \" for E5 models)"},
                   {"document_prefix", ParamType::text, "text put before every document (\"passage: \" for E5 models)"},
                   {"exact_max_documents", ParamType::count, "corpora larger than this are searched with HNSW (default 1000000)"}},
        .metrics = {metric("ndcg_at_10", "nDCG@10", "", higher),
                    metric("recall_at_10", "recall@10", "", higher),
                    metric("recall_at_100", "recall@100", "", higher),
                    metric("mrr_at_10", "MRR@10", "", higher),
                    count_metric("n_queries", "queries"),
                    count_metric("n_documents", "documents"),
                    metric("items_per_second", "texts/s", "texts/s", higher, {.speed = true})},
        .primary_metric = "ndcg_at_10",
        .run = run_retrieval,
    };
    return entry;
}

}  // namespace hubbench::suites
