#include "cli/commands.hpp"
#include "cli/options.hpp"

namespace hubbench::cli {

int run_run(const Args& /*args*/, std::ostream& /*out*/) { return not_built("run", "issue 6"); }

}  // namespace hubbench::cli
