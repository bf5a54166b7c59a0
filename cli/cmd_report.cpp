#include "cli/commands.hpp"
#include "cli/options.hpp"

namespace hubbench::cli {

int run_report(const Args& /*args*/, std::ostream& /*out*/) { return not_built("report", "planned"); }

}  // namespace hubbench::cli
