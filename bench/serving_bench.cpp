// Served-model load: the load generator's own ceiling (requests/s against a server that answers
// at once, so the client is all that is measured) and `hubbench serve` on tiny-llama at
// concurrency 1 and 8 (requests/s and output tokens/s through the whole HTTP + SSE path).
#include <benchmark/benchmark.h>
#include <httplib.h>

#include <filesystem>
#include <thread>

#include "adapters/native/native_adapter.hpp"
#include "adapters/remote/load_generator.hpp"
#include "serve/server.hpp"

using namespace hubbench;

namespace {

// Answers every completion with a short stream at once: four one-word chunks, usage, [DONE].
class InstantServer {
public:
    InstantServer() {
        server_.new_task_queue = [] { return new httplib::ThreadPool(96); };
        server_.set_keep_alive_max_count(1000000);
        server_.set_tcp_nodelay(true);  // as hubbench serve: no 40 ms Nagle / delayed-ACK stalls
        server_.Post("/v1/completions", [](const httplib::Request&, httplib::Response& res) {
            std::string body;
            for (int i = 0; i < 4; ++i) body += R"(data: {"choices":[{"index":0,"text":" word","finish_reason":null}]})" "\n\n";
            body += R"(data: {"choices":[],"usage":{"prompt_tokens":8,"completion_tokens":4,"total_tokens":12}})" "\n\n";
            body += "data: [DONE]\n\n";
            res.set_content(body, "text/event-stream");
        });
        port_ = server_.bind_to_any_port("127.0.0.1");
        thread_ = std::thread([this] { server_.listen_after_bind(); });
    }
    ~InstantServer() {
        server_.stop();
        thread_.join();
    }
    std::string v1() const { return "http://127.0.0.1:" + std::to_string(port_) + "/v1"; }

private:
    httplib::Server server_;
    std::thread thread_;
    int port_ = 0;
};

// Runs the load once per iteration and sets requests/s and tokens/s (under `tokens_name`) over all.
void measure(benchmark::State& state, const adapters::ServedEndpoint& server, const adapters::LoadOptions& options,
             const std::vector<std::string>& prompts, const char* tokens_name) {
    double requests = 0, tokens = 0, seconds = 0;
    for (auto _ : state) {
        const auto run = adapters::run_load(server, prompts, options);
        for (const auto& r : run.requests) {
            if (!r.ok) state.SkipWithError(r.error.c_str());
            tokens += static_cast<double>(r.output_tokens);
        }
        requests += static_cast<double>(run.requests.size());
        seconds += run.seconds;
    }
    state.counters["requests_per_second"] = requests / seconds;
    state.counters[tokens_name] = tokens / seconds;
}

void BM_load_generator_ceiling(benchmark::State& state) {
    static InstantServer server;
    adapters::LoadOptions options;
    options.concurrency = static_cast<std::size_t>(state.range(0));
    options.requests = 2000;
    options.output_tokens = 4;
    measure(state, {server.v1(), "instant", {}}, options, {"The quick brown fox"}, "chunks_per_second");
}
BENCHMARK(BM_load_generator_ceiling)->Arg(1)->Arg(16)->Arg(64)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_serve_tiny_llama(benchmark::State& state) {
    const auto dir = std::filesystem::path(HUBBENCH_SOURCE_DIR) / "assets/models/fixtures/tiny-llama";
    auto model = adapters::open_native(dir, {"", "", 1});
    serve::OpenAiServer server(*model, dir, {"tiny", "127.0.0.1", 0, 8});
    server.start();
    adapters::LoadOptions options;
    options.concurrency = static_cast<std::size_t>(state.range(0));
    options.requests = 64;
    options.output_tokens = 32;
    measure(state, {server.url() + "/v1", "tiny", {}}, options,
            {"The quick brown fox jumps over the lazy dog and runs into the forest where"}, "output_tokens_per_second");
}
BENCHMARK(BM_serve_tiny_llama)->Arg(1)->Arg(8)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
