#include "suites/serving.hpp"

#include <algorithm>
#include <numeric>

#include "adapters/adapter.hpp"
#include "core/error.hpp"
#include "core/log.hpp"
#include "suites/math.hpp"

namespace hubbench::suites {
namespace {

// p50/p90/p99 of `sample` in milliseconds as <name>_p50 … (numpy's linear percentile).
void add_percentiles(SuiteResult& r, const std::string& name, const std::vector<double>& seconds) {
    std::vector<double> ms(seconds.size());
    std::transform(seconds.begin(), seconds.end(), ms.begin(), [](double s) { return s * 1e3; });
    for (int q : {50, 90, 99}) r.add(name + "_p" + std::to_string(q), ms.empty() ? 0.0 : percentile(ms, q));
}

}  // namespace

SuiteResult summarize_load(const adapters::LoadRun& run, const ServingParams& params) {
    std::vector<double> ttft, itl, e2e;
    std::size_t completed = 0, failed = 0, tokens = 0, good = 0;
    std::string first_error;
    for (const auto& r : run.requests) {
        if (!r.ok) {
            ++failed;
            if (first_error.empty()) first_error = r.error;
            continue;
        }
        ++completed;
        tokens += r.output_tokens;
        ttft.push_back(r.ttft);
        e2e.push_back(r.e2e);
        itl.insert(itl.end(), r.inter_token.begin(), r.inter_token.end());
        // A request's mean inter-token latency (vLLM's TPOT): the time after the first token
        // spread over the tokens after it.
        const double mean_itl = r.output_tokens > 1 ? (r.e2e - r.ttft) / static_cast<double>(r.output_tokens - 1) : 0.0;
        const bool ttft_ok = params.slo_ttft_ms <= 0.0 || r.ttft * 1e3 <= params.slo_ttft_ms;
        const bool itl_ok = params.slo_itl_ms <= 0.0 || mean_itl * 1e3 <= params.slo_itl_ms;
        if (ttft_ok && itl_ok) ++good;
    }
    if (completed == 0) {
        throw Error(ErrorKind::network, "speed: none of " + std::to_string(run.requests.size()) +
                                            " requests completed; the first failed with: " + first_error);
    }
    SuiteResult r;
    r.task = "speed";
    const double seconds = std::max(run.seconds, 1e-9);
    add_percentiles(r, "ttft_ms", ttft);
    add_percentiles(r, "itl_ms", itl);
    add_percentiles(r, "e2e_ms", e2e);
    r.add("requests_per_second", static_cast<double>(completed) / seconds);
    r.add("output_tokens_per_second", static_cast<double>(tokens) / seconds);
    r.add("goodput_rps", static_cast<double>(good) / seconds);
    r.add("requests", static_cast<double>(completed));
    r.add("failed_requests", static_cast<double>(failed));
    r.add("output_tokens_mean", static_cast<double>(tokens) / static_cast<double>(completed));
    r.n = completed;
    r.seconds = run.seconds;
    if (!first_error.empty()) r.details["first_error"] = first_error;
    return r;
}

std::vector<std::string> serving_prompts(const adapters::Adapter& adapter, const std::string& text, std::size_t prompt_tokens,
                                         std::size_t count) {
    std::vector<std::string> prompts;
    std::size_t start = 0;
    while (start < text.size() && prompts.size() < count) {
        std::size_t end = text.find('\n', start);
        if (end == std::string::npos) end = text.size();
        const std::string_view line(text.data() + start, end - start);
        start = end + 1;
        const auto first = line.find_first_not_of(' ');
        // WikiText headings (" = Title = ") and blank lines are not prompts.
        if (first == std::string_view::npos || line[first] == '=') continue;
        // A line is long enough when its first prompt_tokens tokens fit; ~16 bytes per token bounds the work.
        const auto ids = adapter.encode(line.substr(0, std::min(line.size(), 16 * prompt_tokens + 64)), false).ids;
        if (ids.size() < prompt_tokens) continue;
        prompts.push_back(adapter.decode(std::span(ids.data(), prompt_tokens), false));
    }
    if (prompts.empty()) {
        throw Error(ErrorKind::usage, "speed: no line of the dataset has " + std::to_string(prompt_tokens) +
                                          " tokens; lower --prompt-tokens or name another --dataset");
    }
    return prompts;
}

std::vector<SuiteResult> run_serving(adapters::Adapter& adapter, const std::string& text, const ServingParams& params,
                                     const nlohmann::json& row_params) {
    const adapters::ServedEndpoint* server = adapter.served();
    if (server == nullptr) throw Error(ErrorKind::internal, "run_serving on a model that is not served");
    std::vector<double> levels;
    if (params.request_rate > 0.0) {
        levels.push_back(params.request_rate);
    } else {
        for (auto c : params.concurrency) levels.push_back(static_cast<double>(c));
    }
    std::size_t most_requests = params.requests;
    for (double level : levels) most_requests = std::max(most_requests, std::max<std::size_t>(16, 4 * static_cast<std::size_t>(level)));
    const auto prompts = serving_prompts(adapter, text, params.prompt_tokens, std::min<std::size_t>(most_requests, 1024));

    std::vector<SuiteResult> results;
    for (std::size_t i = 0; i < levels.size(); ++i) {
        adapters::LoadOptions load;
        load.endpoint = params.endpoint;
        load.output_tokens = params.output_tokens;
        load.seed = params.seed;
        load.duration_seconds = params.duration_seconds;
        load.requests = params.requests;
        if (params.request_rate > 0.0) {
            load.request_rate = params.request_rate;
            if (load.requests == 0 && load.duration_seconds <= 0.0) load.requests = 32;
        } else {
            load.concurrency = params.concurrency[i];
            if (load.requests == 0 && load.duration_seconds <= 0.0) load.requests = std::max<std::size_t>(16, 4 * load.concurrency);
        }
        log::info("speed: {} {} on {}{}", params.request_rate > 0.0 ? "request rate" : "concurrency", levels[i], server->base_url,
                  load.requests ? ", " + std::to_string(load.requests) + " requests" : "");
        const auto run = adapters::run_load(*server, prompts, load);
        SuiteResult r = summarize_load(run, params);
        r.params = row_params;
        if (params.request_rate <= 0.0) r.params["concurrency"] = params.concurrency[i];
        r.params["requests"] = load.requests;
        results.push_back(std::move(r));
    }
    return results;
}

}  // namespace hubbench::suites
