// Names that cross a trust boundary: repo ids, revisions and file paths typed by users or sent by
// a server. Everything here is checked before it becomes part of a URL or a path in the cache, so
// a hostile name ("../../etc/passwd", "/abs", "a/../../b") is rejected on both the client and the
// mirror. Also URL quoting as huggingface_hub does it, and fnmatch-style globs.
#pragma once
#include <string>
#include <string_view>

namespace hubbench::hub {

// "name" or "namespace/name": [A-Za-z0-9._-], 1..96 characters per part, not starting or ending
// with '-' or '.', no "--" or "..", not ending in ".git" (huggingface_hub utils/_validators.py
// validate_repo_id). Throws Error(invalid_input) naming the id.
void validate_repo_id(std::string_view repo_id);
bool is_valid_repo_id(std::string_view repo_id) noexcept;

// A branch, tag, "refs/pr/N" or commit: non-empty '/'-separated segments, none "." or "..", no
// control characters, backslashes or leading '/'. Throws Error(invalid_input).
void validate_revision(std::string_view revision);
bool is_valid_revision(std::string_view revision) noexcept;

// A file path inside a repo: relative, '/'-separated, no empty, "." or ".." segment, no
// backslash or control character. Throws Error(invalid_input) naming `what` (e.g. the repo).
void validate_repo_path(std::string_view path, std::string_view what = "");
bool is_valid_repo_path(std::string_view path) noexcept;

bool is_commit_sha(std::string_view s) noexcept;  // 40 lowercase hex digits
bool is_sha256_hex(std::string_view s) noexcept;  // 64 lowercase hex digits
// A cache blob name: a git SHA-1 or a SHA-256 (lowercase hex).
bool is_blob_etag(std::string_view s) noexcept;

// urllib.parse.quote: letters, digits and "_.-~" stay, as do the characters in `safe`; every other
// byte becomes %XX (upper-case hex).
std::string url_quote(std::string_view s, std::string_view safe = "/");
// %XX decoding ('+' stays '+'); returns false on a malformed escape.
bool url_unquote(std::string_view s, std::string& out);

// fnmatch.fnmatch semantics as snapshot_download's allow/ignore patterns use them: '*' matches
// any run of characters including '/', '?' one character, "[abc]" / "[!abc]" / "[a-z]" a class.
bool glob_match(std::string_view pattern, std::string_view text) noexcept;

// "org/name[@revision]" → parts; revision empty when absent. Throws Error(invalid_input).
struct RepoSpec {
    std::string repo_id;
    std::string revision;
};
RepoSpec parse_repo_spec(std::string_view spec);

}  // namespace hubbench::hub
