#include "engine/model.hpp"

#include <algorithm>

#include <unistd.h>

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstring>

#include "core/error.hpp"
#include "core/log.hpp"
#include "engine/architectures.hpp"
#include "engine/network.hpp"
#include "engine/ops/ops.hpp"
#include "engine/threads.hpp"
#include "engine/weights.hpp"

namespace hubbench::engine {

namespace {

PackedBatch pack(std::span<const std::vector<std::int32_t>> batch) {
    PackedBatch packed;
    packed.offsets.reserve(batch.size() + 1);
    packed.offsets.push_back(0);
    std::size_t total = 0;
    for (const auto& seq : batch) total += seq.size();
    packed.ids.reserve(total);
    for (const auto& seq : batch) {
        packed.ids.insert(packed.ids.end(), seq.begin(), seq.end());
        packed.offsets.push_back(packed.ids.size());
    }
    return packed;
}

}  // namespace

void KvCache::reserve(std::size_t total) {
    if (total <= capacity) return;
    const std::size_t grown = std::max(total, capacity * 2);
    for (auto* store : {&k, &v})
        for (auto& layer : *store) layer.resize(grown * kv_dim);
    capacity = grown;
}

std::uint64_t physical_memory_bytes() {
    const long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGE_SIZE);
    return pages > 0 && page > 0 ? static_cast<std::uint64_t>(pages) * static_cast<std::uint64_t>(page) : 0;
}

ComputeDtype resolve_compute_dtype(ComputeDtype requested, std::uint64_t parameters, std::uint64_t memory_bytes) {
    if (requested != ComputeDtype::automatic) return requested;
    return parameters * sizeof(float) < memory_bytes / 2 ? ComputeDtype::float32 : ComputeDtype::bfloat16;
}

ComputeDtype compute_dtype_for(const std::filesystem::path& dir, ComputeDtype requested) {
    if (requested != ComputeDtype::automatic) return requested;
    std::uint64_t parameters = 0;
    for (const auto& [_, count] : TensorSource(dir).parameter_count_by_dtype()) parameters += count;
    return resolve_compute_dtype(requested, parameters, physical_memory_bytes());
}

std::unique_ptr<Model> Model::load(const std::filesystem::path& dir, const LoadOptions& options) {
    const auto start = std::chrono::steady_clock::now();
    std::unique_ptr<Model> model(new Model());
    model->dir_ = dir;
    model->config_ = load_model_config(dir);
    model->compute_dtype_ = compute_dtype_for(dir, options.dtype);
    model->weights_ = std::make_unique<Weights>(dir, model->compute_dtype_);
    // parse_model_config has refused a model_type without a row.
    model->network_ = find_architecture(model->config_.model_type)->make(model->config_, *model->weights_);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    log::debug("engine: loaded {} ({} {}, {} parameters, {}, computed in {}) in {:.3f} s", dir.string(), model->config_.model_type,
               model_kind_name(model->config_.kind), model->parameter_count(), model->weights_dtype(),
               compute_dtype_name(model->compute_dtype_), seconds);
    return model;
}

Model::~Model() = default;

bool Model::products_on_openmp() const {
    return ops::avx512_enabled();
}

bool Model::has_lm_head() const { return network_->has_head(); }
std::uint64_t Model::parameter_count() const { return weights_->parameter_count(); }
std::string Model::weights_dtype() const { return weights_->dtype_summary(); }
std::vector<std::string> Model::weight_files() const { return weights_->source().files(); }
std::size_t Model::weight_bytes() const { return weights_->resident_weight_bytes(); }

void Model::check_batch(std::span<const std::vector<std::int32_t>> batch, std::size_t past) const {
    for (std::size_t b = 0; b < batch.size(); ++b) {
        if (batch[b].empty() && past == 0)
            throw Error(ErrorKind::invalid_input, fmt::format("{}: sequence {} of the batch is empty", dir_.string(), b));
        for (auto id : batch[b])
            if (id < 0 || static_cast<std::size_t>(id) >= config_.vocab_size)
                throw Error(ErrorKind::invalid_input, fmt::format("{}: token id {} in sequence {} is outside the vocabulary "
                                                                  "[0, {})",
                                                                  dir_.string(), id, b, config_.vocab_size));
    }
}

void Model::forward_hidden(std::span<const std::vector<std::int32_t>> batch, const RowsCallback& on_hidden) {
    const BlasOnCallingThread blas(products_on_openmp());
    check_batch(batch);
    if (batch.empty()) return;
    const PackedBatch packed = pack(batch);
    std::vector<float> hidden(packed.rows() * config_.hidden_size);  // (N, C)
    network_->forward(packed, nullptr, hidden.data());
    for (std::size_t b = 0; b < packed.size(); ++b)
        on_hidden(b, hidden.data() + packed.begin(b) * config_.hidden_size, packed.length(b));
}

void Model::forward_logits(std::span<const std::vector<std::int32_t>> batch, const RowsCallback& on_logits) {
    const BlasOnCallingThread blas(products_on_openmp());
    if (!network_->has_head())
        throw Error(ErrorKind::unsupported, fmt::format("{}: {} checkpoint has no LM head (architecture '{}')", dir_.string(),
                                                        config_.model_type, config_.architecture));
    check_batch(batch);
    if (batch.empty()) return;
    const PackedBatch packed = pack(batch);
    std::vector<float> hidden(packed.rows() * config_.hidden_size);  // (N, C)
    network_->forward(packed, nullptr, hidden.data());
    // One sequence's logits at a time: (length, vocab), never (B, T, vocab).
    std::size_t longest = 0;
    for (std::size_t b = 0; b < packed.size(); ++b) longest = std::max(longest, packed.length(b));
    std::vector<float> logits(longest * config_.vocab_size);
    for (std::size_t b = 0; b < packed.size(); ++b) {
        network_->head(hidden.data() + packed.begin(b) * config_.hidden_size, packed.length(b), logits.data());
        on_logits(b, logits.data(), packed.length(b));
    }
}

void Model::forward_logits_at(std::span<const std::vector<std::int32_t>> batch,
                              std::span<const std::vector<std::size_t>> positions, const RowsCallback& on_logits) {
    const BlasOnCallingThread blas(products_on_openmp());
    if (!network_->has_head())
        throw Error(ErrorKind::unsupported, fmt::format("{}: {} checkpoint has no LM head (architecture '{}')", dir_.string(),
                                                        config_.model_type, config_.architecture));
    if (positions.size() != batch.size()) throw Error(ErrorKind::internal, "forward_logits_at: one position list per sequence");
    check_batch(batch);
    if (batch.empty()) return;
    const PackedBatch packed = pack(batch);
    const std::size_t c = config_.hidden_size;
    std::vector<float> hidden(packed.rows() * c);  // (N, C)
    network_->forward(packed, nullptr, hidden.data());
    std::vector<float> rows, logits;
    for (std::size_t b = 0; b < packed.size(); ++b) {
        const auto& at = positions[b];
        rows.resize(at.size() * c);
        for (std::size_t i = 0; i < at.size(); ++i) {
            if (at[i] >= packed.length(b)) throw Error(ErrorKind::internal, "forward_logits_at: position outside its sequence");
            std::copy_n(hidden.data() + (packed.begin(b) + at[i]) * c, c, rows.data() + i * c);
        }
        logits.resize(at.size() * config_.vocab_size);
        if (!at.empty()) network_->head(rows.data(), at.size(), logits.data());
        on_logits(b, logits.data(), at.size());
    }
}

std::unique_ptr<Session> Model::start_session() {
    if (config_.kind != ModelKind::decoder)
        throw Error(ErrorKind::unsupported,
                    fmt::format("{}: {} is an encoder; generation needs a decoder", dir_.string(), config_.model_type));
    if (!network_->has_head())
        throw Error(ErrorKind::unsupported, fmt::format("{}: checkpoint has no LM head (architecture '{}')", dir_.string(),
                                                        config_.architecture));
    return std::unique_ptr<Session>(new Session(*this));
}

Session::Session(Model& model) : model_(model), cache_(model.network_->make_cache()) {}
Session::~Session() = default;

std::size_t Session::length() const { return cache_->length; }

const std::vector<float>& Session::append(std::span<const std::int32_t> ids) {
    const BlasOnCallingThread blas(model_.products_on_openmp());
    if (ids.empty()) {
        if (logits_.empty())
            throw Error(ErrorKind::invalid_input, fmt::format("{}: nothing to run: no tokens appended", model_.dir_.string()));
        return logits_;
    }
    const std::vector<std::int32_t> seq(ids.begin(), ids.end());
    model_.check_batch(std::span(&seq, 1), cache_->length);
    PackedBatch packed;
    packed.ids = seq;
    packed.offsets = {0, seq.size()};
    const std::size_t c = model_.config_.hidden_size;
    std::vector<float> hidden(seq.size() * c);  // (n, C)
    model_.network_->forward(packed, cache_.get(), hidden.data());
    logits_.resize(model_.config_.vocab_size);
    model_.network_->head(hidden.data() + (seq.size() - 1) * c, 1, logits_.data());
    return logits_;
}

void Session::branch_logits(std::span<const std::vector<std::int32_t>> continuations, const Model::RowsCallback& on_logits) {
    const BlasOnCallingThread blas(model_.products_on_openmp());
    if (cache_->length == 0)
        throw Error(ErrorKind::invalid_input, fmt::format("{}: branching needs appended tokens", model_.dir_.string()));
    model_.check_batch(continuations, cache_->length);
    for (const auto& c : continuations)
        if (c.empty()) throw Error(ErrorKind::invalid_input, fmt::format("{}: an empty continuation", model_.dir_.string()));
    if (continuations.empty()) return;
    const PackedBatch packed = pack(continuations);
    const std::size_t c = model_.config_.hidden_size, vocab = model_.config_.vocab_size;
    std::vector<float> hidden(packed.rows() * c);  // (N, C)
    struct Shared {
        KvCache& cache;
        explicit Shared(KvCache& k) : cache(k) { cache.shared_prefix = true; }
        ~Shared() { cache.shared_prefix = false; }
    } shared(*cache_);
    model_.network_->forward(packed, cache_.get(), hidden.data());
    std::size_t longest = 0;
    for (std::size_t b = 0; b < packed.size(); ++b) longest = std::max(longest, packed.length(b));
    std::vector<float> logits(longest * vocab);
    for (std::size_t b = 0; b < packed.size(); ++b) {
        model_.network_->head(hidden.data() + packed.begin(b) * c, packed.length(b), logits.data());
        on_logits(b, logits.data(), packed.length(b));
    }
}

std::vector<std::int32_t> generate_greedy(Model& model, std::span<const std::int32_t> prompt_ids, std::size_t max_new_tokens,
                                          std::span<const std::int32_t> stop_ids, const TokenCallback& on_token) {
    std::vector<std::int32_t> out;
    if (max_new_tokens == 0) return out;
    if (prompt_ids.empty())
        throw Error(ErrorKind::invalid_input, fmt::format("{}: generation needs at least one prompt token", model.dir().string()));
    auto session = model.start_session();
    const std::vector<float>* logits = &session->append(prompt_ids);
    while (true) {
        const auto next = static_cast<std::int32_t>(ops::argmax(logits->data(), logits->size()));
        out.push_back(next);
        if (on_token && !on_token(next, std::span<const float>(*logits))) break;
        if (out.size() == max_new_tokens || std::find(stop_ids.begin(), stop_ids.end(), next) != stop_ids.end()) break;
        logits = &session->append(std::span(&next, 1));
    }
    return out;
}

std::vector<std::int32_t> generate_greedy(Model& model, std::span<const std::int32_t> prompt_ids, std::size_t max_new_tokens,
                                          std::optional<std::int32_t> eos) {
    std::vector<std::int32_t> stop;
    if (eos) stop.push_back(*eos);
    return generate_greedy(model, prompt_ids, max_new_tokens, stop, {});
}

}  // namespace hubbench::engine
