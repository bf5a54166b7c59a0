// Helpers for the hub tests: a mirror over the fixture repos on a free loopback port, a client
// pointed at it with a short backoff, independent hashes (git, sha256sum as real processes),
// and a child process whose stdout can be read line by line (for `hubbench mirror serve`).
#pragma once
#include <doctest/doctest.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/fs.hpp"
#include "hub/client.hpp"
#include "hub/mirror.hpp"
#include "tests/support/support.hpp"

namespace hubbench::hubtest {

namespace fs = std::filesystem;

inline std::string trim(std::string s) {
    while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ')) s.pop_back();
    return s;
}

// `git hash-object FILE`: the git blob id, computed by git itself.
inline std::string git_blob_id(const fs::path& file) {
    auto r = test::run_process({"/usr/bin/git", "hash-object", file.string()});
    REQUIRE(r.exit_code == 0);
    return trim(r.out);
}

// `sha256sum FILE`, computed by coreutils.
inline std::string sha256sum(const fs::path& file) {
    auto r = test::run_process({"/usr/bin/sha256sum", file.string()});
    REQUIRE(r.exit_code == 0);
    return r.out.substr(0, 64);
}

inline std::string slurp(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// Parameter count of a safetensors file, read here with nlohmann::json alone (independent of
// core/safetensors_header and of the mirror).
inline std::uint64_t count_params(const fs::path& file) {
    std::string bytes = slurp(file);
    std::uint64_t n = 0;
    for (int i = 7; i >= 0; --i) n = (n << 8) | static_cast<unsigned char>(bytes[static_cast<std::size_t>(i)]);
    auto header = nlohmann::json::parse(bytes.substr(8, n));
    std::uint64_t total = 0;
    for (auto& [name, t] : header.items()) {
        if (name == "__metadata__") continue;
        std::uint64_t count = 1;
        for (auto d : t["shape"]) count *= d.get<std::uint64_t>();
        total += count;
    }
    return total;
}

// Parameters of a fixture repo: all its .safetensors files.
inline std::uint64_t fixture_params(const std::string& name) {
    std::uint64_t total = 0;
    for (auto& e : fs::directory_iterator(test::fixture(name))) {
        if (e.path().extension() == ".safetensors") total += count_params(e.path());
    }
    return total;
}

// Copies fixture repos into root/fixtures/<name> so a test can add .hubbench.json files.
inline void copy_fixtures(const fs::path& root, const std::vector<std::string>& names) {
    for (const auto& n : names) {
        fs::create_directories(root / "fixtures" / n);
        fs::copy(test::fixture(n), root / "fixtures" / n, fs::copy_options::recursive);
    }
}

inline void write_text(const fs::path& p, const std::string& text) {
    fs::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << text;
}

// A running mirror (port 0 on 127.0.0.1) over `root` (default: the repo's assets/models).
struct Mirror {
    explicit Mirror(hub::MirrorOptions o = {}) : server(prepare(std::move(o))) { server.start(); }
    static hub::MirrorOptions prepare(hub::MirrorOptions o) {
        if (o.root.empty() && o.cache.empty()) o.root = test::assets() / "models";
        return o;
    }
    std::string url() const { return server.url(); }
    std::vector<hub::MirrorRequest> requests(const std::string& target_prefix = "") const {
        std::vector<hub::MirrorRequest> out;
        for (auto& r : server.requests()) {
            if (r.target.rfind(target_prefix, 0) == 0) out.push_back(r);
        }
        return out;
    }
    hub::MirrorServer server;
};

inline hub::ClientOptions client_options(const std::string& endpoint, const fs::path& cache) {
    hub::ClientOptions o;
    o.endpoint = endpoint;
    o.cache_dir = cache;
    o.retry.base_delay = std::chrono::milliseconds(10);
    o.retry.max_delay = std::chrono::milliseconds(80);
    o.timeout_s = 10;
    return o;
}

inline hub::PullOptions quiet_pull() {
    hub::PullOptions p;
    p.progress = false;
    return p;
}

// Every regular file (not link, not dir) under `dir`, relative.
inline std::vector<std::string> files_under(const fs::path& dir) {
    std::vector<std::string> out;
    std::error_code ec;
    if (!fs::exists(dir, ec)) return out;
    for (auto& e : fs::recursive_directory_iterator(dir)) {
        if (!e.is_directory()) out.push_back(e.path().lexically_relative(dir).generic_string());
    }
    std::sort(out.begin(), out.end());
    return out;
}

// A child process with piped stdout/stderr, for servers that print a line and keep running.
class Child {
public:
    Child(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env = {}) {
        int out[2], err[2];
        REQUIRE(pipe2(out, O_CLOEXEC) == 0);
        REQUIRE(pipe2(err, O_CLOEXEC) == 0);
        pid_ = test::spawn_process(argv, env, -1, out[1], err[1]);
        close(out[1]);
        close(err[1]);
        out_ = out[0];
        err_ = err[0];
    }
    ~Child() {
        if (pid_ > 0 && !waited_) {
            kill(pid_, SIGKILL);
            waitpid(pid_, nullptr, 0);
        }
        close(out_);
        close(err_);
    }
    // The next stdout line, waiting at most `seconds`; empty on timeout or EOF.
    std::string read_line(int seconds = 30) {
        auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
        for (;;) {
            auto nl = buffer_.find('\n');
            if (nl != std::string::npos) {
                std::string line = buffer_.substr(0, nl);
                buffer_.erase(0, nl + 1);
                return line;
            }
            auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now()).count();
            if (left <= 0) return "";
            pollfd p{out_, POLLIN, 0};
            if (poll(&p, 1, static_cast<int>(left)) <= 0) continue;
            char buf[4096];
            ssize_t n = read(out_, buf, sizeof buf);
            if (n <= 0) return "";
            buffer_.append(buf, static_cast<std::size_t>(n));
        }
    }
    // Sends `sig` and waits; returns the exit code (128+N when killed by signal N).
    int stop(int sig) {
        kill(pid_, sig);
        int status = 0;
        waitpid(pid_, &status, 0);
        waited_ = true;
        return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    }
    std::string stderr_text() {
        std::string s;
        char buf[4096];
        fcntl(err_, F_SETFL, O_NONBLOCK);
        for (ssize_t n; (n = read(err_, buf, sizeof buf)) > 0;) s.append(buf, static_cast<std::size_t>(n));
        return s;
    }

private:
    pid_t pid_ = -1;
    int out_ = -1, err_ = -1;
    bool waited_ = false;
    std::string buffer_;
};

}  // namespace hubbench::hubtest
