// hubbench serve over real loopback HTTP, measured by the load generator and checked against the
// engine run directly: streamed ids are generate's greedy ids, timings are ordered as the server's
// own, every error path answers as the OpenAI API does, and a client that goes away frees its slot.
#include <doctest/doctest.h>

#include <chrono>
#include <thread>

#include "adapters/native/native_adapter.hpp"
#include "adapters/open.hpp"
#include "adapters/remote/load_generator.hpp"
#include "adapters/remote/sse.hpp"
#include "hub/http.hpp"
#include "serve/server.hpp"
#include "suites/task.hpp"
#include "tests/support/support.hpp"
#include "tokenizer/chat_template.hpp"

using namespace hubbench;
using nlohmann::json;

namespace {

struct Served {
    explicit Served(const std::string& fixture, std::size_t max_concurrency = 4)
        : model(adapters::open_native(test::fixture(fixture), {"", "", 1})),
          server(*model, test::fixture(fixture), {"tiny", "127.0.0.1", 0, max_concurrency}) {
        server.start();
    }
    std::string v1() const { return server.url() + "/v1"; }
    std::unique_ptr<adapters::Adapter> model;
    serve::OpenAiServer server;
};

hub::HttpResponse post(const std::string& url, const std::string& body) {
    hub::HttpSession session;
    hub::HttpRequest request;
    request.method = "POST";
    request.url = url;
    request.headers = {"Content-Type: application/json"};
    request.body = body;
    return session.perform(request);
}

json get_json(const std::string& url) {
    hub::HttpSession session;
    hub::HttpRequest request;
    request.url = url;
    return json::parse(session.perform(request).body);
}

// The data of every event of a streamed answer, [DONE] excluded.
std::vector<json> events_of(const std::string& stream) {
    std::vector<json> events;
    bool done = false;
    adapters::SseParser parser([&](std::string_view data) {
        if (data == "[DONE]") {
            done = true;
        } else {
            events.push_back(json::parse(data));
        }
        return true;
    });
    parser.feed(stream);
    CHECK(done);
    return events;
}

std::vector<std::int32_t> greedy(const std::string& fixture, const std::vector<std::int32_t>& prompt, std::size_t n, bool stop_at_eos) {
    auto model = adapters::open_native(test::fixture(fixture), {"", "", 1});
    return model->generate(prompt, n, stop_at_eos).new_ids;
}

}  // namespace

TEST_SUITE("integration") {
TEST_CASE("streamed completion tokens are the engine's greedy ids and the text is their decoding") {
    Served s("tiny-llama");
    const std::vector<std::int32_t> prompt{1, 450, 996, 1354, 701};
    const auto expected = greedy("tiny-llama", prompt, 12, false);
    const json body = {{"model", "tiny"}, {"prompt", prompt}, {"max_tokens", 12}, {"stream", true}, {"ignore_eos", true},
                       {"logprobs", 0}, {"return_tokens_as_token_ids", true}, {"stream_options", {{"include_usage", true}}}};
    const auto answer = post(s.v1() + "/completions", body.dump());
    REQUIRE(answer.status == 200);
    CHECK(answer.header("content-type").value_or("").rfind("text/event-stream", 0) == 0);
    std::vector<std::int32_t> ids;
    std::string text, finish;
    std::size_t usage_tokens = 0;
    for (const auto& e : events_of(answer.body)) {
        if (e.contains("usage")) usage_tokens = e["usage"]["completion_tokens"].get<std::size_t>();
        if (e["choices"].empty()) continue;
        const auto& c = e["choices"][0];
        text += c["text"].get<std::string>();
        if (!c["finish_reason"].is_null()) finish = c["finish_reason"].get<std::string>();
        if (c["logprobs"].is_object()) {
            for (const auto& t : c["logprobs"]["tokens"]) ids.push_back(std::stoi(t.get<std::string>().substr(9)));  // "token_id:N"
            CHECK(c["logprobs"]["token_logprobs"][0].get<double>() <= 0.0);
        }
    }
    CHECK(ids == expected);
    CHECK(text == s.model->decode(expected, true));
    CHECK(finish == "length");
    CHECK(usage_tokens == expected.size());

    // The same request without streaming gives the same text.
    json plain = body;
    plain["stream"] = false;
    const auto whole = json::parse(post(s.v1() + "/completions", plain.dump()).body);
    CHECK(whole["choices"][0]["text"] == text);
    CHECK(whole["usage"]["completion_tokens"] == expected.size());
}

TEST_CASE("a completion stops after the end-of-sequence token unless ignore_eos is set") {
    Served s("tiny-gpt2");
    const std::vector<std::int32_t> prompt{464, 2068, 586, 1831};
    const auto with_stop = greedy("tiny-gpt2", prompt, 40, true);
    const auto answer = json::parse(post(s.v1() + "/completions", json{{"prompt", prompt}, {"max_tokens", 40}}.dump()).body);
    CHECK(answer["usage"]["completion_tokens"] == with_stop.size());
    CHECK(answer["choices"][0]["finish_reason"] == (with_stop.size() < 40 ? "stop" : "length"));
}

TEST_CASE("echo with logprobs through the remote adapter scores like the engine itself") {
    Served s("tiny-gpt2");
    auto remote = adapters::open_model("openai:" + s.v1() + "?model=tiny&tokenizer=" + test::fixture("tiny-gpt2").string());
    const std::vector<adapters::CausalWindow> windows{{{464, 2068, 586, 1831, 1045, 625}, 1}, {{40, 588, 629}, 2}};
    const auto served = remote->causal_logprobs(windows);
    const auto local = s.model->causal_logprobs(windows);
    REQUIRE(served.size() == local.size());
    for (std::size_t b = 0; b < local.size(); ++b) {
        REQUIRE(served[b].size() == local[b].size());
        for (std::size_t i = 0; i < local[b].size(); ++i) CHECK(served[b][i] == doctest::Approx(local[b][i]).epsilon(1e-12));
    }
}

TEST_CASE("chat completions render the model's chat template and continue it greedily") {
    Served s("tiny-qwen2");
    const json messages = json::array({{{"role", "system"}, {"content", "You are terse."}}, {{"role", "user"}, {"content", "안녕하세요, who are you?"}}});
    // The prompt as transformers' apply_chat_template builds it (the template renderer is tested
    // against transformers in tests/tokenizer), continued by the engine directly.
    nlohmann::ordered_json specials;
    const auto chat_template = tokenizer::load_chat_template(test::fixture("tiny-qwen2"), &specials);
    REQUIRE(chat_template.has_value());
    const std::string prompt = chat_template->render_json(nlohmann::ordered_json::parse(messages.dump()), true, specials);
    const auto expected = greedy("tiny-qwen2", s.model->encode(prompt, false).ids, 10, true);

    const json body = {{"model", "tiny"}, {"messages", messages}, {"max_tokens", 10}};
    const auto answer = json::parse(post(s.v1() + "/chat/completions", body.dump()).body);
    CHECK(answer["object"] == "chat.completion");
    CHECK(answer["choices"][0]["message"]["role"] == "assistant");
    CHECK(answer["choices"][0]["message"]["content"] == s.model->decode(expected, true));
    CHECK(answer["usage"]["completion_tokens"] == expected.size());

    json streamed = body;
    streamed["stream"] = true;
    const auto events = events_of(post(s.v1() + "/chat/completions", streamed.dump()).body);
    REQUIRE(!events.empty());
    CHECK(events.front()["choices"][0]["delta"]["role"] == "assistant");
    std::string content;
    for (const auto& e : events) {
        CHECK(e["object"] == "chat.completion.chunk");
        const auto& delta = e["choices"][0]["delta"];
        if (delta.contains("content")) content += delta["content"].get<std::string>();
    }
    CHECK(content == answer["choices"][0]["message"]["content"].get<std::string>());
}

TEST_CASE("every error path answers with the API's error body and a 4xx code") {
    Served s("tiny-llama");
    auto check = [&](const std::string& path, const std::string& body, long status, const std::string& code, const std::string& param) {
        CAPTURE(body);
        const auto answer = post(s.v1() + path, body);
        CHECK(answer.status == status);
        const auto j = json::parse(answer.body);
        REQUIRE(j.contains("error"));
        CHECK(j["error"]["type"] == "invalid_request_error");
        CHECK(!j["error"]["message"].get<std::string>().empty());
        CHECK(j["error"]["code"] == (code.empty() ? json(nullptr) : json(code)));
        CHECK(j["error"]["param"] == (param.empty() ? json(nullptr) : json(param)));
    };
    check("/completions", "{not json", 400, "", "");
    check("/completions", R"({"model":"gpt-4","prompt":"hi"})", 404, "model_not_found", "model");
    check("/completions", R"({"prompt":"hi","max_tokens":100000})", 400, "context_length_exceeded", "prompt");
    check("/completions", R"({"prompt":{"a":1}})", 400, "", "prompt");
    check("/completions", R"({"prompt":"hi","n":2})", 400, "", "n");
    check("/completions", R"({"prompt":"hi","max_tokens":-1})", 400, "", "max_tokens");
    check("/completions", R"({"prompt":[1,2,99999999]})", 400, "", "prompt");
    check("/chat/completions", R"({"messages":[{"role":"user","content":"hi"}]})", 400, "", "messages");  // no chat template
    check("/chat/completions", R"({"messages":[]})", 400, "", "messages");
    check("/embeddings", R"({"input":[1,2,3]})", 400, "", "input");
    check("/nothing-here", "{}", 404, "", "");
    const auto models = get_json(s.v1() + "/models");
    CHECK(models["data"][0]["id"] == "tiny");
}

TEST_CASE("the load generator measures a real server and its timings agree with the server's own") {
    Served s("tiny-llama", 2);
    const adapters::ServedEndpoint endpoint{s.v1(), "tiny", {}};
    adapters::LoadOptions options;
    options.output_tokens = 8;
    options.concurrency = 3;  // one more than the server's slots: one request always queues
    options.requests = 9;
    const std::vector<std::string> prompts{"The quick brown fox jumps over the lazy dog", "Once upon a time"};
    const auto run = adapters::run_load(endpoint, prompts, options);
    REQUIRE(run.requests.size() == 9);
    for (const auto& r : run.requests) {
        CAPTURE(r.error);
        REQUIRE(r.ok);
        CHECK(r.output_tokens == 8);
        CHECK(r.ttft > 0.0);
        CHECK(r.e2e >= r.ttft);
        CHECK(r.inter_token.size() + 1 == r.text_chunks);
        for (double gap : r.inter_token) CHECK(gap > 0.0);
        // The client cannot see its first token before the server has queued and prefilled it, nor
        // the end before the server has decoded every token.
        const auto& t = r.server_timings;
        REQUIRE(t.is_object());
        const double server_first = (t["queue_ms"].get<double>() + t["prompt_ms"].get<double>()) / 1e3;
        CHECK(r.ttft >= server_first);
        CHECK(r.e2e >= server_first + t["predicted_ms"].get<double>() / 1e3);
        CHECK(t["predicted_n"] == 8);
    }
    CHECK(run.seconds > 0.0);
}

TEST_CASE("a client that disconnects mid-stream cancels its generation and frees its slot") {
    Served s("tiny-llama", 1);
    hub::HttpSession session;
    hub::HttpRequest request;
    request.method = "POST";
    request.url = s.v1() + "/completions";
    request.headers = {"Content-Type: application/json"};
    request.body = json{{"prompt", "The"}, {"max_tokens", 250}, {"stream", true}, {"ignore_eos", true}}.dump();
    long status = 0;
    request.on_headers = [&](const hub::HttpResponse& head) { status = head.status; };
    request.on_body = [&](const char*, std::size_t) { return false; };  // hang up at the first bytes
    CHECK_THROWS_AS(session.perform(request), Error);
    CHECK(status == 200);
    json health;
    for (int i = 0; i < 200; ++i) {
        health = get_json(s.server.url() + "/health");
        if (health["requests_cancelled"] == 1 && health["slots_processing"] == 0) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(25));
    }
    CHECK(health["requests_cancelled"] == 1);
    CHECK(health["slots_processing"] == 0);
    // The one slot serves the next request.
    const auto next = json::parse(post(s.v1() + "/completions", R"({"prompt":"The","max_tokens":3,"ignore_eos":true})").body);
    CHECK(next["usage"]["completion_tokens"] == 3);
}

TEST_CASE("speed on a served model sweeps concurrency with one row per level and goodput under an SLO") {
    Served s("tiny-llama", 4);
    auto remote = adapters::open_model("openai:" + s.v1() + "?model=tiny&tokenizer=" + test::fixture("tiny-llama").string());
    suites::TaskSpec spec;
    spec.task = "speed";
    spec.params = {{"concurrency", {1, 4}}, {"requests", 8}, {"prompt_tokens", 16}, {"output_tokens", 6}, {"slo_ttft_ms", 0.000001}};
    const auto rows = suites::run_task(*remote, spec);
    REQUIRE(rows.size() == 2);
    for (std::size_t i = 0; i < 2; ++i) {
        const auto& r = rows[i];
        CHECK(r.params["concurrency"] == (i == 0 ? 1 : 4));
        CHECK(r.params["endpoint"] == "completions");
        CHECK(r.value("requests") == 8);
        CHECK(r.value("failed_requests") == 0);
        CHECK(r.value("output_tokens_mean") == 6);
        CHECK(r.value("requests_per_second") > 0.0);
        CHECK(r.value("output_tokens_per_second") == doctest::Approx(6 * r.value("requests_per_second")));
        CHECK(r.value("goodput_rps") == 0.0);  // no request reaches its first token in a nanosecond
        CHECK(r.value("ttft_ms_p50") > 0.0);
        CHECK(r.value("ttft_ms_p50") <= r.value("ttft_ms_p90"));
        CHECK(r.value("ttft_ms_p90") <= r.value("ttft_ms_p99"));
        CHECK(r.value("itl_ms_p50") > 0.0);
        CHECK(r.value("e2e_ms_p50") >= r.value("ttft_ms_p50"));
    }
    // Without an SLO every completed request is good.
    spec.params = {{"request_rate", 50.0}, {"requests", 6}, {"prompt_tokens", 16}, {"output_tokens", 4}, {"seed", 7}};
    const auto rated = suites::run_task(*remote, spec);
    REQUIRE(rated.size() == 1);
    CHECK(rated[0].params["request_rate"] == 50.0);
    CHECK(!rated[0].params.contains("concurrency"));
    CHECK(rated[0].value("goodput_rps") == doctest::Approx(rated[0].value("requests_per_second")));
}

TEST_CASE("load options on a model run in this process are a usage error naming the option") {
    auto model = adapters::open_native(test::fixture("tiny-llama"), {"", "", 1});
    suites::TaskSpec spec;
    spec.task = "speed";
    spec.params = {{"concurrency", 4}};
    const std::string error = test::error_of([&] { suites::run_task(*model, spec); });
    CHECK(error.find("--concurrency") != std::string::npos);
    CHECK(error.find("hubbench serve") != std::string::npos);
}
}
