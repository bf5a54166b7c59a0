// --models-file: the models of a run or a night, one per line, as `--model` takes them (a folder
// or org/name[@revision]); `#` starts a comment, blank lines are ignored.
#pragma once
#include <filesystem>
#include <string>
#include <vector>

namespace hubbench::cli {

// Throws Error(not_found) for a missing file, Error(invalid_input) "FILE:LINE:COLUMN: ..." for a
// line with two words, and Error(invalid_input) for a file that lists no model.
std::vector<std::string> read_models_file(const std::filesystem::path& path);

}  // namespace hubbench::cli
