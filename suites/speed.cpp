#include "suites/speed.hpp"

#include <sys/resource.h>

#include <algorithm>
#include <fstream>
#include <string>

#include "adapters/stopwatch.hpp"
#include "core/error.hpp"
#include "core/interrupt.hpp"
#include "core/progress.hpp"
#include "suites/math.hpp"
#include "suites/serving.hpp"
#include "suites/task_entry.hpp"

namespace hubbench::suites {
namespace {

// `count` ids to feed the model: the text's own tokens when there is text, repeated as needed,
// else ids 100, 101, … (skipping the low ids where vocabularies keep their special tokens).
std::vector<std::int32_t> input_ids(adapters::Adapter& adapter, std::string_view text, std::size_t count) {
    std::vector<std::int32_t> ids;
    if (!text.empty()) {
        auto enc = adapter.encode(text.substr(0, std::min<std::size_t>(text.size(), 64 * count + 1024)), false);
        ids = std::move(enc.ids);
    }
    const auto vocab = static_cast<std::int32_t>(std::max<std::size_t>(adapter.info().vocab_size, 200));
    if (ids.empty()) {
        const auto span = static_cast<std::size_t>(vocab - 100);
        for (std::size_t i = 0; i < count; ++i) ids.push_back(100 + static_cast<std::int32_t>(i % span));
    }
    while (ids.size() < count) {
        const auto more = static_cast<std::ptrdiff_t>(std::min(ids.size(), count - ids.size()));
        ids.insert(ids.end(), ids.begin(), ids.begin() + more);
    }
    ids.resize(count);
    return ids;
}

}  // namespace

std::uint64_t peak_rss_bytes() {
    std::uint64_t peak = 0;
    rusage usage{};
    if (getrusage(RUSAGE_SELF, &usage) == 0) peak = static_cast<std::uint64_t>(usage.ru_maxrss) * 1024;  // KiB on Linux
    std::ifstream status("/proc/self/status");
    std::string key;
    while (status >> key) {
        if (key == "VmHWM:") {
            std::uint64_t kib = 0;
            status >> kib;
            peak = std::max(peak, kib * 1024);
            break;
        }
        status.ignore(4096, '\n');
    }
    return peak;
}

SuiteResult run_speed(adapters::Adapter& adapter, std::string_view text, const SpeedParams& params) {
    adapters::Stopwatch wall;
    const auto& info = adapter.info();
    const adapters::PhaseTimings before = adapter.timings();
    const std::size_t repetitions = std::max<std::size_t>(1, params.repetitions);
    const std::size_t batch_size = std::max<std::size_t>(1, params.batch_size);
    const bool decodes = !adapter.unsupported(adapters::Capability::generation);

    std::vector<std::size_t> lengths;
    for (std::size_t L : params.prefill_lengths) {
        if (L > 0 && (info.max_length == 0 || L <= info.max_length)) lengths.push_back(L);
    }
    if (lengths.empty() && info.max_length > 0) lengths.push_back(info.max_length);
    std::size_t longest = lengths.empty() ? 0 : *std::max_element(lengths.begin(), lengths.end());
    std::size_t decode_tokens = params.decode_tokens;
    std::size_t prompt_length = std::min<std::size_t>(longest == 0 ? 16 : longest, 128);
    if (decodes && info.max_length != 0 && prompt_length + decode_tokens > info.max_length) {
        prompt_length = info.max_length > decode_tokens ? std::min(prompt_length, info.max_length - decode_tokens) : 1;
        decode_tokens = std::min(decode_tokens, info.max_length - prompt_length);
    }
    adapters::Stopwatch tokenize_watch;
    const auto ids = input_ids(adapter, text, std::max(longest, prompt_length));
    const double tokenize_seconds = tokenize_watch.seconds();

    SuiteResult r;
    r.task = "speed";
    r.add("load_seconds", info.load_seconds);
    const std::size_t runs = (params.warmup + repetitions) * (lengths.size() + (decodes ? 1 : 0));
    Progress progress("speed", runs, "runs");
    for (std::size_t L : lengths) {
        const std::vector<std::int32_t> one(ids.begin(), ids.begin() + static_cast<std::ptrdiff_t>(L));
        const std::vector<std::vector<std::int32_t>> batch(batch_size, one);
        std::vector<double> latencies;
        for (std::size_t i = 0; i < params.warmup + repetitions; ++i) {
            throw_if_interrupted();
            adapters::Stopwatch watch;
            adapter.prefill(batch);
            if (i >= params.warmup) latencies.push_back(watch.seconds());
            progress.advance();
        }
        const double p50 = percentile(latencies, 50);
        const std::string suffix = "_" + std::to_string(L);
        r.add("prefill_tps" + suffix, static_cast<double>(L * batch_size) / p50);
        r.add("prefill_p50_ms" + suffix, p50 * 1e3);
        r.add("prefill_p95_ms" + suffix, percentile(latencies, 95) * 1e3);
    }
    if (decodes && decode_tokens >= 2) {
        std::vector<std::int32_t> prompt(ids.begin(), ids.begin() + static_cast<std::ptrdiff_t>(prompt_length));
        std::vector<double> per_token;
        for (std::size_t i = 0; i < params.warmup + repetitions; ++i) {
            throw_if_interrupted();
            auto g = adapter.generate(prompt, decode_tokens, false);
            // The first new token comes out of the prefill; the rest are one decode step each.
            if (i >= params.warmup && g.new_ids.size() >= 2) {
                per_token.push_back(g.decode_seconds / static_cast<double>(g.new_ids.size() - 1));
            }
            progress.advance();
        }
        if (!per_token.empty()) {
            const double p50 = percentile(per_token, 50);
            r.add("decode_tps", 1.0 / p50);
            r.add("decode_p50_ms", p50 * 1e3);
            r.add("decode_p95_ms", percentile(per_token, 95) * 1e3);
        }
    }
    progress.finish();
    r.add("peak_rss_mb", static_cast<double>(peak_rss_bytes()) / (1024.0 * 1024.0));
    r.add("threads", adapter.threads());
    nlohmann::json length_list = lengths;
    r.params = {{"prefill_lengths", length_list}, {"decode_tokens", decodes ? decode_tokens : 0},
                {"decode_prompt_length", decodes ? prompt_length : 0}, {"batch_size", batch_size},
                {"repetitions", repetitions}, {"warmup", params.warmup}, {"threads", adapter.threads()}};
    r.n = repetitions;
    r.timings = adapter.timings() - before;
    r.timings.tokenize += tokenize_seconds;
    r.seconds = wall.seconds();
    if (!decodes) r.details["decode"] = *adapter.unsupported(adapters::Capability::generation);
    return r;
}

namespace {

// Parameters of a load benchmark; on a model run in this process they do not apply.
constexpr const char* load_params[] = {"endpoint", "prompt_tokens", "output_tokens", "concurrency", "request_rate",
                                       "duration", "requests", "slo_ttft_ms", "slo_itl_ms", "seed"};

std::vector<SuiteResult> run_speed_task(adapters::Adapter& adapter, const TaskInput& in) {
    const Params& p = in.params;
    if (adapter.served() != nullptr) {
        ServingParams sp;
        sp.endpoint = adapters::parse_api_endpoint(p.text("endpoint", "completions"));
        sp.prompt_tokens = p.count("prompt_tokens", sp.prompt_tokens);
        sp.output_tokens = p.count("output_tokens", sp.output_tokens);
        sp.concurrency = p.counts("concurrency", sp.concurrency);
        sp.request_rate = p.number("request_rate", 0.0);
        sp.duration_seconds = p.number("duration", 0.0);
        sp.requests = p.count("requests", 0);
        sp.slo_ttft_ms = p.number("slo_ttft_ms", 0.0);
        sp.slo_itl_ms = p.number("slo_itl_ms", 0.0);
        sp.seed = p.count("seed", 0);
        if (sp.prompt_tokens == 0 || sp.output_tokens == 0) throw Error(ErrorKind::usage, "speed: --prompt-tokens and --output-tokens must be at least 1");
        if (std::find(sp.concurrency.begin(), sp.concurrency.end(), std::size_t{0}) != sp.concurrency.end()) {
            throw Error(ErrorKind::usage, "speed: --concurrency levels must be at least 1");
        }
        if (sp.request_rate > 0.0 && p.has("concurrency")) {
            throw Error(ErrorKind::usage, "speed: give --concurrency (closed loop) or --request-rate (open loop), not both");
        }
        const std::string text = read_user_data([&] { return load_dataset(in.dataset).text; });
        return run_serving(adapter, text, sp, p.json());
    }
    for (std::string name : load_params) {
        if (p.has(name)) {
            std::replace(name.begin(), name.end(), '_', '-');
            throw Error(ErrorKind::usage, "speed: --" + name + " measures a served model (--model openai:…); " +
                                              adapter.info().id + " runs in this process (serve it with `hubbench serve`)");
        }
    }
    SpeedParams sp;
    sp.prefill_lengths = p.counts("prefill_lengths", sp.prefill_lengths);
    sp.decode_tokens = p.count("decode_tokens", sp.decode_tokens);
    sp.batch_size = p.count("batch_size", sp.batch_size);
    sp.repetitions = p.count("repetitions", sp.repetitions);
    sp.warmup = p.count("warmup", sp.warmup);
    // Inputs come from the named dataset when there is one; a plain id cycle otherwise.
    const std::string text = in.dataset.empty() ? std::string() : load_dataset(in.dataset).text;
    return {run_speed(adapter, text, sp)};
}

// A served model's load has a level, an endpoint and prompts even when the spec names none, so
// its result key says them: concurrency 1, completions, WikiText-2, 128 + 64 tokens.
void complete_speed_for_model(const adapters::Adapter& adapter, nlohmann::json& params, DatasetRef& dataset) {
    if (adapter.served() == nullptr) return;
    if (!params.contains("concurrency") && !params.contains("request_rate")) params["concurrency"] = 1;
    if (!params.contains("endpoint")) params["endpoint"] = "completions";
    if (!params.contains("prompt_tokens")) params["prompt_tokens"] = ServingParams{}.prompt_tokens;
    if (!params.contains("output_tokens")) params["output_tokens"] = ServingParams{}.output_tokens;
    if (dataset.empty()) dataset.bundled = "wikitext-2-raw/wiki.test.raw";
}

}  // namespace

const TaskEntry& speed_task() {
    static const TaskEntry entry{
        .name = "speed",
        .label = "Speed and memory",
        .summary = "load time, prefill and decode throughput, latency percentiles, peak memory",
        .default_dataset = {},
        .params = {{"prefill_lengths", ParamType::counts, "prompt lengths to time"},
                   {"decode_tokens", ParamType::count, "new tokens per decode run"},
                   {"batch_size", ParamType::count, "sequences per prefill pass"},
                   {"repetitions", ParamType::count, "timed runs"},
                   {"warmup", ParamType::count, "untimed runs first"},
                   {"endpoint", ParamType::text, "served models: the API streamed (default completions)", {"completions", "chat"}},
                   {"prompt_tokens", ParamType::count, "served models: tokens per prompt, WikiText-2 lines cut to it (default 128)"},
                   {"output_tokens", ParamType::count, "served models: new tokens asked per request, ignore_eos (default 64)"},
                   {"concurrency", ParamType::counts, "served models: requests in flight, one row per level (default 1)"},
                   {"request_rate", ParamType::number, "served models: requests per second, Poisson arrivals (instead of --concurrency)"},
                   {"duration", ParamType::number, "served models: seconds of sending per level"},
                   {"requests", ParamType::count, "served models: requests per level (default max(16, 4 x level); 32 at a rate)"},
                   {"slo_ttft_ms", ParamType::number, "served models: time-to-first-token objective for goodput"},
                   {"slo_itl_ms", ParamType::number, "served models: mean inter-token latency objective for goodput"},
                   {"seed", ParamType::count, "served models: seed of the Poisson arrivals"}},
        .metrics = {metric("load_seconds", "load time", "s", lower, {.speed = true, .headline = "load_seconds", .headline_rank = 2}),
                    metric("prefill_tps", "prefill tok/s", "tok/s", higher,
                           {.speed = true, .headline = "prefill_tokens_per_second", .per_length = true}),
                    metric("prefill_p50_ms", "prefill p50", "ms", lower, {.speed = true, .per_length = true}),
                    metric("prefill_p95_ms", "prefill p95", "ms", lower, {.speed = true, .per_length = true}),
                    metric("decode_tps", "decode tok/s", "tok/s", higher,
                           {.speed = true, .headline = "decode_tokens_per_second", .headline_rank = 2}),
                    metric("decode_p50_ms", "decode p50", "ms", lower, {.speed = true, .headline = "latency_p50_ms", .headline_rank = 1}),
                    metric("decode_p95_ms", "decode p95", "ms", lower, {.speed = true}),
                    metric("peak_rss_mb", "peak RSS", "MiB", lower, {.speed = true, .headline = "peak_memory_mib", .headline_rank = 2}),
                    count_metric("threads", "threads"),
                    metric("ttft_ms_p50", "TTFT p50", "ms", lower, {.speed = true}),
                    metric("ttft_ms_p90", "TTFT p90", "ms", lower, {.speed = true}),
                    metric("ttft_ms_p99", "TTFT p99", "ms", lower, {.speed = true}),
                    metric("itl_ms_p50", "ITL p50", "ms", lower, {.speed = true}),
                    metric("itl_ms_p90", "ITL p90", "ms", lower, {.speed = true}),
                    metric("itl_ms_p99", "ITL p99", "ms", lower, {.speed = true}),
                    metric("e2e_ms_p50", "E2E p50", "ms", lower, {.speed = true}),
                    metric("e2e_ms_p90", "E2E p90", "ms", lower, {.speed = true}),
                    metric("e2e_ms_p99", "E2E p99", "ms", lower, {.speed = true}),
                    metric("requests_per_second", "requests/s", "req/s", higher, {.speed = true}),
                    metric("output_tokens_per_second", "output tok/s", "tok/s", higher, {.speed = true}),
                    metric("goodput_rps", "goodput", "req/s", higher, {.speed = true}),
                    count_metric("requests", "requests completed"),
                    count_metric("failed_requests", "requests failed"),
                    count_metric("output_tokens_mean", "output tokens per request")},
        .primary_metric = "",
        .row_param = "concurrency",
        .keyed_by_threads = true,
        .run = run_speed_task,
        .complete_for_model = complete_speed_for_model,
    };
    return entry;
}

}  // namespace hubbench::suites
