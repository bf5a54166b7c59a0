// A real results database for the report tests, written through ResultStore into a temp dir:
//
//   run 1 "nightly"  (the baseline)     run 2 "adhoc" (ignored by "previous")     run 3 "nightly"
//
// with a decoder (fixtures/tiny-gpt2), an encoder (fixtures/tiny-bert) and a decoder whose repo id
// carries markup (evil/<script>alert(1)</script>). Between runs 1 and 3 tiny-gpt2's bits per byte
// goes from 1.50 ± 0.01 to 1.60 ± 0.01 (a regression: 0.10 > max(1% of 1.50, 2·√2·0.01)) and its
// decode speed from 50 to 60 tok/s (an improvement: +20% > 5%); prefill goes 1000 -> 1010 (+1%,
// within the 5% speed threshold). tiny-bert's speed result fails in run 3 and one candidate
// (org/broken) fails to load. Metric names are those the suites write, and what they mean is
// stored from the task registry as the harness stores it; the perplexity values themselves carry
// no direction (as a schema-v1 database would have them) so that the stored meaning must supply
// it. The markup model's word perplexity is +inf (the store accepts ±inf), which no format may
// choke on.
//
// Every run also has one classification question (sst2/dev, 50 items, the same in every run) with
// per-item correctness samples:
//   tiny-gpt2  likelihood  right on items 0..39        accuracy 0.80, 100 items/s   the best
//   tiny-bert  probe       right on 0..31 and 40..42   accuracy 0.70, 400 items/s   tied: wins 3, loses 8
//   evil       likelihood  right on 0..19              accuracy 0.40                worse: loses 20, wins 0
// and tiny-gpt2's cloze row is skipped (a decoder cannot fill in a mask): not applicable.
#pragma once
#include <algorithm>
#include <cmath>
#include <functional>
#include <string>

#include "core/error.hpp"
#include "core/fs.hpp"
#include "results/store.hpp"
#include "suites/task.hpp"
#include "tests/support/support.hpp"

namespace hubbench::test {

struct ReportFixture {
    static constexpr const char* gpt2 = "fixtures/tiny-gpt2";
    static constexpr const char* bert = "fixtures/tiny-bert";
    static constexpr const char* evil = "evil/<script>alert(1)</script>";
    static constexpr const char* gpt2_commit = "1111111aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    static constexpr const char* bert_commit = "2222222bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";
    static constexpr const char* evil_commit = "3333333ccccccccccccccccccccccccccccccccc";
    static constexpr const char* wiki_sha = "173c87a53759e0201f33e0ccf978e510c2042d7f2cb78229d9a50d79b9e7dd08";
    static constexpr const char* stsb_sha = "5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a";
    static constexpr const char* speed_sha = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";  // empty input
    static constexpr const char* sst2_sha = "c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1";
    static constexpr const char* cloze_reason = "the cloze method needs a masked LM: fixtures/tiny-gpt2 is a decoder";
    static constexpr const char* speed_error = "speed: out of memory at <b>batch 8</b> | \"retry\"";
    static constexpr const char* trial_reason = "unsupported architecture T5ForConditionalGeneration <script>alert('x')</script>";

    TempDir dir{"reports"};
    fs::path path = dir.path() / "hubbench.db";
    results::RunId baseline, adhoc, current;

    ReportFixture() {
        results::ResultStore store(path);
        baseline = write_run(store, "nightly", false);
        adhoc = write_run(store, "adhoc", false);
        current = write_run(store, "nightly", true);
    }

    static results::RunInfo run_info(const std::string& label) {
        results::RunInfo info;
        info.label = label;
        info.host = {"bench-host", "Test CPU @ 3.0GHz", 8, 16LL << 30, "Linux 6.1.0 x86_64"};
        info.blas = "OpenBLAS 0.3.21";
        info.threads = 4;
        info.command_line = {"hubbench", "run", "suites/default.yaml"};
        return info;
    }

    static results::Metric metric(const std::string& name, double value, std::optional<double> se = std::nullopt,
                                  std::optional<bool> higher = std::nullopt, std::optional<std::string> unit = std::nullopt) {
        results::Metric m;
        m.name = name;
        m.value = value;
        m.std_error = se;
        m.n = 1000;
        m.unit = std::move(unit);
        m.higher_is_better = higher;
        return m;
    }

    static results::ResultRecord result(const char* repo, const char* commit, const std::string& task, const char* sha,
                                        std::vector<results::Metric> metrics, const std::string& parameters = "{}") {
        results::ResultRecord r;
        r.key.model = {repo, commit};
        r.key.task = task;
        r.key.dataset_sha256 = sha;
        r.key.parameters = parameters;
        r.seconds = 1.5;
        r.metrics = std::move(metrics);
        return r;
    }

    // What the harness stores before a task's results: the registry's meanings of its metrics.
    static void describe(results::ResultStore& store, const std::string& task, const std::vector<std::string>& names) {
        const auto& entry = suites::task_entry(task);
        std::vector<results::MetricMeaningRow> rows;
        for (const auto& name : names) rows.push_back({task, name, entry.meaning(name).value()});
        const auto& entries = suites::task_entries();
        const auto position = static_cast<int>(std::find(entries.begin(), entries.end(), &entry) - entries.begin());
        store.describe_task({task, entry.label, position, entry.primary_metric}, rows);
    }

    // A classification result on sst2/dev, right on the items of the [first, last) ranges.
    static results::ResultRecord classification(const char* repo, const char* commit, const std::string& method,
                                                std::vector<std::pair<int, int>> right, double accuracy, double se,
                                                std::optional<double> items_per_second) {
        std::vector<results::Metric> metrics{metric("accuracy", accuracy, se, true), metric("macro_f1", accuracy - 0.01, se, true)};
        if (method == "likelihood") metrics.push_back(metric("accuracy_norm", accuracy - 0.02, se, true));
        if (items_per_second) metrics.push_back(metric("items_per_second", *items_per_second, std::nullopt, true, "items/s"));
        metrics.push_back(metric("n_items", 50));
        auto r = result(repo, commit, "classification", sst2_sha, std::move(metrics), R"({"method":")" + method + "\"}");
        for (int i = 0; i < 50; ++i) {
            bool ok = std::any_of(right.begin(), right.end(), [&](auto range) { return i >= range.first && i < range.second; });
            r.samples.push_back({"accuracy", i, ok ? 1.0 : 0.0});
        }
        return r;
    }

    static results::RunId write_run(results::ResultStore& store, const std::string& label, bool second) {
        auto run = store.begin_run(run_info(label));
        store.upsert_model({gpt2, gpt2_commit, "GPT2LMHeadModel", "gpt2", 124439808, "float32", ModelKind::decoder, "mit", 548105171});
        store.upsert_model({bert, bert_commit, "BertForMaskedLM", "bert", 109482240, "float32", ModelKind::encoder, "apache-2.0", 440473133});
        store.upsert_model({evil, evil_commit, "LlamaForCausalLM", "llama", 1000, "bfloat16", ModelKind::decoder, "<i>other</i>", 4000});
        store.upsert_dataset({"wikitext-2-raw/test", "assets/datasets/wikitext-2-raw/wiki.test.raw", wiki_sha, 1290590});
        store.upsert_dataset({"stsb/test", "assets/datasets/stsb/test.tsv", stsb_sha, 114000});
        store.upsert_dataset({"speed/synthetic", "-", speed_sha, 0});
        store.upsert_dataset({"sst2/dev", "assets/datasets/sst2/dev.tsv", sst2_sha, 98000});

        describe(store, "perplexity", {"bits_per_byte", "token_ppl", "nll_sum", "n_scored", "word_ppl"});
        describe(store, "speed", {"prefill_tps_128", "prefill_tps_512", "decode_tps", "peak_rss_mb", "load_seconds"});
        describe(store, "pppl", {"pppl", "pseudo_bits_per_byte", "pll_sum", "n_scored"});
        describe(store, "sts", {"spearman_cosine", "pearson_cosine"});
        describe(store, "classification", {"accuracy", "macro_f1", "accuracy_norm", "items_per_second", "n_items"});
        double bpb = second ? 1.60 : 1.50;
        store.record_result(run, result(gpt2, gpt2_commit, "perplexity", wiki_sha,
                                        {metric("bits_per_byte", bpb, 0.01), metric("token_ppl", second ? 33.0 : 30.0, 0.5),
                                         metric("nll_sum", 1234.5), metric("n_scored", 1000)},
                                        R"({"max_length":256,"stride":256})"));
        store.record_result(run, result(gpt2, gpt2_commit, "speed", speed_sha,
                                        {metric("prefill_tps_128", 2000, std::nullopt, true, "tok/s"),
                                         metric("prefill_tps_512", second ? 1010 : 1000, std::nullopt, true, "tok/s"),
                                         metric("decode_tps", second ? 60 : 50, std::nullopt, true, "tok/s"),
                                         metric("peak_rss_mb", 100, std::nullopt, false, "MiB"),
                                         metric("load_seconds", 0.25, std::nullopt, false, "s")}));
        store.record_result(run, result(bert, bert_commit, "pppl", wiki_sha,
                                        {metric("pppl", 8.0, 0.2, false), metric("pseudo_bits_per_byte", 1.20, 0.02, false),
                                         metric("pll_sum", -2079.4, std::nullopt, true), metric("n_scored", 1000)},
                                        R"({"max_length":128})"));
        store.record_result(run, result(bert, bert_commit, "sts", stsb_sha,
                                        {metric("spearman_cosine", 0.80, 0.01, true), metric("pearson_cosine", 0.78, 0.01, true)}));
        auto bert_speed = result(bert, bert_commit, "speed", speed_sha,
                                 {metric("prefill_tps_512", 3000, std::nullopt, true, "tok/s"),
                                  metric("peak_rss_mb", 200, std::nullopt, false, "MiB")});
        if (second) {
            bert_speed.status = results::ResultStatus::failed;
            bert_speed.error = speed_error;
            bert_speed.metrics.clear();
        }
        store.record_result(run, bert_speed);
        store.record_result(run, result(evil, evil_commit, "perplexity", wiki_sha,
                                        {metric("bits_per_byte", 2.0, 0.05, false), metric("word_ppl", HUGE_VAL, std::nullopt, false)},
                                        R"({"max_length":256,"stride":128})"));

        store.record_result(run, classification(gpt2, gpt2_commit, "likelihood", {{0, 40}}, 0.80, 0.057, 100));
        store.record_result(run, classification(bert, bert_commit, "probe", {{0, 32}, {40, 43}}, 0.70, 0.065, 400));
        store.record_result(run, classification(evil, evil_commit, "likelihood", {{0, 20}}, 0.40, 0.070, std::nullopt));
        auto cloze = result(gpt2, gpt2_commit, "classification", sst2_sha, {}, R"({"method":"cloze"})");
        cloze.status = results::ResultStatus::skipped;
        cloze.error = cloze_reason;
        cloze.seconds.reset();
        store.record_result(run, cloze);

        for (const char* repo : {gpt2, bert, evil}) store.record_trial(run, {repo, std::nullopt, "search", results::TrialOutcome::selected, "", "{}"});
        if (second) store.record_trial(run, {"org/broken", std::nullopt, "load", results::TrialOutcome::failed, trial_reason, R"({"architecture":"T5"})"});
        store.finish_run(run, results::RunStatus::ok);
        return run;
    }
};

}  // namespace hubbench::test
