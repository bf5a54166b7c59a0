// hubbench db check [--db PATH]: integrity, schema version and references of a results database.
#include "cli/commands.hpp"
#include "cli/options.hpp"
#include "core/error.hpp"
#include "results/check.hpp"
#include "results/store.hpp"

namespace hubbench::cli {

namespace {

void print_lines(std::ostream& out, const char* label, const std::vector<std::string>& lines) {
    if (lines.empty()) {
        out << label << ": ok\n";
        return;
    }
    out << label << ": " << lines.size() << (lines.size() == 1 ? " problem\n" : " problems\n");
    for (const auto& line : lines) out << "  " << line << "\n";
}

}  // namespace

int run_db(const Args& args, std::ostream& out) {
    po::options_description options("Database");
    options.add_options()
        ("action", po::value<std::string>()->value_name("check"), "what to do (check)")
        ("db", po::value<std::string>()->default_value(results::default_database_path)->value_name("PATH"),
         "results database");
    po::positional_options_description positional;
    positional.add("action", 1);
    auto vm = parse_command("db", args, options, &positional);
    if (vm.count("help")) {
        print_command_help(out, "db", "check [--db PATH]",
                           "Check a results database: SQLite's integrity_check and foreign_key_check, and its\n"
                           "tables against the schema of its version. Exits 1 when anything is wrong. Reads only.",
                           options);
        return 0;
    }
    if (!vm.count("action") || vm["action"].as<std::string>() != "check") {
        throw Error(ErrorKind::usage, "db: expected 'check' (see 'hubbench db --help')");
    }
    auto path = vm["db"].as<std::string>();
    auto report = results::check_database(path);
    out << "database: " << path << "\n";
    if (report.integrity == std::vector<std::string>{"ok"}) {
        out << "integrity: ok\n";
    } else {
        print_lines(out, "integrity", report.integrity);
    }
    out << "schema: version " << report.schema_version << " (this hubbench writes " << report.current_version << ")";
    if (report.schema_problems.empty() && report.schema_version < report.current_version) {
        out << ", migrated on the next write";
    }
    out << "\n";
    print_lines(out, "schema check", report.schema_problems);
    print_lines(out, "foreign keys", report.foreign_key_problems);
    if (!report.journal_mode.empty()) out << "journal: " << report.journal_mode << "\n";
    out << "runs: " << report.runs;
    if (report.unfinished_runs > 0) out << " (" << report.unfinished_runs << " unfinished: killed, or still running)";
    out << "\nresults: " << report.results << "\nmetrics: " << report.metrics << "\n";
    if (!report.ok()) {
        out.flush();
        throw Error(ErrorKind::invalid_input, path + ": database check failed");
    }
    out << "status: ok\n";
    return 0;
}

}  // namespace hubbench::cli
