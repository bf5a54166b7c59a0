// What the Hub's /api/models endpoints say about a model, parsed from their JSON (hf_api.py
// ModelInfo reads the same fields; only `id` is required).
#pragma once
#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "hub/repo_file.hpp"

namespace hubbench::hub {

// One search result.
struct ModelSummary {
    std::string id;
    std::string author;
    std::string sha;            // commit of the main branch
    std::string pipeline_tag;
    std::string library_name;
    std::string license;        // cardData.license, else the "license:<x>" tag
    std::string gated = "false";  // "false", "auto" or "manual"
    std::string last_modified;
    std::string created_at;
    std::uint64_t downloads = 0;
    std::uint64_t likes = 0;
    double trending_score = 0;
    std::vector<std::string> tags;
    std::vector<std::string> siblings;  // file names, when the server listed them
    std::map<std::string, std::uint64_t> params_by_dtype;  // safetensors.parameters
    std::optional<std::uint64_t> params;                   // safetensors.total (or counted from headers)
};

struct ModelInfo : ModelSummary {
    bool is_private = false;
    bool disabled = false;
    std::vector<RepoFile> files;   // siblings with blobId/size/lfs when asked for blobs=true
    nlohmann::json card_data;      // README front matter (cardData), null when absent
    nlohmann::json config;         // {architectures, model_type, ...}, null when absent
};

// Throws HubError(bad_response) naming `source` when the JSON is not a model object.
ModelInfo parse_model_info(const nlohmann::json& j, const std::string& source);

// The `hubbench search --format json` object: id, sha, pipeline_tag, library_name, downloads,
// likes, params, license, tags (params null when unknown).
nlohmann::json summary_to_json(const ModelSummary& m);

}  // namespace hubbench::hub
