#include "cli/commands.hpp"
#include "cli/options.hpp"

namespace hubbench::cli {

int run_compare(const Args& /*args*/, std::ostream& /*out*/) { return not_built("compare", "planned"); }

}  // namespace hubbench::cli
