// `hubbench eval` and `hubbench generate` as a user runs them, on the fixtures, against the
// full-length numbers of assets/references (docs/references.md tolerances). Each model runs in
// one process with both strides (they share forward passes) on one thread, so ctest -j runs the
// models side by side.
#include <doctest/doctest.h>

#include <cmath>
#include <filesystem>
#include <future>
#include <sstream>

#include "core/fs.hpp"
#include "engine/safetensors.hpp"
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

std::vector<std::string> rolling_args(const std::string& model, const json& ref) {
    std::string strides;
    for (const auto& r : ref["rolling"]) strides += (strides.empty() ? "" : ",") + std::to_string(r["stride"].get<int>());
    return {"eval", "-q", "--format", "json", "--model", test::fixture(model).string(), "--task", "perplexity",
            "--max-length", "256", "--stride", strides, "--threads", "1"};
}

void check_rolling(const std::string& model, const json& ref, const test::ProcessResult& r) {
    CAPTURE(model);
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    auto out = json::parse(r.out);
    if (!out.is_array()) out = json::array({out});
    REQUIRE(out.size() == ref["rolling"].size());
    for (std::size_t i = 0; i < out.size(); ++i) {
        const auto& want = ref["rolling"][i];
        const auto& got = out[i];
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
TEST_CASE("eval perplexity of every decoder fixture reproduces the rolling references") {
    const auto decoders = test::referenced_fixture_names(true);
    REQUIRE(decoders.size() >= 3);
    // One single-threaded process per model, all at once (the whole text is long to score under
    // the sanitizers); the checks run here, on the test's thread.
    std::vector<json> refs;
    std::vector<std::future<test::ProcessResult>> runs;
    for (const auto& model : decoders) {
        refs.push_back(test::read_json(test::reference(model + ".json")));
        runs.push_back(std::async(std::launch::async, [args = rolling_args(model, refs.back())] { return test::run_hubbench(args); }));
    }
    for (std::size_t i = 0; i < decoders.size(); ++i) check_rolling(decoders[i], refs[i], runs[i].get());
}

TEST_CASE("eval pppl of every encoder fixture reproduces the references") {
    const auto encoders = test::referenced_fixture_names(false);
    REQUIRE(encoders.size() >= 2);
    // One single-threaded process per model, all at once, as for perplexity.
    std::vector<json> wants;
    std::vector<std::future<test::ProcessResult>> runs;
    for (const auto& model : encoders) {
        wants.push_back(test::read_json(test::reference(model + ".json"))["pppl"]);
        runs.push_back(std::async(std::launch::async, [args = std::vector<std::string>{
                                                           "eval", "-q", "--format", "json", "--model", test::fixture(model).string(),
                                                           "--task", "pppl", "--max-length", "64", "--limit",
                                                           std::to_string(wants.back()["n_lines"].get<int>()), "--threads", "1"}] {
            return test::run_hubbench(args);
        }));
    }
    for (std::size_t i = 0; i < encoders.size(); ++i) {
        CAPTURE(encoders[i]);
        const auto& want = wants[i];
        const auto r = runs[i].get();
        INFO(r.err);
        REQUIRE(r.exit_code == 0);
        const auto got = json::parse(r.out);
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
    CHECK(keys == std::vector<std::string>{"compute_dtype", "metrics", "model", "model_revision", "n", "params", "seconds", "task"});
    CHECK(got["model"] == "tiny-gpt2");
    CHECK(got["model_revision"].is_null());
    CHECK(got["compute_dtype"] == "float32");  // auto, for a model far under half the memory
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
    for (const auto& model : test::referenced_fixture_names(true)) {
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

TEST_CASE("embed writes sentence-transformers' embeddings as safetensors or JSON lines") {
    TempDir dir;
    const auto ref = test::read_json(test::reference("tiny-bert-sentence.json"));
    std::string input;
    for (const auto& s : ref["sentences"]) input += s.get<std::string>() + "\r\n";  // CRLF lines are fine
    write_file_atomic(dir.path() / "texts.txt", input);
    const auto model = test::fixture("tiny-bert-sentence").string();
    const auto out = dir.path() / "vectors.safetensors";
    auto r = test::run_hubbench({"embed", "--model", model, "--input", (dir.path() / "texts.txt").string(), "--output",
                                 out.string(), "--batch-size", "3", "--threads", "1"});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    CHECK(r.out.empty());
    // Against SentenceTransformer.encode() of the same sentences (docs/references.md: cosine >= 0.99999).
    engine::SafetensorsFile ours(out), theirs(test::reference("tiny-bert-sentence.safetensors"));
    auto got = ours.find("embeddings"), want = theirs.find("embeddings");
    REQUIRE(got.info != nullptr);
    REQUIRE(got.info->shape == want.info->shape);
    const std::size_t rows = got.info->shape[0], dim = got.info->shape[1];
    CHECK(rows == 8);
    std::vector<float> a(rows * dim), b(rows * dim);
    engine::convert_to_float(got.info->dtype, got.data, a.size(), a.data(), "ours");
    engine::convert_to_float(want.info->dtype, want.data, b.size(), b.data(), "theirs");
    for (std::size_t i = 0; i < rows; ++i) {
        double dot = 0, na = 0, nb = 0;
        for (std::size_t j = 0; j < dim; ++j) {
            dot += double(a[i * dim + j]) * b[i * dim + j];
            na += double(a[i * dim + j]) * a[i * dim + j];
            nb += double(b[i * dim + j]) * b[i * dim + j];
        }
        CHECK(dot / std::sqrt(na * nb) >= 0.99999);
    }

    // JSON lines on stdout, from stdin: the text and the same vector.
    auto lines = test::run_hubbench({"embed", "--model", model, "--threads", "1"}, input);
    REQUIRE(lines.exit_code == 0);
    std::istringstream in(lines.out);
    std::string line;
    std::size_t n = 0;
    while (std::getline(in, line)) {
        auto j = json::parse(line);
        CHECK(j["text"] == ref["sentences"][n]);
        REQUIRE(j["embedding"].size() == dim);
        CHECK(j["embedding"][0].get<double>() == doctest::Approx(a[n * dim]).epsilon(1e-6));
        ++n;
    }
    CHECK(n == 8);

    // Bad input: one line naming the file and line, exit 2, nothing written.
    write_file_atomic(dir.path() / "gap.txt", "one\n\nthree\n");
    const auto none = dir.path() / "none.safetensors";
    auto gap = test::run_hubbench({"embed", "--model", model, "--input", (dir.path() / "gap.txt").string(), "--output", none.string()});
    CHECK(gap.exit_code == 2);
    CHECK(gap.err == "hubbench: error: embed: " + (dir.path() / "gap.txt").string() + " line 2: an empty text\n");
    CHECK_FALSE(std::filesystem::exists(none));
    auto bad = test::run_hubbench({"embed", "--model", model}, "ok\nnot \xff utf-8\n");
    CHECK(bad.exit_code == 2);
    CHECK(bad.err == "hubbench: error: embed: stdin line 2: invalid UTF-8\n");
    auto decoder_only = test::run_hubbench({"embed", "--model", test::fixture("tiny-gpt2").string()}, "text\n");
    CHECK(decoder_only.exit_code == 0);  // decoders embed too (mean of the last hidden states)
}
}
