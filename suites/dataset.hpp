// Datasets the suites read: a file bundled under assets/datasets (checked against its sha256) or
// any path the user names, and the parsers for the two formats the suites use.
#pragma once
#include <cstddef>
#include <cstdint>
#include <map>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "hub/hash.hpp"

namespace hubbench::suites {

// Where a dataset comes from: `bundled` is relative to <assets>/datasets (core/fs.hpp
// assets_dir()); otherwise `path`. A non-empty sha256 must match the file's contents.
struct DatasetRef {
    std::string bundled{};
    std::filesystem::path path{};
    std::string sha256{};

    bool empty() const { return bundled.empty() && path.empty(); }
    std::filesystem::path resolve() const;
};

struct Dataset {
    std::string name;                 // the bundled name or the file (or folder) name
    std::filesystem::path path;
    std::string sha256;               // of the contents, always computed
    std::string text;                 // the whole file, bytes as stored (empty for a folder)
    // A folder dataset (BEIR retrieval sets): every regular file under it by relative path
    // ("qrels/test.tsv"), bytes as stored. Its sha256 is that of the lines "<sha256>  <path>\n" of
    // its files in path order (sha256sum's format), so renaming or changing any file changes it.
    std::map<std::string, std::string> files;
    std::uint64_t bytes = 0;          // of the file, or of every file of the folder

    bool is_folder() const { return !files.empty(); }
};

// Reads the file (or every file of the folder) and checks its sha256; Error(not_found) names a
// missing file and Error(invalid_input) a mismatch, with both hashes.
Dataset load_dataset(const DatasetRef& ref);

// The content hash datasets are checked with (hub/hash.hpp), under the name suites users know.
using hub::sha256_hex;

// The lines pseudo-perplexity scores (docs/references.md "pppl"): every line of `text` stripped of
// ASCII whitespace, kept when non-empty and not a "=" heading, the first `limit` of them
// (0 = all).
std::vector<std::string> scored_lines(std::string_view text, std::size_t limit);

// One STS Benchmark pair: gold similarity (0..5) and the two sentences.
struct StsPair {
    double score = 0.0;
    std::string first;
    std::string second;
};

// STS-B's tab-separated format: genre, file, year, id, score (column 5), sentence 1 (6),
// sentence 2 (7), and on some lines extra columns that are ignored. No quoting. Blank lines and a
// header row (first line without a numeric score) are skipped; a short line or a bad score is
// Error(invalid_input) naming `source` and the line.
std::vector<StsPair> parse_sts(std::string_view text, const std::string& source);

}  // namespace hubbench::suites
