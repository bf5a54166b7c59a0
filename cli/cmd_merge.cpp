// hubbench merge A.db B.db ... --into C.db: combine shard databases without duplicates.
#include "cli/commands.hpp"
#include "cli/options.hpp"
#include "core/error.hpp"
#include "results/merge.hpp"

namespace hubbench::cli {

int run_merge(const Args& args, std::ostream& out) {
    po::options_description options("Merge");
    options.add_options()
        ("input", po::value<std::vector<std::string>>()->value_name("DB"), "shard databases to read")
        ("into", po::value<std::string>()->value_name("PATH"), "database to merge into (created when missing)");
    po::positional_options_description positional;
    positional.add("input", -1);
    auto vm = parse_command("merge", args, options, &positional);
    if (vm.count("help")) {
        print_command_help(out, "merge", "A.db B.db ... --into C.db",
                           "Copy the runs, results, metrics and trials of shard databases into one, matching\n"
                           "rows by identity (run uuid, model commit, dataset sha256, parameters), so merging\n"
                           "the same shard twice adds nothing. On any error the target is left unchanged.",
                           options);
        return 0;
    }
    if (!vm.count("into")) throw Error(ErrorKind::usage, "merge: --into PATH is required (see 'hubbench merge --help')");
    if (!vm.count("input")) throw Error(ErrorKind::usage, "merge: give at least one input database");
    std::vector<results::fs::path> inputs;
    for (const auto& s : vm["input"].as<std::vector<std::string>>()) inputs.emplace_back(s);
    auto target = vm["into"].as<std::string>();
    auto stats = results::merge_databases(inputs, target);
    out << "merged " << inputs.size() << (inputs.size() == 1 ? " database" : " databases") << " into " << target
        << ": added " << stats.runs << " runs, " << stats.models << " models, " << stats.datasets << " datasets, "
        << stats.results << " results, " << stats.metrics << " metrics, " << stats.samples << " samples, "
        << stats.trials << " trials";
    if (stats.runs_updated > 0) out << "; " << stats.runs_updated << " runs finished since the last merge";
    if (stats.replaced > 0) out << "; " << stats.replaced << " results replaced by newer copies";
    out << "\n";
    return 0;
}

}  // namespace hubbench::cli
