// A real results database with served models under load, written through ResultStore into a temp
// dir: one run ("serving") with
//
//   served/alpha-1b  (decoder)  chat endpoint, 128 prompt + 64 output tokens: concurrency 16, 1, 4
//                               (recorded out of order) and a request rate of 2.5 req/s
//   served/beta-1b   (decoder)  completions endpoint, same lengths, a TTFT objective of 100 ms:
//                               concurrency 4, 16, 1, and 64 which failed
//   fixtures/tiny-gpt2 (decoder) one ordinary speed row, on the same synthetic dataset
//
// The served-load figures follow level_figures() below, so a test can tell each level's row apart
// (alpha at concurrency 4: TTFT p50 30 ms, requests 128; beta at 4: TTFT p50 40 ms). Parameters
// are keyed as the harness keys them (the thread count, the requests sent at each level), and what
// the metrics mean is stored from the task registry.
#pragma once
#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/fs.hpp"
#include "results/store.hpp"
#include "suites/task.hpp"
#include "tests/support/support.hpp"

namespace hubbench::test {

struct ServingFixture {
    static constexpr const char* alpha = "served/alpha-1b";
    static constexpr const char* beta = "served/beta-1b";
    static constexpr const char* native = "fixtures/tiny-gpt2";
    static constexpr const char* alpha_commit = "aaaaaaa111111111111111111111111111111111";
    static constexpr const char* beta_commit = "bbbbbbb222222222222222222222222222222222";
    static constexpr const char* native_commit = "1111111aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    static constexpr const char* failed_error = "speed: the server closed the connection at concurrency 64";
    static constexpr const char* speed_sha = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    TempDir dir{"serving-report"};
    fs::path path = dir.path() / "hubbench.db";
    results::RunId run;

    ServingFixture() {
        results::ResultStore store(path);
        run = store.begin_run(run_info());
        store.upsert_model({alpha, alpha_commit, "Qwen2ForCausalLM", "qwen2", 1000000000, "bfloat16", ModelKind::decoder, "apache-2.0", 2000000000});
        store.upsert_model({beta, beta_commit, "LlamaForCausalLM", "llama", 1100000000, "bfloat16", ModelKind::decoder, "apache-2.0", 2200000000});
        store.upsert_model({native, native_commit, "GPT2LMHeadModel", "gpt2", 124439808, "float32", ModelKind::decoder, "mit", 548105171});
        store.upsert_dataset({"speed/synthetic", "-", speed_sha, 0});
        describe(store);

        // Out of level order on purpose: the report orders them.
        for (int c : {16, 1, 4}) store.record_result(run, served(alpha, alpha_commit, "chat", "concurrency", c, level_figures(1, c)));
        store.record_result(run, served(alpha, alpha_commit, "chat", "request_rate", 2.5, rate_figures()));
        for (int c : {4, 16, 1}) store.record_result(run, served(beta, beta_commit, "completions", "concurrency", c, level_figures(2, c)));
        // A level that failed as a whole: listed with the failures, never as a row of figures.
        auto failed = served(beta, beta_commit, "completions", "concurrency", 64, {});
        failed.status = results::ResultStatus::failed;
        failed.error = failed_error;
        failed.seconds.reset();
        store.record_result(run, failed);

        results::ResultRecord ordinary;
        ordinary.key.model = {native, native_commit};
        ordinary.key.task = "speed";
        ordinary.key.dataset_sha256 = speed_sha;
        ordinary.key.parameters = R"({"batch_size":1,"decode_tokens":32,"threads":4})";
        ordinary.seconds = 2.0;
        ordinary.metrics = {metric("prefill_tps_512", 1234), metric("decode_tps", 77), metric("peak_rss_mb", 321), metric("load_seconds", 0.5)};
        store.record_result(run, ordinary);
        store.finish_run(run, results::RunStatus::ok);
    }

    static results::RunInfo run_info() {
        results::RunInfo info;
        info.label = "serving";
        info.host = {"bench-host", "Test CPU @ 3.0GHz", 8, 16LL << 30, "Linux 6.1.0 x86_64"};
        info.blas = "OpenBLAS 0.3.21";
        info.threads = 4;
        info.command_line = {"hubbench", "eval", "--task", "speed", "--model", "openai:http://127.0.0.1:8000/v1?model=alpha"};
        return info;
    }

    struct Figure {
        std::string name;
        double value;
    };

    // Model factor f (alpha 1, beta 2) at concurrency c.
    static std::vector<Figure> level_figures(int f, int c) {
        const double ttft = 10.0 * f + 5.0 * c, itl = 8.0 * f + c / 2.0, e2e = 100.0 * f + 10.0 * c, rps = 1.5 * c / f;
        return {{"requests", 32.0 * c},
                {"failed_requests", c == 16 ? 2.0 : 0.0},
                {"requests_per_second", rps},
                {"output_tokens_per_second", rps * 64},
                {"goodput_rps", rps * 0.9},
                {"ttft_ms_p50", ttft},
                {"ttft_ms_p90", ttft * 1.5},
                {"ttft_ms_p99", ttft * 2},
                {"itl_ms_p50", itl},
                {"itl_ms_p90", itl + 2},
                {"itl_ms_p99", itl + 5},
                {"e2e_ms_p50", e2e},
                {"e2e_ms_p90", e2e * 1.2},
                {"e2e_ms_p99", e2e * 1.5}};
    }

    static std::vector<Figure> rate_figures() {
        return {{"requests", 50},         {"failed_requests", 0},  {"requests_per_second", 2.5}, {"output_tokens_per_second", 160},
                {"goodput_rps", 2.5},     {"ttft_ms_p50", 22},     {"ttft_ms_p90", 33},          {"ttft_ms_p99", 44},
                {"itl_ms_p50", 9},        {"itl_ms_p90", 11},      {"itl_ms_p99", 14},           {"e2e_ms_p50", 120},
                {"e2e_ms_p90", 144},      {"e2e_ms_p99", 180}};
    }

    static results::Metric metric(const std::string& name, double value) {
        results::Metric m;
        m.name = name;
        m.value = value;
        m.n = 1;
        return m;
    }

    // A served-load row as the harness keys it: the spec's parameters with one level, the thread
    // count, and the requests sent at that level (by default more at higher levels).
    static results::ResultRecord served(const char* repo, const char* commit, const std::string& endpoint, const std::string& level_key,
                                        double level, const std::vector<Figure>& figures) {
        nlohmann::json params{{"endpoint", endpoint}, {"prompt_tokens", 128}, {"output_tokens", 64}, {"threads", 4}};
        if (std::string(repo) == beta) params["slo_ttft_ms"] = 100;  // goodput counts against it
        if (level_key == "concurrency") {
            params["concurrency"] = static_cast<int>(level);
            params["requests"] = std::max(16, 4 * static_cast<int>(level));
        } else {
            params[level_key] = level;
            params["requests"] = 32;
        }
        results::ResultRecord r;
        r.key.model = {repo, commit};
        r.key.task = "speed";
        r.key.dataset_sha256 = speed_sha;
        r.key.parameters = params.dump();
        r.seconds = 30.0;
        for (const auto& f : figures) r.metrics.push_back(metric(f.name, f.value));
        return r;
    }

    // What the harness stores before the results: the registry's meanings of the metrics written.
    static void describe(results::ResultStore& store) {
        const auto& entry = suites::task_entry("speed");
        std::vector<std::string> names{"prefill_tps_512", "decode_tps", "peak_rss_mb", "load_seconds"};
        for (const auto& f : level_figures(1, 1)) names.push_back(f.name);
        std::vector<results::MetricMeaningRow> rows;
        for (const auto& name : names) rows.push_back({"speed", name, entry.meaning(name).value()});
        const auto& entries = suites::task_entries();
        const auto at = static_cast<int>(std::find(entries.begin(), entries.end(), &entry) - entries.begin());
        store.describe_task({"speed", entry.label, at, entry.primary_metric}, rows);
    }
};

}  // namespace hubbench::test
