#!/usr/bin/env bash
# oneDNN's matmul on hubbench's product shapes (not part of CI): installs Debian's libdnnl-dev when
# it is missing (root), builds bench/peers/onednn_matmul.cpp and runs it with as many OpenMP
# threads as hubbench-bench uses. Compare with
#   build/<dir>/bench/hubbench-bench --benchmark_filter=BM_linear_gemm
set -euo pipefail
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
OUT=${OUT:-/tmp/hubbench-onednn}
if [ ! -f /usr/include/oneapi/dnnl/dnnl.hpp ]; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q libdnnl-dev >/dev/null
fi
mkdir -p "$OUT"
g++ -std=c++17 -O2 -fopenmp "$REPO/bench/peers/onednn_matmul.cpp" -o "$OUT/onednn_matmul" -ldnnl
OMP_NUM_THREADS=${THREADS:-$(nproc)} "$OUT/onednn_matmul"
