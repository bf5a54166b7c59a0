#include "tokenizer/regex.hpp"

#include <oniguruma.h>

#include <mutex>

#include "core/error.hpp"

namespace hubbench::tokenizer {

namespace {

void initialize_oniguruma() {
    static std::once_flag once;
    std::call_once(once, [] {
        OnigEncoding encodings[] = {ONIG_ENCODING_UTF8};
        onig_initialize(encodings, 1);
    });
}

// One match region per thread, reused by every search on that thread.
struct ThreadRegion {
    OnigRegion* region = onig_region_new();
    ~ThreadRegion() { onig_region_free(region, 1); }
};

OnigRegion* thread_region() {
    thread_local ThreadRegion holder;
    return holder.region;
}

}  // namespace

struct Regex::Compiled {
    regex_t* regex = nullptr;
    ~Compiled() {
        if (regex != nullptr) onig_free(regex);
    }
};

Regex::Regex(std::string_view pattern, const std::string& where) : pattern_(pattern), compiled_(std::make_unique<Compiled>()) {
    initialize_oniguruma();
    OnigErrorInfo info;
    const auto* begin = reinterpret_cast<const OnigUChar*>(pattern_.data());
    int r = onig_new(&compiled_->regex, begin, begin + pattern_.size(), ONIG_OPTION_NONE, ONIG_ENCODING_UTF8,
                     ONIG_SYNTAX_DEFAULT, &info);
    if (r != ONIG_NORMAL) {
        OnigUChar message[ONIG_MAX_ERROR_MESSAGE_LEN];
        onig_error_code_to_str(message, r, &info);
        compiled_->regex = nullptr;
        throw Error(ErrorKind::invalid_input, where + ": invalid regex '" + pattern_ + "': " +
                                                  reinterpret_cast<const char*>(message));
    }
}

Regex::~Regex() = default;

bool Regex::search(std::string_view text, std::size_t from, std::size_t& start, std::size_t& end) const {
    OnigRegion* region = thread_region();
    onig_region_clear(region);
    const auto* begin = reinterpret_cast<const OnigUChar*>(text.data());
    const auto* stop = begin + text.size();
    int r = onig_search(compiled_->regex, begin, stop, begin + from, stop, region, ONIG_OPTION_NONE);
    // A mismatch or a search error (e.g. a retry limit) ends the iteration, as in the onig crate.
    if (r < 0) return false;
    start = static_cast<std::size_t>(region->beg[0]);
    end = static_cast<std::size_t>(region->end[0]);
    return true;
}

std::vector<Match> Regex::find_matches(std::string_view text) const {
    std::vector<Match> matches;
    if (text.empty()) {
        matches.push_back({0, 0, false});
        return matches;
    }
    std::size_t prev = 0;
    for_each_match(text, [&](std::size_t s, std::size_t e) {
        if (prev != s) matches.push_back({prev, s, false});
        matches.push_back({s, e, true});
        prev = e;
    });
    if (prev != text.size()) matches.push_back({prev, text.size(), false});
    return matches;
}

std::string escape_regex(std::string_view literal) {
    // The characters regex::escape escapes; a backslash before them is a literal in Oniguruma too.
    static constexpr std::string_view meta = "\\.+*?()|[]{}^$#&-~";
    std::string out;
    out.reserve(literal.size() * 2);
    for (char c : literal) {
        if (meta.find(c) != std::string_view::npos) out.push_back('\\');
        out.push_back(c);
    }
    return out;
}

}  // namespace hubbench::tokenizer
