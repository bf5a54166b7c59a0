#include "tests/support/support.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "core/error.hpp"

extern char** environ;

namespace hubbench::test {

fs::path source_dir() { return HUBBENCH_SOURCE_DIR; }
fs::path assets() { return source_dir() / "assets"; }
fs::path fixture(const std::string& name) { return assets() / "models" / "fixtures" / name; }
fs::path reference(const std::string& file) { return assets() / "references" / file; }
fs::path hubbench_binary() { return HUBBENCH_BINARY; }

std::vector<ReferencedFixture> referenced_fixtures() {
    std::vector<ReferencedFixture> out;
    for (const auto& entry : fs::directory_iterator(assets() / "models" / "fixtures")) {
        const std::string name = entry.path().filename().string();
        const fs::path ref = reference(name + ".json");
        if (!entry.is_directory() || !fs::exists(ref)) continue;
        const auto doc = read_json(ref);
        if (!doc.contains("tokenize")) continue;  // tiny-bert-sentence's holds sentence-transformers outputs only
        out.push_back({name, doc.contains("rolling")});
    }
    std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
    return out;
}

std::vector<std::string> referenced_fixture_names(bool decoders) {
    std::vector<std::string> names;
    for (const auto& f : referenced_fixtures())
        if (f.decoder == decoders) names.push_back(f.name);
    return names;
}

nlohmann::json read_json(const fs::path& path) {
    std::ifstream in(path);
    if (!in) throw std::runtime_error("cannot open " + path.string());
    return nlohmann::json::parse(in);
}

std::string error_of(const std::function<void()>& f) {
    try {
        f();
    } catch (const Error& e) {
        return e.what();
    }
    return "";
}

int spawn_process(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env, int in_fd,
                  int out_fd, int err_fd) {
    std::vector<std::string> environment;
    for (char** e = environ; *e != nullptr; ++e) {
        const std::string entry = *e;
        if (env.count(entry.substr(0, entry.find('='))) == 0) environment.push_back(entry);
    }
    for (const auto& [k, v] : env) environment.push_back(k + "=" + v);
    std::vector<char*> args, envp;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    for (auto& e : environment) envp.push_back(e.data());
    envp.push_back(nullptr);
    const int null = ::open("/dev/null", O_RDWR | O_CLOEXEC);
    const pid_t pid = fork();
    if (pid < 0) throw std::runtime_error(std::string("fork: ") + std::strerror(errno));
    if (pid == 0) {  // only async-signal-safe calls from here on
        dup2(in_fd >= 0 ? in_fd : null, 0);
        dup2(out_fd >= 0 ? out_fd : null, 1);
        dup2(err_fd >= 0 ? err_fd : null, 2);
        execve(args[0], args.data(), envp.data());
        _exit(127);
    }
    if (null >= 0) close(null);
    return pid;
}

ProcessResult run_process(const std::vector<std::string>& argv, const std::string& input,
                          const std::map<std::string, std::string>& env) {
    int in_pipe[2], out_pipe[2], err_pipe[2];
    if (pipe2(in_pipe, O_CLOEXEC) || pipe2(out_pipe, O_CLOEXEC) || pipe2(err_pipe, O_CLOEXEC)) {
        throw std::runtime_error(std::string("pipe: ") + std::strerror(errno));
    }
    const pid_t pid = spawn_process(argv, env, in_pipe[0], out_pipe[1], err_pipe[1]);
    close(in_pipe[0]);
    close(out_pipe[1]);
    close(err_pipe[1]);
    ProcessResult result;
    std::size_t written = 0;
    if (input.empty()) {
        close(in_pipe[1]);
        in_pipe[1] = -1;
    }
    pollfd fds[3] = {{out_pipe[0], POLLIN, 0}, {err_pipe[0], POLLIN, 0}, {in_pipe[1], POLLOUT, 0}};
    int open_outputs = 2;
    char buffer[65536];
    while (open_outputs > 0) {
        nfds_t n = in_pipe[1] >= 0 ? 3 : 2;
        if (poll(fds, n, -1) < 0) {
            if (errno == EINTR) continue;
            break;
        }
        for (int i = 0; i < 2; ++i) {
            if (fds[i].fd >= 0 && (fds[i].revents & (POLLIN | POLLHUP))) {
                ssize_t got = read(fds[i].fd, buffer, sizeof buffer);
                if (got <= 0) {
                    close(fds[i].fd);
                    fds[i].fd = -1;
                    --open_outputs;
                } else {
                    (i == 0 ? result.out : result.err).append(buffer, static_cast<std::size_t>(got));
                }
            }
        }
        if (in_pipe[1] >= 0 && (fds[2].revents & (POLLOUT | POLLERR | POLLHUP))) {
            ssize_t put = write(in_pipe[1], input.data() + written, input.size() - written);
            if (put > 0) written += static_cast<std::size_t>(put);
            if (put < 0 || written == input.size()) {
                close(in_pipe[1]);
                in_pipe[1] = -1;
            }
        }
    }
    if (in_pipe[1] >= 0) close(in_pipe[1]);
    int status = 0;
    waitpid(pid, &status, 0);
    result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    return result;
}

ProcessResult run_hubbench(const std::vector<std::string>& args, const std::string& input,
                           const std::map<std::string, std::string>& env) {
    std::vector<std::string> argv{hubbench_binary().string()};
    argv.insert(argv.end(), args.begin(), args.end());
    return run_process(argv, input, env);
}

}  // namespace hubbench::test
