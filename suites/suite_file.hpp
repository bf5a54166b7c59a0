// Suite files (YAML): a name, a description and a list of tasks, each with its dataset (a bundled
// file with its sha256, or a path) and parameters. The default suite (suites/default.yaml) is
// compiled into the binary so an installed hubbench runs it without the source tree.
//
//   name: default
//   tasks:
//     - task: perplexity
//       dataset: {bundled: wikitext-2-raw/wiki.test.raw, sha256: 173c…}   # or {path: data.txt}
//       params: {max_length: 512, stride: [256, 512]}
#pragma once
#include <filesystem>

#include "engine/config.hpp"
#include <string>
#include <string_view>
#include <vector>

#include "suites/task.hpp"

namespace hubbench::suites {

struct SuiteFile {
    std::string name;
    std::string description;
    std::vector<TaskSpec> tasks;
    // `dtype:` auto, float32, bfloat16 or int8 (--dtype overrides it); what native models multiply in.
    engine::ComputeDtype dtype = engine::ComputeDtype::automatic;
    std::filesystem::path source;  // the file it came from (empty for a built-in suite)
};

// Parses a suite. Relative dataset paths are resolved against `base_dir`. Unknown keys, unknown
// tasks and malformed YAML are Error(invalid_input) naming `source_name`; unknown parameters are
// caught here too, before any model runs.
SuiteFile parse_suite(std::string_view yaml, const std::string& source_name, const std::filesystem::path& base_dir);

SuiteFile load_suite_file(const std::filesystem::path& path);

// Built-in suites by name ("default"); Error(not_found) lists the names.
SuiteFile builtin_suite(const std::string& name);
std::vector<std::string> builtin_suite_names();

// A file path (anything with a '/' or ending in .yaml/.yml) or a built-in name.
SuiteFile find_suite(const std::string& name_or_path);

}  // namespace hubbench::suites
