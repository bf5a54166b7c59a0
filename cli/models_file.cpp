#include "cli/models_file.hpp"

#include <fstream>

#include "core/error.hpp"

namespace hubbench::cli {

std::vector<std::string> read_models_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw Error(ErrorKind::not_found, path.string() + ": cannot read the models file");
    std::vector<std::string> models;
    std::string line;
    for (std::size_t number = 1; std::getline(in, line); ++number) {
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (auto hash = line.find('#'); hash != std::string::npos) line.erase(hash);
        constexpr const char* space = " \t";
        const auto first = line.find_first_not_of(space);
        if (first == std::string::npos) continue;
        const auto end = line.find_first_of(space, first);
        const auto extra = end == std::string::npos ? std::string::npos : line.find_first_not_of(space, end);
        if (extra != std::string::npos) {
            throw Error(ErrorKind::invalid_input, path.string() + ":" + std::to_string(number) + ":" + std::to_string(extra + 1) +
                                                      ": one model per line ('" + line.substr(first, end - first) +
                                                      "' is followed by '" + line.substr(extra) + "')");
        }
        models.push_back(line.substr(first, end == std::string::npos ? std::string::npos : end - first));
    }
    if (models.empty()) throw Error(ErrorKind::invalid_input, path.string() + ": lists no model (one per line; # starts a comment)");
    return models;
}

}  // namespace hubbench::cli
