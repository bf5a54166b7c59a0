// The subcommands, registered in one place (commands.cpp). Each lives in cmd_<name>.cpp.
#pragma once
#include <ostream>
#include <string>
#include <vector>

#include "cli/app.hpp"

namespace hubbench::cli {

struct Command {
    const char* name;
    const char* summary;
    int (*run)(const Args& args, std::ostream& out);  // args: what follows the command name
};

const std::vector<Command>& commands();
const Command* find_command(const std::string& name);

// Subcommand entry points.
int run_search(const Args& args, std::ostream& out);
int run_pull(const Args& args, std::ostream& out);
int run_mirror(const Args& args, std::ostream& out);
int run_serve(const Args& args, std::ostream& out);
int run_tokenize(const Args& args, std::ostream& out);
int run_embed(const Args& args, std::ostream& out);
int run_eval(const Args& args, std::ostream& out);
int run_generate(const Args& args, std::ostream& out);
int run_compare(const Args& args, std::ostream& out);
int run_run(const Args& args, std::ostream& out);
int run_nightly(const Args& args, std::ostream& out);
int run_report(const Args& args, std::ostream& out);
int run_history(const Args& args, std::ostream& out);
int run_merge(const Args& args, std::ostream& out);
int run_db(const Args& args, std::ostream& out);

}  // namespace hubbench::cli
