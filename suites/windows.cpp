#include "suites/windows.hpp"

#include <algorithm>
#include <map>
#include <string>
#include <tuple>

#include "core/error.hpp"

namespace hubbench::suites {

std::vector<Window> rolling_windows(std::size_t n_tokens, std::size_t max_length, std::size_t stride) {
    if (max_length == 0 || stride == 0 || stride > max_length) {
        throw Error(ErrorKind::usage, "stride must be between 1 and max-length (" + std::to_string(max_length) +
                                          "), got " + std::to_string(stride));
    }
    std::vector<Window> windows;
    std::size_t previous_end = 0;
    for (std::size_t begin = 0; begin < n_tokens; begin += stride) {
        const std::size_t end = std::min(begin + max_length, n_tokens);
        windows.push_back({begin, end, std::max(begin + 1, previous_end), false});
        previous_end = end;
        if (end == n_tokens) break;
    }
    return windows;
}

std::vector<Window> llama_cpp_chunks(std::size_t n_tokens, std::size_t n_ctx, bool bos_first) {
    if (n_ctx < 2) throw Error(ErrorKind::usage, "llama.cpp convention needs a context of at least 2 tokens");
    if (n_tokens < 2 * n_ctx) {
        throw Error(ErrorKind::invalid_input, "llama.cpp convention needs at least 2 × " + std::to_string(n_ctx) +
                                                  " tokens; the dataset has " + std::to_string(n_tokens));
    }
    std::vector<Window> chunks;
    const std::size_t first = n_ctx / 2;
    for (std::size_t i = 0; i < n_tokens / n_ctx; ++i) {
        const std::size_t begin = i * n_ctx;
        chunks.push_back({begin, begin + n_ctx, begin + first + 1, bos_first});
    }
    return chunks;
}

SharedWindows share_windows(const std::vector<std::vector<Window>>& variants) {
    SharedWindows shared;
    // Key (begin, end, bos_first) -> index into inputs.
    std::map<std::tuple<std::size_t, std::size_t, bool>, std::size_t> index;
    for (const auto& variant : variants) {
        for (const auto& w : variant) {
            auto key = std::make_tuple(w.begin, w.end, w.bos_first);
            auto it = index.find(key);
            if (it == index.end()) {
                index.emplace(key, 0);
                shared.inputs.push_back(w);
            }
        }
    }
    std::sort(shared.inputs.begin(), shared.inputs.end(), [](const Window& a, const Window& b) {
        return std::tie(a.begin, a.end, a.bos_first) < std::tie(b.begin, b.end, b.bos_first);
    });
    for (std::size_t i = 0; i < shared.inputs.size(); ++i) {
        const auto& w = shared.inputs[i];
        index[std::make_tuple(w.begin, w.end, w.bos_first)] = i;
    }
    shared.users.resize(shared.inputs.size());
    for (std::size_t v = 0; v < variants.size(); ++v) {
        for (const auto& w : variants[v]) {
            std::size_t i = index.at(std::make_tuple(w.begin, w.end, w.bos_first));
            shared.inputs[i].score_from = std::min(shared.inputs[i].score_from, w.score_from);
            shared.users[i].emplace_back(v, w.score_from);
        }
    }
    return shared;
}

}  // namespace hubbench::suites
