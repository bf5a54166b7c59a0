#include "cli/commands.hpp"
#include "cli/options.hpp"

namespace hubbench::cli {

int run_tokenize(const Args& /*args*/, std::ostream& /*out*/) { return not_built("tokenize", "issue 4"); }

}  // namespace hubbench::cli
