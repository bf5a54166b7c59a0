// results-writer: a test-only program that plays the harness against a real results database, so
// tests can kill it (SIGKILL), run two at once, or write shards to merge. It records `--count`
// results of task `--task`, skipping every key that find_result() already knows (the resume path),
// and prints "done <i>" after each committed result.
//
//   results-writer --db PATH --task T --count N [--die-mid-result K] [--label L]
//
// --die-mid-result K: after K results, start writing result K by hand (result row and one metric,
// in an open transaction on a second connection) and SIGKILL itself before COMMIT: the worst
// moment for a crash.
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <string>

#include "core/error.hpp"
#include "results/canonical_json.hpp"
#include "results/provenance.hpp"
#include "results/store.hpp"
#include "tests/results/writer/workload.hpp"

using namespace hubbench;
using namespace hubbench::results;

int main(int argc, char** argv) {
    std::string db_path, task = "perplexity", label = "writer";
    long count = 0, die_at = -1;
    for (int i = 1; i + 1 < argc; i += 2) {
        std::string flag = argv[i], value = argv[i + 1];
        if (flag == "--db") db_path = value;
        else if (flag == "--task") task = value;
        else if (flag == "--count") count = std::stol(value);
        else if (flag == "--die-mid-result") die_at = std::stol(value);
        else if (flag == "--label") label = value;
        else {
            std::cerr << "results-writer: unknown option " << flag << "\n";
            return 2;
        }
    }
    if (db_path.empty()) {
        std::cerr << "results-writer: --db is required\n";
        return 2;
    }
    try {
        ResultStore store(db_path);
        std::vector<std::string> command_line(argv, argv + argc);
        RunId run = store.begin_run(current_run_info(command_line, "none", 1, label));
        test::register_workload(store, run);
        long written = 0;
        for (long i = 0; i < count; ++i) {
            ResultRecord record = test::workload_result(task, i);
            if (store.find_result(record.key)) continue;  // done by an earlier (killed) run
            if (written == die_at) {
                test::write_half_a_result_and_die(db_path, run, record);
            }
            store.record_result(run, record);
            ++written;
            std::printf("done %ld\n", i);
            std::fflush(stdout);
        }
        store.finish_run(run, RunStatus::ok);
        std::printf("finished %ld\n", written);
        return 0;
    } catch (const Error& e) {
        std::cerr << "results-writer: " << e.what() << "\n";
        return 1;
    }
}
