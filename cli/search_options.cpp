#include "cli/search_options.hpp"

#include <fmt/format.h>

#include <cmath>

#include "core/error.hpp"

namespace hubbench::cli {

std::uint64_t parse_count(const std::string& command, const std::string& option, const std::string& text) {
    std::size_t used = 0;
    double value = 0;
    try {
        value = std::stod(text, &used);
    } catch (const std::exception&) {
        used = 0;
    }
    const std::string suffix = text.substr(used);
    const double scale = suffix.empty()                    ? 1
                         : suffix == "k" || suffix == "K" ? 1e3
                         : suffix == "M" || suffix == "m" ? 1e6
                         : suffix == "B" || suffix == "b" || suffix == "G" ? 1e9
                         : suffix == "T"                  ? 1e12
                                                          : -1;
    if (used == 0 || scale < 0 || value < 0 || !std::isfinite(value)) {
        throw Error(ErrorKind::usage, command + ": --" + option + " '" + text + "' is not a count like 125000, 1.5M or 7B");
    }
    return static_cast<std::uint64_t>(std::llround(value * scale));
}

std::string human_count(std::optional<std::uint64_t> n) {
    if (!n) return "-";
    const double v = static_cast<double>(*n);
    if (v >= 1e9) return fmt::format("{:.2f}B", v / 1e9);
    if (v >= 1e6) return fmt::format("{:.2f}M", v / 1e6);
    if (v >= 1e3) return fmt::format("{:.2f}k", v / 1e3);
    return fmt::format("{}", *n);
}

po::options_description search_options(std::size_t default_limit, bool task_repeatable) {
    po::options_description options("Search");
    auto task = task_repeatable ? po::value<std::vector<std::string>>()->composing()->value_name("TASK")
                                : po::value<std::vector<std::string>>()->value_name("TASK");
    options.add_options()
        ("query", po::value<std::string>()->value_name("TEXT"), "substring of the repo id")
        ("author", po::value<std::string>()->value_name("ORG"), "exact namespace (user or organisation)")
        ("task", task, task_repeatable ? "pipeline tag, e.g. text-generation, fill-mask (repeatable: one search each)"
                                       : "pipeline tag, e.g. text-generation, fill-mask")
        ("library", po::value<std::string>()->value_name("LIB"), "library, e.g. transformers, sentence-transformers")
        ("filter", po::value<std::vector<std::string>>()->composing()->value_name("TAG"), "a tag every result must have (repeatable)")
        ("sort", po::value<std::string>()->value_name("KEY"), "downloads|likes|lastModified|trending (descending)")
        ("limit", po::value<std::size_t>()->default_value(default_limit)->value_name("N"),
         task_repeatable ? "candidates per task" : "number of results")
        ("max-params", po::value<std::string>()->value_name("N"), "at most N parameters (e.g. 125M, 7B); client-side")
        ("min-params", po::value<std::string>()->value_name("N"), "at least N parameters; client-side")
        ("license", po::value<std::string>()->value_name("ID"), "licence id, e.g. apache-2.0; client-side");
    return options;
}

hub::SearchQuery search_query_from(const po::variables_map& vm, const std::string& command) {
    hub::SearchQuery q;
    if (vm.count("query")) q.search = vm["query"].as<std::string>();
    if (vm.count("author")) q.author = vm["author"].as<std::string>();
    if (vm.count("task")) {
        const auto& tasks = vm["task"].as<std::vector<std::string>>();
        if (tasks.size() > 1 && command == "search") throw Error(ErrorKind::usage, "search: give --task once");
        if (!tasks.empty()) q.pipeline_tag = tasks.front();
    }
    if (vm.count("library")) q.library = vm["library"].as<std::string>();
    if (vm.count("filter")) q.tags = vm["filter"].as<std::vector<std::string>>();
    if (vm.count("sort")) {
        const auto& s = vm["sort"].as<std::string>();
        q.sort = hub::parse_search_sort(s);
        if (!q.sort) throw Error(ErrorKind::usage, command + ": --sort '" + s + "' is not one of downloads, likes, lastModified, trending");
    }
    q.limit = vm["limit"].as<std::size_t>();
    if (q.limit == 0) throw Error(ErrorKind::usage, command + ": --limit must be at least 1");
    if (vm.count("max-params")) q.max_params = parse_count(command, "max-params", vm["max-params"].as<std::string>());
    if (vm.count("min-params")) q.min_params = parse_count(command, "min-params", vm["min-params"].as<std::string>());
    if (vm.count("license")) q.license = vm["license"].as<std::string>();
    return q;
}

}  // namespace hubbench::cli
