// hubbench search: GET /api/models with the Hub's filters, plus the client-side filters the Hub
// lacks (parameter count, licence). Output: a table, or JSON for scripts.
#include <cmath>
#include <iomanip>
#include <sstream>

#include "cli/commands.hpp"
#include "cli/options.hpp"
#include "core/error.hpp"
#include "hub/client.hpp"

namespace hubbench::cli {
namespace {

// "1234", "1.5M", "7B", "350k" → a count.
std::uint64_t parse_count(const std::string& option, const std::string& text) {
    std::size_t used = 0;
    double value = 0;
    try {
        value = std::stod(text, &used);
    } catch (const std::exception&) {
        used = 0;
    }
    std::string suffix = text.substr(used);
    double scale = suffix.empty() ? 1 : suffix == "k" || suffix == "K" ? 1e3 : suffix == "M" || suffix == "m" ? 1e6
                 : suffix == "B" || suffix == "b" || suffix == "G" ? 1e9 : suffix == "T" ? 1e12 : -1;
    if (used == 0 || scale < 0 || value < 0 || !std::isfinite(value)) {
        throw Error(ErrorKind::usage, "search: --" + option + " '" + text + "' is not a count like 125000, 1.5M or 7B");
    }
    return static_cast<std::uint64_t>(std::llround(value * scale));
}

std::string human_count(std::optional<std::uint64_t> n) {
    if (!n) return "-";
    double v = static_cast<double>(*n);
    std::ostringstream s;
    s << std::fixed << std::setprecision(2);
    if (v >= 1e9) s << v / 1e9 << "B";
    else if (v >= 1e6) s << v / 1e6 << "M";
    else if (v >= 1e3) s << v / 1e3 << "k";
    else s << std::setprecision(0) << v;
    return s.str();
}

void print_table(std::ostream& out, const std::vector<hub::ModelSummary>& models) {
    std::vector<std::vector<std::string>> rows = {{"ID", "PARAMS", "DOWNLOADS", "LIKES", "TASK", "LIBRARY", "LICENSE"}};
    for (const auto& m : models) {
        auto dash = [](const std::string& s) { return s.empty() ? std::string("-") : s; };
        rows.push_back({m.id, human_count(m.params), std::to_string(m.downloads), std::to_string(m.likes),
                        dash(m.pipeline_tag), dash(m.library_name), dash(m.license)});
    }
    std::vector<std::size_t> width(rows[0].size(), 0);
    for (const auto& r : rows) {
        for (std::size_t i = 0; i < r.size(); ++i) width[i] = std::max(width[i], r[i].size());
    }
    for (const auto& r : rows) {
        std::string line;
        for (std::size_t i = 0; i < r.size(); ++i) {
            bool numeric = i >= 1 && i <= 3;
            std::string pad(width[i] - r[i].size(), ' ');
            line += numeric ? pad + r[i] : r[i] + (i + 1 < r.size() ? pad : "");
            if (i + 1 < r.size()) line += "  ";
        }
        out << line << "\n";
    }
}

}  // namespace

int run_search(const Args& args, std::ostream& out) {
    po::options_description options("Search");
    options.add_options()
        ("query", po::value<std::string>()->value_name("TEXT"), "substring of the repo id")
        ("author", po::value<std::string>()->value_name("ORG"), "exact namespace (user or organisation)")
        ("task", po::value<std::string>()->value_name("TASK"), "pipeline tag, e.g. text-generation, fill-mask")
        ("library", po::value<std::string>()->value_name("LIB"), "library, e.g. transformers, sentence-transformers")
        ("filter", po::value<std::vector<std::string>>()->composing()->value_name("TAG"), "a tag every result must have (repeatable)")
        ("sort", po::value<std::string>()->value_name("KEY"), "downloads|likes|lastModified|trending (descending)")
        ("limit", po::value<std::size_t>()->default_value(20)->value_name("N"), "number of results")
        ("max-params", po::value<std::string>()->value_name("N"), "at most N parameters (e.g. 125M, 7B); client-side")
        ("min-params", po::value<std::string>()->value_name("N"), "at least N parameters; client-side")
        ("license", po::value<std::string>()->value_name("ID"), "licence id, e.g. apache-2.0; client-side")
        ("format", po::value<std::string>()->default_value("table")->value_name("FMT"), "table|json");
    auto vm = parse_command("search", args, options);
    if (vm.count("help")) {
        print_command_help(out, "search", "[options]",
                           "Search the Hub (HF_ENDPOINT, default https://huggingface.co) for models.", options);
        return 0;
    }
    hub::SearchQuery q;
    if (vm.count("query")) q.search = vm["query"].as<std::string>();
    if (vm.count("author")) q.author = vm["author"].as<std::string>();
    if (vm.count("task")) q.pipeline_tag = vm["task"].as<std::string>();
    if (vm.count("library")) q.library = vm["library"].as<std::string>();
    if (vm.count("filter")) q.tags = vm["filter"].as<std::vector<std::string>>();
    if (vm.count("sort")) {
        const auto& s = vm["sort"].as<std::string>();
        q.sort = hub::parse_search_sort(s);
        if (!q.sort) throw Error(ErrorKind::usage, "search: --sort '" + s + "' is not one of downloads, likes, lastModified, trending");
    }
    q.limit = vm["limit"].as<std::size_t>();
    if (q.limit == 0) throw Error(ErrorKind::usage, "search: --limit must be at least 1");
    if (vm.count("max-params")) q.max_params = parse_count("max-params", vm["max-params"].as<std::string>());
    if (vm.count("min-params")) q.min_params = parse_count("min-params", vm["min-params"].as<std::string>());
    if (vm.count("license")) q.license = vm["license"].as<std::string>();
    const std::string format = vm["format"].as<std::string>();
    if (format != "table" && format != "json") throw Error(ErrorKind::usage, "search: --format must be table or json");

    hub::HubClient client;
    auto models = client.search(q);
    if (format == "json") {
        nlohmann::json j = nlohmann::json::array();
        for (const auto& m : models) j.push_back(hub::summary_to_json(m));
        out << j.dump(2) << "\n";
    } else {
        print_table(out, models);
    }
    return 0;
}

}  // namespace hubbench::cli
