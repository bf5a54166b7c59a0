// hubbench search: GET /api/models with the Hub's filters, plus the client-side filters the Hub
// lacks (parameter count, licence). Output: a table, or JSON for scripts.
#include "cli/commands.hpp"
#include "cli/options.hpp"
#include "cli/search_options.hpp"
#include "cli/text_table.hpp"
#include "core/error.hpp"
#include "hub/client.hpp"

namespace hubbench::cli {
namespace {

void print_table(std::ostream& out, const std::vector<hub::ModelSummary>& models) {
    TextTable table({"ID", "PARAMS", "DOWNLOADS", "LIKES", "TASK", "LIBRARY", "LICENSE"},
                    {false, true, true, true, false, false, false});
    auto dash = [](const std::string& s) { return s.empty() ? std::string("-") : s; };
    for (const auto& m : models) {
        table.add_row({m.id, human_count(m.params), std::to_string(m.downloads), std::to_string(m.likes),
                       dash(m.pipeline_tag), dash(m.library_name), dash(m.license)});
    }
    table.print(out);
}

}  // namespace

int run_search(const Args& args, std::ostream& out) {
    po::options_description options = search_options(20, false);
    options.add_options()
        ("format", po::value<std::string>()->default_value("table")->value_name("FMT"), "table|json");
    auto vm = parse_command("search", args, options);
    if (vm.count("help")) {
        print_command_help(out, "search", "[options]",
                           "Search the Hub (HF_ENDPOINT, default https://huggingface.co) for models.", options);
        return 0;
    }
    const hub::SearchQuery q = search_query_from(vm, "search");
    const std::string format = table_or_json(vm, "search");

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
