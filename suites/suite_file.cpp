#include "suites/suite_file.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <set>

#include "core/error.hpp"
#include "core/fs.hpp"
#include "suites/builtin_suites.hpp"

namespace hubbench::suites {
namespace {

[[noreturn]] void fail(const std::string& source, const YAML::Node& node, const std::string& what) {
    std::string where = source;
    if (node.IsDefined() && node.Mark().line >= 0) where += " line " + std::to_string(node.Mark().line + 1);
    throw Error(ErrorKind::invalid_input, where + ": " + what);
}

void only_keys(const std::string& source, const YAML::Node& map, const std::set<std::string>& known,
               const std::string& what) {
    for (const auto& kv : map) {
        const auto key = kv.first.as<std::string>();
        if (!known.count(key)) fail(source, kv.first, "unknown key '" + key + "' in " + what);
    }
}

// YAML scalars become JSON numbers, booleans or text: what the task parameters expect.
nlohmann::json to_json(const std::string& source, const YAML::Node& node) {
    switch (node.Type()) {
        case YAML::NodeType::Null:
        case YAML::NodeType::Undefined:
            return nullptr;
        case YAML::NodeType::Sequence: {
            auto array = nlohmann::json::array();
            for (const auto& item : node) array.push_back(to_json(source, item));
            return array;
        }
        case YAML::NodeType::Map: {
            auto object = nlohmann::json::object();
            for (const auto& kv : node) object[kv.first.as<std::string>()] = to_json(source, kv.second);
            return object;
        }
        case YAML::NodeType::Scalar: {
            const std::string text = node.Scalar();
            if (node.Tag() == "!") return text;  // a quoted scalar stays text
            long long i = 0;
            double d = 0.0;
            bool b = false;
            if (YAML::convert<long long>::decode(node, i)) return i;
            if (YAML::convert<double>::decode(node, d)) return d;
            if (YAML::convert<bool>::decode(node, b)) return b;
            return text;
        }
    }
    fail(source, node, "unexpected YAML node");
}

DatasetRef read_dataset(const std::string& source, const YAML::Node& node, const std::filesystem::path& base_dir) {
    DatasetRef ref;
    if (node.IsScalar()) {
        ref.bundled = node.as<std::string>();
        return ref;
    }
    if (!node.IsMap()) fail(source, node, "dataset must be a bundled name or a map with bundled/path and sha256");
    only_keys(source, node, {"bundled", "path", "sha256"}, "dataset");
    if (node["bundled"]) ref.bundled = node["bundled"].as<std::string>();
    if (node["path"]) {
        std::filesystem::path p = node["path"].as<std::string>();
        ref.path = p.is_relative() ? base_dir / p : p;
    }
    if (node["sha256"]) ref.sha256 = node["sha256"].as<std::string>();
    if (ref.bundled.empty() == ref.path.empty()) fail(source, node, "dataset needs exactly one of bundled or path");
    if (ref.bundled.find("..") != std::string::npos || std::filesystem::path(ref.bundled).is_absolute()) {
        fail(source, node, "bundled dataset '" + ref.bundled + "' must be a relative name inside assets/datasets");
    }
    if (!ref.sha256.empty() && (ref.sha256.size() != 64 || ref.sha256.find_first_not_of("0123456789abcdef") != std::string::npos)) {
        fail(source, node, "sha256 must be 64 lower-case hex digits");
    }
    return ref;
}

}  // namespace

SuiteFile parse_suite(std::string_view yaml, const std::string& source_name, const std::filesystem::path& base_dir) {
    YAML::Node root;
    try {
        root = YAML::Load(std::string(yaml));
    } catch (const YAML::Exception& e) {
        throw Error(ErrorKind::invalid_input, source_name + ": not valid YAML: " + e.what());
    }
    if (!root.IsMap()) fail(source_name, root, "a suite is a map with name, description and tasks");
    SuiteFile suite;
    try {
        only_keys(source_name, root, {"name", "description", "dtype", "tasks"}, "the suite");
        if (const auto dtype = root["dtype"]) {
            const auto parsed = dtype.IsScalar() ? engine::parse_compute_dtype(dtype.as<std::string>()) : std::nullopt;
            if (!parsed) fail(source_name, dtype, "dtype must be auto, float32, bfloat16 or int8");
            suite.dtype = *parsed;
        }
        suite.name = root["name"] ? root["name"].as<std::string>() : std::string();
        suite.description = root["description"] ? root["description"].as<std::string>() : std::string();
        const auto tasks = root["tasks"];
        if (!tasks || !tasks.IsSequence() || tasks.size() == 0) fail(source_name, root, "'tasks' must be a non-empty list");
        for (const auto& t : tasks) {
            if (!t.IsMap()) fail(source_name, t, "each task is a map with task, dataset and params");
            only_keys(source_name, t, {"task", "dataset", "params"}, "a task");
            if (!t["task"]) fail(source_name, t, "a task needs 'task' (one of perplexity, pppl, sts, speed)");
            TaskSpec spec;
            spec.task = t["task"].as<std::string>();
            if (t["dataset"]) spec.dataset = read_dataset(source_name, t["dataset"], base_dir);
            if (t["params"]) {
                if (!t["params"].IsMap()) fail(source_name, t["params"], "params must be a map");
                spec.params = to_json(source_name, t["params"]);
            }
            try {
                check_task(spec);
            } catch (const Error& e) {
                fail(source_name, t, e.what());
            }
            suite.tasks.push_back(std::move(spec));
        }
    } catch (const YAML::Exception& e) {
        throw Error(ErrorKind::invalid_input, source_name + ": " + e.what());
    }
    if (suite.name.empty()) suite.name = std::filesystem::path(source_name).stem().string();
    return suite;
}

SuiteFile load_suite_file(const std::filesystem::path& path) {
    auto suite = parse_suite(read_file(path), path.string(), path.parent_path());
    suite.source = path;
    return suite;
}

std::vector<std::string> builtin_suite_names() {
    std::vector<std::string> names;
    for (const auto& s : builtin_suites()) names.emplace_back(s.name);
    return names;
}

SuiteFile builtin_suite(const std::string& name) {
    for (const auto& s : builtin_suites()) {
        if (name == s.name) return parse_suite(s.yaml, "suites/" + std::string(s.name) + ".yaml", assets_dir());
    }
    std::string list;
    for (const auto& n : builtin_suite_names()) list += (list.empty() ? "" : ", ") + n;
    throw Error(ErrorKind::not_found, "no built-in suite named '" + name + "' (built in: " + list + ")");
}

SuiteFile find_suite(const std::string& name_or_path) {
    const bool is_path = name_or_path.find('/') != std::string::npos || name_or_path.ends_with(".yaml") ||
                         name_or_path.ends_with(".yml");
    return is_path ? load_suite_file(name_or_path) : builtin_suite(name_or_path);
}

}  // namespace hubbench::suites
