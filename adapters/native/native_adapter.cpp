#include "adapters/native/native_adapter.hpp"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <map>

#include "adapters/log_softmax.hpp"
#include "adapters/pooling.hpp"
#include "adapters/stopwatch.hpp"
#include "adapters/truncate.hpp"
#include "core/error.hpp"
#include "core/log.hpp"
#include "engine/model.hpp"
#include "hub/cache.hpp"
#include "tokenizer/tokenizer.hpp"

namespace hubbench::adapters {
namespace {

class NativeAdapter final : public Adapter {
public:
    NativeAdapter(const std::filesystem::path& dir, const NativeOptions& options) {
        set_threads(options.threads);
        Stopwatch watch;
        model_ = engine::Model::load(dir, {options.dtype});
        tokenizer_ = std::make_unique<tokenizer::Tokenizer>(tokenizer::Tokenizer::load(dir));
        pooling_ = read_pooling_config(dir);
        info_.load_seconds = watch.seconds();

        const auto& c = model_->config();
        auto [id, revision] = hub::snapshot_identity(dir);
        info_.id = options.id.empty() ? id : options.id;
        info_.revision = options.revision.empty() ? revision : options.revision;
        info_.architecture = c.architecture;
        info_.compute_dtype = std::string(engine::compute_dtype_name(model_->compute_dtype()));
        info_.model_type = c.model_type;
        info_.kind = c.kind;
        info_.has_lm_head = model_->has_lm_head();
        info_.parameters = model_->parameter_count();
        info_.dtype = model_->weights_dtype();
        // RoBERTa numbers positions from padding_idx + 1, so its first position embeddings are never
        // used (config.position_offset; parse_model_config checked it is below max_positions).
        info_.max_length = c.max_positions - c.position_offset;
        info_.vocab_size = c.vocab_size;
        info_.hidden_size = c.hidden_size;
        pooling_.embedding_dimension(c.hidden_size);  // a Dense module that does not fit fails here, at load
        info_.num_layers = c.num_layers;
        info_.dir = dir;
        info_.files = model_->weight_files();
        for (const char* extra : {"config.json", "tokenizer.json", "tokenizer.model"}) {
            if (std::filesystem::exists(dir / extra)) info_.files.emplace_back(extra);
        }
        for (const auto& f : info_.files) {
            std::error_code ec;
            auto size = std::filesystem::file_size(dir / f, ec);  // follows the cache's blob links
            if (!ec) info_.size_bytes += size;
        }
        info_.backend = "native";
        if (!c.eos_token_ids.empty()) {
            for (auto e : c.eos_token_ids) eos_.push_back(static_cast<std::int32_t>(e));
        } else if (auto e = tokenizer_->special_tokens().eos) {
            eos_.push_back(*e);
        }
        log::debug("adapter: {} ({} {}, {} parameters, pooling {}) loaded in {:.3f} s", info_.id, info_.model_type,
                   model_kind_name(info_.kind), info_.parameters, pooling_.describe(), info_.load_seconds);
    }

    const ModelInfo& info() const override { return info_; }
    const tokenizer::Tokenizer& tokenizer() const override { return *tokenizer_; }

    std::optional<std::string> unsupported(Capability what) const override {
        const std::string& id = info_.id;
        const bool encoder = info_.kind == ModelKind::encoder;
        switch (what) {
            case Capability::causal_lm:
            case Capability::generation: {
                const char* task = what == Capability::causal_lm ? "causal perplexity" : "generation";
                if (encoder) {
                    return id + " is an encoder" + (info_.has_lm_head ? " (masked LM)" : "") + ": " + task +
                           " needs a decoder" + (info_.has_lm_head ? "; use --task pppl" : "");
                }
                if (!info_.has_lm_head) return id + " has no causal LM head (" + info_.architecture + "): " + task + " needs one";
                return std::nullopt;
            }
            case Capability::masked_lm:
                if (!encoder) return id + " is a decoder (causal LM): pseudo-perplexity needs a masked LM; use --task perplexity";
                if (!info_.has_lm_head) {
                    return id + " has no masked-LM head (" + info_.architecture + "): pseudo-perplexity needs one; use --task sts";
                }
                return std::nullopt;
            case Capability::embeddings:
                if (pooling_.unsupported) return id + ": " + *pooling_.unsupported;
                return std::nullopt;
        }
        return std::nullopt;
    }

    std::vector<std::vector<double>> causal_logprobs(std::span<const CausalWindow> windows) override {
        require(Capability::causal_lm);
        std::vector<std::vector<std::int32_t>> batch;
        batch.reserve(windows.size());
        for (const auto& w : windows) {
            if (w.score_from < 1 || w.score_from > w.ids.size()) {
                throw Error(ErrorKind::internal, "causal window scores from position " + std::to_string(w.score_from) +
                                                     " of " + std::to_string(w.ids.size()));
            }
            batch.push_back(w.ids);
        }
        std::vector<std::vector<double>> out(windows.size());
        const std::size_t vocab = info_.vocab_size;
        double score_seconds = 0.0;
        Stopwatch watch;
        model_->forward_logits(batch, [&](std::size_t b, const float* logits /* (len, V) */, std::size_t len) {
            ScopedTimer timer(score_seconds);
            const auto& ids = windows[b].ids;
            const std::size_t first = windows[b].score_from;
            auto& lp = out[b];
            lp.resize(len - first);
            // Position p is predicted by the logits of position p - 1. Serial on purpose: this is a
            // few percent of the forward pass, and an OpenMP team here spins against the engine's
            // threads on a loaded machine.
            for (std::size_t p = first; p < len; ++p) {
                lp[p - first] = log_softmax_at(logits + (p - 1) * vocab, vocab, ids[p]);
            }
        });
        timings_.forward += watch.seconds() - score_seconds;
        timings_.score += score_seconds;
        return out;
    }

    // Each context runs once (a session), then all its continuations as one batch on top of the
    // cached context (Session::branch_logits): the first continuation token is scored from the
    // context's last logits, the others from the branch's own rows.
    std::vector<std::vector<std::vector<double>>> continuation_logprobs(std::span<const ContinuationRequest> requests) override {
        require(Capability::causal_lm);
        const std::size_t vocab = info_.vocab_size;
        std::vector<std::vector<std::vector<double>>> out(requests.size());
        double score_seconds = 0.0;
        Stopwatch watch;
        for (std::size_t r = 0; r < requests.size(); ++r) {
            const auto& request = requests[r];
            if (request.context.empty()) throw Error(ErrorKind::internal, "a continuation needs a non-empty context");
            auto session = model_->start_session();
            const std::vector<float> last = session->append(request.context);  // copy: the session reuses it
            // Each continuation without its last token: that token is only a target.
            std::vector<std::vector<std::int32_t>> inputs;
            std::vector<std::size_t> branch_of(request.continuations.size(), SIZE_MAX);
            for (std::size_t c = 0; c < request.continuations.size(); ++c) {
                const auto& ids = request.continuations[c];
                if (ids.empty()) throw Error(ErrorKind::internal, "an empty continuation");
                if (ids.size() > 1) {
                    branch_of[c] = inputs.size();
                    inputs.emplace_back(ids.begin(), ids.end() - 1);
                }
            }
            auto& scores = out[r];
            scores.resize(request.continuations.size());
            {
                ScopedTimer timer(score_seconds);
                for (std::size_t c = 0; c < request.continuations.size(); ++c) {
                    scores[c].push_back(log_softmax_at(last.data(), vocab, request.continuations[c][0]));
                }
            }
            std::vector<std::size_t> continuation_of(inputs.size());
            for (std::size_t c = 0; c < branch_of.size(); ++c)
                if (branch_of[c] != SIZE_MAX) continuation_of[branch_of[c]] = c;
            session->branch_logits(inputs, [&](std::size_t b, const float* logits /* (len, V) */, std::size_t len) {
                ScopedTimer timer(score_seconds);
                const auto& ids = request.continuations[continuation_of[b]];
                for (std::size_t p = 0; p < len; ++p) {
                    scores[continuation_of[b]].push_back(log_softmax_at(logits + p * vocab, vocab, ids[p + 1]));
                }
            });
        }
        timings_.forward += watch.seconds() - score_seconds;
        timings_.score += score_seconds;
        return out;
    }

    // Queries with the same ids (the masks of one cloze input, every verbalizer at one mask) share
    // one forward pass, and the LM head runs only at the masked positions.
    std::vector<double> masked_logprobs(std::span<const MaskedQuery> queries) override {
        require(Capability::masked_lm);
        std::vector<std::vector<std::int32_t>> batch;
        std::vector<std::vector<std::size_t>> positions;   // per sequence: distinct masked positions
        std::vector<std::pair<std::size_t, std::size_t>> row_of(queries.size());  // query -> (sequence, row)
        std::map<std::vector<std::int32_t>, std::size_t> sequence_of;
        for (std::size_t i = 0; i < queries.size(); ++i) {
            const auto& q = queries[i];
            if (q.position >= q.ids.size()) throw Error(ErrorKind::internal, "masked position outside its sequence");
            auto [it, fresh] = sequence_of.try_emplace(q.ids, batch.size());
            if (fresh) {
                batch.push_back(q.ids);
                positions.emplace_back();
            }
            auto& at = positions[it->second];
            auto found = std::find(at.begin(), at.end(), q.position);
            row_of[i] = {it->second, static_cast<std::size_t>(found - at.begin())};
            if (found == at.end()) at.push_back(q.position);
        }
        std::vector<std::vector<std::size_t>> queries_of(batch.size());
        for (std::size_t i = 0; i < queries.size(); ++i) queries_of[row_of[i].first].push_back(i);
        std::vector<double> out(queries.size());
        const std::size_t vocab = info_.vocab_size;
        double score_seconds = 0.0;
        Stopwatch watch;
        model_->forward_logits_at(batch, positions, [&](std::size_t b, const float* logits /* (rows, V) */, std::size_t) {
            ScopedTimer timer(score_seconds);
            for (std::size_t i : queries_of[b]) out[i] = log_softmax_at(logits + row_of[i].second * vocab, vocab, queries[i].target);
        });
        timings_.forward += watch.seconds() - score_seconds;
        timings_.score += score_seconds;
        return out;
    }

    std::vector<std::vector<float>> embed(std::span<const std::string> texts) override {
        require(Capability::embeddings);
        Stopwatch tokenize_watch;
        const std::size_t limit = std::min(pooling_.max_seq_length.value_or(info_.max_length), info_.max_length);
        std::vector<std::vector<std::int32_t>> batch;
        batch.reserve(texts.size());
        for (const auto& text : texts) {
            std::string lowered;
            if (pooling_.do_lower_case) {
                lowered = text;
                std::transform(lowered.begin(), lowered.end(), lowered.begin(),
                               [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
            }
            auto enc = tokenizer_->encode(pooling_.do_lower_case ? lowered : text, true);
            std::vector<std::int32_t> ids;
            for (std::size_t i : truncation_indices(enc.special_tokens_mask, limit)) ids.push_back(enc.ids[i]);
            if (ids.empty()) throw Error(ErrorKind::invalid_input, info_.id + ": a text to embed gives no tokens");
            batch.push_back(std::move(ids));
        }
        timings_.tokenize += tokenize_watch.seconds();
        std::vector<std::vector<float>> out(texts.size());
        double score_seconds = 0.0;
        Stopwatch watch;
        model_->forward_hidden(batch, [&](std::size_t b, const float* hidden /* (len, H) */, std::size_t len) {
            ScopedTimer timer(score_seconds);
            out[b] = pool_and_normalize(hidden, len, info_.hidden_size, pooling_);
        });
        timings_.forward += watch.seconds() - score_seconds;
        timings_.score += score_seconds;
        return out;
    }

    GenerateResult generate(std::span<const std::int32_t> prompt_ids, std::size_t max_new_tokens, bool stop_at_eos,
                            const TokenCallback& on_token) override {
        require(Capability::generation);
        if (prompt_ids.empty()) throw Error(ErrorKind::usage, "generate: the prompt has no tokens");
        if (info_.max_length != 0 && prompt_ids.size() + max_new_tokens > info_.max_length + 1) {
            throw Error(ErrorKind::usage, "generate: " + std::to_string(prompt_ids.size()) + " prompt tokens + " +
                                              std::to_string(max_new_tokens) + " new ones exceed the " +
                                              std::to_string(info_.max_length) + " positions of " + info_.id);
        }
        GenerateResult result;
        if (max_new_tokens == 0) return result;
        Stopwatch watch;
        bool cancelled = false;
        const std::vector<std::int32_t> no_stop;
        result.new_ids = engine::generate_greedy(
            *model_, prompt_ids, max_new_tokens, stop_at_eos ? std::span<const std::int32_t>(eos_) : no_stop,
            [&](std::int32_t id, std::span<const float> logits) {
                if (result.prefill_seconds == 0.0) {  // the first id comes out of the prompt's pass
                    result.prefill_seconds = watch.seconds();
                    watch.restart();
                }
                cancelled = on_token && !on_token(id, logits);
                return !cancelled;
            });
        if (result.new_ids.size() > 1) result.decode_seconds = watch.seconds();
        const bool at_eos = stop_at_eos && std::find(eos_.begin(), eos_.end(), result.new_ids.back()) != eos_.end();
        result.finish_reason = cancelled ? "cancelled" : at_eos ? "stop" : "length";
        timings_.forward += result.prefill_seconds + result.decode_seconds;
        return result;
    }

    void prefill(std::span<const std::vector<std::int32_t>> batch) override {
        Stopwatch watch;
        auto discard = [](std::size_t, const float*, std::size_t) {};
        if (info_.has_lm_head) {
            model_->forward_logits(batch, discard);
        } else {
            model_->forward_hidden(batch, discard);
        }
        timings_.forward += watch.seconds();
    }

    void set_threads(int threads) override { engine::set_num_threads(threads); }
    int threads() const override { return engine::num_threads(); }

private:
    std::unique_ptr<engine::Model> model_;
    std::unique_ptr<tokenizer::Tokenizer> tokenizer_;
    PoolingConfig pooling_;
    ModelInfo info_;
    std::vector<std::int32_t> eos_;
};

}  // namespace

std::unique_ptr<Adapter> open_native(const std::filesystem::path& dir, const NativeOptions& options) {
    return std::make_unique<NativeAdapter>(dir, options);
}

}  // namespace hubbench::adapters
