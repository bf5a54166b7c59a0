// The OpenAI-compatible adapter against a real HTTP server on loopback: a small cpp-httplib
// server that answers /v1/completions (echo + logprobs) and /v1/embeddings with the native
// adapter, the way vLLM answers them for the same model.
#include <doctest/doctest.h>
#include <httplib.h>

#include <mutex>
#include <thread>

#include "adapters/native/native_adapter.hpp"
#include "adapters/open.hpp"
#include "adapters/remote/openai_adapter.hpp"
#include "core/error.hpp"
#include "suites/perplexity.hpp"
#include "suites/task.hpp"
#include "tests/support/support.hpp"

using namespace hubbench;
using namespace hubbench::adapters;
using nlohmann::json;

namespace {

class LoopbackServer {
public:
    explicit LoopbackServer(const std::string& fixture) : model_(open_native(test::fixture(fixture), {"", "", 1})) {
        server_.Post("/v1/completions", [this](const httplib::Request& req, httplib::Response& res) { completions(req, res); });
        server_.Post("/v1/embeddings", [this](const httplib::Request& req, httplib::Response& res) { embeddings(req, res); });
        port_ = server_.bind_to_any_port("127.0.0.1");
        // bind_to_any_port already listens: requests wait in the backlog until the loop runs.
        thread_ = std::thread([this] { server_.listen_after_bind(); });
    }
    ~LoopbackServer() {
        server_.stop();
        thread_.join();
    }
    std::string url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/v1"; }
    Adapter& model() { return *model_; }
    int requests = 0;

private:
    static void fail(httplib::Response& res, int status, const std::string& message) {
        res.status = status;
        res.set_content(json{{"error", {{"message", message}}}}.dump(), "application/json");
    }

    void completions(const httplib::Request& req, httplib::Response& res) {
        std::lock_guard lock(mutex_);
        ++requests;
        auto body = json::parse(req.body);
        if (body["model"] != "tiny") return fail(res, 404, "The model `" + body["model"].get<std::string>() + "` does not exist.");
        json prompts = body["prompt"];
        if (!prompts[0].is_array()) prompts = json::array({prompts});
        json choices = json::array();
        for (std::size_t i = 0; i < prompts.size(); ++i) {
            auto ids = prompts[i].get<std::vector<std::int32_t>>();
            auto next = model_->generate(ids, 1).new_ids.at(0);
            json token_logprobs = json::array();
            if (body.value("echo", false)) {
                token_logprobs.push_back(nullptr);
                std::vector<std::int32_t> all = ids;
                all.push_back(next);
                const auto scored = model_->causal_logprobs(std::vector<CausalWindow>{{all, 1}});
                for (double lp : scored.at(0)) token_logprobs.push_back(lp);
            }
            choices.push_back({{"index", i}, {"text", model_->decode(std::vector<std::int32_t>{next})},
                               {"logprobs", {{"token_logprobs", token_logprobs}}}});
        }
        std::reverse(choices.begin(), choices.end());  // servers need not keep the order
        res.set_content(json{{"object", "text_completion"}, {"choices", choices}}.dump(), "application/json");
    }

    void embeddings(const httplib::Request& req, httplib::Response& res) {
        std::lock_guard lock(mutex_);
        ++requests;
        auto body = json::parse(req.body);
        auto vectors = model_->embed(body["input"].get<std::vector<std::string>>());
        json data = json::array();
        for (std::size_t i = 0; i < vectors.size(); ++i) {
            std::vector<float> scaled = vectors[i];
            for (float& x : scaled) x *= 3.0f;  // servers need not normalise
            data.push_back({{"index", i}, {"object", "embedding"}, {"embedding", scaled}});
        }
        res.set_content(json{{"data", data}}.dump(), "application/json");
    }

    std::unique_ptr<Adapter> model_;
    httplib::Server server_;
    int port_ = 0;
    std::thread thread_;
    std::mutex mutex_;
};

std::string spec_for(const LoopbackServer& server, const std::string& model = "tiny") {
    return "openai:" + server.url() + "?model=" + model + "&tokenizer=" + test::fixture("tiny-gpt2").string();
}

}  // namespace

TEST_SUITE("unit") {
TEST_CASE("openai specs are parsed and checked") {
    auto s = parse_remote_spec("openai:http://h:8000/v1/?model=org%2Fm&tokenizer=/t&max_length=512");
    CHECK(s.base_url == "http://h:8000/v1");
    CHECK(s.model == "org/m");
    CHECK(s.tokenizer == "/t");
    CHECK(s.max_length == 512);
    CHECK(is_remote_spec("openai:x"));
    CHECK_FALSE(is_remote_spec("fixtures/tiny-gpt2"));
    CHECK_THROWS_WITH_AS(parse_remote_spec("openai:ftp://h/v1?model=m&tokenizer=t"), doctest::Contains("http://"), Error);
    CHECK_THROWS_WITH_AS(parse_remote_spec("openai:http://h/v1?tokenizer=t"), doctest::Contains("model=NAME"), Error);
    CHECK_THROWS_WITH_AS(parse_remote_spec("openai:http://h/v1?model=m"), doctest::Contains("tokenizer=DIR"), Error);
    CHECK_THROWS_WITH_AS(parse_remote_spec("openai:http://h/v1?model=m&tokenizer=t&colour=red"), doctest::Contains("colour"), Error);
}
}

TEST_SUITE("integration") {
TEST_CASE("a remote model scores windows like the native model behind the server") {
    LoopbackServer server("tiny-gpt2");
    auto remote = open_model(spec_for(server));
    CHECK(remote->info().backend == "openai");
    CHECK(remote->info().id == "tiny");
    CHECK(remote->info().max_length == 256);  // from the tokenizer folder's config.json
    auto ids = remote->encode("The quick brown fox jumps over the lazy dog and runs away.", true).ids;
    std::vector<CausalWindow> windows{{ids, 1}, {std::vector<std::int32_t>(ids.begin(), ids.begin() + 6), 3}};
    auto got = remote->causal_logprobs(windows);
    auto want = server.model().causal_logprobs(windows);
    REQUIRE(got.size() == 2);
    CHECK(got[0].size() == ids.size() - 1);
    CHECK(got[1].size() == 3);
    for (std::size_t b = 0; b < 2; ++b) {
        for (std::size_t k = 0; k < got[b].size(); ++k) CHECK(got[b][k] == doctest::Approx(want[b][k]).epsilon(1e-6));
    }
    CHECK(remote->timings().forward > 0.0);

    // The perplexity suite through the server gives the native figures.
    auto text = suites::load_dataset(suites::default_dataset("perplexity"));
    suites::PerplexityParams p;
    p.max_length = 64;
    p.strides = {32};
    p.limit = 300;
    p.batch_size = 4;
    auto r = suites::run_perplexity(*remote, text, p).at(0);
    auto n = suites::run_perplexity(server.model(), text, p).at(0);
    CHECK(r.value("nll_sum") == doctest::Approx(n.value("nll_sum")).epsilon(1e-6));
    CHECK(r.value("n_scored") == n.value("n_scored"));
}

TEST_CASE("remote embeddings are normalised and match the native ones") {
    LoopbackServer server("tiny-gpt2");
    auto remote = open_model(spec_for(server));
    std::vector<std::string> texts{"A cat sits.", "Shares fell sharply today.", "Music"};
    auto got = remote->embed(texts);
    auto want = server.model().embed(texts);
    REQUIRE(got.size() == 3);
    for (std::size_t i = 0; i < 3; ++i) {
        REQUIRE(got[i].size() == want[i].size());
        for (std::size_t h = 0; h < got[i].size(); ++h) CHECK(got[i][h] == doctest::Approx(want[i][h]).epsilon(1e-5));
    }
}

TEST_CASE("remote errors name the server and what it said") {
    LoopbackServer server("tiny-gpt2");
    auto wrong = open_model(spec_for(server, "other"));
    CHECK_THROWS_WITH_AS(wrong->causal_logprobs(std::vector<CausalWindow>{{{1, 2, 3}, 1}}),
                         doctest::Contains("HTTP 404: The model `other` does not exist."), Error);
    auto remote = open_model(spec_for(server));
    CHECK(remote->unsupported(Capability::masked_lm)->find("causal LMs only") != std::string::npos);
    CHECK_THROWS_AS(remote->masked_logprobs({}), Error);
    CHECK_THROWS_AS(remote->generate(std::vector<std::int32_t>{1, 2}, 2), Error);
    const std::string dead = "openai:http://127.0.0.1:1/v1?model=tiny&tokenizer=" + test::fixture("tiny-gpt2").string();
    try {
        open_model(dead)->causal_logprobs(std::vector<CausalWindow>{{{1, 2, 3}, 1}});
        FAIL("no error");
    } catch (const Error& e) {
        CHECK(e.kind() == ErrorKind::network);
        CHECK(std::string(e.what()).find("127.0.0.1:1") != std::string::npos);
    }
    auto skipped = suites::run_task_or_skip(*remote, {"pppl", {}, {}});
    CHECK(skipped.at(0).skipped.has_value());
}
}
