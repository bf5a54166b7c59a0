// hubbench history: one metric (or all) over time from the results database, as a table or JSON.
#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "cli/options.hpp"
#include "cli/text_table.hpp"
#include "core/error.hpp"
#include "core/log.hpp"
#include "results/store.hpp"

namespace hubbench::cli {

namespace {

std::string short_commit(const std::string& commit) { return commit.substr(0, 12); }

std::string format_value(const results::Metric& m) {
    std::string text = fmt::format("{:.6g}", m.value);
    if (m.std_error) text += fmt::format(" ± {:.2g}", *m.std_error);
    return text;
}

void print_table(std::ostream& out, const std::vector<results::HistoryPoint>& points) {
    TextTable table({"time", "run", "model", "commit", "task", "dataset", "parameters", "metric", "value", "n",
                     "hubbench"},
                    {false, true, false, false, false, false, false, false, true, true, false});
    for (const auto& p : points) {
        table.add_row({p.time, std::to_string(p.run.value), p.model.repo_id, short_commit(p.model.commit_sha), p.task,
                       p.dataset_name, p.parameters, p.metric.name, format_value(p.metric),
                       std::to_string(p.metric.n), p.hubbench_version + " " + short_commit(p.hubbench_commit)});
    }
    table.print(out);
}

nlohmann::json to_json(const results::HistoryPoint& p) {
    nlohmann::json j;
    j["time"] = p.time;
    j["run"] = p.run.value;
    j["result"] = p.result.value;
    j["model"] = p.model.repo_id;
    j["model_commit"] = p.model.commit_sha;
    j["task"] = p.task;
    j["dataset"] = p.dataset_name;
    j["dataset_sha256"] = p.dataset_sha256;
    j["parameters"] = nlohmann::json::parse(p.parameters);
    j["metric"] = p.metric.name;
    j["value"] = p.metric.value;  // ±inf becomes null: JSON has no infinity
    j["stderr"] = p.metric.std_error ? nlohmann::json(*p.metric.std_error) : nlohmann::json(nullptr);
    j["n"] = p.metric.n;
    j["unit"] = p.metric.unit ? nlohmann::json(*p.metric.unit) : nlohmann::json(nullptr);
    j["higher_is_better"] = p.metric.higher_is_better ? nlohmann::json(*p.metric.higher_is_better) : nlohmann::json(nullptr);
    j["hubbench_version"] = p.hubbench_version;
    j["hubbench_commit"] = p.hubbench_commit;
    return j;
}

}  // namespace

int run_history(const Args& args, std::ostream& out) {
    po::options_description options("History");
    options.add_options()
        ("db", po::value<std::string>()->default_value(results::default_database_path)->value_name("PATH"),
         "results database")
        ("model", po::value<std::string>()->value_name("REPO"), "only this model (repo id)")
        ("task", po::value<std::string>()->value_name("TASK"), "only this task (perplexity, pppl, sts, speed)")
        ("metric", po::value<std::string>()->value_name("NAME"), "only this metric")
        ("label", po::value<std::string>()->value_name("LABEL"), "only runs with this label (e.g. a suite name)")
        ("format", po::value<std::string>()->default_value("table")->value_name("FMT"), "table|json");
    auto vm = parse_command("history", args, options);
    if (vm.count("help")) {
        print_command_help(out, "history", "[--db PATH] [--model M] [--task T] [--metric N] [--format table|json]",
                           "Show stored metrics over time, oldest run first, with the model commit, dataset\n"
                           "and hubbench commit behind each value. Only successful results are listed.",
                           options);
        return 0;
    }
    const std::string format = table_or_json(vm, "history");
    results::ResultFilter filter;
    if (vm.count("model")) filter.model = vm["model"].as<std::string>();
    if (vm.count("task")) filter.task = vm["task"].as<std::string>();
    if (vm.count("metric")) filter.metric = vm["metric"].as<std::string>();
    if (vm.count("label")) filter.label = vm["label"].as<std::string>();

    auto path = vm["db"].as<std::string>();
    auto store = results::ResultStore::open_for_reading(path);
    auto points = store.history(filter);
    if (format == "json") {
        nlohmann::json list = nlohmann::json::array();
        for (const auto& p : points) list.push_back(to_json(p));
        out << list.dump(2) << "\n";
    } else if (points.empty()) {
        log::info("history: no stored metric in {} matches", path);
    } else {
        print_table(out, points);
    }
    return 0;
}

}  // namespace hubbench::cli
