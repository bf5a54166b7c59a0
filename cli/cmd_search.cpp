// hubbench search: GET /api/models with the Hub's filters, plus the client-side filters the Hub
// lacks (parameter count, licence). Output: a table, or JSON for scripts.
#include "cli/commands.hpp"
#include "cli/options.hpp"
#include "cli/search_options.hpp"
#include "cli/text_table.hpp"
#include "core/error.hpp"
#include "core/interrupt.hpp"
#include "core/log.hpp"
#include "harness/compare.hpp"
#include "hub/client.hpp"

namespace hubbench::cli {
namespace {

// Whether hubbench can run a candidate, and why not: what `compare` would decide
// (harness::screen_candidate on the repo's model info: architecture, safetensors, gating).
struct Screened {
    hub::ModelSummary model;
    std::optional<std::string> not_runnable;  // the reason; nullopt when it can run
};

std::vector<Screened> screen(hub::HubClient& client, std::vector<hub::ModelSummary> models) {
    const bool have_token = client.options().token.has_value();
    std::vector<Screened> out;
    for (auto& m : models) {
        throw_if_interrupted();
        Screened s{std::move(m), std::nullopt};
        try {
            s.not_runnable = harness::screen_candidate(client.model_info(s.model.id, s.model.sha.empty() ? "main" : s.model.sha), have_token);
        } catch (const Error& e) {
            if (e.kind() == ErrorKind::interrupted) throw;
            s.not_runnable = e.what();
        }
        out.push_back(std::move(s));
    }
    return out;
}

void print_table(std::ostream& out, const std::vector<Screened>& models) {
    TextTable table({"ID", "PARAMS", "DOWNLOADS", "LIKES", "TASK", "LIBRARY", "LICENSE", "RUNNABLE"},
                    {false, true, true, true, false, false, false, false});
    auto dash = [](const std::string& s) { return s.empty() ? std::string("-") : s; };
    std::size_t runnable = 0;
    for (const auto& [m, why] : models) {
        runnable += !why.has_value();
        table.add_row({m.id, human_count(m.params), std::to_string(m.downloads), std::to_string(m.likes), dash(m.pipeline_tag),
                       dash(m.library_name), dash(m.license), why ? "no: " + *why : "yes"});
    }
    table.print(out);
    log::info("search: hubbench can run {} of {} models listed", runnable, models.size());
}

}  // namespace

int run_search(const Args& args, std::ostream& out) {
    po::options_description options = search_options(20, false);
    options.add_options()
        ("runnable", "list only the models hubbench can run (what compare would select)")
        ("format", po::value<std::string>()->default_value("table")->value_name("FMT"), "table|json");
    auto vm = parse_command("search", args, options);
    if (vm.count("help")) {
        print_command_help(out, "search", "[options]",
                           "Search the Hub (HF_ENDPOINT, default https://huggingface.co) for models. Each one is checked\n"
                           "(one model-info request) for whether hubbench can run it, as compare would: the RUNNABLE\n"
                           "column (JSON: runnable, not_runnable_reason); --runnable keeps only those.", options);
        return 0;
    }
    const hub::SearchQuery q = search_query_from(vm, "search");
    const std::string format = table_or_json(vm, "search");

    hub::HubClient client;
    auto models = screen(client, client.search(q));
    if (vm.count("runnable")) std::erase_if(models, [](const Screened& s) { return s.not_runnable.has_value(); });
    if (format == "json") {
        nlohmann::json j = nlohmann::json::array();
        for (const auto& [m, why] : models) {
            auto row = hub::summary_to_json(m);
            row["runnable"] = !why.has_value();
            row["not_runnable_reason"] = why ? nlohmann::json(*why) : nlohmann::json(nullptr);
            j.push_back(std::move(row));
        }
        out << j.dump(2) << "\n";
    } else {
        print_table(out, models);
    }
    return 0;
}

}  // namespace hubbench::cli
