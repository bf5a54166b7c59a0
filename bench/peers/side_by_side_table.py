#!/usr/bin/env python3
"""The README's side-by-side tables from one run of bench/peers/llama_cpp_side_by_side.sh.

  python side_by_side_table.py RUN_DIR

RUN_DIR holds what the script wrote there: hubbench.json (hubbench-bench --benchmark_out, the
110M model), llama.jsonl (one line per llama.cpp format, from llama_cpp_side_by_side.py) and, when
the 7B-shaped model ran, hubbench-7b-bf16.json, hubbench-7b-int8.json and llama-7b.jsonl. Prints Markdown: tokens/s side by
side with the ratio hubbench ÷ llama.cpp, peak RSS, and the two fractions the issue asks for
(prefill against the sgemm peak, decode against the read-bandwidth bound). Standard library only.
"""
import json
import os
import sys


def bench_counters(path):
    """Google Benchmark's JSON: {benchmark name without its /iterations... suffix: counters}."""
    if not os.path.exists(path):
        return {}
    rows = {}
    for b in json.load(open(path))["benchmarks"]:
        rows[b["name"].split("/")[0]] = b
    return rows


def llama_rows(path):
    if not os.path.exists(path):
        return {}
    return {r["format"]: r for r in map(json.loads, filter(str.strip, open(path)))}


def fmt(x, digits=1):
    if x is None:
        return "—"
    return f"{x:,.{digits}f}" if x < 100 else f"{x:,.0f}"


def unit(x, name, digits=1):
    return "—" if x is None else f"{fmt(x, digits)} {name}"


def ratio(a, b):
    return f"{a / b:.2f}" if a and b else ""


def get(rows, name, key):
    return rows.get(name, {}).get(key)


def table_110m(h, l):
    lines = ["| | hubbench | llama.cpp | ratio |", "|---|---|---|---|"]
    for label, bench, fmt_name, key in [
        ("prefill 512 tokens (pp512), float32", "BM_engine_prefill_hidden", "F32", "pp_tokens_per_s"),
        ("prefill 512 tokens, bfloat16", "BM_engine_prefill_hidden_bf16", "BF16", "pp_tokens_per_s"),
        ("prefill 512 tokens, 8-bit (hubbench `--dtype int8`)", "BM_engine_prefill_hidden_int8", "Q8_0", "pp_tokens_per_s"),
        ("decode (tg128), float32", "BM_engine_decode", "F32", "tg_tokens_per_s"),
        ("decode, bfloat16", "BM_engine_decode_bf16", "BF16", "tg_tokens_per_s"),
        ("decode, 8-bit (hubbench `--dtype int8`)", "BM_engine_decode_int8", "Q8_0", "tg_tokens_per_s"),
    ]:
        ours = get(h, bench, "tokens_per_s") if bench else None
        theirs = get(l, fmt_name, key)
        ours_cell = f"{fmt(ours)} tok/s" if ours else "—"
        lines.append(f"| {label} | {ours_cell} | {fmt_name} {fmt(theirs)} tok/s | {ratio(ours, theirs)} |")
    rss = ", ".join(f"{f} {fmt(get(l, f, 'peak_rss_mib'), 0)} MiB" for f in ("F32", "BF16", "Q8_0") if f in l)
    lines.append(f"| peak RSS | float32 {fmt(get(h, 'BM_engine_peak_rss_f32', 'peak_rss_MiB'), 0)} MiB, bf16 checkpoint "
                 f"with `--dtype bfloat16` {fmt(get(h, 'BM_engine_peak_rss_bf16_compute', 'peak_rss_MiB'), 0)} MiB, "
                 f"with `--dtype int8` {unit(get(h, 'BM_engine_peak_rss_int8_compute', 'peak_rss_MiB'), 'MiB', 0)} | {rss} | |")
    return lines


def fractions(h):
    out = []
    peak = get(h, "BM_sgemm_peak", "GFLOPs")
    if peak:
        out.append(f"- sgemm peak (OpenBLAS 2048³): {fmt(peak)} GFLOP/s; read bandwidth "
                   f"{fmt(get(h, 'BM_stream_read', 'GBs'))} GB/s")
    for bench, what in [("BM_engine_prefill_hidden", "float32 prefill without the LM head"),
                        ("BM_engine_prefill_logits", "float32 prefill with every position's logits")]:
        f = get(h, bench, "fraction_of_peak")
        if f is not None:
            out.append(f"- {what}: {f:.2f} of the sgemm peak (median over passes, each against a peak taken just before it)")
    for bench, what in [("BM_engine_decode", "float32"), ("BM_engine_decode_bf16", "bfloat16"), ("BM_engine_decode_int8", "int8")]:
        f = get(h, bench, "fraction_of_bound")
        if f is not None:
            out.append(f"- {what} decode: {f:.2f} of the read-bandwidth bound")
    return out


def table_7b(h, l):
    b, q = h.get("BM_engine_7b_bf16", {}), h.get("BM_engine_7b_int8", {})
    lines = ["| | hubbench `--dtype bfloat16` | llama.cpp BF16 | ratio | hubbench `--dtype int8` | llama.cpp Q8_0 | ratio |",
             "|---|---|---|---|---|---|---|"]
    for label, key, ours_key in [("prefill 128 tokens", "pp_tokens_per_s", "prefill_tokens_per_s"),
                                 ("decode 16 tokens", "tg_tokens_per_s", "decode_tokens_per_s")]:
        bf, q8 = get(l, "BF16", key), get(l, "Q8_0", key)
        ours_bf, ours_q8 = b.get(ours_key), q.get(ours_key)
        lines.append(f"| {label} | {unit(ours_bf, 'tok/s', 2)} | {unit(bf, 'tok/s', 2)} | {ratio(ours_bf, bf)} "
                     f"| {unit(ours_q8, 'tok/s', 2)} | {unit(q8, 'tok/s', 2)} | {ratio(ours_q8, q8)} |")

    def rss(run):
        if not run:
            return "—"
        return f"{fmt(run.get('peak_rss_MiB'), 0)} MiB ({run.get('ratio_to_file', 0):.3f}× the files; load {fmt(run.get('load_s'))} s)"
    lines.append(f"| peak RSS | {rss(b)} | {fmt(get(l, 'BF16', 'peak_rss_mib'), 0)} MiB | | {rss(q)} "
                 f"| {fmt(get(l, 'Q8_0', 'peak_rss_mib'), 0)} MiB | |")
    return lines


def main():
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    run = sys.argv[1]
    h, l = bench_counters(os.path.join(run, "hubbench.json")), llama_rows(os.path.join(run, "llama.jsonl"))
    if not h or not l:
        raise SystemExit(f"{run}: hubbench.json and llama.jsonl are both needed (run llama_cpp_side_by_side.sh)")
    print("110M-parameter LLaMA\n")
    print("\n".join(table_110m(h, l)))
    print()
    print("\n".join(fractions(h)))
    h7 = {**bench_counters(os.path.join(run, "hubbench-7b.json")),  # runs from before int8: one file
          **bench_counters(os.path.join(run, "hubbench-7b-bf16.json")),
          **bench_counters(os.path.join(run, "hubbench-7b-int8.json"))}
    l7 = llama_rows(os.path.join(run, "llama-7b.jsonl"))
    if h7 and l7:
        print("\n7B-shaped LLaMA, from its bfloat16 files\n")
        print("\n".join(table_7b(h7, l7)))


if __name__ == "__main__":
    main()
