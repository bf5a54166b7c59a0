#include "serve/server.hpp"

#include <httplib.h>

#include <atomic>
#include <csignal>
#include <ctime>
#include <thread>

#include "core/error.hpp"
#include "core/log.hpp"
#include "serve/generation.hpp"
#include "serve/openai_api.hpp"
#include "serve/slots.hpp"
#include "tokenizer/chat_template.hpp"

namespace hubbench::serve {
namespace {

using nlohmann::json;

json usage(std::size_t prompt, std::size_t completion) {
    return {{"prompt_tokens", prompt}, {"completion_tokens", completion}, {"total_tokens", prompt + completion}};
}

json timings(double queue_ms, std::size_t prompt_n, const Generation& g) {
    return {{"queue_ms", queue_ms},
            {"prompt_n", prompt_n},
            {"prompt_ms", g.prompt_ms},
            {"predicted_n", g.tokens.size()},
            {"predicted_ms", g.predicted_ms}};
}

// The completions "logprobs" object of some tokens; text_offset counts bytes from `offset`.
json logprobs_of(std::span<const TokenEvent> tokens, std::size_t offset) {
    json out = {{"tokens", json::array()}, {"token_logprobs", json::array()}, {"top_logprobs", json::array()}, {"text_offset", json::array()}};
    for (const auto& t : tokens) {
        out["tokens"].push_back(t.token);
        out["token_logprobs"].push_back(t.logprob ? json(*t.logprob) : json(nullptr));
        out["top_logprobs"].push_back(t.top);
        out["text_offset"].push_back(offset);
        offset += t.token.size();
    }
    return out;
}

void send_json(httplib::Response& res, int status, const json& body) {
    res.status = status;
    res.set_content(body.dump(), "application/json");
}

// One streamed answer as server-sent events: chunks that share the answer's id, object, created
// and model; then the usage chunk when asked for, and [DONE]. A write that fails means the client
// went away.
class EventStream {
public:
    EventStream(httplib::DataSink& sink, json head) : sink_(sink), head_(std::move(head)) {}
    bool send(json choice, const json& timings = nullptr) {
        json chunk = head_;
        chunk["choices"] = json::array({std::move(choice)});
        if (!timings.is_null()) chunk["timings"] = timings;
        return write(chunk);
    }
    bool finish(bool include_usage, std::size_t prompt_tokens, std::size_t completion_tokens) {
        if (include_usage) {
            json chunk = head_;
            chunk["choices"] = json::array();
            chunk["usage"] = usage(prompt_tokens, completion_tokens);
            if (!write(chunk)) return false;
        }
        const std::string done = "data: [DONE]\n\n";
        sink_.write(done.data(), done.size());
        sink_.done();
        return true;
    }

private:
    bool write(const json& chunk) {
        const std::string text = "data: " + chunk.dump() + "\n\n";
        return sink_.is_writable() && sink_.write(text.data(), text.size());
    }
    httplib::DataSink& sink_;
    json head_;
};

// The prompt's tokens under the request's rules; an over-long request is the API's 400.
void check_length(std::size_t prompt, std::size_t max_tokens, std::size_t limit, const std::string& where, const char* param) {
    if (prompt == 0) throw ApiError(400, "The prompt is empty: there is nothing to continue.", param);
    if (limit != 0 && prompt + max_tokens > limit) {
        throw ApiError(400,
                       "This model's maximum context length is " + std::to_string(limit) + " tokens. However, you requested " +
                           std::to_string(prompt + max_tokens) + " tokens (" + std::to_string(prompt) + " in " + where + ", " +
                           std::to_string(max_tokens) + " in the completion). Please reduce the length of " + where +
                           " or completion.",
                       param, "context_length_exceeded");
    }
}

}  // namespace

struct OpenAiServer::Impl {
    Impl(adapters::Adapter& model, const std::filesystem::path& dir, ServeOptions o)
        : engine(model), options(std::move(o)), slots(options.max_concurrency), created(std::time(nullptr)) {
        if (options.served_name.empty()) options.served_name = model.info().id;
        chat_template = tokenizer::load_chat_template(dir, &special_tokens);
    }

    Engine engine;
    ServeOptions options;
    Slots slots;
    std::time_t created;
    std::optional<tokenizer::ChatTemplate> chat_template;
    nlohmann::ordered_json special_tokens = nlohmann::ordered_json::object();
    httplib::Server http;
    std::thread thread;
    int port = 0;
    std::atomic<std::uint64_t> next_id{0};
    std::atomic<std::uint64_t> cancelled{0};  // generations stopped because their client went away

    std::string request_id(const char* prefix) { return std::string(prefix) + std::to_string(++next_id); }

    // Counts and logs a generation its streaming client abandoned; true when it was one.
    bool client_went_away(const json& head, const Generation& g) {
        if (g.finish_reason != "cancelled") return false;
        ++cancelled;
        log::info("serve: {} cancelled: the client went away after {} tokens", head["id"].get<std::string>(), g.tokens.size());
        return true;
    }

    void require(adapters::Capability what) const {
        if (auto why = engine.model_const().unsupported(what)) throw ApiError(400, *why);
    }

    // --- the routes -------------------------------------------------------------------------
    void models(httplib::Response& res) const {
        send_json(res, 200,
                  {{"object", "list"},
                   {"data", json::array({{{"id", options.served_name},
                                          {"object", "model"},
                                          {"created", created},
                                          {"owned_by", "hubbench"},
                                          {"max_model_len", engine.model_const().info().max_length}}})}});
    }

    void health(httplib::Response& res) const {
        const auto c = slots.counts();
        send_json(res, 200, {{"status", "ok"}, {"slots_processing", c.processing}, {"slots_queued", c.queued}, {"slots_capacity", c.capacity},
                            {"requests_cancelled", cancelled.load()}});
    }

    void completions(const httplib::Request& req, httplib::Response& res) {
        const auto arrived = Clock::now();
        const json body = parse_body(req.body);
        check_model(body, options.served_name);
        require(adapters::Capability::generation);
        const auto fields = generation_fields(body, false);
        const auto& model = engine.model();
        const std::size_t limit = model.info().max_length;
        struct Item {
            std::vector<std::int32_t> ids;
            std::string text;  // the prompt as text, for echo
        };
        std::vector<Item> items;
        for (auto& p : completion_prompts(body)) {
            Item item;
            if (p.text) {
                item.ids = model.encode(*p.text, true).ids;  // as vLLM: the tokenizer's special tokens added
                item.text = *p.text;
            } else {
                item.ids = std::move(p.ids);
                for (auto id : item.ids)
                    if (static_cast<std::size_t>(id) >= model.info().vocab_size)
                        throw ApiError(400, "'prompt' holds token id " + std::to_string(id) + ", outside the vocabulary", "prompt");
                item.text = model.decode(item.ids, false);
            }
            check_length(item.ids.size(), fields.max_tokens, limit, "the prompt", "prompt");
            items.push_back(std::move(item));
        }
        const std::string id = request_id("cmpl-");
        const json head = {{"id", id}, {"object", "text_completion"}, {"created", std::time(nullptr)}, {"model", options.served_name}};

        // Echo with log-probabilities: the prompt's own tokens, the first without one.
        auto prompt_logprobs = [this, &fields](const Item& item) {
            std::vector<TokenEvent> out;
            const auto lps = fields.logprobs ? engine.prompt_logprobs(item.ids) : std::vector<double>{};
            for (std::size_t i = 0; i < item.ids.size(); ++i) {
                TokenEvent t;
                t.token = engine.token_text(item.ids[i], fields.tokens_as_ids);
                if (i > 0 && i - 1 < lps.size()) t.logprob = lps[i - 1];
                out.push_back(std::move(t));
            }
            return out;
        };

        if (!fields.stream) {
            SlotGuard slot(slots);
            const double queue_ms = ms_between(arrived, Clock::now());
            json choices = json::array();
            std::size_t prompt_tokens = 0, completion_tokens = 0;
            json last_timings;
            for (std::size_t i = 0; i < items.size(); ++i) {
                const auto g = engine.generate(items[i].ids, fields);
                std::vector<TokenEvent> all = fields.echo ? prompt_logprobs(items[i]) : std::vector<TokenEvent>{};
                all.insert(all.end(), g.tokens.begin(), g.tokens.end());
                const std::string text = (fields.echo ? items[i].text : std::string()) + g.text;
                choices.push_back({{"index", i}, {"text", text}, {"logprobs", fields.logprobs ? logprobs_of(all, 0) : json(nullptr)},
                                   {"finish_reason", g.finish_reason}});
                prompt_tokens += items[i].ids.size();
                completion_tokens += g.tokens.size();
                last_timings = timings(queue_ms, items[i].ids.size(), g);
            }
            json answer = head;
            answer["choices"] = choices;
            answer["usage"] = usage(prompt_tokens, completion_tokens);
            answer["timings"] = last_timings;
            return send_json(res, 200, answer);
        }

        res.set_chunked_content_provider("text/event-stream", [this, items, fields, head, arrived, prompt_logprobs](
                                                                  std::size_t, httplib::DataSink& sink) {
            SlotGuard slot(slots);
            const double queue_ms = ms_between(arrived, Clock::now());
            std::size_t prompt_tokens = 0, completion_tokens = 0;
            EventStream stream(sink, head);
            auto choice = [](std::size_t index, const std::string& text, json logprobs, json finish) {
                return json{{"index", index}, {"text", text}, {"logprobs", std::move(logprobs)}, {"finish_reason", std::move(finish)}};
            };
            for (std::size_t i = 0; i < items.size(); ++i) {
                if (fields.echo) {
                    const auto echoed = prompt_logprobs(items[i]);
                    if (!stream.send(choice(i, items[i].text, fields.logprobs ? logprobs_of(echoed, 0) : json(nullptr), nullptr))) return false;
                }
                std::size_t streamed = 0;
                const auto g = engine.generate(items[i].ids, fields, [&](const TokenEvent& t) {
                    streamed += t.delta.size();
                    return stream.send(choice(i, t.delta, fields.logprobs ? logprobs_of(std::span(&t, 1), 0) : json(nullptr), nullptr));
                });
                if (client_went_away(head, g)) return false;
                const std::string rest = g.text.size() > streamed ? g.text.substr(streamed) : std::string();
                if (!stream.send(choice(i, rest, nullptr, g.finish_reason), timings(queue_ms, items[i].ids.size(), g))) return false;
                prompt_tokens += items[i].ids.size();
                completion_tokens += g.tokens.size();
            }
            return stream.finish(fields.include_usage, prompt_tokens, completion_tokens);
        });
    }

    void chat(const httplib::Request& req, httplib::Response& res) {
        const auto arrived = Clock::now();
        const json body = parse_body(req.body);
        check_model(body, options.served_name);
        require(adapters::Capability::generation);
        auto fields = generation_fields(body, true);
        const auto messages = chat_messages(body);
        if (!chat_template) {
            throw ApiError(400, options.served_name + " has no chat template (tokenizer_config.json \"chat_template\"): use /v1/completions",
                           "messages");
        }
        nlohmann::ordered_json list = nlohmann::ordered_json::array();
        for (std::size_t i = 0; i < messages.size(); ++i) {
            nlohmann::ordered_json m = nlohmann::ordered_json::parse(body["messages"][i].dump());
            m["content"] = messages[i].content;  // text parts joined, as vLLM flattens them
            list.push_back(std::move(m));
        }
        std::string prompt_text;
        try {
            prompt_text = chat_template->render_json(list, true, special_tokens);
        } catch (const Error& e) {
            throw ApiError(400, std::string("the chat template refused these messages: ") + e.what(), "messages");
        }
        // apply_chat_template(tokenize=True) tokenizes without adding special tokens again.
        const auto ids = engine.model().encode(prompt_text, false).ids;
        const std::size_t limit = engine.model().info().max_length;
        if (!fields.max_tokens_given) fields.max_tokens = limit > ids.size() ? limit - ids.size() : 0;
        check_length(ids.size(), fields.max_tokens, limit, "the messages", "messages");
        const std::string id = request_id("chatcmpl-");
        const json head = {{"id", id}, {"object", fields.stream ? "chat.completion.chunk" : "chat.completion"},
                           {"created", std::time(nullptr)}, {"model", options.served_name}};
        auto chat_logprobs = [](std::span<const TokenEvent> tokens) {
            json content = json::array();
            for (const auto& t : tokens) {
                json top = json::array();
                if (t.top.is_object())
                    for (const auto& [token, lp] : t.top.items()) top.push_back({{"token", token}, {"logprob", lp}});
                content.push_back({{"token", t.token}, {"logprob", t.logprob.value_or(0.0)}, {"top_logprobs", top}});
            }
            return json{{"content", content}};
        };

        if (!fields.stream) {
            SlotGuard slot(slots);
            const double queue_ms = ms_between(arrived, Clock::now());
            const auto g = engine.generate(ids, fields);
            json answer = head;
            answer["choices"] = json::array({{{"index", 0},
                                              {"message", {{"role", "assistant"}, {"content", g.text}}},
                                              {"logprobs", fields.logprobs ? chat_logprobs(g.tokens) : json(nullptr)},
                                              {"finish_reason", g.finish_reason}}});
            answer["usage"] = usage(ids.size(), g.tokens.size());
            answer["timings"] = timings(queue_ms, ids.size(), g);
            return send_json(res, 200, answer);
        }
        res.set_chunked_content_provider("text/event-stream", [this, ids, fields, head, arrived, chat_logprobs](std::size_t, httplib::DataSink& sink) {
            SlotGuard slot(slots);
            const double queue_ms = ms_between(arrived, Clock::now());
            EventStream stream(sink, head);
            auto choice = [](json delta, json logprobs, json finish) {
                return json{{"index", 0}, {"delta", std::move(delta)}, {"logprobs", std::move(logprobs)}, {"finish_reason", std::move(finish)}};
            };
            if (!stream.send(choice({{"role", "assistant"}, {"content", ""}}, nullptr, nullptr))) return false;
            std::size_t streamed = 0;
            const auto g = engine.generate(ids, fields, [&](const TokenEvent& t) {
                streamed += t.delta.size();
                return stream.send(choice({{"content", t.delta}}, fields.logprobs ? chat_logprobs(std::span(&t, 1)) : json(nullptr), nullptr));
            });
            if (client_went_away(head, g)) return false;
            const json rest = g.text.size() > streamed ? json{{"content", g.text.substr(streamed)}} : json::object();
            if (!stream.send(choice(rest, nullptr, g.finish_reason), timings(queue_ms, ids.size(), g))) return false;
            return stream.finish(fields.include_usage, ids.size(), g.tokens.size());
        });
    }

    void embeddings(const httplib::Request& req, httplib::Response& res) {
        const json body = parse_body(req.body);
        check_model(body, options.served_name);
        require(adapters::Capability::embeddings);
        const auto inputs = embedding_inputs(body);
        std::size_t tokens = 0;
        for (const auto& text : inputs) {
            const std::size_t n = engine.model().encode(text, true).ids.size();
            tokens += n;
        }
        std::vector<std::vector<float>> vectors;
        {
            SlotGuard slot(slots);
            vectors = engine.embed(inputs);
        }
        json data = json::array();
        for (std::size_t i = 0; i < vectors.size(); ++i) data.push_back({{"object", "embedding"}, {"index", i}, {"embedding", vectors[i]}});
        send_json(res, 200, {{"object", "list"}, {"data", data}, {"model", options.served_name}, {"usage", {{"prompt_tokens", tokens}, {"total_tokens", tokens}}}});
    }

    // Runs a route, turning its errors into the API's error bodies.
    template <typename Route>
    httplib::Server::Handler guarded(Route route) {
        return [this, route](const httplib::Request& req, httplib::Response& res) {
            try {
                (this->*route)(req, res);
            } catch (const ApiError& e) {
                send_json(res, e.status, error_body(e));
            } catch (const Error& e) {
                const bool client = e.kind() == ErrorKind::invalid_input || e.kind() == ErrorKind::usage || e.kind() == ErrorKind::unsupported;
                send_json(res, client ? 400 : 500, error_body(ApiError(client ? 400 : 500, e.what(), {}, {}, client ? "invalid_request_error" : "server_error")));
            } catch (const std::exception& e) {
                log::error("serve: {} {}: {}", req.method, req.path, e.what());
                send_json(res, 500, error_body(ApiError(500, std::string("internal error: ") + e.what(), {}, {}, "server_error")));
            }
        };
    }
};

OpenAiServer::OpenAiServer(adapters::Adapter& model, const std::filesystem::path& model_dir, ServeOptions options)
    : impl_(std::make_unique<Impl>(model, model_dir, std::move(options))) {}

OpenAiServer::~OpenAiServer() { stop(); }

void OpenAiServer::start() {
    // A client that goes away mid-stream must not kill the server with SIGPIPE.
    std::signal(SIGPIPE, SIG_IGN);
    auto& s = impl_->http;
    Impl* impl = impl_.get();
    // Waiting requests hold a thread each; keep threads beyond the slots for them and /health.
    const std::size_t threads = impl->options.max_concurrency + 32;
    s.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
    s.set_keep_alive_max_count(100000);
    // Each streamed token is a small write: without TCP_NODELAY, Nagle's algorithm holds it until
    // the client's delayed ACK (40 ms on Linux), which would be measured as inter-token latency.
    s.set_tcp_nodelay(true);
    s.Get("/health", [impl](const httplib::Request&, httplib::Response& res) { impl->health(res); });
    s.Get("/v1/models", [impl](const httplib::Request&, httplib::Response& res) { impl->models(res); });
    s.Post("/v1/completions", impl->guarded(&Impl::completions));
    s.Post("/v1/chat/completions", impl->guarded(&Impl::chat));
    s.Post("/v1/embeddings", impl->guarded(&Impl::embeddings));
    s.set_error_handler([](const httplib::Request& req, httplib::Response& res) {
        if (!res.body.empty()) return;
        const std::string message = res.status == 404 ? "Invalid URL (" + req.method + " " + req.path + ")" : "HTTP " + std::to_string(res.status);
        res.set_content(error_body(ApiError(res.status, message)).dump(), "application/json");
    });
    impl->port = impl->options.port == 0 ? s.bind_to_any_port(impl->options.host) : (s.bind_to_port(impl->options.host, impl->options.port) ? impl->options.port : -1);
    if (impl->port <= 0) {
        throw Error(ErrorKind::io, "serve: cannot listen on " + impl->options.host + ":" + std::to_string(impl->options.port) + " (in use?)");
    }
    impl->thread = std::thread([impl] { impl->http.listen_after_bind(); });
}

void OpenAiServer::stop() {
    if (!impl_->thread.joinable()) return;
    impl_->http.stop();
    impl_->thread.join();
}

std::string OpenAiServer::url() const { return "http://" + impl_->options.host + ":" + std::to_string(impl_->port); }
const std::string& OpenAiServer::served_name() const { return impl_->options.served_name; }

}  // namespace hubbench::serve
