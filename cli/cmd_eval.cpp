// hubbench eval --model M --task T: one task on one model, printed as a table or as JSON
// ({"model","model_revision","task","params","metrics","n","seconds"}; an array of such objects
// when several strides are asked for at once).
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <optional>

#include "adapters/open.hpp"
#include "cli/commands.hpp"
#include "cli/options.hpp"
#include "core/error.hpp"
#include "cli/task_options.hpp"
#include "core/fs.hpp"
#include "suites/task.hpp"

namespace hubbench::cli {
namespace {

std::string format_value(double v) {
    // Counts print as integers, everything else with six significant digits.
    if (std::abs(v) < 1e15 && v == std::floor(v)) return fmt::format("{}", static_cast<long long>(v));
    return fmt::format("{:.6g}", v);
}

void print_table(std::ostream& out, const suites::SuiteResult& r, const adapters::ModelInfo& model) {
    out << "model     " << model.id;
    // A commit is shown short; a served model's revision is its server, shown whole.
    if (!model.revision.empty()) out << " @ " << (model.revision.starts_with("served:") ? model.revision : model.revision.substr(0, 12));
    out << " (" << model.model_type << ", " << model_kind_name(model.kind);
    if (!model.compute_dtype.empty()) out << ", " << model.compute_dtype;
    out << ")\n";
    out << "task      " << r.task << "\n";
    std::string params;
    for (const auto& [key, value] : r.params.items()) {
        if (key == "dataset_sha256") continue;
        params += (params.empty() ? "" : ", ") + key + "=" + (value.is_string() ? value.get<std::string>() : value.dump());
    }
    out << "params    " << params << "\n";
    if (r.skipped) {
        out << "skipped   " << *r.skipped << "\n";
        return;
    }
    std::size_t width = 6;
    for (const auto& m : r.metrics) width = std::max(width, m.name.size());
    out << "\n";
    for (const auto& m : r.metrics) {
        out << fmt::format("  {:<{}}  {:>14}", m.name, width, format_value(m.value));
        if (m.std_error) out << fmt::format("  ± {}", format_value(*m.std_error));
        out << "\n";
    }
    out << fmt::format("\nn {}  ·  {:.2f} s (tokenize {:.2f} s, forward {:.2f} s, score {:.2f} s)\n", r.n, r.seconds,
                       r.timings.tokenize, r.timings.forward, r.timings.score);
}

}  // namespace

int run_eval(const Args& args, std::ostream& out) {
    const auto& entries = suites::task_entries();
    std::string task_list;
    for (const auto& name : suites::task_names()) task_list += (task_list.empty() ? "" : " | ") + name;
    po::options_description options("Eval");
    options.add_options()
        ("model,m", po::value<std::string>()->value_name("DIR|REPO"), "model folder or Hub repo id (org/name[@revision])")
        ("task,t", po::value<std::string>()->value_name("TASK"), task_list.c_str())
        ("dataset", po::value<std::string>()->value_name("PATH"),
         "the task's data: a text file, an STS-B file, a CSV/TSV/JSONL table or a BEIR folder; default: the task's bundled set")
        ("threads", po::value<int>()->default_value(0)->value_name("T"), "compute threads (0 = all cores)")
        ("dtype", po::value<std::string>()->value_name("D"), dtype_help)
        ("api-key-env", po::value<std::string>()->value_name("NAME"), api_key_env_help)
        ("predictions", po::value<std::string>()->value_name("FILE.jsonl"),
         "write one line per item: {\"index\",\"gold\",\"prediction\",\"scores\"} (classification, multiple-choice)")
        ("format", po::value<std::string>()->default_value("table")->value_name("table|json"), "output format");
    options.add(task_parameter_options(entries, "Task parameters (each applies to the tasks it names)"));
    auto vm = parse_command("eval", args, options);
    if (vm.count("help")) {
        std::string summary = "Run one task on one model and print its metrics. A model that cannot run the task is an error.\n";
        for (const auto* entry : entries) summary += "  " + entry->name + ": " + entry->summary + "\n";
        print_command_help(out, "eval", "--model DIR|REPO --task TASK [options]", summary, options);
        return 0;
    }
    if (!vm.count("model")) throw Error(ErrorKind::usage, "eval: missing --model (see 'hubbench eval --help')");
    if (!vm.count("task")) throw Error(ErrorKind::usage, "eval: missing --task (" + task_list + ")");
    const std::string format = table_or_json(vm, "eval");

    suites::TaskSpec spec;
    spec.task = vm["task"].as<std::string>();
    try {
        const suites::TaskEntry& entry = suites::task_entry(spec.task);
        if (vm.count("dataset")) spec.dataset.path = vm["dataset"].as<std::string>();
        spec.params = task_parameters(vm, entry, entries, "eval");
        suites::check_task(spec);  // a wrong option fails before the model loads
    } catch (const Error& e) {
        if (e.kind() != ErrorKind::usage) throw;
        const std::string message = e.what();
        throw Error(ErrorKind::usage, message.rfind("eval: ", 0) == 0 ? message : "eval: " + message);
    }
    std::optional<std::filesystem::path> predictions;
    if (vm.count("predictions")) predictions = vm["predictions"].as<std::string>();

    adapters::OpenOptions open;
    open.threads = vm["threads"].as<int>();
    open.dtype = dtype_option(vm, "eval");
    if (vm.count("api-key-env")) open.api_key_env = vm["api-key-env"].as<std::string>();
    auto adapter = adapters::open_model(vm["model"].as<std::string>(), open);
    const auto results = suites::run_task(*adapter, spec);
    // A model that can do none of what was asked (every method not applicable) is an error here;
    // `run` and `compare` record it as not applicable instead.
    if (std::all_of(results.begin(), results.end(), [](const suites::SuiteResult& r) { return r.skipped.has_value(); })) {
        throw Error(ErrorKind::unsupported, *results.front().skipped);
    }

    if (predictions) {
        std::string lines;
        for (const auto& r : results) {
            for (const auto& p : r.predictions) lines += p.dump() + "\n";
        }
        write_file_atomic(*predictions, lines);
    }
    if (format == "json") {
        nlohmann::json j = nlohmann::json::array();
        for (const auto& r : results) j.push_back(suites::to_json(r, adapter->info()));
        out << (j.size() == 1 ? j[0] : j).dump(2) << "\n";
    } else {
        for (std::size_t i = 0; i < results.size(); ++i) {
            if (i) out << "\n";
            print_table(out, results[i], adapter->info());
        }
    }
    return 0;
}

}  // namespace hubbench::cli
