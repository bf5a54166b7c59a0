#include "cli/commands.hpp"
#include "cli/options.hpp"

namespace hubbench::cli {

int run_eval(const Args& /*args*/, std::ostream& /*out*/) { return not_built("eval", "issue 6"); }

}  // namespace hubbench::cli
