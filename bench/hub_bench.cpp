// Download throughput on loopback: `HubClient::pull` of a generated 256 MiB safetensors file from
// the in-process mirror, beside the curl command-line tool fetching the same /resolve URL (same
// redirect to the CDN host name, same server). Both write the file (page cache); pull also
// hashes it (sha256) and renames it into the cache; /fsync:1 adds an fdatasync per blob.
//   build/<dir>/bench/hubbench-bench --benchmark_filter=hub_
#include <benchmark/benchmark.h>
#include <spawn.h>
#include <sys/wait.h>

#include <cstring>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/fs.hpp"
#include "core/progress.hpp"
#include "hub/client.hpp"
#include "hub/mirror.hpp"

extern char** environ;

namespace {

constexpr std::uint64_t k_bytes = 256ull << 20;

// One repo, bench/big, holding a single F32 tensor of 256 MiB with pseudo-random contents.
struct BigRepo {
    BigRepo() : root("hubbench-bench-root") {
        std::filesystem::create_directories(root.path() / "bench" / "big");
        nlohmann::json header = {{"weight", {{"dtype", "F32"}, {"shape", {k_bytes / 4}}, {"data_offsets", {0, k_bytes}}}}};
        std::string text = header.dump();
        text.append((8 - text.size() % 8) % 8, ' ');
        std::ofstream out(root.path() / "bench" / "big" / "model.safetensors", std::ios::binary);
        std::uint64_t n = text.size();
        for (int i = 0; i < 8; ++i) out.put(static_cast<char>((n >> (8 * i)) & 0xff));
        out << text;
        std::vector<std::uint64_t> chunk(1 << 17);  // 1 MiB
        std::uint64_t x = 0x9e3779b97f4a7c15ull;
        for (std::uint64_t written = 0; written < k_bytes; written += chunk.size() * 8) {
            for (auto& v : chunk) {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                v = x;
            }
            out.write(reinterpret_cast<const char*>(chunk.data()), static_cast<std::streamsize>(chunk.size() * 8));
        }
        out.close();
        hubbench::hub::MirrorOptions o;
        o.root = root.path();
        server = std::make_unique<hubbench::hub::MirrorServer>(o);
        server->start();
        // The first request hashes the file for its ETag; keep that out of the timings.
        hubbench::hub::ClientOptions c;
        c.endpoint = server->url();
        c.cache_dir = root.path() / "warm";
        hubbench::hub::HubClient(c).model_info("bench/big");
    }
    hubbench::TempDir root;
    std::unique_ptr<hubbench::hub::MirrorServer> server;
};

BigRepo& big_repo() {
    static BigRepo repo;
    return repo;
}

// state.range(0) == 1: with HUBBENCH_HUB_FSYNC's fdatasync before each rename.
void BM_hub_pull_256MiB(benchmark::State& state) {
    auto& repo = big_repo();
    hubbench::set_progress_mode(hubbench::ProgressMode::off);
    hubbench::TempDir cache("hubbench-bench-cache");
    hubbench::hub::ClientOptions c;
    c.endpoint = repo.server->url();
    c.cache_dir = cache.path() / "hub";
    c.fsync_blobs = state.range(0) == 1;
    hubbench::hub::HubClient client(c);
    hubbench::hub::PullOptions p;
    p.progress = false;
    for (auto _ : state) {
        state.PauseTiming();
        std::filesystem::remove_all(c.cache_dir);
        state.ResumeTiming();
        benchmark::DoNotOptimize(client.pull("bench/big", "main", p));
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * k_bytes));
}
BENCHMARK(BM_hub_pull_256MiB)->ArgName("fsync")->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(5);

void run_curl(const std::string& url, const std::string& out) {
    std::vector<std::string> args = {"/usr/bin/curl", "-sSfL", "-o", out, url};
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    pid_t pid = 0;
    if (posix_spawn(&pid, argv[0], nullptr, nullptr, argv.data(), environ) != 0) throw std::runtime_error("cannot run curl");
    int status = 0;
    waitpid(pid, &status, 0);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) throw std::runtime_error("curl failed");
}

void BM_hub_curl_256MiB(benchmark::State& state) {
    auto& repo = big_repo();
    hubbench::TempDir dir("hubbench-bench-curl");
    const std::string url = repo.server->url() + "/bench/big/resolve/main/model.safetensors";
    const std::string out = (dir.path() / "model.safetensors").string();
    for (auto _ : state) {
        state.PauseTiming();
        std::filesystem::remove(out);
        state.ResumeTiming();
        run_curl(url, out);
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * k_bytes));
}
BENCHMARK(BM_hub_curl_256MiB)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(5);

}  // namespace
