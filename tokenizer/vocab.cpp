#include "tokenizer/vocab.hpp"

#include "tokenizer/json_util.hpp"

namespace hubbench::tokenizer {

Vocab Vocab::from_json_object(const nlohmann::json& object, const std::string& where) {
    if (!object.is_object()) json_util::fail(where, "field 'vocab' must be an object of token: id");
    Vocab v;
    v.ids_.reserve(object.size());
    for (const auto& [token, id] : object.items()) {
        if (!id.is_number_integer() || id.get<std::int64_t>() < 0 || id.get<std::int64_t>() > INT32_MAX) {
            json_util::fail(where, "vocab id of '" + token + "' must be an integer in [0, 2^31)");
        }
        v.add(token, static_cast<std::int32_t>(id.get<std::int64_t>()));
    }
    return v;
}

void Vocab::add(std::string token, std::int32_t id) {
    auto index = static_cast<std::size_t>(id);
    if (index >= kDenseLimit) {
        sparse_.insert_or_assign(id, token);
        ids_.insert_or_assign(std::move(token), id);
        return;
    }
    if (index >= tokens_.size()) {
        tokens_.resize(index + 1);
        present_.resize(index + 1, false);
    }
    tokens_[index] = token;
    present_[index] = true;
    ids_.insert_or_assign(std::move(token), id);
}

}  // namespace hubbench::tokenizer
