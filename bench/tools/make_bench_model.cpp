// hubbench-make-bench-model [DIR] [--bf16] [--7b]: writes the benchmark model
// (bench/tools/bench_model.hpp), or with --7b the 7B-shaped one in 2 GiB shards, into DIR (default:
// the folder hubbench-bench uses for the 110M model) and prints the folder and its parameters.
#include <fmt/format.h>

#include <cstring>
#include <exception>

#include "bench/tools/bench_model.hpp"

int main(int argc, char** argv) {
    try {
        hubbench::Dtype dtype = hubbench::Dtype::f32;
        std::filesystem::path dir;
        hubbench::bench::BenchModelShape shape;
        bool seven_b = false;
        for (int i = 1; i < argc; ++i) {
            if (std::strcmp(argv[i], "--bf16") == 0)
                dtype = hubbench::Dtype::bf16;
            else if (std::strcmp(argv[i], "--7b") == 0)
                seven_b = true;
            else if (std::strcmp(argv[i], "--help") == 0) {
                fmt::print("usage: hubbench-make-bench-model [DIR] [--bf16] [--7b]\n");
                return 0;
            } else
                dir = argv[i];
        }
        if (seven_b) shape = hubbench::bench::BenchModelShape::seven_b();
        if (dir.empty()) dir = hubbench::bench::bench_model_dir(dtype) / (seven_b ? "7b" : "");
        hubbench::bench::write_bench_model(dir, dtype, shape);
        fmt::print("{} ({} parameters)\n", dir.string(), shape.parameters());
        return 0;
    } catch (const std::exception& e) {
        fmt::print(stderr, "hubbench-make-bench-model: error: {}\n", e.what());
        return 1;
    }
}
