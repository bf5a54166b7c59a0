#include "engine/architectures.hpp"

#include <algorithm>

#include "engine/network.hpp"

namespace hubbench::engine {

const std::vector<Architecture>& architectures() {
    // model_type(s)            kind                config reader           network factory
    static const std::vector<Architecture> rows{
        {{"gpt2"},                ModelKind::decoder, read_gpt2_config,       make_gpt2},
        {{"gpt_neox"},            ModelKind::decoder, read_gpt_neox_config,   make_gpt_neox},
        {{"llama", "mistral"},    ModelKind::decoder, read_llama_config,      make_llama},
        {{"opt"},                 ModelKind::decoder, read_opt_config,        make_opt},
        {{"phi3"},                ModelKind::decoder, read_phi3_config,       make_phi3},
        {{"qwen2"},               ModelKind::decoder, read_qwen2_config,      make_qwen2},
        {{"qwen3"},               ModelKind::decoder, read_qwen3_config,      make_qwen3},
        {{"gemma2"},              ModelKind::decoder, read_gemma2_config,     make_gemma2},
        {{"gemma3_text"},         ModelKind::decoder, read_gemma3_config,     make_gemma3},
        {{"bert"},                ModelKind::encoder, read_bert_config,       make_bert},
        {{"deberta-v2"},          ModelKind::encoder, read_deberta_v2_config, make_deberta_v2},
        {{"distilbert"},          ModelKind::encoder, read_distilbert_config, make_distilbert},
        {{"modernbert"},          ModelKind::encoder, read_modernbert_config, make_modernbert},
        {{"mpnet"},               ModelKind::encoder, read_mpnet_config,      make_mpnet},
        {{"roberta"},             ModelKind::encoder, read_roberta_config,    make_roberta},
        {{"xlm-roberta"},         ModelKind::encoder, read_roberta_config,    make_xlm_roberta},
    };
    return rows;
}

const Architecture* find_architecture(std::string_view model_type) {
    for (const auto& a : architectures())
        if (std::find(a.model_types.begin(), a.model_types.end(), model_type) != a.model_types.end()) return &a;
    return nullptr;
}

}  // namespace hubbench::engine
