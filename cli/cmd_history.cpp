#include "cli/commands.hpp"
#include "cli/options.hpp"

namespace hubbench::cli {

int run_history(const Args& /*args*/, std::ostream& /*out*/) { return not_built("history", "issue 7"); }

}  // namespace hubbench::cli
