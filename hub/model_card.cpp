#include "hub/model_card.hpp"

#include <yaml-cpp/yaml.h>

#include <cstdlib>
#include <regex>

#include "core/error.hpp"

namespace hubbench::hub {
namespace {

nlohmann::json scalar_to_json(const YAML::Node& node) {
    const std::string& s = node.Scalar();
    if (node.Tag() == "!") return s;  // quoted: always a string
    static const std::regex int_re(R"(^[-+]?[0-9]+$)");
    static const std::regex float_re(R"(^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$)");
    if (s == "true" || s == "True" || s == "TRUE") return true;
    if (s == "false" || s == "False" || s == "FALSE") return false;
    if (s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL") return nullptr;
    if (std::regex_match(s, int_re)) {
        try {
            return std::stoll(s);
        } catch (...) {
            return s;
        }
    }
    if (std::regex_match(s, float_re)) return std::strtod(s.c_str(), nullptr);
    return s;
}

nlohmann::json to_json(const YAML::Node& node) {
    switch (node.Type()) {
        case YAML::NodeType::Scalar: return scalar_to_json(node);
        case YAML::NodeType::Sequence: {
            nlohmann::json out = nlohmann::json::array();
            for (const auto& item : node) out.push_back(to_json(item));
            return out;
        }
        case YAML::NodeType::Map: {
            nlohmann::json out = nlohmann::json::object();
            for (const auto& kv : node) out[kv.first.as<std::string>()] = to_json(kv.second);
            return out;
        }
        default: return nullptr;
    }
}

}  // namespace

nlohmann::json parse_model_card(std::string_view readme, std::string_view source) {
    if (readme.substr(0, 3) == "\xEF\xBB\xBF") readme.remove_prefix(3);  // UTF-8 BOM
    auto first_line_end = readme.find('\n');
    if (first_line_end == std::string_view::npos) return nullptr;
    std::string_view first = readme.substr(0, first_line_end);
    if (!first.empty() && first.back() == '\r') first.remove_suffix(1);
    if (first != "---") return nullptr;
    std::size_t pos = first_line_end + 1;
    while (pos <= readme.size()) {
        auto end = readme.find('\n', pos);
        std::string_view line = readme.substr(pos, end == std::string_view::npos ? std::string_view::npos : end - pos);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        if (line == "---") {
            std::string yaml(readme.substr(first_line_end + 1, pos - first_line_end - 1));
            try {
                YAML::Node node = YAML::Load(yaml);
                nlohmann::json j = to_json(node);
                return j.is_object() ? j : nlohmann::json(nullptr);
            } catch (const YAML::Exception& e) {
                throw Error(ErrorKind::invalid_input, std::string(source) + ": bad YAML front matter: " + e.what());
            }
        }
        if (end == std::string_view::npos) break;
        pos = end + 1;
    }
    return nullptr;  // no closing "---": not front matter
}

}  // namespace hubbench::hub
