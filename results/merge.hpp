// Combining shard databases: `hubbench merge A.db B.db ... --into C.db`. Rows are matched by what
// identifies them across files, never by row id: runs by uuid, models by (repo, commit), datasets
// by sha256, results by (run, model, task, dataset, parameters), metrics and samples with their
// result, trials by (run, repo, stage). Merging the same shard twice therefore adds nothing, and
// shards A + B merged equal one process that wrote everything.
#pragma once
#include <cstdint>
#include <filesystem>
#include <vector>

namespace hubbench::results {

namespace fs = std::filesystem;

// Rows added to the target (a result that replaced an older copy of itself counts in `replaced`).
struct MergeStats {
    std::int64_t runs = 0;
    std::int64_t runs_updated = 0;   // a run merged earlier while still running, now finished
    std::int64_t models = 0;
    std::int64_t datasets = 0;
    std::int64_t results = 0;
    std::int64_t replaced = 0;
    std::int64_t metrics = 0;
    std::int64_t samples = 0;
    std::int64_t trials = 0;
    std::int64_t added() const { return runs + models + datasets + results + metrics + samples + trials; }
};

// Every source is checked first (exists, is SQLite, passes integrity_check, has a hubbench schema
// no newer than ours; older schemas are migrated in a copy in memory, the source file is only
// read). Then everything is copied in one transaction. On any failure the target is left as it
// was: an existing target is rolled back, a new one is never created (it is built in a temporary
// file beside it and renamed into place at the end). An existing target at an older schema is
// migrated first, as any hubbench write would. Throws Error naming the file at fault.
MergeStats merge_databases(const std::vector<fs::path>& sources, const fs::path& target);

}  // namespace hubbench::results
