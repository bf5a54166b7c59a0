#include "cli/commands.hpp"
#include "cli/options.hpp"

namespace hubbench::cli {

int run_search(const Args& /*args*/, std::ostream& /*out*/) { return not_built("search", "issue 3"); }

}  // namespace hubbench::cli
