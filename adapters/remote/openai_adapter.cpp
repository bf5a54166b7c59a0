#include "adapters/remote/openai_adapter.hpp"

#include <algorithm>
#include <cctype>
#include <cstdlib>

#include "adapters/pooling.hpp"
#include "adapters/remote/http_post.hpp"
#include "adapters/remote/load_generator.hpp"
#include "adapters/stopwatch.hpp"
#include "core/error.hpp"
#include "core/fs.hpp"
#include "tokenizer/tokenizer.hpp"

namespace hubbench::adapters {
namespace {

constexpr std::string_view prefix = "openai:";

std::string percent_decode(std::string_view s) {
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '%' && i + 2 < s.size() && std::isxdigit(static_cast<unsigned char>(s[i + 1])) &&
            std::isxdigit(static_cast<unsigned char>(s[i + 2]))) {
            out += static_cast<char>(std::stoi(std::string(s.substr(i + 1, 2)), nullptr, 16));
            i += 2;
        } else {
            out += s[i] == '+' ? ' ' : s[i];
        }
    }
    return out;
}

// The context length from the tokenizer folder's config.json, when it has one.
std::size_t max_length_from_config(const std::filesystem::path& dir) {
    const auto file = dir / "config.json";
    if (!std::filesystem::is_directory(dir) || !std::filesystem::exists(file)) return 0;
    auto j = nlohmann::json::parse(read_file(file), nullptr, false);
    if (j.is_discarded()) return 0;
    for (const char* key : {"max_position_embeddings", "n_positions", "max_seq_len"}) {
        if (j.contains(key) && j[key].is_number_unsigned()) return j[key].get<std::size_t>();
    }
    return 0;
}

// The choices of a completions answer in prompt order (servers may send them in any order).
std::vector<nlohmann::json> choices_in_order(const nlohmann::json& answer, std::size_t expected, const std::string& url) {
    if (!answer.contains("choices") || !answer["choices"].is_array() || answer["choices"].size() != expected) {
        throw Error(ErrorKind::invalid_input, url + ": expected " + std::to_string(expected) + " choices in the answer");
    }
    std::vector<nlohmann::json> out(expected);
    for (const auto& c : answer["choices"]) {
        const std::size_t i = c.value("index", std::size_t{0});
        if (i >= expected || !out[i].is_null()) throw Error(ErrorKind::invalid_input, url + ": bad choice index " + std::to_string(i));
        out[i] = c;
    }
    return out;
}

class OpenAiAdapter final : public Adapter {
public:
    explicit OpenAiAdapter(const RemoteSpec& spec) : spec_(spec) {
        Stopwatch watch;
        tokenizer_ = std::make_unique<tokenizer::Tokenizer>(tokenizer::Tokenizer::load(spec.tokenizer));
        info_.load_seconds = watch.seconds();
        info_.id = spec.model;
        // The server is part of a served model's identity: the same model name behind vLLM and
        // behind llama-server are two rows to compare, never one result reused for the other.
        info_.revision = "served:" + spec.base_url;
        info_.architecture = "openai-compatible";
        info_.model_type = "remote";
        info_.kind = ModelKind::decoder;
        info_.has_lm_head = true;
        info_.max_length = spec.max_length != 0 ? spec.max_length : max_length_from_config(spec.tokenizer);
        info_.vocab_size = tokenizer_->vocab_size();
        info_.backend = "openai";
        const std::string key_env = spec.api_key_env.empty() ? "OPENAI_API_KEY" : spec.api_key_env;
        if (const char* key = std::getenv(key_env.c_str()); key != nullptr && *key != '\0') {
            headers_.push_back(std::string("Authorization: Bearer ") + key);
        } else if (!spec.api_key_env.empty()) {
            throw Error(ErrorKind::usage, "openai: the API key variable " + key_env + " (api_key_env) is not set");
        }
        endpoint_ = {spec.base_url, spec.model, headers_};
    }

    const ModelInfo& info() const override { return info_; }
    const tokenizer::Tokenizer& tokenizer() const override { return *tokenizer_; }

    std::optional<std::string> unsupported(Capability what) const override {
        switch (what) {
            case Capability::causal_lm:
            case Capability::embeddings:
                return std::nullopt;
            case Capability::masked_lm:
                return info_.id + " is served over the OpenAI API, which scores causal LMs only: pseudo-perplexity needs a "
                                  "local masked LM";
            case Capability::generation:
                return info_.id + " is served over the OpenAI API, which returns text, not token ids: greedy ids need a "
                                  "local model";
        }
        return std::nullopt;
    }

    std::vector<std::vector<double>> causal_logprobs(std::span<const CausalWindow> windows) override {
        if (windows.empty()) return {};
        nlohmann::json prompts = nlohmann::json::array();
        for (const auto& w : windows) {
            if (w.score_from < 1 || w.score_from > w.ids.size()) throw Error(ErrorKind::internal, "causal window out of range");
            prompts.push_back(w.ids);
        }
        // max_tokens=1: some servers refuse 0; the one generated token is ignored.
        const nlohmann::json body = {{"model", spec_.model}, {"prompt", prompts}, {"max_tokens", 1}, {"echo", true},
                                     {"logprobs", 0},         {"temperature", 0}};
        const auto answer = call("/completions", body);
        Stopwatch watch;
        const auto choices = choices_in_order(answer, windows.size(), spec_.base_url + "/completions");
        std::vector<std::vector<double>> out;
        for (std::size_t b = 0; b < windows.size(); ++b) {
            const auto& lp = choices[b]["logprobs"]["token_logprobs"];
            const auto& ids = windows[b].ids;
            if (!lp.is_array() || lp.size() < ids.size()) {
                throw Error(ErrorKind::invalid_input, spec_.base_url + "/completions: no log-probabilities for the prompt "
                                                                       "tokens (does the server support echo with logprobs?)");
            }
            std::vector<double> values;
            for (std::size_t p = windows[b].score_from; p < ids.size(); ++p) {
                if (!lp[p].is_number()) {
                    throw Error(ErrorKind::invalid_input, spec_.base_url + "/completions: a prompt token has no log-probability");
                }
                values.push_back(lp[p].get<double>());
            }
            out.push_back(std::move(values));
        }
        timings_.score += watch.seconds();
        return out;
    }

    std::vector<double> masked_logprobs(std::span<const MaskedQuery>) override {
        require(Capability::masked_lm);
        return {};
    }

    std::vector<std::vector<float>> embed(std::span<const std::string> texts) override {
        if (texts.empty()) return {};
        const nlohmann::json body = {{"model", spec_.model}, {"input", std::vector<std::string>(texts.begin(), texts.end())}};
        const auto answer = call("/embeddings", body);
        Stopwatch watch;
        const std::string url = spec_.base_url + "/embeddings";
        if (!answer.contains("data") || !answer["data"].is_array() || answer["data"].size() != texts.size()) {
            throw Error(ErrorKind::invalid_input, url + ": expected " + std::to_string(texts.size()) + " embeddings");
        }
        std::vector<std::vector<float>> out(texts.size());
        for (const auto& item : answer["data"]) {
            const std::size_t i = item.value("index", std::size_t{0});
            if (i >= out.size() || !item.contains("embedding") || !item["embedding"].is_array()) {
                throw Error(ErrorKind::invalid_input, url + ": malformed embedding entry");
            }
            out[i] = item["embedding"].get<std::vector<float>>();
            l2_normalize(out[i]);
        }
        timings_.score += watch.seconds();
        return out;
    }

    GenerateResult generate(std::span<const std::int32_t>, std::size_t, bool, const TokenCallback&) override {
        require(Capability::generation);
        return {};
    }

    void prefill(std::span<const std::vector<std::int32_t>> batch) override {
        nlohmann::json prompts = nlohmann::json::array();
        for (const auto& ids : batch) prompts.push_back(ids);
        call("/completions", {{"model", spec_.model}, {"prompt", prompts}, {"max_tokens", 1}, {"temperature", 0}});
    }

    const ServedEndpoint* served() const override { return &endpoint_; }

    void set_threads(int) override {}
    int threads() const override { return 0; }  // the server's business

private:
    nlohmann::json call(const std::string& path, const nlohmann::json& body) {
        Stopwatch watch;
        auto answer = poster_.post(spec_.base_url + path, body, headers_);
        timings_.forward += watch.seconds();
        return answer;
    }

    RemoteSpec spec_;
    ModelInfo info_;
    std::unique_ptr<tokenizer::Tokenizer> tokenizer_;
    std::vector<std::string> headers_;
    ServedEndpoint endpoint_;
    JsonPoster poster_;
};

}  // namespace

bool is_remote_spec(const std::string& spec) { return spec.rfind(prefix, 0) == 0; }

RemoteSpec parse_remote_spec(const std::string& spec) {
    if (!is_remote_spec(spec)) throw Error(ErrorKind::usage, "'" + spec + "' is not an openai: model");
    std::string rest = spec.substr(prefix.size());
    RemoteSpec out;
    const auto q = rest.find('?');
    out.base_url = rest.substr(0, q);
    while (!out.base_url.empty() && out.base_url.back() == '/') out.base_url.pop_back();
    if (out.base_url.rfind("http://", 0) != 0 && out.base_url.rfind("https://", 0) != 0) {
        throw Error(ErrorKind::usage, "openai: the server URL must start with http:// or https:// (e.g. "
                                      "openai:http://127.0.0.1:8000/v1?model=NAME&tokenizer=DIR)");
    }
    std::string query = q == std::string::npos ? "" : rest.substr(q + 1);
    std::size_t start = 0;
    while (start < query.size()) {
        auto end = query.find('&', start);
        if (end == std::string::npos) end = query.size();
        const std::string pair = query.substr(start, end - start);
        const auto eq = pair.find('=');
        const std::string key = pair.substr(0, eq);
        const std::string value = eq == std::string::npos ? "" : percent_decode(pair.substr(eq + 1));
        if (key == "model") {
            out.model = value;
        } else if (key == "tokenizer") {
            out.tokenizer = value;
        } else if (key == "api_key_env") {
            out.api_key_env = value;
        } else if (key == "max_length") {
            try {
                out.max_length = std::stoul(value);
            } catch (const std::exception&) {
                throw Error(ErrorKind::usage, "openai: max_length must be a number, got '" + value + "'");
            }
        } else if (!key.empty()) {
            throw Error(ErrorKind::usage, "openai: unknown option '" + key + "' (model, tokenizer, max_length, api_key_env)");
        }
        start = end + 1;
    }
    if (out.model.empty()) throw Error(ErrorKind::usage, "openai: name the server's model with ?model=NAME");
    if (out.tokenizer.empty()) {
        throw Error(ErrorKind::usage, "openai: name a local tokenizer with &tokenizer=DIR (windows are cut in token space)");
    }
    return out;
}

std::unique_ptr<Adapter> open_remote(const RemoteSpec& spec) { return std::make_unique<OpenAiAdapter>(spec); }

}  // namespace hubbench::adapters
