// Internal to the mirror: the JSON documents of the Hub API built from a MirrorRepo, and the
// search filters and sort orders (hf_api.py list_models / model_info / list_repo_tree shapes).
#pragma once
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "hub/repo_store.hpp"

namespace hubbench::hub::mirror_detail {

// Which fields a model object carries (list_models: full / config / cardData / expand; model_info:
// everything, `blobs` adding blobId, size and lfs to siblings).
struct FieldSelection {
    bool info = false;
    bool full = false;
    bool config = false;
    bool card_data = false;
    bool blobs = false;
    std::vector<std::string> expand;  // non-empty: only these plus _id and id
};

nlohmann::json model_json(const MirrorRepo& repo, const FieldSelection& fields);

struct SearchFilter {
    std::string search;        // substring of the id, case-insensitive
    std::string author;        // exact namespace
    std::string pipeline_tag;
    std::vector<std::string> libraries;  // `library=` (third-party clients)
    std::vector<std::string> languages;  // `language=`
    std::vector<std::string> tags;       // `filter=`, each must be a tag
};
bool matches(const MirrorRepo& repo, const SearchFilter& filter);

// Sorts descending by downloads | likes | lastModified | createdAt | trendingScore (alias
// "trending"), ties by id; unknown or empty keys sort by id. Returns false for an unknown key.
bool sort_repos(std::vector<std::shared_ptr<const MirrorRepo>>& repos, const std::string& key);

// Tree entries under `folder` ("" for the root), directories included; `found` is false when the
// folder does not exist.
std::vector<nlohmann::json> tree_entries(const MirrorRepo& repo, const std::string& folder, bool recursive, bool& found);

}  // namespace hubbench::hub::mirror_detail
