#include "suites/dataset.hpp"

#include <charconv>
#include <cmath>

#include "core/error.hpp"
#include "core/fs.hpp"
#include "hub/hash.hpp"

namespace hubbench::suites {
namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r'; }

std::string_view strip(std::string_view s) {
    while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
    while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
    return s;
}

std::vector<std::string_view> split(std::string_view s, char sep) {
    std::vector<std::string_view> parts;
    std::size_t start = 0;
    while (true) {
        auto pos = s.find(sep, start);
        parts.push_back(s.substr(start, pos == std::string_view::npos ? std::string_view::npos : pos - start));
        if (pos == std::string_view::npos) break;
        start = pos + 1;
    }
    return parts;
}

}  // namespace

std::filesystem::path DatasetRef::resolve() const {
    if (!bundled.empty()) return assets_dir() / "datasets" / bundled;
    return path;
}

Dataset load_dataset(const DatasetRef& ref) {
    if (ref.empty()) throw Error(ErrorKind::usage, "no dataset given");
    Dataset d;
    d.path = ref.resolve();
    d.name = ref.bundled.empty() ? d.path.lexically_normal().filename().string() : ref.bundled;
    if (d.name.empty()) d.name = d.path.lexically_normal().parent_path().filename().string();
    std::error_code ec;
    if (std::filesystem::is_directory(d.path, ec)) {
        std::string manifest;
        for (const auto& entry : std::filesystem::recursive_directory_iterator(d.path)) {
            if (!entry.is_regular_file()) continue;
            d.files.emplace(entry.path().lexically_relative(d.path).generic_string(), read_file(entry.path()));
        }
        if (d.files.empty()) throw Error(ErrorKind::invalid_input, "dataset folder " + d.path.string() + " has no files");
        for (const auto& [name, contents] : d.files) {  // std::map: path order
            manifest += hub::sha256_hex(contents) + "  " + name + "\n";
            d.bytes += contents.size();
        }
        d.sha256 = hub::sha256_hex(manifest);
    } else {
        d.text = read_file(d.path);
        d.bytes = d.text.size();
        d.sha256 = hub::sha256_hex(d.text);
    }
    if (!ref.sha256.empty() && ref.sha256 != d.sha256) {
        throw Error(ErrorKind::invalid_input, "dataset " + d.path.string() + " has sha256 " + d.sha256 +
                                                  ", expected " + ref.sha256 + " (a different or damaged file)");
    }
    return d;
}

std::vector<std::string> scored_lines(std::string_view text, std::size_t limit) {
    std::vector<std::string> lines;
    for (auto raw : split(text, '\n')) {
        auto line = strip(raw);
        if (line.empty() || line.front() == '=') continue;
        lines.emplace_back(line);
        if (limit != 0 && lines.size() == limit) break;
    }
    return lines;
}

std::vector<StsPair> parse_sts(std::string_view text, const std::string& source) {
    std::vector<StsPair> pairs;
    std::size_t line_number = 0;
    for (auto raw : split(text, '\n')) {
        ++line_number;
        if (!raw.empty() && raw.back() == '\r') raw.remove_suffix(1);
        if (strip(raw).empty()) continue;
        auto cols = split(raw, '\t');
        auto where = [&] { return source + " line " + std::to_string(line_number); };
        if (cols.size() < 7) {
            throw Error(ErrorKind::invalid_input, where() + ": expected at least 7 tab-separated columns (score in 5, "
                                                            "sentences in 6 and 7), found " + std::to_string(cols.size()));
        }
        auto score_text = strip(cols[4]);
        double score = 0.0;
        auto [end, ec] = std::from_chars(score_text.data(), score_text.data() + score_text.size(), score);
        if (ec != std::errc() || end != score_text.data() + score_text.size() || !std::isfinite(score)) {
            if (pairs.empty() && line_number == 1) continue;  // a header row (KorSTS has one)
            throw Error(ErrorKind::invalid_input, where() + ": score '" + std::string(score_text) + "' is not a number");
        }
        pairs.push_back({score, std::string(cols[5]), std::string(cols[6])});
    }
    return pairs;
}

}  // namespace hubbench::suites
