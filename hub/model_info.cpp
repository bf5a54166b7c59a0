#include "hub/model_info.hpp"

#include "hub/errors.hpp"
#include "hub/names.hpp"

namespace hubbench::hub {
namespace {

std::string str(const nlohmann::json& j, const char* key) {
    auto it = j.find(key);
    return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::uint64_t count(const nlohmann::json& j, const char* key) {
    auto it = j.find(key);
    if (it == j.end() || !it->is_number()) return 0;
    if (it->is_number_unsigned()) return it->get<std::uint64_t>();
    if (it->is_number_integer()) return static_cast<std::uint64_t>(std::max<std::int64_t>(0, it->get<std::int64_t>()));
    return static_cast<std::uint64_t>(std::max(0.0, it->get<double>()));
}

}  // namespace

ModelInfo parse_model_info(const nlohmann::json& j, const std::string& source) {
    if (!j.is_object() || !j.contains("id") || !j["id"].is_string()) {
        throw HubError(HubErrorCode::bad_response, 0, source + ": expected a model object with an \"id\"");
    }
    ModelInfo m;
    m.id = j["id"].get<std::string>();
    m.author = str(j, "author");
    m.sha = str(j, "sha");
    if (!m.sha.empty() && !is_commit_sha(m.sha)) {
        throw HubError(HubErrorCode::bad_response, 0, source + ": \"sha\" is not a 40-hex commit: " + m.sha);
    }
    m.pipeline_tag = str(j, "pipeline_tag");
    m.library_name = str(j, "library_name");
    m.last_modified = str(j, "lastModified");
    m.created_at = str(j, "createdAt");
    m.downloads = count(j, "downloads");
    m.likes = count(j, "likes");
    if (auto it = j.find("trendingScore"); it != j.end() && it->is_number()) m.trending_score = it->get<double>();
    if (auto it = j.find("gated"); it != j.end()) {
        m.gated = it->is_string() ? it->get<std::string>() : (it->is_boolean() && it->get<bool>() ? "true" : "false");
    }
    if (auto it = j.find("private"); it != j.end() && it->is_boolean()) m.is_private = it->get<bool>();
    if (auto it = j.find("disabled"); it != j.end() && it->is_boolean()) m.disabled = it->get<bool>();
    if (auto it = j.find("tags"); it != j.end() && it->is_array()) {
        for (const auto& t : *it) {
            if (t.is_string()) m.tags.push_back(t.get<std::string>());
        }
    }
    if (auto it = j.find("cardData"); it != j.end() && it->is_object()) m.card_data = *it;
    if (auto it = j.find("config"); it != j.end() && it->is_object()) m.config = *it;
    if (m.card_data.is_object() && m.card_data.contains("license")) {
        const auto& l = m.card_data["license"];
        if (l.is_string()) m.license = l.get<std::string>();
    }
    if (m.license.empty()) {
        for (const auto& t : m.tags) {
            if (t.rfind("license:", 0) == 0) {
                m.license = t.substr(8);
                break;
            }
        }
    }
    if (auto it = j.find("safetensors"); it != j.end() && it->is_object()) {
        if (auto p = it->find("parameters"); p != it->end() && p->is_object()) {
            for (const auto& [dtype, n] : p->items()) {
                if (n.is_number()) m.params_by_dtype[dtype] = n.get<std::uint64_t>();
            }
        }
        if (auto t = it->find("total"); t != it->end() && t->is_number()) m.params = t->get<std::uint64_t>();
    }
    if (auto it = j.find("siblings"); it != j.end() && it->is_array()) {
        for (const auto& s : *it) {
            if (!s.is_object() || !s.contains("rfilename") || !s["rfilename"].is_string()) continue;
            RepoFile f;
            f.path = s["rfilename"].get<std::string>();
            f.size = count(s, "size");
            f.blob_id = str(s, "blobId");
            if (auto l = s.find("lfs"); l != s.end() && l->is_object()) {
                f.lfs = LfsInfo{str(*l, "sha256"), count(*l, "size"), count(*l, "pointerSize")};
            }
            m.siblings.push_back(f.path);
            m.files.push_back(std::move(f));
        }
    }
    return m;
}

nlohmann::json summary_to_json(const ModelSummary& m) {
    nlohmann::json j = {{"id", m.id},
                        {"sha", m.sha.empty() ? nlohmann::json(nullptr) : nlohmann::json(m.sha)},
                        {"pipeline_tag", m.pipeline_tag.empty() ? nlohmann::json(nullptr) : nlohmann::json(m.pipeline_tag)},
                        {"library_name", m.library_name.empty() ? nlohmann::json(nullptr) : nlohmann::json(m.library_name)},
                        {"downloads", m.downloads},
                        {"likes", m.likes},
                        {"params", m.params ? nlohmann::json(*m.params) : nlohmann::json(nullptr)},
                        {"license", m.license.empty() ? nlohmann::json(nullptr) : nlohmann::json(m.license)},
                        {"tags", m.tags}};
    return j;
}

}  // namespace hubbench::hub
