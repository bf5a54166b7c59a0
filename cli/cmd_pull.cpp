#include "cli/commands.hpp"
#include "cli/options.hpp"

namespace hubbench::cli {

int run_pull(const Args& /*args*/, std::ostream& /*out*/) { return not_built("pull", "issue 3"); }

}  // namespace hubbench::cli
