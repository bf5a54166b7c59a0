// How a model scores the candidate answers of an item, shared by the classification and
// multiple-choice tasks (docs/references.md "Scoring choices"):
//
// - a decoder, by the log-likelihood of each continuation after a context, as
//   lm-evaluation-harness 0.4's HF backend computes it (lm_eval/api/model.py _encode_pair,
//   lm_eval/models/huggingface.py tok_encode and _loglikelihood_tokens; tools/references/README.md
//   has the line-by-line account): the context's trailing whitespace moves onto the continuation;
//   ctx = encode(context), whole = encode(context + continuation), both with the tokenizer's
//   default special tokens (LLaMA's <s>) unless the text starts with the prefix token's text; the
//   scored tokens are whole[len(ctx):], each conditioned on ctx and the scored tokens before it;
//   each choice keeps its last L + 1 tokens (left truncation); an empty context is the prefix
//   token (BOS, else EOS);
// - a masked LM filling a cloze template (PET, Schick & Schütze 2021): the mean log-probability of
//   the verbalizer's tokens at as many mask positions as it has tokens;
// - a masked LM scoring a filled-in text by its pseudo-log-likelihood (Salazar et al. 2020): every
//   non-special token masked in turn.
#pragma once
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "adapters/adapter.hpp"
#include "suites/text.hpp"  // count_code_points: lm-eval's acc_norm length

namespace hubbench::suites {

struct ChoiceScore {
    double logprob = 0.0;     // summed log-probability (natural log)
    std::size_t tokens = 0;   // tokens scored
};

// One item's context and its candidate continuations.
struct ChoiceItem {
    std::string context;
    std::vector<std::string> continuations;
};

// Decoders: the log-likelihood of every continuation of every item, in one call so the adapter can
// batch across items.
std::vector<std::vector<ChoiceScore>> continuation_scores(adapters::Adapter& adapter, const std::vector<ChoiceItem>& items);

// Masked LMs, cloze: `template_text` holds "{mask}" once and no other placeholder; for each
// verbalizer (encoded without special tokens, as given) the text with {mask} replaced by as many
// mask tokens as it has tokens, encoded with special tokens. The score is the mean log-probability
// of its tokens at the masks; `tokens` their count. Error(invalid_input) when the text is longer
// than the model accepts, naming the item.
std::vector<ChoiceScore> cloze_scores(adapters::Adapter& adapter, const std::string& before_mask,
                                      const std::string& after_mask, const std::vector<std::string>& verbalizers);

// Masked LMs: the pseudo-log-likelihood of each text (special tokens added; every non-special
// position masked in turn), `batch_size` masked copies per forward pass. Texts longer than the
// model accepts keep their first tokens.
std::vector<ChoiceScore> pseudo_log_likelihoods(adapters::Adapter& adapter, const std::vector<std::string>& texts,
                                                std::size_t batch_size);

}  // namespace hubbench::suites
