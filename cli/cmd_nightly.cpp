// hubbench nightly: one night of a team's benchmark as one command. It runs a suite over a models
// file (resuming as `run` does, but reusing only what this night measured), stores the night id
// with every run, and in its last step writes the reports and compares the night with the previous
// night of the same label; its exit code says whether something got worse (README, "Exit codes").
// A sharded night (--shard I/N|auto: a Slurm array task, a Kubernetes Indexed Job pod) runs its
// shard only; after `hubbench merge`, `hubbench nightly finish` does the last step.
#include <fmt/format.h>

#include <chrono>
#include <ctime>

#include "cli/commands.hpp"
#include "cli/suite_run_options.hpp"
#include "cli/options.hpp"
#include "cli/run_preview_text.hpp"
#include "core/error.hpp"
#include "core/fs.hpp"
#include "core/log.hpp"
#include "harness/suite_runner.hpp"
#include "hub/client.hpp"
#include "reports/render.hpp"
#include "reports/verdict.hpp"
#include "results/store.hpp"

namespace hubbench::cli {
namespace {

std::string utc_date() {
    const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
    std::tm tm{};
    gmtime_r(&now, &tm);
    char text[16];
    std::strftime(text, sizeof text, "%Y-%m-%d", &tm);
    return text;
}

double percent_option(const po::variables_map& vm, const std::string& name) {
    const double value = vm[name].as<double>();
    if (!(value >= 0) || value > 1e6) throw Error(ErrorKind::usage, "nightly: --" + name + " must be a percentage ≥ 0");
    return value / 100.0;
}

po::options_description finish_options() {
    po::options_description options("The night's verdict and reports");
    options.add_options()
        ("threshold", po::value<double>()->default_value(1.0)->value_name("PCT"),
         "a quality metric is a regression when worse by more than this many percent and two combined standard errors")
        ("speed-threshold", po::value<double>()->default_value(10.0)->value_name("PCT"),
         "the same for speed and memory figures")
        ("output,o", po::value<std::vector<std::string>>()->value_name("FILE"),
         "write the night's report here, its format from the extension (.md .html .json .csv; repeatable)");
    return options;
}

// The last step of a night: the report against the previous night of the label, written to every
// --output, the regression list printed, and the exit code.
int finish_night(const po::variables_map& vm, const fs::path& db, const std::string& night, const std::optional<std::string>& label,
                 std::ostream& out) {
    if (!fs::exists(db)) throw Error(ErrorKind::not_found, db.string() + ": no such results database");
    auto store = results::ResultStore::open_for_reading(db);
    reports::ReportSelection selection;
    if (night.empty()) selection.last_night = true;
    else selection.night = night;
    selection.label = label;
    selection.relative_tolerance = percent_option(vm, "threshold");
    selection.speed_relative_tolerance = percent_option(vm, "speed-threshold");
    const auto report = reports::build_report(store, selection);
    if (vm.count("output")) {
        for (const auto& file : vm["output"].as<std::vector<std::string>>()) {
            const fs::path path = file;
            std::string ext = path.extension().string();
            if (ext == ".htm") ext = ".html";
            const auto format = ext.size() > 1 ? reports::parse_format(ext.substr(1)) : std::nullopt;
            if (!format) throw Error(ErrorKind::usage, "nightly: --output " + file + ": name it .md, .html, .json or .csv");
            write_file_atomic(path, reports::render(report, *format));
            log::info("nightly: wrote {}", file);
        }
    }
    const auto verdict = reports::judge(report);
    out << reports::verdict_text(report, verdict);
    return verdict.exit_code;
}

int run_finish(const Args& args, std::ostream& out) {
    po::options_description which("Which night");
    which.add_options()
        ("db", po::value<std::string>()->default_value("hubbench.db")->value_name("PATH"), "the merged results database")
        ("label", po::value<std::string>()->value_name("L"), "the night's label (default: any)")
        ("night", po::value<std::string>()->value_name("ID"), "the night id (default: the latest night)");
    po::options_description all;
    all.add(which).add(finish_options());
    auto vm = parse_command("nightly finish", args, all);
    if (vm.count("help")) {
        print_command_help(out, "nightly finish", "[--db PATH] [--night ID] [--label L] [-o report.html]...",
                           "The last step of a sharded night, after `hubbench merge`: the night's reports, its regressions\n"
                           "against the previous night of its label, and the exit code (0 none, 3 regression, 4 failed results).",
                           all);
        return 0;
    }
    const std::optional<std::string> label = vm.count("label") ? std::optional(vm["label"].as<std::string>()) : std::nullopt;
    return finish_night(vm, vm["db"].as<std::string>(), vm.count("night") ? vm["night"].as<std::string>() : "", label, out);
}

}  // namespace

int run_nightly(const Args& args, std::ostream& out) {
    if (!args.empty() && args.front() == "finish") return run_finish(Args(args.begin() + 1, args.end()), out);

    po::options_description what("What to run");
    what.add_options()
        ("suite,s", po::value<std::string>()->default_value("default")->value_name("NAME|FILE"), "a built-in suite name or a suite YAML file")
        ("models-file", po::value<std::string>()->value_name("FILE"), "the night's models, one per line (# comments)")
        ("model,m", po::value<std::vector<std::string>>()->value_name("M"), "a model besides the models file (repeatable; also positional)");
    po::options_description how("The night");
    how.add_options()
        ("db", po::value<std::string>()->default_value("hubbench.db")->value_name("PATH"), "results database (a shard's own, when sharded)")
        ("label", po::value<std::string>()->value_name("L"), "the night's label (default: the suite's name); nights compare within a label")
        ("night", po::value<std::string>()->value_name("ID"), "the night id every shard shares (default: LABEL-YYYY-MM-DD, the UTC date)")
        ("shard", po::value<std::string>()->value_name("I/N|auto"),
         "run only this shard's models (I/N, or auto: SLURM_ARRAY_TASK_ID/_MIN/_COUNT or JOB_COMPLETION_INDEX with --shards); "
         "then merge the shard databases and run `hubbench nightly finish`")
        ("shards", po::value<std::size_t>()->value_name("N"), "the shard count with --shard auto on Kubernetes (default: $HUBBENCH_SHARDS)")
        ("threads,t", po::value<int>()->default_value(0)->value_name("T"), "compute threads (0 = all cores)")
        ("dtype", po::value<std::string>()->value_name("D"), dtype_help)
        ("api-key-env", po::value<std::string>()->value_name("NAME"), api_key_env_help)
        ("force", "measure again what this night already measured")
        ("dry-run", "print the plan (jobs of this shard, what the night already has, what would be measured) and stop");
    po::options_description all;
    all.add(what).add(how).add(finish_options());
    po::positional_options_description positional;
    positional.add("model", -1);
    auto vm = parse_command("nightly", args, all, &positional);
    if (vm.count("help")) {
        print_command_help(out, "nightly", "--models-file F [--suite S] [--db D] [--label L] [--night ID] [--shard I/N|auto] [-o report.html]...\n"
                                           "       hubbench nightly finish [--db D] [--night ID] [--label L] [-o report.html]...",
                           "One night of a benchmark: runs the suite over the models (resuming what this night already\n"
                           "measured), then reports the night against the previous night of its label. Exit codes: 0 no\n"
                           "regression, 3 a regression, 4 some results failed (1 an error, 2 a usage error). A sharded night\n"
                           "runs its shard and exits 0 when the shard ran; `nightly finish` after `merge` gives the verdict.",
                           all);
        return 0;
    }

    auto request = suite_run_request(vm, "nightly", args);
    if (!vm.count("label")) request.label = request.suite.name;
    request.night = vm.count("night") ? vm["night"].as<std::string>() : request.label + "-" + utc_date();
    if (request.night.empty()) throw Error(ErrorKind::usage, "nightly: --night must not be empty");
    // Validate the verdict options now, not after a night of measuring.
    percent_option(vm, "threshold");
    percent_option(vm, "speed-threshold");

    if (vm.count("dry-run")) {
        out << "night " << request.night << " (label " << request.label << ")\n";
        print_run_preview(out, request, harness::preview_suite_run(request));
        return 0;
    }
    // A night measures each repo id at its revision as it is tonight: every model is pulled, which
    // asks the Hub (or HF_ENDPOINT's mirror) for the revision's commit before trusting the cache,
    // so a new commit of main is measured as such. Offline (HF_HUB_OFFLINE, or the Hub
    // unreachable) the cached snapshot is used, with a warning.
    hub::HubClient client(hub::ClientOptions::from_environment());
    request.hub_client = &client;
    auto outcome = harness::run_suite(request, [](const std::string& line) { log::info("{}", line); });
    out << fmt::format("night {}: run {} {}: {} measured, {} reused, {} skipped, {} failed; results in {}\n", request.night,
                       outcome.run.value, results::to_string(outcome.status), outcome.measured, outcome.reused, outcome.skipped,
                       outcome.failed, request.database.string());
    if (outcome.status == results::RunStatus::interrupted) return 1;
    if (request.shard_count > 1) {
        // Failed results do not fail the shard: the scheduler must still start the merge job
        // (afterok), and `nightly finish` reports them with exit code 4.
        out << fmt::format("shard {}/{} done; after every shard: hubbench merge SHARD.db... --into NIGHT.db && "
                           "hubbench nightly finish --db NIGHT.db --night {}\n",
                           request.shard_index + 1, request.shard_count, request.night);
        return 0;
    }
    return finish_night(vm, request.database, request.night, request.label, out);
}

}  // namespace hubbench::cli
