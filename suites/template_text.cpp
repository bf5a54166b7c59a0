#include "suites/template_text.hpp"

#include <algorithm>
#include <cctype>

#include "core/error.hpp"

namespace hubbench::suites {
namespace {

bool identifier(std::string_view s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isalnum(c) != 0 || c == '_'; });
}

}  // namespace

Template Template::parse(std::string_view text, const std::vector<std::string>& names, const std::string& what) {
    Template t;
    t.what_ = what;
    std::string literal;
    std::size_t i = 0;
    while (i < text.size()) {
        if (text[i] == '{') {
            const std::size_t close = text.find('}', i + 1);
            if (close != std::string_view::npos) {
                const std::string_view name = text.substr(i + 1, close - i - 1);
                if (identifier(name)) {
                    if (std::find(names.begin(), names.end(), name) == names.end()) {
                        std::string known;
                        for (const auto& n : names) known += (known.empty() ? "{" : ", {") + n + "}";
                        throw Error(ErrorKind::usage, what + " has an unknown placeholder {" + std::string(name) + "} (known: " + known + ")");
                    }
                    if (!literal.empty()) t.parts_.push_back({std::move(literal), false});
                    literal.clear();
                    t.parts_.push_back({std::string(name), true});
                    i = close + 1;
                    continue;
                }
            }
        }
        literal += text[i++];
    }
    if (!literal.empty()) t.parts_.push_back({std::move(literal), false});
    return t;
}

bool Template::has(const std::string& name) const {
    return std::any_of(parts_.begin(), parts_.end(), [&](const Part& p) { return p.placeholder && p.text == name; });
}

void Template::require(const std::string& name) const {
    if (!has(name)) throw Error(ErrorKind::usage, what_ + " needs {" + name + "}");
}

std::string Template::fill(const std::map<std::string, std::string>& values) const {
    std::string out;
    for (const auto& p : parts_) {
        if (!p.placeholder) {
            out += p.text;
        } else if (auto it = values.find(p.text); it != values.end()) {
            out += it->second;
        }
    }
    return out;
}

std::pair<std::string, std::string> Template::fill_around(const std::string& at, const std::map<std::string, std::string>& values) const {
    std::pair<std::string, std::string> out;
    bool after = false;
    for (const auto& p : parts_) {
        std::string& side = after ? out.second : out.first;
        if (!p.placeholder) {
            side += p.text;
        } else if (p.text == at) {
            if (after) throw Error(ErrorKind::usage, what_ + " has {" + at + "} more than once");
            after = true;
        } else if (auto it = values.find(p.text); it != values.end()) {
            side += it->second;
        }
    }
    if (!after) require(at);
    return out;
}

}  // namespace hubbench::suites
