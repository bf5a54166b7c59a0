#include "suites/choice_scoring.hpp"

#include <algorithm>
#include <map>

#include "adapters/truncate.hpp"
#include "core/error.hpp"
#include "core/interrupt.hpp"
#include "suites/text.hpp"

namespace hubbench::suites {
namespace {

// lm-eval's prefix token for an empty context: BOS when the vocabulary has one, else EOS
// (HFLM.prefix_token_id).
std::int32_t prefix_token(const adapters::Adapter& adapter) {
    const auto special = adapter.special_ids();
    if (special.bos) return *special.bos;
    if (special.eos) return *special.eos;
    throw Error(ErrorKind::unsupported, adapter.info().id + ": an empty context needs a BOS or EOS token to start from");
}

std::int32_t mask_token(const adapters::Adapter& adapter) {
    const auto mask = adapter.special_ids().mask;
    if (!mask) throw Error(ErrorKind::unsupported, adapter.info().id + "'s tokenizer has no mask token");
    return *mask;
}

}  // namespace

std::vector<std::vector<ChoiceScore>> continuation_scores(adapters::Adapter& adapter, const std::vector<ChoiceItem>& items) {
    adapter.require(adapters::Capability::causal_lm);
    const std::size_t limit = adapter.info().max_length;
    const std::int32_t prefix = prefix_token(adapter);
    const std::string prefix_text = adapter.token_text(prefix);
    // HFLM.tok_encode: the tokenizer's default special tokens, except for a string that already
    // starts with the prefix token's text.
    auto encode = [&](const std::string& text) {
        const bool starts_with_prefix = !prefix_text.empty() && text.rfind(prefix_text, 0) == 0;
        return adapter.encode(text, !starts_with_prefix).ids;
    };
    std::vector<adapters::ContinuationRequest> requests;
    std::vector<std::vector<std::pair<std::size_t, std::size_t>>> where(items.size());  // (request, continuation)
    for (std::size_t i = 0; i < items.size(); ++i) {
        const ChoiceItem& item = items[i];
        std::vector<std::int32_t> context;
        std::vector<std::vector<std::int32_t>> scored;
        if (item.context.empty()) {
            // api/model.py loglikelihood: the prefix token is the context of an empty one.
            context = {prefix};
            for (const auto& c : item.continuations) {
                auto ids = adapter.encode(c, false).ids;
                if (!ids.empty() && ids.front() == prefix) ids.erase(ids.begin());
                scored.push_back(std::move(ids));
            }
        } else {
            // _encode_pair: every trailing whitespace character moves onto the continuation.
            const std::size_t kept = rstrip_length(item.context);
            const std::string stem = item.context.substr(0, kept), moved = item.context.substr(kept);
            context = encode(stem);
            for (const auto& c : item.continuations) {
                const auto whole = encode(stem + moved + c);
                const std::size_t shared = std::min(context.size(), whole.size());
                scored.emplace_back(whole.begin() + static_cast<std::ptrdiff_t>(shared), whole.end());
            }
        }
        for (std::size_t c = 0; c < scored.size(); ++c) {
            if (scored[c].empty()) throw Error(ErrorKind::invalid_input, "the continuation '" + item.continuations[c] + "' adds no token after its context");
            if (context.empty()) throw Error(ErrorKind::invalid_input, "the context '" + item.context + "' gives no token");
        }
        // _loglikelihood_tokens feeds (ctx + cont)[-(L+1):][:-1]: each choice keeps L + 1 tokens,
        // the last only a target. When no choice needs truncating, all share one context.
        std::size_t longest = 0;
        for (const auto& s : scored) longest = std::max(longest, s.size());
        if (limit == 0 || context.size() + longest <= limit + 1) {
            where[i].reserve(scored.size());
            for (std::size_t c = 0; c < scored.size(); ++c) where[i].emplace_back(requests.size(), c);
            requests.push_back({std::move(context), std::move(scored)});
            continue;
        }
        for (auto& s : scored) {
            if (s.size() > limit) {
                throw Error(ErrorKind::invalid_input, "a continuation of " + std::to_string(s.size()) + " tokens is longer than the " +
                                                          std::to_string(limit) + " positions of " + adapter.info().id);
            }
            const std::size_t keep = std::min(context.size(), limit + 1 - s.size());
            where[i].emplace_back(requests.size(), 0);
            requests.push_back({std::vector<std::int32_t>(context.end() - static_cast<std::ptrdiff_t>(keep), context.end()), {std::move(s)}});
        }
    }
    const auto logprobs = adapter.continuation_logprobs(requests);
    std::vector<std::vector<ChoiceScore>> scores(items.size());
    for (std::size_t i = 0; i < items.size(); ++i) {
        for (const auto& [r, c] : where[i]) {
            ChoiceScore s;
            for (double x : logprobs[r][c]) s.logprob += x;
            s.tokens = logprobs[r][c].size();
            scores[i].push_back(s);
        }
    }
    return scores;
}

std::vector<ChoiceScore> cloze_scores(adapters::Adapter& adapter, const std::string& before_mask,
                                      const std::string& after_mask, const std::vector<std::string>& verbalizers) {
    adapter.require(adapters::Capability::masked_lm);
    const std::int32_t mask = mask_token(adapter);
    const std::string mask_text = adapter.token_text(mask);
    const std::size_t limit = adapter.info().max_length;

    // One input per distinct verbalizer length; every verbalizer's tokens are queried at its masks.
    std::map<std::size_t, std::vector<std::int32_t>> inputs;  // length -> ids
    std::map<std::size_t, std::vector<std::size_t>> masks;    // length -> mask positions
    std::vector<std::vector<std::int32_t>> tokens;
    for (const auto& v : verbalizers) {
        tokens.push_back(adapter.encode(v, false).ids);
        const std::size_t m = tokens.back().size();
        if (m == 0) throw Error(ErrorKind::invalid_input, "the verbalizer '" + v + "' has no tokens");
        if (inputs.count(m)) continue;
        std::string masked;
        for (std::size_t j = 0; j < m; ++j) masked += mask_text;
        auto ids = adapter.encode(before_mask + masked + after_mask, true).ids;
        if (limit != 0 && ids.size() > limit) {
            throw Error(ErrorKind::invalid_input, "a cloze input of " + std::to_string(ids.size()) + " tokens exceeds the " +
                                                      std::to_string(limit) + " positions of " + adapter.info().id);
        }
        std::vector<std::size_t> positions;
        for (std::size_t p = 0; p < ids.size(); ++p)
            if (ids[p] == mask) positions.push_back(p);
        if (positions.size() != m) {
            throw Error(ErrorKind::invalid_input, "the cloze text has " + std::to_string(positions.size()) + " mask tokens, expected " +
                                                      std::to_string(m) + " (does the text itself contain " + mask_text + "?)");
        }
        inputs.emplace(m, std::move(ids));
        masks.emplace(m, std::move(positions));
    }
    std::vector<adapters::MaskedQuery> queries;
    for (const auto& t : tokens) {
        const auto& positions = masks.at(t.size());
        for (std::size_t j = 0; j < t.size(); ++j) queries.push_back({inputs.at(t.size()), positions[j], t[j]});
    }
    const auto lp = adapter.masked_logprobs(queries);
    std::vector<ChoiceScore> scores;
    std::size_t next = 0;
    for (const auto& t : tokens) {
        ChoiceScore s;
        for (std::size_t j = 0; j < t.size(); ++j) s.logprob += lp[next++];
        s.tokens = t.size();
        s.logprob /= static_cast<double>(t.size());
        scores.push_back(s);
    }
    return scores;
}

std::vector<ChoiceScore> pseudo_log_likelihoods(adapters::Adapter& adapter, const std::vector<std::string>& texts,
                                                std::size_t batch_size) {
    adapter.require(adapters::Capability::masked_lm);
    const std::int32_t mask = mask_token(adapter);
    const std::size_t limit = adapter.info().max_length;
    std::vector<ChoiceScore> scores(texts.size());
    std::vector<adapters::MaskedQuery> batch;
    std::vector<std::size_t> owner;
    auto flush = [&] {
        if (batch.empty()) return;
        throw_if_interrupted();
        const auto lp = adapter.masked_logprobs(batch);
        for (std::size_t q = 0; q < batch.size(); ++q) {
            scores[owner[q]].logprob += lp[q];
            ++scores[owner[q]].tokens;
        }
        batch.clear();
        owner.clear();
    };
    for (std::size_t t = 0; t < texts.size(); ++t) {
        const auto enc = adapter.encode(texts[t], true);
        std::vector<std::int32_t> ids;
        std::vector<std::uint8_t> special;
        for (std::size_t i : adapters::truncation_indices(enc.special_mask, limit == 0 ? enc.ids.size() : limit)) {
            ids.push_back(enc.ids[i]);
            special.push_back(enc.special_mask[i]);
        }
        for (std::size_t p = 0; p < ids.size(); ++p) {
            if (special[p]) continue;
            adapters::MaskedQuery q{ids, p, ids[p]};
            q.ids[p] = mask;
            batch.push_back(std::move(q));
            owner.push_back(t);
            if (batch.size() >= std::max<std::size_t>(1, batch_size)) flush();
        }
    }
    flush();
    return scores;
}

}  // namespace hubbench::suites
