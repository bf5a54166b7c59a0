// hubbench run: a suite (built-in name or YAML file) over a list of models, every result stored in
// the results database. Re-running resumes: what is stored is not measured again unless --force.
#include <fmt/format.h>

#include <iostream>

#include "cli/commands.hpp"
#include "cli/models_file.hpp"
#include "cli/options.hpp"
#include "cli/run_preview_text.hpp"
#include "core/error.hpp"
#include "core/log.hpp"
#include "harness/shard.hpp"
#include "harness/suite_runner.hpp"
#include "results/records.hpp"

namespace hubbench::cli {
int run_run(const Args& args, std::ostream& out) {
    po::options_description what("What to run");
    what.add_options()
        ("model,m", po::value<std::vector<std::string>>()->value_name("M"),
         "a model folder or a Hub repo id org/name[@revision] (repeatable; also positional)")
        ("models-file", po::value<std::string>()->value_name("FILE"), "more models, one per line (# comments)")
        ("suite,s", po::value<std::string>()->default_value("default")->value_name("NAME|FILE"),
         "a built-in suite name or a suite YAML file");
    po::options_description how("How");
    how.add_options()
        ("db", po::value<std::string>()->default_value("hubbench.db")->value_name("PATH"), "results database")
        ("label", po::value<std::string>()->value_name("L"), "run label (default: the suite's name); reports compare runs with the same label")
        ("force", "measure again what the database already has")
        ("dry-run", "print the plan (this shard's jobs, what the database has and would reuse, what would be measured) and stop: nothing is loaded or written")
        ("threads,t", po::value<int>()->default_value(0)->value_name("T"), "compute threads (0 = all cores)")
        ("shard", po::value<std::string>()->value_name("I/N|auto"),
         "run only models i with i mod N = I-1 (for parallel shards; see `hubbench merge`); auto: from a Slurm array "
         "task (SLURM_ARRAY_TASK_ID/_MIN/_COUNT) or a Kubernetes Indexed Job (JOB_COMPLETION_INDEX with --shards)")
        ("shards", po::value<std::size_t>()->value_name("N"), "the shard count with --shard auto on Kubernetes (default: $HUBBENCH_SHARDS)");
    po::options_description all;
    all.add(what).add(how);
    po::positional_options_description positional;
    positional.add("model", -1);
    auto vm = parse_command("run", args, all, &positional);
    if (vm.count("help")) {
        print_command_help(out, "run", "[--suite NAME|FILE] [--db PATH] MODEL...",
                           "Runs every task of a suite on every model and stores each result with its provenance.\n"
                           "A task the model cannot do is stored as skipped with the reason; a failure is stored and\n"
                           "the run goes on. Results already in the database are reused unless --force.",
                           all);
        return 0;
    }

    harness::SuiteRunRequest request;
    if (vm.count("models-file")) request.models = read_models_file(vm["models-file"].as<std::string>());
    if (vm.count("model")) {
        for (const auto& m : vm["model"].as<std::vector<std::string>>()) request.models.push_back(m);
    }
    if (request.models.empty()) throw Error(ErrorKind::usage, "run: name at least one model (--model DIR or org/name)");
    request.suite = suites::find_suite(vm["suite"].as<std::string>());
    request.database = vm["db"].as<std::string>();
    if (vm.count("label")) request.label = vm["label"].as<std::string>();
    request.force = vm.count("force") > 0;
    request.threads = vm["threads"].as<int>();
    if (request.threads < 0) throw Error(ErrorKind::usage, "--threads must be >= 0");
    if (vm.count("shards") && !vm.count("shard")) throw Error(ErrorKind::usage, "--shards goes with --shard auto");
    if (vm.count("shard")) {
        const auto shards = vm.count("shards") ? std::optional(vm["shards"].as<std::size_t>()) : std::nullopt;
        const auto shard = harness::resolve_shard(vm["shard"].as<std::string>(), shards, harness::process_environment());
        request.shard_index = shard.index;
        request.shard_count = shard.count;
        log::info("run: shard {} of {} ({})", shard.index + 1, shard.count, shard.source);
    }
    request.command_line = {"hubbench", "run"};
    request.command_line.insert(request.command_line.end(), args.begin(), args.end());

    if (vm.count("dry-run")) {
        print_run_preview(out, request, harness::preview_suite_run(request));
        return 0;
    }
    auto outcome = harness::run_suite(request, [](const std::string& line) { log::info("{}", line); });
    out << fmt::format("run {} {}: {} measured, {} reused, {} skipped, {} failed; results in {}\n", outcome.run.value,
                       results::to_string(outcome.status), outcome.measured, outcome.reused, outcome.skipped,
                       outcome.failed, request.database.string());
    return outcome.status == results::RunStatus::ok ? 0 : 1;
}

}  // namespace hubbench::cli
