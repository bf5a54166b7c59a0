// The suites on the fixture models against assets/references, on the first windows / lines /
// pairs only (fast); the full-length numbers are checked through the CLI in eval_cli_test.cpp.
#include <doctest/doctest.h>

#include <cmath>

#include "adapters/native/native_adapter.hpp"
#include "core/error.hpp"
#include "suites/perplexity.hpp"
#include "suites/pppl.hpp"
#include "suites/speed.hpp"
#include "suites/sts.hpp"
#include "suites/task.hpp"
#include "suites/windows.hpp"
#include "tests/support/support.hpp"

using namespace hubbench;
using namespace hubbench::suites;

namespace {

std::unique_ptr<adapters::Adapter> open_fixture(const std::string& name) {
    return adapters::open_native(test::fixture(name), {"", "", 1});
}

Dataset wikitext() { return load_dataset(default_dataset("perplexity")); }

}  // namespace

TEST_SUITE("unit") {
TEST_CASE("the first rolling windows of every decoder match the reference") {
    const auto text = wikitext();
    const auto decoders = test::referenced_fixture_names(true);
    REQUIRE(decoders.size() >= 3);
    for (const auto& name : decoders) {
        auto adapter = open_fixture(name);
        auto ref = test::read_json(test::reference(std::string(name) + ".json"));
        for (const auto& r : ref["rolling"]) {
            CAPTURE(name);
            CAPTURE(r["stride"]);
            PerplexityParams p;
            p.max_length = r["max_length"];
            p.strides = {r["stride"].get<std::size_t>()};
            p.limit = 800;  // three whole windows at both strides
            p.batch_size = 2;
            auto results = run_perplexity(*adapter, text, p);
            REQUIRE(results.size() == 1);
            const auto& got = results[0].details["first_windows"];
            for (std::size_t i = 0; i < 3; ++i) {
                for (std::size_t k = 0; k < 3; ++k) CHECK(got[i][k] == r["first_windows"][i][k]);
                CHECK(got[i][3].get<double>() == doctest::Approx(r["first_windows"][i][3].get<double>()).epsilon(1e-5));
            }
            CHECK(results[0].value("n_tokens") == 800);
            const double scored = r["stride"] == 256 ? 796 : 799;  // disjoint: each window's first is context
            CHECK(results[0].value("n_scored") == scored);
        }
    }
}

TEST_CASE("pseudo log-likelihoods of the first lines match the reference") {
    const auto text = wikitext();
    const auto encoders = test::referenced_fixture_names(false);
    REQUIRE(encoders.size() >= 2);
    for (const auto& name : encoders) {
        CAPTURE(name);
        auto adapter = open_fixture(name);
        auto ref = test::read_json(test::reference(std::string(name) + ".json"))["pppl"];
        PpplParams p;
        p.max_length = ref["max_length"];
        p.limit = 5;
        p.batch_size = 50;
        auto r = run_pppl(*adapter, text, p);
        REQUIRE(r.details["first_lines"].size() == 5);
        double sum = 0;
        for (std::size_t i = 0; i < 5; ++i) {
            const auto& got = r.details["first_lines"][i];
            const auto& want = ref["first_lines"][i];
            CHECK(got["n"] == want["n"]);
            CHECK(got["pll"].get<double>() == doctest::Approx(want["pll"].get<double>()).epsilon(1e-5));
            sum += got["pll"].get<double>();
        }
        CHECK(r.value("pll_sum") == doctest::Approx(sum).epsilon(1e-12));
        CHECK(r.value("n_lines") == 5);
        CHECK(r.value("pppl") == doctest::Approx(std::exp(-sum / r.value("n_scored"))));
    }
}

TEST_CASE("the first sts cosines match sentence-transformers") {
    auto adapter = open_fixture("tiny-bert-sentence");
    auto ref = test::read_json(test::reference("tiny-bert-sentence-stsb.json"));
    StsParams p;
    p.limit = 10;
    p.bootstrap = 50;
    auto r = run_sts(*adapter, load_dataset(default_dataset("sts")), p);
    REQUIRE(r.details["first_cosines"].size() == 10);
    for (std::size_t i = 0; i < 10; ++i) {
        CHECK(r.details["first_cosines"][i].get<double>() == doctest::Approx(ref["first_cosines"][i].get<double>()).epsilon(1e-5));
    }
    CHECK(r.value("n_pairs") == 10);
    REQUIRE(r.find("spearman_cosine")->std_error);
    CHECK(*r.find("spearman_cosine")->std_error > 0.0);
}

TEST_CASE("the llama.cpp figure is the mean nll of the second half of each bos-first chunk") {
    auto adapter = open_fixture("tiny-llama");
    const auto text = wikitext();
    PerplexityParams p;
    p.max_length = 128;
    p.strides = {64};
    p.limit = 1000;
    p.llama_cpp = true;
    auto r = run_perplexity(*adapter, text, p).at(0);
    // Independently: the chunks by hand through the adapter.
    auto ids = adapter->encode(text.text, true).ids;
    ids.resize(1000);
    const auto bos = *adapter->special_ids().bos;
    double nll = 0;
    std::size_t n = 0;
    for (std::size_t c = 0; c < 1000 / 128; ++c) {
        adapters::CausalWindow w{std::vector<std::int32_t>(ids.begin() + c * 128, ids.begin() + (c + 1) * 128), 65};
        w.ids[0] = bos;
        const auto lps = adapter->causal_logprobs(std::vector<adapters::CausalWindow>{w});
        for (double lp : lps[0]) {
            nll -= lp;
            ++n;
        }
    }
    CHECK(n == 7 * 63);
    CHECK(r.value("llamacpp_n_scored") == n);
    CHECK(r.value("llamacpp_n_chunks") == 7);
    CHECK(r.value("llamacpp_nll_sum") == doctest::Approx(nll).epsilon(1e-6));
    CHECK(r.value("llamacpp_ppl") == doctest::Approx(std::exp(nll / static_cast<double>(n))).epsilon(1e-6));
    CHECK(r.find("llamacpp_ppl")->std_error.value() > 0.0);
}

TEST_CASE("the window limit comes from the model unless it is too long") {
    auto adapter = open_fixture("tiny-gpt2");
    PerplexityParams p;
    p.limit = 300;
    auto r = run_perplexity(*adapter, wikitext(), p).at(0);
    CHECK(r.params["max_length"] == 256);
    CHECK(r.params["stride"] == 128);
    p.max_length = 512;
    CHECK_THROWS_WITH_AS(run_perplexity(*adapter, wikitext(), p), doctest::Contains("exceeds the 256 positions"), Error);
    TaskSpec spec{"perplexity", {}, {{"max_length", 512}, {"stride", 512}, {"limit", 300}}};
    auto fitted = run_task(*adapter, spec, {true}).at(0);
    CHECK(fitted.params["max_length"] == 256);
    CHECK(fitted.params["stride"] == 256);
}

TEST_CASE("a task the model cannot do is skipped with the reason") {
    auto adapter = open_fixture("tiny-bert");
    TaskSpec spec{"perplexity", {}, {}};
    auto r = run_task_or_skip(*adapter, spec);
    REQUIRE(r.size() == 1);
    REQUIRE(r[0].skipped);
    CHECK(r[0].skipped->find("causal perplexity needs a decoder") != std::string::npos);
    CHECK(to_json(r[0], adapter->info())["skipped"] == *r[0].skipped);
    CHECK_THROWS_AS(run_task(*adapter, spec), Error);
}

TEST_CASE("speed reports prefill for encoders and decode for decoders") {
    SpeedParams p;
    p.prefill_lengths = {8, 16, 100000};
    p.decode_tokens = 4;
    p.repetitions = 2;
    p.warmup = 0;
    auto dec = run_speed(*open_fixture("tiny-llama"), "", p);
    CHECK(dec.params["prefill_lengths"] == nlohmann::json::array({8, 16}));
    CHECK(dec.value("prefill_tps_16") > 0.0);
    CHECK(dec.value("prefill_p95_ms_8") >= dec.value("prefill_p50_ms_8"));
    CHECK(dec.value("decode_tps") > 0.0);
    CHECK(dec.value("peak_rss_mb") > 1.0);
    CHECK(dec.value("threads") == 1);
    auto enc = run_speed(*open_fixture("tiny-bert"), wikitext().text, p);
    CHECK(enc.value("prefill_tps_8") > 0.0);
    CHECK(enc.find("decode_tps") == nullptr);
    CHECK(enc.details["decode"].get<std::string>().find("encoder") != std::string::npos);
    CHECK(peak_rss_bytes() > 0);
}
}
