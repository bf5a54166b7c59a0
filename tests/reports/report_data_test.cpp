#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>

#include "reports/report_data.hpp"
#include "tests/reports/fixture.hpp"

using namespace hubbench;
using namespace hubbench::reports;
using hubbench::test::ReportFixture;
using hubbench::test::error_of;
using results::Change;

namespace {

const ModelRow& model(const ReportData& r, const std::string& repo) {
    auto it = std::find_if(r.models.begin(), r.models.end(), [&](const ModelRow& m) { return m.repo_id == repo; });
    REQUIRE(it != r.models.end());
    return *it;
}

const ChangeRow& change(const ReportData& r, const std::string& repo, const std::string& metric) {
    auto it = std::find_if(r.changes.begin(), r.changes.end(), [&](const ChangeRow& c) { return c.repo_id == repo && c.metric == metric; });
    REQUIRE(it != r.changes.end());
    return *it;
}

std::optional<MetricValue> headline(const ReportData& r, const std::string& repo, Headline figure) {
    for (std::size_t i = 0; i < r.headline_columns.size(); ++i) {
        if (r.headline_columns[i].figure == figure) return model(r, repo).headline[i];
    }
    return std::nullopt;
}

}  // namespace

TEST_SUITE("unit") {
TEST_CASE("the report defaults to the latest run and the previous run with its label") {
    ReportFixture f;
    auto store = results::ResultStore::open_for_reading(f.path);
    auto r = build_report(store);
    CHECK(r.run.id == f.current);
    REQUIRE(r.baseline.has_value());
    CHECK(r.baseline->id == f.baseline);  // the adhoc run in between has another label
    CHECK(r.run.info.label == "nightly");
    CHECK(r.run.info.host.host_name == "bench-host");
    CHECK(r.run.info.blas == "OpenBLAS 0.3.21");
    CHECK(r.run.info.threads == 4);
}

TEST_CASE("models come decoders first then encoders with their store records") {
    ReportFixture f;
    auto store = results::ResultStore::open_for_reading(f.path);
    auto r = build_report(store);
    REQUIRE(r.models.size() == 3);
    CHECK(r.models[0].repo_id == ReportFixture::evil);  // "evil/" sorts before "fixtures/"
    CHECK(r.models[1].repo_id == ReportFixture::gpt2);
    CHECK(r.models[2].repo_id == ReportFixture::bert);
    const auto& gpt2 = model(r, ReportFixture::gpt2);
    CHECK(gpt2.kind == ModelKind::decoder);
    CHECK(gpt2.commit_short == "1111111");
    CHECK(gpt2.parameters == 124439808);
    CHECK(gpt2.dtype == "float32");
    CHECK(gpt2.licence == "mit");
    const auto& bert = model(r, ReportFixture::bert);
    CHECK(bert.kind == ModelKind::encoder);
    CHECK(bert.failures == 1);
    CHECK(bert.not_applicable == 0);
    CHECK(bert.results.size() == 3);  // pppl, sts and classification; speed failed
    CHECK(model(r, ReportFixture::gpt2).failures == 0);  // its cloze row is not applicable, not a failure
    CHECK(model(r, ReportFixture::gpt2).not_applicable == 1);
    CHECK(r.tasks == std::vector<std::string>{"perplexity", "pppl", "sts", "classification", "speed"});
}

TEST_CASE("metrics keep value and standard error and pseudo figures are marked") {
    ReportFixture f;
    auto store = results::ResultStore::open_for_reading(f.path);
    auto r = build_report(store);
    auto bpb = headline(r, ReportFixture::gpt2, Headline::bits_per_byte);
    REQUIRE(bpb.has_value());
    CHECK(bpb->value == 1.60);
    CHECK(bpb->std_error == 0.01);
    CHECK_FALSE(bpb->info.pseudo);
    auto pbpb = headline(r, ReportFixture::bert, Headline::bits_per_byte);
    REQUIRE(pbpb.has_value());
    CHECK(pbpb->value == 1.20);
    CHECK(pbpb->info.pseudo);
    auto ppl = headline(r, ReportFixture::bert, Headline::perplexity);
    REQUIRE(ppl.has_value());
    CHECK(ppl->name == "pppl");
    CHECK(ppl->info.pseudo);
    auto rss = headline(r, ReportFixture::gpt2, Headline::peak_memory);
    REQUIRE(rss.has_value());
    CHECK(rss->value == doctest::Approx(100.0));
    // The longest prefill length is the headline.
    auto prefill = headline(r, ReportFixture::gpt2, Headline::prefill_tps);
    REQUIRE(prefill.has_value());
    CHECK(prefill->name == "prefill_tps_512");
    // The encoder's only prefill figure was in the failed speed result.
    CHECK_FALSE(headline(r, ReportFixture::bert, Headline::prefill_tps).has_value());
}

TEST_CASE("a regression and an improvement are classified against the baseline") {
    ReportFixture f;
    auto store = results::ResultStore::open_for_reading(f.path);
    auto r = build_report(store);
    // Stored without a direction: the stored meaning says lower is better.
    const auto& bpb = change(r, ReportFixture::gpt2, "bits_per_byte");
    CHECK(bpb.change == Change::worse);
    REQUIRE(bpb.delta.has_value());
    CHECK(*bpb.delta == doctest::Approx(0.10));
    CHECK(*bpb.relative_delta == doctest::Approx(0.10 / 1.50));
    CHECK(change(r, ReportFixture::gpt2, "token_ppl").change == Change::worse);
    CHECK(change(r, ReportFixture::gpt2, "decode_tps").change == Change::better);
    // +1% is within the 5% speed threshold.
    CHECK(change(r, ReportFixture::gpt2, "prefill_tps_512").change == Change::same);
    CHECK(change(r, ReportFixture::bert, "pppl").change == Change::same);
    // Counts have no direction.
    CHECK(change(r, ReportFixture::gpt2, "n_scored").change == Change::unknown);
    // The encoder's speed figures exist only in the baseline.
    const auto& gone = change(r, ReportFixture::bert, "prefill_tps_512");
    CHECK(gone.baseline.has_value());
    CHECK_FALSE(gone.current.has_value());
    auto worse = changes_of(r, Change::worse);
    REQUIRE(worse.size() == 2);
    CHECK(r.counts.worse == 2);
    CHECK(r.counts.better == 1);
    CHECK(r.counts.only_baseline == 2);
    // The comparison is attached to the metric too.
    auto cell = headline(r, ReportFixture::gpt2, Headline::bits_per_byte);
    REQUIRE(cell->vs_baseline.has_value());
    CHECK(cell->vs_baseline->change == Change::worse);
    CHECK(cell->vs_baseline->baseline_value == 1.50);
}

TEST_CASE("a stricter threshold turns the prefill change into an improvement") {
    ReportFixture f;
    auto store = results::ResultStore::open_for_reading(f.path);
    ReportSelection sel;
    sel.speed_relative_tolerance = 0.001;
    auto r = build_report(store, sel);
    CHECK(change(r, ReportFixture::gpt2, "prefill_tps_512").change == Change::better);
}

TEST_CASE("failed results and failed trials come with their reasons") {
    ReportFixture f;
    auto store = results::ResultStore::open_for_reading(f.path);
    auto r = build_report(store);
    REQUIRE(r.failed_results.size() == 1);
    CHECK(r.failed_results[0].repo_id == ReportFixture::bert);
    CHECK(r.failed_results[0].task == "speed");
    CHECK(r.failed_results[0].status == results::ResultStatus::failed);
    CHECK(r.failed_results[0].error == ReportFixture::speed_error);
    REQUIRE(r.failed_trials.size() == 1);
    CHECK(r.failed_trials[0].repo_id == "org/broken");
    CHECK(r.failed_trials[0].stage == "load");
    CHECK(r.failed_trials[0].reason == ReportFixture::trial_reason);
    CHECK(r.selected_trials == 3);
}

TEST_CASE("skipped results are not applicable and not failures") {
    ReportFixture f;
    auto store = results::ResultStore::open_for_reading(f.path);
    auto r = build_report(store);
    REQUIRE(r.not_applicable.size() == 1);
    const auto& na = r.not_applicable[0];
    CHECK(na.repo_id == ReportFixture::gpt2);
    CHECK(na.task == "classification");
    CHECK(na.status == results::ResultStatus::skipped);
    CHECK(na.error == ReportFixture::cloze_reason);
    CHECK(na.parameters == R"({"method":"cloze"})");
    // The baseline run has the same skipped row and no failed result.
    ReportSelection first;
    first.run = f.baseline;
    auto baseline = build_report(store, first);
    CHECK(baseline.failed_results.empty());
    CHECK(baseline.not_applicable.size() == 1);
    for (const auto& m : baseline.models) CHECK(m.failures == 0);
}

TEST_CASE("provenance lists the datasets with their sha256") {
    ReportFixture f;
    auto store = results::ResultStore::open_for_reading(f.path);
    auto r = build_report(store);
    REQUIRE(r.datasets.size() == 4);
    CHECK(r.datasets[0].name == "speed/synthetic");
    CHECK(r.datasets[1].name == "sst2/dev");
    CHECK(r.datasets[2].name == "stsb/test");
    CHECK(r.datasets[3].name == "wikitext-2-raw/test");
    CHECK(r.datasets[3].sha256 == ReportFixture::wiki_sha);
    CHECK(r.database == f.path.string());
}

TEST_CASE("parameters that tell rows apart are named") {
    ReportFixture f;
    auto store = results::ResultStore::open_for_reading(f.path);
    auto r = build_report(store);
    CHECK(model(r, ReportFixture::gpt2).results[0].distinct_parameters == "stride=256");
    CHECK(model(r, ReportFixture::evil).results[0].distinct_parameters == "stride=128");
    CHECK(model(r, ReportFixture::bert).results[0].distinct_parameters.empty());
}

TEST_CASE("explicit runs and baselines are honoured") {
    ReportFixture f;
    auto store = results::ResultStore::open_for_reading(f.path);
    ReportSelection sel;
    sel.run = f.baseline;
    auto first = build_report(store, sel);
    CHECK(first.run.id == f.baseline);
    CHECK_FALSE(first.baseline.has_value());
    CHECK(first.baseline_note == "no earlier run labelled 'nightly'");
    CHECK(first.changes.empty());

    sel.run = f.current;
    sel.baseline = BaselineMode::none;
    auto alone = build_report(store, sel);
    CHECK_FALSE(alone.baseline.has_value());
    CHECK(alone.counts.worse == 0);

    sel.baseline = BaselineMode::explicit_run;
    sel.baseline_run = f.adhoc;
    auto vs_adhoc = build_report(store, sel);
    REQUIRE(vs_adhoc.baseline.has_value());
    CHECK(vs_adhoc.baseline->id == f.adhoc);

    ReportSelection labelled;
    labelled.label = "adhoc";
    CHECK(build_report(store, labelled).run.id == f.adhoc);
}

TEST_CASE("unknown runs labels and empty databases are one-line errors") {
    ReportFixture f;
    auto store = results::ResultStore::open_for_reading(f.path);
    ReportSelection unknown_run;
    unknown_run.run = results::RunId{42};
    CHECK(error_of([&] { build_report(store, unknown_run); }) == "no run 42 in " + f.path.string() + " (runs: 1, 2, 3)");
    ReportSelection unknown_baseline;
    unknown_baseline.baseline = BaselineMode::explicit_run;
    unknown_baseline.baseline_run = results::RunId{7};
    CHECK(error_of([&] { build_report(store, unknown_baseline); }) == "no baseline run 7 in " + f.path.string() + " (runs: 1, 2, 3)");
    ReportSelection unknown_label;
    unknown_label.label = std::string("weekly");
    CHECK(error_of([&] { build_report(store, unknown_label); }) ==
          "no run labelled 'weekly' in " + f.path.string() + " (labels: 'adhoc', 'nightly')");
    ReportSelection wrong_label;
    wrong_label.run = f.adhoc;
    wrong_label.label = std::string("nightly");
    CHECK(error_of([&] { build_report(store, wrong_label); }) == "run 2 in " + f.path.string() + " is labelled 'adhoc', not 'nightly'");

    TempDir dir("reports-empty");
    auto empty_path = dir.path() / "empty.db";
    { results::ResultStore create(empty_path); }
    auto empty = results::ResultStore::open_for_reading(empty_path);
    CHECK(error_of([&] { build_report(empty); }) == "no runs in " + empty_path.string() + ": run `hubbench run` first");
}
}

namespace {

const TaskResult& result_of(const ReportData& r, const std::string& repo, const std::string& task) {
    const auto& m = model(r, repo);
    auto it = std::find_if(m.results.begin(), m.results.end(), [&](const TaskResult& t) { return t.task == task; });
    REQUIRE(it != m.results.end());
    return *it;
}

const KindPick& pick_of(const ReportData& r, const std::string& task) {
    auto it = std::find_if(r.encoder_or_decoder.begin(), r.encoder_or_decoder.end(), [&](const KindPick& p) { return p.task == task; });
    REQUIRE(it != r.encoder_or_decoder.end());
    return *it;
}

// 50 items, right on those in [0, right).
std::vector<results::Sample> correctness(const std::string& metric, int right, int n = 50) {
    std::vector<results::Sample> out;
    for (int i = 0; i < n; ++i) out.push_back({metric, i, i < right ? 1.0 : 0.0});
    return out;
}

}  // namespace

TEST_SUITE("unit") {
TEST_CASE("results answering the same question are ranked with a paired bootstrap") {
    ReportFixture f;
    auto store = results::ResultStore::open_for_reading(f.path);
    auto r = build_report(store);
    const auto& best = result_of(r, ReportFixture::gpt2, "classification");
    CHECK(best.method == "likelihood");
    CHECK(best.distinct_parameters.empty());  // the method has its own field
    CHECK(best.significance == Significance::best);
    CHECK(best.ranked_by == "accuracy");
    CHECK(best.question_size == 3);  // the encoder's probe answers the same question
    const auto& probe = result_of(r, ReportFixture::bert, "classification");
    CHECK(probe.method == "probe");
    CHECK(probe.significance == Significance::tied);  // 0.80 vs 0.70 on 50 items: 8 won, 3 lost
    CHECK(probe.ranked_by == "accuracy");
    CHECK(result_of(r, ReportFixture::evil, "classification").significance == Significance::worse);
    // Other strides are other questions: each perplexity row is the best of its own.
    CHECK(result_of(r, ReportFixture::gpt2, "perplexity").significance == Significance::best);
    CHECK(result_of(r, ReportFixture::gpt2, "perplexity").ranked_by == "bits_per_byte");
    CHECK(result_of(r, ReportFixture::gpt2, "perplexity").question_size == 1);
    CHECK(result_of(r, ReportFixture::evil, "perplexity").significance == Significance::best);
    CHECK(result_of(r, ReportFixture::bert, "pppl").ranked_by == "pseudo_bits_per_byte");
    // Speed has no primary metric.
    CHECK(result_of(r, ReportFixture::gpt2, "speed").significance == Significance::unranked);
    CHECK(result_of(r, ReportFixture::gpt2, "speed").ranked_by.empty());
}

TEST_CASE("the encoder or decoder summary has one row per question with a primary metric") {
    ReportFixture f;
    auto store = results::ResultStore::open_for_reading(f.path);
    auto r = build_report(store);
    // perplexity at strides 128 and 256, pppl, sts, classification; not speed.
    REQUIRE(r.encoder_or_decoder.size() == 5);
    CHECK(r.encoder_or_decoder[0].task == "perplexity");
    CHECK(r.encoder_or_decoder[0].distinct_parameters == "stride=128");
    CHECK(r.encoder_or_decoder[1].distinct_parameters == "stride=256");
    CHECK(r.encoder_or_decoder[4].task == "classification");
    const auto& c = pick_of(r, "classification");
    CHECK(c.dataset_name == "sst2/dev");
    CHECK(c.dataset_sha256 == ReportFixture::sst2_sha);
    CHECK(c.parameters == "{}");
    REQUIRE(c.encoder.has_value());
    REQUIRE(c.decoder.has_value());
    CHECK(c.encoder->repo_id == ReportFixture::bert);
    CHECK(c.encoder->method == "probe");
    CHECK(c.encoder->value.name == "accuracy");
    CHECK(c.encoder->value.value == 0.70);
    CHECK(c.encoder->items_per_second == 400.0);
    CHECK(c.encoder->significance == Significance::tied);
    CHECK(c.decoder->repo_id == ReportFixture::gpt2);  // not the markup model: it is worse
    CHECK(c.decoder->significance == Significance::best);
    CHECK(c.pick == ModelKind::decoder);
    CHECK(c.runner_up == Significance::tied);
    CHECK(c.faster == ModelKind::encoder);
    CHECK(c.speedup == doctest::Approx(4.0));
    // Perplexity only decoders did, pppl and STS only the encoder: the one kind present is the pick.
    const auto& ppl = r.encoder_or_decoder[1];
    CHECK_FALSE(ppl.encoder.has_value());
    REQUIRE(ppl.decoder.has_value());
    CHECK(ppl.decoder->repo_id == ReportFixture::gpt2);
    CHECK(ppl.pick == ModelKind::decoder);
    CHECK(ppl.runner_up == Significance::unranked);
    CHECK(pick_of(r, "sts").pick == ModelKind::encoder);
    CHECK_FALSE(pick_of(r, "sts").decoder.has_value());
}

TEST_CASE("masked LM multiple choice rows are ranked by accuracy_pseudo next to decoders") {
    TempDir dir("reports-mc");
    const auto path = dir.path() / "mc.db";
    const char* sha = "abababababababababababababababababababababababababababababababab";
    {
        results::ResultStore store(path);
        auto run = store.begin_run(ReportFixture::run_info("mc"));
        store.upsert_model({"org/dec", "d", "GPT2LMHeadModel", "gpt2", 1000, "float32", ModelKind::decoder, "mit", 10});
        store.upsert_model({"org/dec-nosamples", "n", "GPT2LMHeadModel", "gpt2", 1000, "float32", ModelKind::decoder, "mit", 10});
        store.upsert_model({"org/enc", "e", "BertForMaskedLM", "bert", 1000, "float32", ModelKind::encoder, "mit", 10});
        store.upsert_dataset({"commonsenseqa/dev", "dev.jsonl", sha, 100});
        ReportFixture::describe(store, "multiple-choice", {"accuracy", "accuracy_norm", "accuracy_pseudo", "n_items", "items_per_second"});
        using F = ReportFixture;
        auto dec = F::result("org/dec", "d", "multiple-choice", sha,
                             {F::metric("accuracy", 0.5, 0.07, true), F::metric("accuracy_norm", 0.52, 0.07, true), F::metric("n_items", 50),
                              F::metric("items_per_second", 10, std::nullopt, true)});
        dec.samples = correctness("accuracy", 25);
        store.record_result(run, dec);
        // Ranked, but without samples: not tested.
        store.record_result(run, F::result("org/dec-nosamples", "n", "multiple-choice", sha,
                                           {F::metric("accuracy", 0.6, 0.07, true), F::metric("n_items", 50)}));
        auto enc = F::result("org/enc", "e", "multiple-choice", sha,
                             {F::metric("accuracy_pseudo", 0.9, 0.04, true), F::metric("n_items", 50),
                              F::metric("items_per_second", 30, std::nullopt, true)});
        enc.samples = correctness("accuracy_pseudo", 45);
        store.record_result(run, enc);
        store.finish_run(run, results::RunStatus::ok);
    }
    auto store = results::ResultStore::open_for_reading(path);
    auto r = build_report(store);
    const auto& enc = result_of(r, "org/enc", "multiple-choice");
    CHECK(enc.ranked_by == "accuracy_pseudo");
    CHECK(enc.significance == Significance::best);
    CHECK(enc.question_size == 3);
    CHECK(result_of(r, "org/dec", "multiple-choice").ranked_by == "accuracy");
    CHECK(result_of(r, "org/dec", "multiple-choice").significance == Significance::worse);  // 20 lost, none won
    CHECK(result_of(r, "org/dec-nosamples", "multiple-choice").significance == Significance::unknown);
    REQUIRE(r.encoder_or_decoder.size() == 1);
    const auto& p = r.encoder_or_decoder[0];
    CHECK(p.pick == ModelKind::encoder);
    REQUIRE(p.decoder.has_value());
    CHECK(p.decoder->repo_id == "org/dec-nosamples");  // the better decoder, 0.6
    CHECK(p.runner_up == Significance::unknown);
    CHECK(p.encoder->value.info.pseudo);
}
}
