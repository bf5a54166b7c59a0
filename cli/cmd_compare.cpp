// hubbench compare: the main job. Search the Hub for candidates, keep those hubbench can run,
// pull them, run a suite on each (encoders and decoders alike), store everything, and report them
// side by side. `--embedded` (the default when no search option is given) serves the small models
// shipped in assets/models through an in-process Hub mirror on 127.0.0.1, so the whole path —
// search, download into an HF cache, evaluation, SQLite, report — runs offline.
#include <fmt/format.h>

#include <filesystem>
#include <memory>

#include "cli/commands.hpp"
#include "cli/options.hpp"
#include "cli/run_preview_text.hpp"
#include "cli/search_options.hpp"
#include "cli/task_options.hpp"
#include "core/error.hpp"
#include "core/fs.hpp"
#include "core/log.hpp"
#include "harness/compare.hpp"
#include "hub/mirror.hpp"
#include "reports/render.hpp"
#include "results/store.hpp"
#include "suites/task.hpp"

namespace hubbench::cli {
namespace {

bool any_search_option(const po::variables_map& vm) {
    for (const char* name : {"query", "author", "task", "library", "filter", "max-params", "min-params", "license"}) {
        if (vm.count(name)) return true;
    }
    return false;
}

reports::Format format_of(const std::filesystem::path& file) {
    std::string ext = file.extension().string();
    if (!ext.empty()) ext.erase(0, 1);
    auto format = reports::parse_format(ext);
    if (!format) throw Error(ErrorKind::usage, "compare: --report " + file.string() + ": the extension must be .md, .csv, .json or .html");
    return *format;
}

// The suite of `compare --data`: one classification spec whose methods are the probe, and with a
// prompt also likelihood (decoders) and cloze (masked LMs, when the template has {mask}); a model
// gets the methods it can run, the others are recorded as not applicable.
suites::SuiteFile data_suite(const po::variables_map& vm, const suites::TaskEntry& entry) {
    suites::TaskSpec spec;
    spec.task = entry.name;
    spec.dataset.path = std::filesystem::absolute(vm["data"].as<std::string>());
    spec.params = task_parameters(vm, entry, {&entry}, "compare");
    if (!spec.params.contains("method")) {
        nlohmann::json methods = {"probe"};
        if (spec.params.contains("template") && spec.params.contains("verbalizers")) {
            methods.push_back("likelihood");
            if (spec.params["template"].get<std::string>().find("{mask}") != std::string::npos) methods.push_back("cloze");
        }
        spec.params["method"] = methods.size() == 1 ? methods[0] : methods;
    }
    try {
        suites::check_task(spec);
    } catch (const Error& e) {
        throw Error(ErrorKind::usage, std::string("compare: ") + e.what());
    }
    suites::SuiteFile suite;
    suite.name = "data";
    suite.description = "classification of " + spec.dataset.path.string();
    suite.tasks.push_back(std::move(spec));
    return suite;
}

}  // namespace

int run_compare(const Args& args, std::ostream& out) {
    po::options_description search = search_options(3, true);
    po::options_description source("Where the models come from");
    source.add_options()
        ("embedded", "serve the models shipped in assets/models through an in-process mirror (default when no search option is given)")
        ("cache", po::value<std::string>()->value_name("DIR"), "Hugging Face hub cache to download into (default: HF_HUB_CACHE, or <db folder>/hub-cache with --embedded)");
    po::options_description run("Run and report");
    run.add_options()
        ("suite,s", po::value<std::string>()->default_value("default")->value_name("NAME|FILE"), "a built-in suite name or a suite YAML file")
        ("db", po::value<std::string>()->default_value("hubbench.db")->value_name("PATH"), "results database")
        ("label", po::value<std::string>()->default_value("compare")->value_name("L"), "run label; reports compare with the previous run of the same label")
        ("force", "measure again what the database already has")
        ("dry-run", "search and screen the candidates, then print the plan (jobs, what the database has and would reuse, what "
                    "would be measured) and stop: nothing is pulled, loaded or written")
        ("threads,t", po::value<int>()->default_value(0)->value_name("T"), "compute threads (0 = all cores)")
        ("dtype", po::value<std::string>()->value_name("D"), dtype_help)
        ("api-key-env", po::value<std::string>()->value_name("NAME"), api_key_env_help)
        ("report,r", po::value<std::vector<std::string>>()->composing()->value_name("FILE"),
         "also write the report to FILE; the format follows the extension: .md .csv .json .html (repeatable)");
    // The main job on the user's own data: classification of --data by every candidate.
    const suites::TaskEntry& classification = suites::task_entry("classification");
    suites::TaskEntry data_params = classification;  // the options --data takes (no --limit: search has one)
    std::erase_if(data_params.params, [](const suites::ParamSpec& p) {
        return p.name == "limit" || p.name == "batch_size" || p.name == "bootstrap";
    });
    po::options_description data("Your data (replaces --suite with a classification of FILE)");
    data.add_options()("data", po::value<std::string>()->value_name("FILE"),
                       "a CSV, TSV or JSONL file of labelled texts: every candidate gets the probe; with --template and "
                       "--verbalizers decoders also the likelihood method and masked LMs the cloze method ({mask} in the template)");
    data.add(task_parameter_options({&data_params}, ""));
    po::options_description all;
    all.add(search).add(source).add(run).add(data);
    auto vm = parse_command("compare", args, all);
    if (vm.count("help")) {
        print_command_help(out, "compare", "[search options] [--suite S | --data FILE --text-column C --label-column L [--template T --verbalizers V]] [--db PATH] [--report FILE]...",
                           "Searches the Hub for candidates (one search per --task), keeps those the native adapter can run,\n"
                           "pulls them, runs the suite on every one, stores the results and prints a Markdown report:\n"
                           "encoders and decoders side by side, regressions since the previous run, failures and why.\n"
                           "Without search options it runs on the embedded fixture models, offline.",
                           all);
        return 0;
    }

    const bool embedded = vm.count("embedded") > 0 || !any_search_option(vm);
    harness::CompareRequest request;
    hub::SearchQuery base = search_query_from(vm, "compare");
    if (vm.count("task")) {
        for (const auto& task : vm["task"].as<std::vector<std::string>>()) {
            hub::SearchQuery q = base;
            q.pipeline_tag = task;
            request.searches.push_back(q);
        }
    } else {
        if (embedded && vm["limit"].defaulted()) base.limit = 1000;  // every embedded model (the mirror holds a few dozen)
        request.searches.push_back(base);
    }
    request.run.database = vm["db"].as<std::string>();
    request.run.label = vm["label"].as<std::string>();
    if (vm.count("data")) {
        request.run.suite = data_suite(vm, data_params);
        if (vm["label"].defaulted()) request.run.label = "compare " + std::filesystem::path(vm["data"].as<std::string>()).filename().string();
    } else {
        for (const auto& p : data_params.params) {
            if (vm.count(option_name(p.name))) throw Error(ErrorKind::usage, "compare: --" + option_name(p.name) + " goes with --data FILE");
        }
        request.run.suite = suites::find_suite(vm["suite"].as<std::string>());
    }
    request.run.force = vm.count("force") > 0;
    request.run.threads = vm["threads"].as<int>();
    request.run.dtype = dtype_option(vm, "compare", request.run.suite.dtype);
    if (vm.count("api-key-env")) request.run.api_key_env = vm["api-key-env"].as<std::string>();
    if (request.run.threads < 0) throw Error(ErrorKind::usage, "compare: --threads must be >= 0");
    request.run.command_line = {"hubbench", "compare"};
    request.run.command_line.insert(request.run.command_line.end(), args.begin(), args.end());
    std::vector<std::filesystem::path> report_files;
    if (vm.count("report")) {
        for (const auto& f : vm["report"].as<std::vector<std::string>>()) {
            format_of(f);  // reject a bad extension before any work
            report_files.emplace_back(f);
        }
    }

    hub::ClientOptions client_options = hub::ClientOptions::from_environment();
    std::unique_ptr<hub::MirrorServer> mirror;
    if (embedded) {
        hub::MirrorOptions mirror_options;
        mirror_options.root = assets_dir() / "models";
        mirror = std::make_unique<hub::MirrorServer>(mirror_options);
        mirror->start();
        client_options.endpoint = mirror->url();
        client_options.offline = false;  // loopback only: the mirror is this process
        client_options.token.reset();
        std::filesystem::path db_folder = request.run.database.parent_path();
        client_options.cache_dir = (db_folder.empty() ? std::filesystem::path(".") : db_folder) / "hub-cache";
        log::info("compare: embedded models from {} served at {}", mirror_options.root.string(), mirror->url());
    }
    if (vm.count("cache")) client_options.cache_dir = vm["cache"].as<std::string>();
    hub::HubClient client(client_options);

    if (vm.count("dry-run")) {
        const auto selected = harness::select_candidates(request, client, [](const std::string& line) { log::info("{}", line); });
        out << fmt::format("{} candidates, {} selected\n", selected.considered, selected.selected);
        print_run_preview(out, request.run, harness::preview_suite_run(request.run));
        return 0;
    }
    auto outcome = harness::compare_models(request, client, [](const std::string& line) { log::info("{}", line); });

    results::StoreOptions read_only;
    read_only.mode = results::OpenMode::read_only;
    results::ResultStore store(request.run.database, read_only);
    reports::ReportSelection selection;
    selection.run = outcome.run.run;
    const reports::ReportData report = reports::build_report(store, selection);
    for (const auto& file : report_files) {
        write_file_atomic(file, reports::render(report, format_of(file)));
        log::info("compare: report written to {}", file.string());
    }
    out << reports::render_markdown(report);
    log::info("compare: {} candidates, {} selected; run {} {}: {} measured, {} reused, {} skipped, {} failed; results in {}",
              outcome.considered, outcome.selected, outcome.run.run.value, results::to_string(outcome.run.status),
              outcome.run.measured, outcome.run.reused, outcome.run.skipped, outcome.run.failed,
              request.run.database.string());
    return outcome.run.status == results::RunStatus::ok ? 0 : 1;
}

}  // namespace hubbench::cli
