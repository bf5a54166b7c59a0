#include "results/provenance.hpp"

#include <sys/utsname.h>
#include <unistd.h>

#include <fstream>

namespace hubbench::results {

namespace {

std::string trim(std::string s) {
    auto begin = s.find_first_not_of(" \t");
    auto end = s.find_last_not_of(" \t\r\n");
    return begin == std::string::npos ? std::string() : s.substr(begin, end - begin + 1);
}

// The first "model name" line of /proc/cpuinfo (x86); other architectures name it differently.
std::string cpu_model() {
    std::ifstream in("/proc/cpuinfo");
    std::string line;
    while (std::getline(in, line)) {
        auto colon = line.find(':');
        if (colon == std::string::npos) continue;
        auto key = trim(line.substr(0, colon));
        if (key == "model name" || key == "Model" || key == "cpu model" || key == "Hardware") {
            auto value = trim(line.substr(colon + 1));
            if (!value.empty()) return value;
        }
    }
    return "unknown";
}

}  // namespace

HostInfo current_host() {
    HostInfo host;
    char name[256] = {};
    host.host_name = gethostname(name, sizeof name - 1) == 0 ? name : "unknown";
    host.cpu_model = cpu_model();
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    host.cpu_cores = cores > 0 ? static_cast<int>(cores) : 0;
    long pages = sysconf(_SC_PHYS_PAGES);
    long page_size = sysconf(_SC_PAGESIZE);
    host.memory_bytes = pages > 0 && page_size > 0 ? static_cast<std::int64_t>(pages) * page_size : 0;
    struct utsname u {};
    host.os = uname(&u) == 0 ? std::string(u.sysname) + " " + u.release + " " + u.machine : "unknown";
    return host;
}

RunInfo current_run_info(std::vector<std::string> command_line, std::string blas, int threads, std::string label) {
    RunInfo info;
    info.label = std::move(label);
    info.host = current_host();
    info.blas = std::move(blas);
    // 0 (or less) asks the engine for all cores: store the count it stands for, not the request.
    info.threads = threads > 0 ? threads : info.host.cpu_cores;
    info.command_line = std::move(command_line);
    return info;
}

}  // namespace hubbench::results
