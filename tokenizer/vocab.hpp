// A token <-> id table with string_view lookups, shared by the models.
#pragma once
#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace hubbench::tokenizer {

struct StringHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
};

using TokenIdMap = std::unordered_map<std::string, std::int32_t, StringHash, std::equal_to<>>;

class Vocab {
public:
    Vocab() = default;
    // {"token": id, ...}; ids must be integers in [0, 2^31). Later duplicates win, as in serde.
    static Vocab from_json_object(const nlohmann::json& object, const std::string& where);

    void add(std::string token, std::int32_t id);

    std::optional<std::int32_t> find(std::string_view token) const {
        auto it = ids_.find(token);
        if (it == ids_.end()) return std::nullopt;
        return it->second;
    }
    std::optional<std::string_view> token(std::int32_t id) const {
        if (id < 0) return std::nullopt;
        auto index = static_cast<std::size_t>(id);
        if (index < tokens_.size()) {
            if (!present_[index]) return std::nullopt;
            return std::string_view(tokens_[index]);
        }
        auto it = sparse_.find(id);
        if (it == sparse_.end()) return std::nullopt;
        return std::string_view(it->second);
    }
    template <typename F>
    void for_each(F&& f) const {
        for (const auto& [token, id] : ids_) f(std::string_view(token));
    }

    // Number of distinct tokens (HashMap::len in tokenizers).
    std::size_t size() const { return ids_.size(); }

private:
    TokenIdMap ids_;
    std::vector<std::string> tokens_;  // by id; the reverse map keeps the last token given an id
    std::vector<bool> present_;
    std::unordered_map<std::int32_t, std::string> sparse_;  // ids beyond kDenseLimit
    static constexpr std::size_t kDenseLimit = std::size_t{1} << 20;
};

}  // namespace hubbench::tokenizer
