// hubbench-make-bench-model [DIR] [--bf16]: writes the benchmark model (bench/tools/bench_model.hpp)
// into DIR (default: the folder hubbench-bench uses) and prints the folder and its parameters.
#include <fmt/format.h>

#include <cstring>
#include <exception>

#include "bench/tools/bench_model.hpp"

int main(int argc, char** argv) {
    try {
        hubbench::Dtype dtype = hubbench::Dtype::f32;
        std::filesystem::path dir;
        for (int i = 1; i < argc; ++i) {
            if (std::strcmp(argv[i], "--bf16") == 0)
                dtype = hubbench::Dtype::bf16;
            else if (std::strcmp(argv[i], "--help") == 0) {
                fmt::print("usage: hubbench-make-bench-model [DIR] [--bf16]\n");
                return 0;
            } else
                dir = argv[i];
        }
        if (dir.empty()) dir = hubbench::bench::bench_model_dir(dtype);
        hubbench::bench::write_bench_model(dir, dtype);
        fmt::print("{} ({} parameters)\n", dir.string(), hubbench::bench::BenchModelShape{}.parameters());
        return 0;
    } catch (const std::exception& e) {
        fmt::print(stderr, "hubbench-make-bench-model: error: {}\n", e.what());
        return 1;
    }
}
