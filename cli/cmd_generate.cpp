#include "cli/commands.hpp"
#include "cli/options.hpp"

namespace hubbench::cli {

int run_generate(const Args& /*args*/, std::ostream& /*out*/) { return not_built("generate", "issue 5"); }

}  // namespace hubbench::cli
