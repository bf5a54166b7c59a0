#include "cli/commands.hpp"
#include "cli/options.hpp"

namespace hubbench::cli {

int run_mirror(const Args& /*args*/, std::ostream& /*out*/) { return not_built("mirror", "issue 3"); }

}  // namespace hubbench::cli
