#include "hub/names.hpp"

#include "core/error.hpp"

namespace hubbench::hub {
namespace {

bool is_name_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
           c == '.';
}

bool is_valid_repo_part(std::string_view part) {
    if (part.empty() || part.size() > 96) return false;
    for (char c : part) {
        if (!is_name_char(c)) return false;
    }
    // The regex's \b word boundaries: the name starts and ends with a word character.
    auto word = [](char c) { return c != '-' && c != '.'; };
    return word(part.front()) && word(part.back());
}

bool is_lower_hex(std::string_view s, std::size_t length) {
    if (s.size() != length) return false;
    for (char c : s) {
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
    }
    return true;
}

// Shared by revisions and repo paths: '/'-separated, no empty, "." or ".." segment.
bool is_clean_relative(std::string_view s) {
    if (s.empty() || s.front() == '/' || s.back() == '/') return false;
    std::size_t start = 0;
    while (start <= s.size()) {
        std::size_t end = s.find('/', start);
        if (end == std::string_view::npos) end = s.size();
        std::string_view seg = s.substr(start, end - start);
        if (seg.empty() || seg == "." || seg == "..") return false;
        start = end + 1;
    }
    for (unsigned char c : s) {
        if (c < 0x20 || c == 0x7f || c == '\\') return false;
    }
    return true;
}

}  // namespace

bool is_valid_repo_id(std::string_view repo_id) noexcept {
    if (repo_id.empty() || repo_id.find("--") != std::string_view::npos ||
        repo_id.find("..") != std::string_view::npos) {
        return false;
    }
    if (repo_id.size() >= 4 && repo_id.substr(repo_id.size() - 4) == ".git") return false;
    auto slash = repo_id.find('/');
    if (slash == std::string_view::npos) return is_valid_repo_part(repo_id);
    return is_valid_repo_part(repo_id.substr(0, slash)) && is_valid_repo_part(repo_id.substr(slash + 1));
}

void validate_repo_id(std::string_view repo_id) {
    if (!is_valid_repo_id(repo_id)) {
        throw Error(ErrorKind::invalid_input,
                    "'" + std::string(repo_id) +
                        "' is not a valid repo id (expected 'name' or 'org/name' with letters, digits, '-', '_', '.'; "
                        "no '..' or '--')");
    }
}

bool is_valid_revision(std::string_view revision) noexcept {
    return revision.size() <= 256 && is_clean_relative(revision);
}

void validate_revision(std::string_view revision) {
    if (!is_valid_revision(revision)) {
        throw Error(ErrorKind::invalid_input, "'" + std::string(revision) + "' is not a valid revision");
    }
}

bool is_valid_repo_path(std::string_view path) noexcept { return path.size() <= 4096 && is_clean_relative(path); }

void validate_repo_path(std::string_view path, std::string_view what) {
    if (!is_valid_repo_path(path)) {
        std::string where = what.empty() ? "" : " in " + std::string(what);
        throw Error(ErrorKind::invalid_input,
                    "unsafe file name '" + std::string(path) + "'" + where + ": it would escape the repo folder");
    }
}

bool is_commit_sha(std::string_view s) noexcept { return is_lower_hex(s, 40); }
bool is_sha256_hex(std::string_view s) noexcept { return is_lower_hex(s, 64); }
bool is_blob_etag(std::string_view s) noexcept { return is_lower_hex(s, 40) || is_lower_hex(s, 64); }

std::string url_quote(std::string_view s, std::string_view safe) {
    static const char* hex = "0123456789ABCDEF";
    std::string out;
    out.reserve(s.size());
    for (unsigned char c : s) {
        bool keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
                    c == '.' || c == '-' || c == '~' || safe.find(static_cast<char>(c)) != std::string_view::npos;
        if (keep) {
            out.push_back(static_cast<char>(c));
        } else {
            out.push_back('%');
            out.push_back(hex[c >> 4]);
            out.push_back(hex[c & 15]);
        }
    }
    return out;
}

bool url_unquote(std::string_view s, std::string& out) {
    out.clear();
    auto value = [](char c) -> int {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        return -1;
    };
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] != '%') {
            out.push_back(s[i]);
            continue;
        }
        if (i + 2 >= s.size()) return false;
        int hi = value(s[i + 1]);
        int lo = value(s[i + 2]);
        if (hi < 0 || lo < 0) return false;
        out.push_back(static_cast<char>(hi * 16 + lo));
        i += 2;
    }
    return true;
}

bool glob_match(std::string_view pattern, std::string_view text) noexcept {
    // Iterative matcher with backtracking to the last '*' (fnmatch translates '*' to '.*').
    std::size_t p = 0, t = 0, star_p = std::string_view::npos, star_t = 0;
    auto match_class = [&](std::size_t& pi, char c) -> int {  // -1: malformed (treat '[' literally)
        std::size_t i = pi + 1;
        bool negate = false;
        if (i < pattern.size() && (pattern[i] == '!' || pattern[i] == '^')) {
            negate = true;
            ++i;
        }
        bool matched = false;
        bool first = true;
        while (i < pattern.size() && (first || pattern[i] != ']')) {
            first = false;
            char lo = pattern[i];
            if (i + 2 < pattern.size() && pattern[i + 1] == '-' && pattern[i + 2] != ']') {
                char hi = pattern[i + 2];
                if (c >= lo && c <= hi) matched = true;
                i += 3;
            } else {
                if (c == lo) matched = true;
                ++i;
            }
        }
        if (i >= pattern.size()) return -1;
        pi = i + 1;
        return matched != negate ? 1 : 0;
    };
    while (t < text.size()) {
        if (p < pattern.size() && pattern[p] == '*') {
            star_p = p++;
            star_t = t;
            continue;
        }
        if (p < pattern.size()) {
            if (pattern[p] == '?') {
                ++p;
                ++t;
                continue;
            }
            if (pattern[p] == '[') {
                std::size_t next = p;
                int r = match_class(next, text[t]);
                if (r == 1) {
                    p = next;
                    ++t;
                    continue;
                }
                if (r == -1 && text[t] == '[') {
                    ++p;
                    ++t;
                    continue;
                }
            } else if (pattern[p] == text[t]) {
                ++p;
                ++t;
                continue;
            }
        }
        if (star_p == std::string_view::npos) return false;
        p = star_p + 1;
        t = ++star_t;
    }
    while (p < pattern.size() && pattern[p] == '*') ++p;
    return p == pattern.size();
}

RepoSpec parse_repo_spec(std::string_view spec) {
    RepoSpec out;
    auto at = spec.find('@');
    out.repo_id = std::string(spec.substr(0, at));
    if (at != std::string_view::npos) {
        out.revision = std::string(spec.substr(at + 1));
        if (out.revision.empty()) throw Error(ErrorKind::invalid_input, "'" + std::string(spec) + "': empty revision after '@'");
        validate_revision(out.revision);
    }
    validate_repo_id(out.repo_id);
    return out;
}

}  // namespace hubbench::hub
