// Helpers shared by the test binaries: where the repo's assets are, how to run the real hubbench
// binary as a child process, and small file utilities. No mocks of hubbench code live here.
#pragma once
#include <filesystem>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace hubbench::test {

namespace fs = std::filesystem;

fs::path source_dir();          // the repository root
fs::path assets();              // <repo>/assets (never ../shared: tests must run from a clone)
fs::path fixture(const std::string& name);    // assets/models/fixtures/<name>
fs::path reference(const std::string& file);  // assets/references/<file>
fs::path hubbench_binary();     // the built CLI

// Every fixture model that has its own transformers references (assets/references/<name>.json
// with a "tokenize" section), sorted by name: the reference tests loop over these, so a new
// fixture with references is tested without a list to edit. `decoder`: the references hold
// causal-LM figures (rolling, greedy); otherwise masked-LM ones (pppl, cls_hidden).
struct ReferencedFixture {
    std::string name;
    bool decoder = false;
};
std::vector<ReferencedFixture> referenced_fixtures();
std::vector<std::string> referenced_fixture_names(bool decoders);

nlohmann::json read_json(const fs::path& path);

// The message of the hubbench::Error that `f` throws, or "" when it throws none (other
// exceptions propagate and fail the test).
std::string error_of(const std::function<void()>& f);

struct ProcessResult {
    int exit_code = -1;   // 128+N when killed by signal N
    std::string out;
    std::string err;
};

// Starts argv (argv[0] is a path) with `env` added to this process's environment; the child's
// stdin, stdout and stderr become the given descriptors (-1: /dev/null). Returns its pid; the
// caller waits for it. Everything the child needs is prepared before fork.
int spawn_process(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env, int in_fd,
                  int out_fd, int err_fd);

// Runs argv (argv[0] is a path) with extra environment variables, feeding `input` to stdin.
ProcessResult run_process(const std::vector<std::string>& argv, const std::string& input = "",
                          const std::map<std::string, std::string>& env = {});

// Runs the hubbench CLI with `args`.
ProcessResult run_hubbench(const std::vector<std::string>& args, const std::string& input = "",
                           const std::map<std::string, std::string>& env = {});

}  // namespace hubbench::test
