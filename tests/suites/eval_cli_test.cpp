// `hubbench eval` and `hubbench generate` as a user runs them, on the fixtures, against the
// full-length numbers of assets/references (docs/references.md tolerances). Each model runs in
// one process with both strides (they share forward passes) on one thread, so ctest -j runs the
// models side by side.
#include <doctest/doctest.h>

#include <cmath>

#include "tests/support/support.hpp"

using namespace hubbench;
using nlohmann::json;

namespace {

json eval_json(const std::vector<std::string>& args) {
    std::vector<std::string> all{"eval", "-q", "--format", "json"};
    all.insert(all.end(), args.begin(), args.end());
    auto r = test::run_hubbench(all);
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    return json::parse(r.out);
}

double rel(double got, double want) { return std::abs(got - want) / std::abs(want); }

void check_rolling(const std::string& model) {
    auto ref = test::read_json(test::reference(model + ".json"));
    std::string strides;
    for (const auto& r : ref["rolling"]) strides += (strides.empty() ? "" : ",") + std::to_string(r["stride"].get<int>());
    auto out = eval_json({"--model", test::fixture(model).string(), "--task", "perplexity", "--max-length", "256",
                          "--stride", strides, "--threads", "1"});
    if (!out.is_array()) out = json::array({out});
    REQUIRE(out.size() == ref["rolling"].size());
    for (std::size_t i = 0; i < out.size(); ++i) {
        const auto& want = ref["rolling"][i];
        const auto& got = out[i];
        CAPTURE(model);
        CAPTURE(want["stride"]);
        CHECK(got["params"]["stride"] == want["stride"]);
        const auto& m = got["metrics"];
        CHECK(m["n_scored"].get<double>() == want["n_scored"].get<double>());
        CHECK(m["n_windows"].get<double>() == want["n_windows"].get<double>());
        CHECK(rel(m["nll_sum"], want["nll_sum"]) <= 1e-5);
        for (const char* k : {"token_ppl", "word_ppl", "byte_ppl", "bits_per_byte"}) {
            CAPTURE(k);
            CHECK(rel(m[k], want[k]) <= 1e-4);
            CHECK(m[std::string(k) + "_stderr"].get<double>() > 0.0);
        }
        CHECK(m["n_tokens"].get<double>() == ref["eval"]["n_tokens"].get<double>());
        CHECK(m["n_words"].get<double>() == ref["eval"]["n_words"].get<double>());
        CHECK(m["n_bytes"].get<double>() == ref["eval"]["n_bytes"].get<double>());
    }
}

}  // namespace

TEST_SUITE("integration") {
TEST_CASE("eval perplexity of tiny-gpt2 reproduces the rolling references") { check_rolling("tiny-gpt2"); }
TEST_CASE("eval perplexity of tiny-llama reproduces the rolling references") { check_rolling("tiny-llama"); }
TEST_CASE("eval perplexity of tiny-qwen2 reproduces the rolling references") { check_rolling("tiny-qwen2"); }

TEST_CASE("eval pppl of tiny-bert and tiny-roberta reproduces the references") {
    for (const char* model : {"tiny-bert", "tiny-roberta"}) {
        CAPTURE(model);
        auto want = test::read_json(test::reference(std::string(model) + ".json"))["pppl"];
        auto got = eval_json({"--model", test::fixture(model).string(), "--task", "pppl", "--max-length", "64", "--limit",
                              std::to_string(want["n_lines"].get<int>()), "--threads", "1"});
        CHECK(got["task"] == "pppl");
        CHECK(got["n"] == want["n_scored"]);
        CHECK(got["metrics"]["n_scored"].get<double>() == want["n_scored"].get<double>());
        CHECK(rel(got["metrics"]["pll_sum"], want["pll_sum"]) <= 1e-5);
        CHECK(rel(got["metrics"]["pppl"], want["pppl"]) <= 1e-4);
    }
}

TEST_CASE("eval sts of tiny-bert-sentence reproduces the stsb reference") {
    auto want = test::read_json(test::reference("tiny-bert-sentence-stsb.json"));
    auto got = eval_json({"--model", test::fixture("tiny-bert-sentence").string(), "--task", "sts", "--threads", "1"});
    CHECK(got["n"] == want["n_pairs"]);
    CHECK(std::abs(got["metrics"]["spearman_cosine"].get<double>() - want["spearman_cosine"].get<double>()) <= 1e-4);
    CHECK(std::abs(got["metrics"]["pearson_cosine"].get<double>() - want["pearson_cosine"].get<double>()) <= 1e-4);
}

TEST_CASE("eval json has exactly the documented keys") {
    auto got = eval_json({"--model", test::fixture("tiny-gpt2").string(), "--task", "perplexity", "--limit", "300"});
    std::vector<std::string> keys;
    for (const auto& [k, v] : got.items()) keys.push_back(k);
    CHECK(keys == std::vector<std::string>{"metrics", "model", "model_revision", "n", "params", "seconds", "task"});
    CHECK(got["model"] == "tiny-gpt2");
    CHECK(got["model_revision"].is_null());
    CHECK(got["task"] == "perplexity");
    CHECK(got["params"]["max_length"] == 256);
    CHECK(got["n"] == 299);
    for (const char* k : {"nll_sum", "n_scored", "token_ppl", "word_ppl", "byte_ppl", "bits_per_byte", "tokenize_seconds",
                          "forward_seconds", "score_seconds"}) {
        CHECK_MESSAGE(got["metrics"].contains(k), k);
    }
}

TEST_CASE("results do not depend on batch size or threads") {
    auto same = [](const json& a, const json& b, const std::vector<std::string>& keys) {
        for (const auto& k : keys) {
            CAPTURE(k);
            CHECK(rel(a["metrics"][k].get<double>(), b["metrics"][k].get<double>()) <= 1e-6);
        }
    };
    const auto llama = test::fixture("tiny-llama").string();
    auto a = eval_json({"--model", llama, "--task", "perplexity", "--max-length", "128", "--stride", "48", "--limit", "3000",
                        "--batch-size", "1", "--threads", "1"});
    auto b = eval_json({"--model", llama, "--task", "perplexity", "--max-length", "128", "--stride", "48", "--limit", "3000",
                        "--batch-size", "7", "--threads", "2"});
    same(a, b, {"nll_sum", "token_ppl", "word_ppl", "byte_ppl"});
    const auto roberta = test::fixture("tiny-roberta").string();
    auto c = eval_json({"--model", roberta, "--task", "pppl", "--limit", "4", "--batch-size", "1", "--threads", "1"});
    auto d = eval_json({"--model", roberta, "--task", "pppl", "--limit", "4", "--batch-size", "33", "--threads", "2"});
    same(c, d, {"pll_sum", "pppl"});
    const auto sentence = test::fixture("tiny-bert-sentence").string();
    auto e = eval_json({"--model", sentence, "--task", "sts", "--limit", "40", "--batch-size", "1", "--threads", "1"});
    auto f = eval_json({"--model", sentence, "--task", "sts", "--limit", "40", "--batch-size", "16", "--threads", "2"});
    same(e, f, {"spearman_cosine", "pearson_cosine"});
}

TEST_CASE("an encoder asked for perplexity fails with a clear message") {
    auto r = test::run_hubbench({"eval", "--model", test::fixture("tiny-bert").string(), "--task", "perplexity"});
    CHECK(r.exit_code == 1);
    CHECK(r.out.empty());
    CHECK(r.err == "hubbench: error: tiny-bert is an encoder (masked LM): causal perplexity needs a decoder; use --task pppl\n");
    auto g = test::run_hubbench({"eval", "--model", test::fixture("tiny-gpt2").string(), "--task", "pppl"});
    CHECK(g.exit_code == 1);
    CHECK(g.err.find("tiny-gpt2 is a decoder (causal LM): pseudo-perplexity needs a masked LM") != std::string::npos);
}

TEST_CASE("eval usage errors exit 2 before loading a model") {
    auto bad = [](const std::vector<std::string>& args) {
        std::vector<std::string> all{"eval"};
        all.insert(all.end(), args.begin(), args.end());
        return test::run_hubbench(all);
    };
    const auto gpt2 = test::fixture("tiny-gpt2").string();
    auto r = bad({"--model", gpt2, "--task", "bleu"});
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("unknown task 'bleu'") != std::string::npos);
    r = bad({"--model", gpt2, "--task", "sts", "--stride", "4"});
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("--stride does not apply to task sts") != std::string::npos);
    r = bad({"--model", gpt2, "--task", "perplexity", "--stride", "4,x"});
    CHECK(r.exit_code == 2);
    CHECK(bad({"--task", "sts"}).exit_code == 2);
    CHECK(bad({"--model", gpt2, "--task", "perplexity", "--format", "xml"}).exit_code == 2);
    r = bad({"--model", gpt2, "--task", "perplexity", "--max-length", "512"});
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("exceeds the 256 positions of tiny-gpt2") != std::string::npos);
    r = bad({"--model", gpt2, "--task", "perplexity", "--dataset", "/nonexistent/file.txt"});
    CHECK(r.exit_code == 1);
    CHECK(r.err.find("/nonexistent/file.txt") != std::string::npos);
}

TEST_CASE("eval prints a table by default and runs speed") {
    auto r = test::run_hubbench({"eval", "-q", "--model", test::fixture("tiny-llama").string(), "--task", "speed",
                                 "--prefill-lengths", "8,16", "--decode-tokens", "4", "--repetitions", "2", "--warmup", "0",
                                 "--threads", "1"});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    for (const char* k : {"task      speed", "prefill_tps_8", "prefill_p95_ms_16", "decode_tps", "peak_rss_mb", "load_seconds"}) {
        CHECK_MESSAGE(r.out.find(k) != std::string::npos, k);
    }
}

TEST_CASE("generate json gives the reference greedy ids") {
    for (const char* model : {"tiny-gpt2", "tiny-llama", "tiny-qwen2"}) {
        auto ref = test::read_json(test::reference(std::string(model) + ".json"));
        for (const auto& g : ref["greedy"]) {
            CAPTURE(model);
            auto r = test::run_hubbench({"generate", "--model", test::fixture(model).string(), "--prompt", g["prompt"].get<std::string>(),
                                         "--max-new-tokens", std::to_string(g["new_ids"].size()), "--greedy", "--json",
                                         "--threads", "1"});
            INFO(r.err);
            REQUIRE(r.exit_code == 0);
            CHECK(r.out.rfind("{\"prompt_ids\":", 0) == 0);  // the documented key order
            auto out = json::parse(r.out);
            CHECK(out["prompt_ids"] == g["prompt_ids"]);
            CHECK(out["new_ids"] == g["new_ids"]);
            CHECK(out["text"] == g["text"]);
        }
    }
    auto plain = test::run_hubbench({"generate", "--model", test::fixture("tiny-gpt2").string(), "--prompt",
                                     "The history of the", "-n", "4"});
    CHECK(plain.exit_code == 0);
    // Four tokens decode to the start of the reference's sixteen.
    const auto full = test::read_json(test::reference("tiny-gpt2.json"))["greedy"][0]["text"].get<std::string>();
    REQUIRE(plain.out.size() > 1);
    CHECK(full.rfind(plain.out.substr(0, plain.out.size() - 1), 0) == 0);
    auto enc = test::run_hubbench({"generate", "--model", test::fixture("tiny-bert").string(), "--prompt", "x"});
    CHECK(enc.exit_code == 1);
    CHECK(enc.err.find("generation needs a decoder") != std::string::npos);
}
}
