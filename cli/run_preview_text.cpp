#include "cli/run_preview_text.hpp"

#include <fmt/format.h>

#include <set>

namespace hubbench::cli {
namespace {

std::string runs_list(const std::set<std::int64_t>& runs) {
    std::string text;
    for (auto r : runs) text += (text.empty() ? "" : ", ") + std::to_string(r);
    return text;
}

}  // namespace

void print_run_preview(std::ostream& out, const harness::SuiteRunRequest& request, const harness::RunPreview& preview) {
    out << fmt::format("dry run: suite {}, {} of {} models in shard {} of {}; database {}{}\n", request.suite.name,
                       preview.models.size(), request.models.size(), request.shard_index + 1, request.shard_count,
                       request.database.string(), preview.database_exists ? "" : " (not there yet: nothing stored)");
    for (const auto& m : preview.models) {
        out << fmt::format("{}  {}\n", m.id.empty() ? m.spec : m.id, m.commit.empty() ? m.note : m.commit);
        for (const auto& j : m.jobs) {
            const std::string where = j.stored ? " (run " + runs_list(j.stored_in_runs) + ")" : "";
            out << fmt::format("  {:<48} {} row{}: {} stored{}, {} to measure\n", j.name, j.rows, j.rows == 1 ? "" : "s",
                               j.stored, where, j.rows - j.stored);
        }
    }
    if (!preview.other_shards.empty()) {
        out << "other shards: ";
        for (std::size_t i = 0; i < preview.other_shards.size(); ++i) out << (i ? ", " : "") << preview.other_shards[i];
        out << "\n";
    }
    out << fmt::format("total: {} rows, {} stored and reused, {} to measure{}; nothing was loaded or written\n", preview.rows,
                       preview.stored, preview.rows - preview.stored, request.force ? " (--force measures every row)" : "");
}


}  // namespace hubbench::cli
