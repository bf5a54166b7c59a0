// hubbench history: one metric (or all) over time from the results database, as a table, JSON,
// CSV or Markdown.
#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "cli/options.hpp"
#include "cli/text_table.hpp"
#include "core/error.hpp"
#include "core/log.hpp"
#include "reports/format.hpp"
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

// The JSON keys as columns, one row per value; RFC 4180 (CRLF, quoted fields).
void print_csv(std::ostream& out, const std::vector<results::HistoryPoint>& points) {
    const char* columns[] = {"time",  "run",    "result", "model", "model_commit", "task", "dataset", "dataset_sha256", "parameters",
                             "metric", "value", "stderr", "n",     "unit",         "higher_is_better", "hubbench_version",
                             "hubbench_commit"};
    for (std::size_t i = 0; i < std::size(columns); ++i) out << (i ? "," : "") << columns[i];
    out << "\r\n";
    for (const auto& p : points) {
        const auto& m = p.metric;
        const std::vector<std::string> row{
            p.time, std::to_string(p.run.value), std::to_string(p.result.value), p.model.repo_id, p.model.commit_sha, p.task,
            p.dataset_name, p.dataset_sha256, p.parameters, m.name, reports::exact_number(m.value),
            m.std_error ? reports::exact_number(*m.std_error) : "", std::to_string(m.n), m.unit.value_or(""),
            m.higher_is_better ? (*m.higher_is_better ? "true" : "false") : "", p.hubbench_version, p.hubbench_commit};
        for (std::size_t i = 0; i < row.size(); ++i) out << (i ? "," : "") << reports::csv_field(row[i]);
        out << "\r\n";
    }
}

// A GitHub-flavoured Markdown table, the columns of the text table.
void print_markdown(std::ostream& out, const std::vector<results::HistoryPoint>& points) {
    out << "| time | run | model | commit | task | dataset | parameters | metric | value | n | hubbench |\n"
        << "|---|---:|---|---|---|---|---|---|---:|---:|---|\n";
    for (const auto& p : points) {
        const std::vector<std::string> row{p.time, std::to_string(p.run.value), p.model.repo_id, short_commit(p.model.commit_sha),
                                           p.task, p.dataset_name, p.parameters, p.metric.name, format_value(p.metric),
                                           std::to_string(p.metric.n), p.hubbench_version + " " + short_commit(p.hubbench_commit)};
        out << '|';
        for (const auto& cell : row) out << ' ' << reports::markdown_cell(cell) << " |";
        out << '\n';
    }
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
        ("format", po::value<std::string>()->default_value("table")->value_name("FMT"), "table|json|csv|md");
    auto vm = parse_command("history", args, options);
    if (vm.count("help")) {
        print_command_help(out, "history", "[--db PATH] [--model M] [--task T] [--metric N] [--format table|json|csv|md]",
                           "Show stored metrics over time, oldest run first, with the model commit, dataset\n"
                           "and hubbench commit behind each value. Only successful results are listed.",
                           options);
        return 0;
    }
    const std::string format = vm["format"].as<std::string>();
    if (format != "table" && format != "json" && format != "csv" && format != "md")
        throw Error(ErrorKind::usage, "history: --format must be table, json, csv or md, not '" + format + "'");
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
    } else if (format == "csv") {
        print_csv(out, points);
    } else if (format == "md") {
        print_markdown(out, points);
    } else if (points.empty()) {
        log::info("history: no stored metric in {} matches", path);
    } else {
        print_table(out, points);
    }
    return 0;
}

}  // namespace hubbench::cli
