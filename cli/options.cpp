#include "cli/options.hpp"

#include <regex>

#include "core/error.hpp"
#include "core/log.hpp"
#include "core/progress.hpp"

namespace hubbench::cli {

po::options_description output_options() {
    po::options_description group("Output");
    group.add_options()
        ("help,h", "show this help and exit")
        ("verbose,v", "more detail on stderr; repeat (-vv) for trace")
        ("quiet,q", "only errors on stderr; no progress bar")
        ("log-level", po::value<std::string>()->value_name("LEVEL"),
         "error|warn|info|debug|trace (default: info, or $HUBBENCH_LOG)");
    return group;
}

int take_verbosity(Args& args) {
    static const std::regex short_v("^-v+$");
    int count = 0;
    Args kept;
    bool after_double_dash = false;
    for (auto& a : args) {
        if (!after_double_dash && a == "--") after_double_dash = true;
        if (!after_double_dash && std::regex_match(a, short_v)) {
            count += static_cast<int>(a.size()) - 1;
        } else if (!after_double_dash && a == "--verbose") {
            ++count;
        } else {
            kept.push_back(std::move(a));
        }
    }
    args = std::move(kept);
    return count;
}

void apply_output_options(const po::variables_map& vm, int verbosity) {
    if (!log::apply_environment()) {
        throw Error(ErrorKind::usage, "HUBBENCH_LOG must be one of error, warn, info, debug, trace, off");
    }
    if (vm.count("log-level")) {
        auto name = vm["log-level"].as<std::string>();
        auto level = log::parse_level(name);
        if (!level) throw Error(ErrorKind::usage, "--log-level: '" + name + "' is not one of error, warn, info, debug, trace, off");
        log::set_level(*level);
    }
    if (verbosity == 1) log::set_level(log::Level::debug);
    if (verbosity >= 2) log::set_level(log::Level::trace);
    if (vm.count("quiet")) {
        log::set_level(log::Level::error);
        set_progress_mode(ProgressMode::off);
    }
}

po::variables_map parse_command(const std::string& command, Args args, const po::options_description& options,
                                const po::positional_options_description* positional) {
    int verbosity = take_verbosity(args);
    po::options_description all;
    all.add(options);
    all.add(output_options());
    po::variables_map vm;
    try {
        auto parser = po::command_line_parser(args).options(all);
        if (positional != nullptr) parser.positional(*positional);
        po::store(parser.run(), vm);
        if (!vm.count("help")) po::notify(vm);
    } catch (const po::error& e) {
        std::string where = command.empty() ? "" : command + ": ";
        std::string help = command.empty() ? "hubbench --help" : "hubbench " + command + " --help";
        throw Error(ErrorKind::usage, where + e.what() + " (see '" + help + "')");
    }
    apply_output_options(vm, verbosity);
    return vm;
}

void print_command_help(std::ostream& out, const std::string& command, const std::string& usage,
                        const std::string& summary, const po::options_description& options) {
    out << "usage: hubbench " << command << " " << usage << "\n\n" << summary << "\n\n";
    out << options << "\n" << output_options() << "\n";
}

engine::ComputeDtype dtype_option(const po::variables_map& vm, const std::string& command, engine::ComputeDtype fallback) {
    if (!vm.count("dtype")) return fallback;
    const auto text = vm["dtype"].as<std::string>();
    const auto dtype = engine::parse_compute_dtype(text);
    if (!dtype) throw Error(ErrorKind::usage, command + ": --dtype must be auto, float32, bfloat16 or int8, not '" + text + "'");
    return *dtype;
}

std::string table_or_json(const po::variables_map& vm, const std::string& command) {
    std::string format = vm["format"].as<std::string>();
    if (format != "table" && format != "json") {
        throw Error(ErrorKind::usage, command + ": --format must be table or json, not '" + format + "'");
    }
    return format;
}

}  // namespace hubbench::cli
