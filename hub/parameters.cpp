#include "hub/parameters.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <nlohmann/json.hpp>
#include <set>

#include "core/error.hpp"
#include "core/fs.hpp"
#include "core/safetensors_header.hpp"
#include "hub/client.hpp"
#include "hub/client_impl.hpp"
#include "hub/names.hpp"

namespace hubbench::hub {
namespace {

bool ends_with(const std::string& s, const std::string& suffix) {
    return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

void add_counts(std::map<std::string, std::uint64_t>& total, const SafetensorsHeader& header) {
    for (const auto& [dtype, n] : parameter_count_by_dtype(header)) total[dtype] += n;
}

std::string read_prefix(const std::filesystem::path& path, std::uint64_t length) {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) throw Error(ErrorKind::io, path.string() + ": cannot open: " + std::strerror(errno));
    std::string out(length, '\0');
    std::uint64_t done = 0;
    while (done < length) {
        ssize_t n = ::pread(fd, out.data() + done, length - done, static_cast<off_t>(done));
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        done += static_cast<std::uint64_t>(n);
    }
    ::close(fd);
    out.resize(done);
    return out;
}

}  // namespace

std::vector<std::string> safetensors_weight_files(const std::vector<std::string>& files,
                                                  const std::vector<std::string>& shards) {
    if (std::find(files.begin(), files.end(), "model.safetensors") != files.end()) return {"model.safetensors"};
    if (!shards.empty()) return shards;
    std::vector<std::string> out;
    for (const auto& f : files) {
        if (ends_with(f, ".safetensors")) out.push_back(f);
    }
    return out;
}

std::vector<std::string> index_shards(const std::string& index_json, const std::string& source) {
    auto j = nlohmann::json::parse(index_json, nullptr, false);
    if (j.is_discarded() || !j.is_object() || !j.contains("weight_map") || !j["weight_map"].is_object()) {
        throw Error(ErrorKind::invalid_input, source + ": not a safetensors index (no \"weight_map\" object)");
    }
    std::set<std::string> unique;
    for (const auto& [tensor, shard] : j["weight_map"].items()) {
        if (!shard.is_string() || !is_valid_repo_path(shard.get<std::string>())) {
            throw Error(ErrorKind::invalid_input, source + ": bad shard name for tensor " + tensor);
        }
        unique.insert(shard.get<std::string>());
    }
    return {unique.begin(), unique.end()};
}

std::optional<std::map<std::string, std::uint64_t>> count_parameters_in_dir(const std::filesystem::path& dir,
                                                                           const std::vector<std::string>& files) {
    std::vector<std::string> shards;
    const std::string index = "model.safetensors.index.json";
    if (std::find(files.begin(), files.end(), index) != files.end() &&
        std::find(files.begin(), files.end(), "model.safetensors") == files.end()) {
        shards = index_shards(read_file(dir / index), (dir / index).string());
    }
    auto weights = safetensors_weight_files(files, shards);
    if (weights.empty()) return std::nullopt;
    std::map<std::string, std::uint64_t> total;
    for (const auto& w : weights) {
        for (const auto& [dtype, n] : safetensors_file_parameters(dir / w)) total[dtype] += n;
    }
    return total;
}

std::map<std::string, std::uint64_t> safetensors_file_parameters(const std::filesystem::path& path) {
    std::string head = read_prefix(path, 8);
    if (head.size() < 8) throw Error(ErrorKind::invalid_input, path.string() + ": shorter than a safetensors header");
    std::uint64_t n = parse_safetensors_header_length(head, path.string());
    std::string bytes = read_prefix(path, 8 + n);
    std::error_code ec;
    auto size = std::filesystem::file_size(path, ec);
    std::map<std::string, std::uint64_t> total;
    add_counts(total, parse_safetensors_header(bytes, path.string(), ec ? std::nullopt : std::optional<std::uint64_t>(size)));
    return total;
}

std::optional<std::map<std::string, std::uint64_t>> HubClient::count_parameters(const std::string& repo_id,
                                                                                const std::string& revision) {
    ModelInfo info = model_info(repo_id, revision);
    const std::string& commit = info.sha;
    auto resolve = [&](const std::string& file) {
        return "/" + repo_id + "/resolve/" + commit + "/" + url_quote(file);
    };
    std::vector<std::string> shards;
    const std::string index = "model.safetensors.index.json";
    const auto& files = info.siblings;
    if (std::find(files.begin(), files.end(), index) != files.end() &&
        std::find(files.begin(), files.end(), "model.safetensors") == files.end()) {
        shards = index_shards(get(resolve(index), {repo_id, commit, index}).body, repo_id + "/" + index);
    }
    auto weights = safetensors_weight_files(files, shards);
    if (weights.empty()) return std::nullopt;
    std::map<std::string, std::uint64_t> total;
    for (const auto& w : weights) {
        if (!is_valid_repo_path(w)) throw HubError(HubErrorCode::bad_response, 0, "unsafe file name '" + w + "' in " + repo_id);
        const std::string source = repo_id + "/" + w;
        // hf_api.py get_safetensors_metadata: the first 100 kB usually hold the whole header.
        std::string bytes = get(resolve(w), {repo_id, commit, w}, {"Range: bytes=0-100000"}).body;
        if (bytes.size() < 8) throw HubError(HubErrorCode::bad_response, 0, source + ": shorter than a safetensors header");
        std::uint64_t n = parse_safetensors_header_length(bytes, source);
        if (bytes.size() < 8 + n) {
            std::string rest = get(resolve(w), {repo_id, commit, w}, {"Range: bytes=8-" + std::to_string(n + 7)}).body;
            bytes = bytes.substr(0, 8) + rest;
        }
        if (bytes.size() < 8 + n) throw HubError(HubErrorCode::bad_response, 0, source + ": header cut short by the server");
        add_counts(total, parse_safetensors_header(std::string_view(bytes).substr(0, 8 + n), source));
    }
    return total;
}

}  // namespace hubbench::hub
