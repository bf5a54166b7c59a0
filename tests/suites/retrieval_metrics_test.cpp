#include <doctest/doctest.h>

#include <cmath>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "suites/retrieval_metrics.hpp"
#include "tests/support/support.hpp"

using namespace hubbench;
using namespace hubbench::suites;
using hubbench::test::error_of;

namespace {

// Four queries with graded judgments (grade > 0 relevant):
//   qa  d1:3 d2:2 d3:1 d4:0 d5:2   ranked d4 d2 x1 d1 d3 x2 x3 x4 x5 x6 d5 (d5 11th)
//   qb  d7:1                       ranked x1..x11 d7 (d7 12th)
//   qc  d8:0 (nothing relevant)    ranked d8 x1
//   qd  d9:1 d10:1                 ranked d9 (one document, fewer than k)
const Qrels qrels{
    {"qa", {{"d1", 3}, {"d2", 2}, {"d3", 1}, {"d4", 0}, {"d5", 2}}},
    {"qb", {{"d7", 1}}},
    {"qc", {{"d8", 0}}},
    {"qd", {{"d9", 1}, {"d10", 1}}},
};
const std::vector<std::string> ranked_a{"d4", "d2", "x1", "d1", "d3", "x2", "x3", "x4", "x5", "x6", "d5"};
const std::vector<std::string> ranked_b{"x1", "x2", "x3", "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11", "d7"};
const std::vector<std::string> ranked_c{"d8", "x1"};
const std::vector<std::string> ranked_d{"d9"};

}  // namespace

TEST_SUITE("unit") {
TEST_CASE("retrieval metrics: ndcg at 10 uses the grade as gain and log2 of rank plus one") {
    // qa: DCG@10 = 0 (d4, grade 0, rank 1) + 2/log2(3) (d2, rank 2) + 3/log2(5) (d1, rank 4)
    //            + 1/log2(6) (d3, rank 5)  [d5 is 11th, past the cutoff]
    //          = 1.2618595 + 1.2920297 + 0.3868528 = 2.940741988597636
    //     ideal: grades 3, 2, 2, 1 at ranks 1..4 = 3/log2(2) + 2/log2(3) + 2/log2(4) + 1/log2(5)
    //          = 3 + 1.2618595 + 1 + 0.4306766 = 5.692536065216308
    //     nDCG@10 = 2.940741988597636 / 5.692536065216308 = 0.516596110223483
    //     (with 2^grade − 1 gains it would be 0.4892: the grade itself is trec_eval's gain.)
    CHECK(ndcg_at_k(ranked_a, qrels.at("qa"), 10) == doctest::Approx(0.516596110223483).epsilon(1e-12));
    // qb: the only relevant document is 12th -> 0. qc: nothing relevant -> 0 (IDCG 0).
    CHECK(ndcg_at_k(ranked_b, qrels.at("qb"), 10) == 0.0);
    CHECK(ndcg_at_k(ranked_c, qrels.at("qc"), 10) == 0.0);
    // qd: DCG = 1/log2(2) = 1; ideal = 1 + 1/log2(3) = 1.6309298; nDCG = 0.6131471927654584.
    CHECK(ndcg_at_k(ranked_d, qrels.at("qd"), 10) == doctest::Approx(0.6131471927654584).epsilon(1e-12));
    // qb at a cutoff that reaches d7: DCG = 1/log2(13), ideal 1.
    CHECK(ndcg_at_k(ranked_b, qrels.at("qb"), 100) == doctest::Approx(1.0 / std::log2(13.0)));
    // A perfect ranking scores 1; ranks 1 and 2 are discounted differently (trec_eval ≥ 9.0.4):
    // d2 (grade 2) then d1 (grade 3) gives (2 + 3/log2(3)) / (3 + 2/log2(3)) = 0.9541...
    const Judgments two{{"d1", 3}, {"d2", 2}};
    CHECK(ndcg_at_k(std::vector<std::string>{"d1", "d2"}, two, 10) == doctest::Approx(1.0));
    CHECK(ndcg_at_k(std::vector<std::string>{"d2", "d1"}, two, 10) ==
          doctest::Approx((2 + 3 / std::log2(3.0)) / (3 + 2 / std::log2(3.0))));
    // The ideal list is cut at k too: k = 1, d2 first: 2 / 3.
    CHECK(ndcg_at_k(std::vector<std::string>{"d2", "d1"}, two, 1) == doctest::Approx(2.0 / 3.0));
}

TEST_CASE("retrieval metrics: recall and mrr count grades above zero within the cutoff") {
    // qa: 4 relevant (d1, d2, d3, d5); d2, d1, d3 in the top 10 -> 3/4; d5 (11th) within 100 -> 1.
    CHECK(recall_at_k(ranked_a, qrels.at("qa"), 10) == 0.75);
    CHECK(recall_at_k(ranked_a, qrels.at("qa"), 100) == 1.0);
    // First relevant of qa is d2 at rank 2 (d4 at rank 1 is judged 0) -> 1/2.
    CHECK(mrr_at_k(ranked_a, qrels.at("qa"), 10) == 0.5);
    CHECK(mrr_at_k(ranked_a, qrels.at("qa"), 1) == 0.0);
    // qb: d7 is 12th: recall@10 0, recall@100 1, MRR@10 0, MRR@100 1/12.
    CHECK(recall_at_k(ranked_b, qrels.at("qb"), 10) == 0.0);
    CHECK(recall_at_k(ranked_b, qrels.at("qb"), 100) == 1.0);
    CHECK(mrr_at_k(ranked_b, qrels.at("qb"), 10) == 0.0);
    CHECK(mrr_at_k(ranked_b, qrels.at("qb"), 100) == doctest::Approx(1.0 / 12));
    // qc: no relevant document -> 0 everywhere. qd: 1 of 2 found, at rank 1.
    CHECK(recall_at_k(ranked_c, qrels.at("qc"), 10) == 0.0);
    CHECK(mrr_at_k(ranked_c, qrels.at("qc"), 10) == 0.0);
    CHECK(recall_at_k(ranked_d, qrels.at("qd"), 10) == 0.5);
    CHECK(mrr_at_k(ranked_d, qrels.at("qd"), 10) == 1.0);
}

TEST_CASE("retrieval metrics: evaluation gives per query values and their means") {
    const std::vector<std::string> ids{"qa", "qb", "qc", "qd"};
    const std::vector<std::vector<std::string>> rankings{ranked_a, ranked_b, ranked_c, ranked_d};
    const RetrievalScores s = evaluate_retrieval(ids, rankings, qrels);
    CHECK(s.query_ids == ids);
    REQUIRE(s.per_query.size() == 4);
    REQUIRE(s.mean.size() == 4);
    const auto& ndcg = s.per_query.at("ndcg_at_10");
    REQUIRE(ndcg.size() == 4);
    CHECK(ndcg[0] == doctest::Approx(0.516596110223483));
    CHECK(ndcg[1] == 0.0);
    CHECK(ndcg[2] == 0.0);
    CHECK(ndcg[3] == doctest::Approx(0.6131471927654584));
    CHECK(s.per_query.at("recall_at_10") == std::vector<double>{0.75, 0.0, 0.0, 0.5});
    CHECK(s.per_query.at("recall_at_100") == std::vector<double>{1.0, 1.0, 0.0, 0.5});
    CHECK(s.per_query.at("mrr_at_10") == std::vector<double>{0.5, 0.0, 0.0, 1.0});
    // Means over the four queries:
    //   nDCG@10 (0.516596110223483 + 0 + 0 + 0.6131471927654584) / 4 = 0.28243582574723536
    //   recall@10 (0.75 + 0 + 0 + 0.5) / 4 = 0.3125, recall@100 (1 + 1 + 0 + 0.5) / 4 = 0.625
    //   MRR@10 (0.5 + 0 + 0 + 1) / 4 = 0.375
    CHECK(s.mean.at("ndcg_at_10") == doctest::Approx(0.28243582574723536).epsilon(1e-12));
    CHECK(s.mean.at("recall_at_10") == 0.3125);
    CHECK(s.mean.at("recall_at_100") == 0.625);
    CHECK(s.mean.at("mrr_at_10") == 0.375);

    RetrievalCutoffs only_ndcg;
    only_ndcg.ndcg = {1, 5};
    only_ndcg.recall.clear();
    only_ndcg.mrr.clear();
    const auto t = evaluate_retrieval(ids, rankings, qrels, only_ndcg);
    CHECK(t.mean.size() == 2);
    CHECK(t.per_query.at("ndcg_at_1")[0] == 0.0);   // qa's first document is judged 0
    CHECK(std::isnan(evaluate_retrieval({}, {}, qrels).mean.at("ndcg_at_10")));
}

TEST_CASE("retrieval metrics: metric errors name the query or the document") {
    CHECK(error_of([&] { ndcg_at_k(ranked_a, qrels.at("qa"), 0); }) == "a retrieval cutoff must be at least 1");
    CHECK(error_of([&] { recall_at_k(std::vector<std::string>{"d1", "d2", "d1"}, qrels.at("qa"), 2); }) ==
          "the ranking lists document 'd1' twice");
    const std::vector<std::string> ids{"qa", "qz"};
    const std::vector<std::vector<std::string>> rankings{ranked_a, ranked_b};
    CHECK(error_of([&] { evaluate_retrieval(ids, rankings, qrels); }) == "query 'qz' has no judgments");
    CHECK(error_of([&] { evaluate_retrieval(ids, std::vector<std::vector<std::string>>{ranked_a}, qrels); }) ==
          "1 rankings for 2 queries");
    RetrievalCutoffs zero;
    zero.mrr = {0};
    CHECK(error_of([&] { evaluate_retrieval({}, {}, qrels, zero); }) == "the mrr cutoff must be at least 1");
}
}
