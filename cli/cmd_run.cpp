// hubbench run: a suite (built-in name or YAML file) over a list of models, every result stored in
// the results database. Re-running resumes: what is stored is not measured again unless --force.
#include <fmt/format.h>

#include <iostream>

#include "cli/commands.hpp"
#include "cli/suite_run_options.hpp"
#include "cli/options.hpp"
#include "cli/run_preview_text.hpp"
#include "core/error.hpp"
#include "core/log.hpp"
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
        ("dtype", po::value<std::string>()->value_name("D"), dtype_help)
        ("api-key-env", po::value<std::string>()->value_name("NAME"), api_key_env_help)
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

    auto request = suite_run_request(vm, "run", args);

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
