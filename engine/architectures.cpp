#include "engine/architectures.hpp"

#include <algorithm>

#include "engine/network.hpp"

namespace hubbench::engine {

const std::vector<Architecture>& architectures() {
    // model_type(s)                 kind                 config reader        network factory
    static const std::vector<Architecture> rows{
        {{"gpt2"},                   ModelKind::decoder,  read_gpt2_config,    make_gpt2},
        {{"llama", "mistral"},       ModelKind::decoder,  read_llama_config,   make_llama},
        {{"qwen2"},                  ModelKind::decoder,  read_qwen2_config,   make_qwen2},
        {{"qwen3"},                  ModelKind::decoder,  read_qwen3_config,   make_qwen3},
        {{"bert"},                   ModelKind::encoder,  read_bert_config,    make_bert},
        {{"roberta"},                ModelKind::encoder,  read_roberta_config, make_roberta},
        {{"xlm-roberta"},            ModelKind::encoder,  read_roberta_config, make_xlm_roberta},
    };
    return rows;
}

const Architecture* find_architecture(std::string_view model_type) {
    for (const auto& a : architectures())
        if (std::find(a.model_types.begin(), a.model_types.end(), model_type) != a.model_types.end()) return &a;
    return nullptr;
}

}  // namespace hubbench::engine
