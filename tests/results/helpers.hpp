// Helpers for the results tests: raw SQL probes that do not go through ResultStore, a canonical
// text dump of a database's results (to compare databases written by different process
// histories), and spawning results-writer as a child that can be watched and killed.
#pragma once
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

#include "results/database.hpp"
#include "results/store.hpp"
#include "tests/support/support.hpp"

namespace hubbench::test {

inline std::int64_t count_rows(const results::fs::path& db_path, const std::string& sql) {
    results::Database db(db_path, {results::OpenMode::read_only});
    auto s = db.prepare(sql);
    if (!s.step()) throw std::runtime_error("no row from: " + sql);
    return s.column_int64(0);
}

inline std::string integrity(const results::fs::path& db_path) {
    results::Database db(db_path, {results::OpenMode::read_only});
    auto s = db.prepare("PRAGMA integrity_check");
    std::string out;
    while (s.step()) out += s.column_text(0);
    return out;
}

inline std::int64_t foreign_key_problems(const results::fs::path& db_path) {
    results::Database db(db_path, {results::OpenMode::read_only});
    auto s = db.prepare("PRAGMA foreign_key_check");
    std::int64_t n = 0;
    while (s.step()) ++n;
    return n;
}

// Every result with its metrics as sorted text lines, independent of row ids, run ids and times:
// the "final rows" two process histories must agree on. Read with plain SQL.
inline std::vector<std::string> dump_results(const results::fs::path& db_path) {
    results::Database db(db_path, {results::OpenMode::read_only});
    auto s = db.prepare(R"sql(
        SELECT mo.repo_id || '@' || mo.commit_sha || ' ' || r.task || ' ' || d.sha256 || ' ' || r.parameters || ' ' ||
               r.status || ' ' || coalesce(r.error, '-') || ' ' || coalesce(r.seconds, '-') || ' ' ||
               coalesce((SELECT group_concat(name || '=' || value || '+-' || coalesce(stderr, '-') || '/' || n || ' ' ||
                                             coalesce(unit, '-') || ' ' || coalesce(higher_is_better, '-'), ' ')
                         FROM (SELECT * FROM metrics m WHERE m.result_id = r.id ORDER BY m.name)), '') || ' ' ||
               coalesce((SELECT group_concat(metric || '[' || idx || ']=' || value, ' ')
                         FROM (SELECT * FROM samples x WHERE x.result_id = r.id ORDER BY x.metric, x.idx)), '')
        FROM results r JOIN models mo ON mo.id = r.model_id JOIN datasets d ON d.id = r.dataset_id
        ORDER BY 1)sql");
    std::vector<std::string> lines;
    while (s.step()) lines.push_back(s.column_text(0));
    return lines;
}

// Overwrites page 2 of a closed database file (the root of its first table) with garbage: the
// header still says SQLite, the b-tree is broken.
inline void corrupt_second_page(const results::fs::path& db_path) {
    std::fstream f(db_path, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(4096);
    std::string garbage(4096, '\x5a');
    f.write(garbage.data(), static_cast<std::streamsize>(garbage.size()));
}

inline std::string writer_binary() { return HUBBENCH_RESULTS_WRITER; }

// A running child whose stdout is read line by line.
class Child {
public:
    explicit Child(const std::vector<std::string>& argv) {
        int fds[2];
        if (pipe2(fds, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
        pid_ = test::spawn_process(argv, {}, -1, fds[1], 2);
        close(fds[1]);
        out_ = fdopen(fds[0], "r");
    }
    ~Child() {
        if (pid_ > 0) {
            kill(pid_, SIGKILL);
            wait();
        }
        if (out_ != nullptr) fclose(out_);
    }
    Child(const Child&) = delete;
    Child& operator=(const Child&) = delete;

    // Next line of stdout without the newline; empty at end of output.
    std::string read_line() {
        char* line = nullptr;
        size_t size = 0;
        ssize_t n = getline(&line, &size, out_);
        std::string text = n > 0 ? std::string(line, static_cast<std::size_t>(n)) : std::string();
        free(line);
        if (!text.empty() && text.back() == '\n') text.pop_back();
        return text;
    }
    void kill_now() { kill(pid_, SIGKILL); }
    // Exit code, or 128 + signal number.
    int wait() {
        int status = 0;
        waitpid(pid_, &status, 0);
        pid_ = -1;
        return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    }

private:
    pid_t pid_ = -1;
    FILE* out_ = nullptr;
};

}  // namespace hubbench::test
