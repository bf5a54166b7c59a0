#!/usr/bin/env bash
# hubbench's engine and llama.cpp side by side on this machine, same models, same thread count
# (not part of CI; the README's "Side by side with llama.cpp" table comes from its output).
#
#   bench/peers/llama_cpp_side_by_side.sh [BUILD_DIR]     # default build/release
#
# 1. Installs llama-cpp-python (it builds llama.cpp from source, a few minutes), gguf, numpy and
#    sentencepiece into a venv (VENV, default /tmp/hubbench-llama-cpp-venv).
# 2. Writes the bench models with hubbench-make-bench-model: the 110M LLaMA in float32 and
#    bfloat16, and with SEVEN_B=1 the 7B-shaped one in bfloat16 (14.2 GB, about 5 min; folder
#    BENCH_7B, default /tmp/hubbench-bench-7b; kept for the next run).
# 3. hubbench: hubbench-bench's prefill (512 tokens) and decode benchmarks in float32, bfloat16
#    and int8, the peak RSS ones, and BM_engine_7b_bf16 / _int8 with SEVEN_B=1 (after the 110M
#    runs, each from a dropped page cache).
# 4. llama.cpp: bench/peers/llama_cpp_side_by_side.py converts each model to GGUF F32, BF16 and
#    Q8_0 (in WORK, default /tmp/hubbench-llama-cpp; one tensor in memory at a time: the 7B
#    conversions took 132 s (BF16) and 147 s (Q8_0) at under 3 GiB RSS) and times pp512 / tg128
#    in a fresh process; the 7B-shaped model gets pp128 / tg16, one repeat, in BF16 and Q8_0
#    (float32 would be 28 GB).
# 5. bench/peers/side_by_side_table.py prints the README's tables from this run's figures, kept in
#    RUN (default WORK/run-<UTC time>).
set -euo pipefail
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BUILD=$(realpath -m "${1:-$REPO/build/release}")
VENV=${VENV:-/tmp/hubbench-llama-cpp-venv}
WORK=${WORK:-/tmp/hubbench-llama-cpp}
BENCH_7B=${BENCH_7B:-/tmp/hubbench-bench-7b}
THREADS=${THREADS:-$(nproc)}
RUN=${RUN:-$WORK/run-$(date -u +%Y%m%dT%H%M%SZ)}  # this run's raw figures, for side_by_side_table.py

if [ ! -x "$VENV/bin/python" ]; then
  python3 -m venv "$VENV"
  CMAKE_ARGS="-DGGML_NATIVE=ON" "$VENV/bin/pip" install -q llama-cpp-python gguf numpy sentencepiece
fi
[ -x "$BUILD/bench/hubbench-bench" ] || cmake --build "$BUILD" --target hubbench-bench hubbench-make-bench-model
mkdir -p "$WORK" "$RUN"
models=$("$BUILD/bench/hubbench-make-bench-model" | cut -d' ' -f1)
models_bf16=$("$BUILD/bench/hubbench-make-bench-model" --bf16 | cut -d' ' -f1)

echo "== hubbench (threads $THREADS)"
"$BUILD/bench/hubbench-bench" --benchmark_out="$RUN/hubbench.json" --benchmark_out_format=json \
  --benchmark_filter='BM_(sgemm_peak|stream_read|engine_prefill_(logits|hidden)(_bf16|_int8|_openblas)?/|engine_decode|engine_peak_rss|linear_gemm)'

echo "== llama.cpp (threads $THREADS)"
{
  "$VENV/bin/python" "$REPO/bench/peers/llama_cpp_side_by_side.py" "$models" "$WORK" --formats F32,Q8_0 --threads "$THREADS"
  "$VENV/bin/python" "$REPO/bench/peers/llama_cpp_side_by_side.py" "$models_bf16" "$WORK" --formats BF16 --threads "$THREADS"
} | tee "$RUN/llama.jsonl"
if [ -n "${SEVEN_B:-}" ]; then
  # The 7B-shaped model: 14.2 GB of safetensors and 14.2 + 7.6 GB of GGUF do not fit this
  # machine's page cache together, so each run starts from a dropped cache (when root may) and
  # reads its files from disk; load time is reported apart from tokens/s.
  drop_caches() { sync; [ -w /proc/sys/vm/drop_caches ] && echo 3 > /proc/sys/vm/drop_caches || true; }
  "$BUILD/bench/hubbench-make-bench-model" "$BENCH_7B" --bf16 --7b
  for fmt in BF16 Q8_0; do  # converted first, so the conversions' I/O overlaps no measurement
    "$VENV/bin/python" "$REPO/bench/peers/llama_cpp_side_by_side.py" "$BENCH_7B" "$WORK" --formats "$fmt" --convert-only
  done
  echo "== 7B-shaped model, hubbench (threads $THREADS)"
  for compute in bf16 int8; do
    drop_caches
    HUBBENCH_BENCH_7B=$BENCH_7B "$BUILD/bench/hubbench-bench" --benchmark_filter="BM_engine_7b_$compute" \
      --benchmark_out="$RUN/hubbench-7b-$compute.json" --benchmark_out_format=json
  done
  echo "== 7B-shaped model, llama.cpp (threads $THREADS)"
  for fmt in BF16 Q8_0; do
    drop_caches
    "$VENV/bin/python" "$REPO/bench/peers/llama_cpp_side_by_side.py" "$BENCH_7B" "$WORK" --formats "$fmt" --threads "$THREADS" \
      --pp 128 --tg 16 --repeats 1
  done | tee "$RUN/llama-7b.jsonl"
fi

echo "== the README's tables ($RUN)"
"$VENV/bin/python" "$REPO/bench/peers/side_by_side_table.py" "$RUN"
