#include "hub/mirror_api.hpp"

#include <algorithm>
#include <cctype>
#include <map>
#include <set>

#include "hub/hash.hpp"

namespace hubbench::hub::mirror_detail {
namespace {

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

nlohmann::json gated_json(const MirrorRepo& r) {
    return r.gated == "false" ? nlohmann::json(false) : nlohmann::json(r.gated);
}

nlohmann::json safetensors_json(const MirrorRepo& r) {
    if (!r.parameters) return nullptr;
    nlohmann::json params = nlohmann::json::object();
    std::uint64_t total = 0;
    for (const auto& [dtype, n] : *r.parameters) {
        params[dtype] = n;
        total += n;
    }
    return {{"parameters", params}, {"total", total}};
}

nlohmann::json siblings_json(const MirrorRepo& r, bool blobs) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& f : r.files) {
        nlohmann::json s = {{"rfilename", f.meta.path}};
        if (blobs) {
            s["blobId"] = f.meta.blob_id;
            s["size"] = f.meta.size;
            if (f.meta.lfs) {
                s["lfs"] = {{"sha256", f.meta.lfs->sha256}, {"size", f.meta.lfs->size}, {"pointerSize", f.meta.lfs->pointer_size}};
            }
        }
        out.push_back(std::move(s));
    }
    return out;
}

std::string author_of(const std::string& id) {
    auto slash = id.find('/');
    return slash == std::string::npos ? std::string() : id.substr(0, slash);
}

// Value of one field by its API name; null when the repo has none.
nlohmann::json field(const MirrorRepo& r, const std::string& name, bool blobs) {
    if (name == "author") return author_of(r.id);
    if (name == "sha") return r.commit;
    if (name == "lastModified") return r.last_modified;
    if (name == "createdAt") return r.created_at;
    if (name == "private") return r.is_private;
    if (name == "gated") return gated_json(r);
    if (name == "disabled") return r.disabled;
    if (name == "downloads") return r.downloads;
    if (name == "likes") return r.likes;
    if (name == "trendingScore") return r.trending_score;
    if (name == "tags") return r.tags;
    if (name == "pipeline_tag") return r.pipeline_tag.empty() ? nlohmann::json(nullptr) : nlohmann::json(r.pipeline_tag);
    if (name == "library_name") return r.library_name.empty() ? nlohmann::json(nullptr) : nlohmann::json(r.library_name);
    if (name == "cardData") return r.card_data;
    if (name == "config") return r.config;
    if (name == "safetensors") return safetensors_json(r);
    if (name == "siblings") return siblings_json(r, blobs);
    if (name == "spaces") return nlohmann::json::array();
    if (name == "usedStorage") {
        std::uint64_t total = 0;
        for (const auto& f : r.files) total += f.meta.size;
        return total;
    }
    return nullptr;
}

void put(nlohmann::json& out, const MirrorRepo& r, const std::string& name, bool blobs = false) {
    nlohmann::json v = field(r, name, blobs);
    if (!v.is_null()) out[name] = std::move(v);
}

}  // namespace

nlohmann::json model_json(const MirrorRepo& r, const FieldSelection& f) {
    nlohmann::json out = nlohmann::json::object();
    out["_id"] = sha1_hex("hubbench-mirror-id:" + r.id).substr(0, 24);
    out["id"] = r.id;
    if (!f.expand.empty()) {
        for (const auto& name : f.expand) put(out, r, name, f.blobs);
        return out;
    }
    if (f.info) {
        out["modelId"] = r.id;
        for (const char* name : {"author", "sha", "lastModified", "createdAt", "private", "gated", "disabled", "downloads",
                                 "likes", "trendingScore", "library_name", "pipeline_tag", "tags", "cardData", "config",
                                 "spaces", "safetensors", "usedStorage"}) {
            put(out, r, name);
        }
        out["siblings"] = siblings_json(r, f.blobs);
        return out;
    }
    for (const char* name : {"likes", "trendingScore", "private", "downloads", "tags", "pipeline_tag", "library_name",
                             "createdAt"}) {
        put(out, r, name);
    }
    out["modelId"] = r.id;
    if (f.full) {
        for (const char* name : {"author", "sha", "lastModified", "gated", "disabled", "siblings"}) put(out, r, name);
    }
    if (f.config) put(out, r, "config");
    if (f.card_data) put(out, r, "cardData");
    return out;
}

bool matches(const MirrorRepo& r, const SearchFilter& f) {
    if (!f.search.empty() && lower(r.id).find(lower(f.search)) == std::string::npos) return false;
    if (!f.author.empty() && author_of(r.id) != f.author) return false;
    if (!f.pipeline_tag.empty() && r.pipeline_tag != f.pipeline_tag) return false;
    auto has_tag = [&](const std::string& t) { return std::find(r.tags.begin(), r.tags.end(), t) != r.tags.end(); };
    for (const auto& l : f.libraries) {
        if (r.library_name != l && !has_tag(l)) return false;
    }
    for (const auto& l : f.languages) {
        if (!has_tag(l)) return false;
    }
    for (const auto& t : f.tags) {
        if (!has_tag(t)) return false;
    }
    return true;
}

bool sort_repos(std::vector<std::shared_ptr<const MirrorRepo>>& repos, const std::string& key) {
    auto by_id = [](const auto& a, const auto& b) { return a->id < b->id; };
    auto desc = [&](auto get) {
        std::stable_sort(repos.begin(), repos.end(), [&](const auto& a, const auto& b) {
            auto ka = get(*a);
            auto kb = get(*b);
            if (ka != kb) return ka > kb;
            return a->id < b->id;
        });
    };
    if (key.empty()) {
        std::sort(repos.begin(), repos.end(), by_id);
    } else if (key == "downloads") {
        desc([](const MirrorRepo& r) { return r.downloads; });
    } else if (key == "likes") {
        desc([](const MirrorRepo& r) { return r.likes; });
    } else if (key == "lastModified" || key == "last_modified") {
        desc([](const MirrorRepo& r) { return r.last_modified; });
    } else if (key == "createdAt" || key == "created_at") {
        desc([](const MirrorRepo& r) { return r.created_at; });
    } else if (key == "trendingScore" || key == "trending" || key == "trending_score") {
        desc([](const MirrorRepo& r) { return r.trending_score; });
    } else {
        return false;
    }
    return true;
}

std::vector<nlohmann::json> tree_entries(const MirrorRepo& r, const std::string& folder, bool recursive, bool& found) {
    const std::string prefix = folder.empty() ? "" : folder + "/";
    found = folder.empty();
    // Directory oids: a hash of what the directory holds, so they change when its content does.
    std::map<std::string, std::string> dir_content;
    for (const auto& f : r.files) {
        for (auto slash = f.meta.path.find('/'); slash != std::string::npos; slash = f.meta.path.find('/', slash + 1)) {
            dir_content[f.meta.path.substr(0, slash)] += f.meta.path + '\0' + f.meta.blob_id + '\n';
        }
    }
    std::vector<nlohmann::json> out;
    std::set<std::string> dirs_done;
    for (const auto& f : r.files) {
        const std::string& p = f.meta.path;
        if (p.compare(0, prefix.size(), prefix) != 0) continue;
        found = true;
        std::string rest = p.substr(prefix.size());
        // Directories between the folder and the file, each listed once before its content.
        for (auto slash = rest.find('/'); slash != std::string::npos; slash = rest.find('/', slash + 1)) {
            std::string dir = prefix + rest.substr(0, slash);
            if (dirs_done.insert(dir).second) {
                out.push_back({{"type", "directory"}, {"oid", sha1_hex(dir_content[dir])}, {"size", 0}, {"path", dir}});
            }
            if (!recursive) break;
        }
        if (!recursive && rest.find('/') != std::string::npos) continue;
        nlohmann::json e = {{"type", "file"}, {"oid", f.meta.blob_id}, {"size", f.meta.size}, {"path", p}};
        if (f.meta.lfs) e["lfs"] = {{"oid", f.meta.lfs->sha256}, {"size", f.meta.lfs->size}, {"pointerSize", f.meta.lfs->pointer_size}};
        out.push_back(std::move(e));
    }
    return out;
}

}  // namespace hubbench::hub::mirror_detail
