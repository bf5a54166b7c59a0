#include "cli/app.hpp"

#include <boost/program_options.hpp>
#include <iomanip>
#include <iostream>

#include "cli/commands.hpp"
#include "cli/options.hpp"
#include "core/error.hpp"
#include "core/version.hpp"

namespace hubbench::cli {
namespace {

void print_main_help(std::ostream& out) {
    out << "usage: hubbench [--help] [--version] [-v|-q] <command> [options]\n\n"
           "Search the Hugging Face Hub, download models, run them on shared suites (perplexity,\n"
           "pseudo-perplexity, STS, speed), store results in SQLite and report encoders vs decoders.\n\n"
           "Commands:\n";
    for (const auto& c : commands()) out << "  " << std::left << std::setw(10) << c.name << "  " << c.summary << "\n";
    out << "\nRun 'hubbench <command> --help' for a command's options.\n\n" << output_options();
    out << "\nEnvironment: HUBBENCH_LOG (log level), HUBBENCH_PROGRESS (tty|plain|off), HF_ENDPOINT, HF_TOKEN,\n"
           "HF_HOME, HF_HUB_CACHE, HF_HUB_OFFLINE, HUBBENCH_ASSETS.\n";
}

}  // namespace

int run_cli(const Args& input, std::ostream& out) {
    // Global options come before the command name; everything after it belongs to the command
    // (which also accepts -v/-q, so `hubbench eval -v ...` works too).
    Args global;
    std::size_t i = 0;
    for (; i < input.size(); ++i) {
        if (!input[i].empty() && input[i][0] == '-') {
            global.push_back(input[i]);
            if (input[i] == "--log-level" && i + 1 < input.size()) global.push_back(input[++i]);
        } else {
            break;
        }
    }

    po::options_description general("General");
    general.add_options()("version", "print the version and the git commit, then exit");
    auto vm = parse_command("", global, general);
    if (vm.count("version")) {
        out << "hubbench " << version() << " (commit " << git_commit() << ")\n";
        return 0;
    }
    if (i == input.size()) {
        if (vm.count("help")) {
            print_main_help(out);
            return 0;
        }
        print_main_help(std::cerr);
        throw Error(ErrorKind::usage, "no command given");
    }

    const std::string& name = input[i];
    if (name == "help") {
        if (i + 1 < input.size()) return run_cli({input[i + 1], "--help"}, out);
        print_main_help(out);
        return 0;
    }
    const Command* command = find_command(name);
    if (command == nullptr) {
        throw Error(ErrorKind::usage, "'" + name + "' is not a hubbench command (see 'hubbench --help')");
    }
    Args rest(input.begin() + static_cast<std::ptrdiff_t>(i) + 1, input.end());
    // Global -v/-q given before the command apply to it as well.
    rest.insert(rest.end(), global.begin(), global.end());
    return command->run(rest, out);
}

int report_error(std::ostream& err) {
    try {
        throw;
    } catch (const Error& e) {
        err << "hubbench: " << (e.kind() == ErrorKind::interrupted ? "" : "error: ") << one_line(e.what()) << "\n";
        return e.exit_code();
    } catch (const po::error& e) {
        err << "hubbench: error: " << one_line(e.what()) << "\n";
        return 2;
    } catch (const std::bad_alloc&) {
        err << "hubbench: error: out of memory\n";
        return 1;
    } catch (const std::exception& e) {
        err << "hubbench: internal error: " << one_line(e.what()) << "\n";
        return 1;
    }
}

}  // namespace hubbench::cli
