#!/usr/bin/env python3
"""hubbench `--dtype bfloat16` beside transformers on text the tests do not use (not CI).

For each decoder fixture: the token perplexity of one new paragraph (TEXT below, 121-128 tokens,
one window) from transformers in float32 and in bfloat16 (model.to(torch.bfloat16): weights and
activations), and from `hubbench eval --task perplexity` with --dtype float32 and bfloat16
(weights only; activations and sums stay float32). Prints a table; exits 1 when hubbench's
float32 differs from transformers' float32 by more than 1e-4 relative or its bfloat16 by more
than 1 % (docs/references.md).

  python tools/validate/bf16_decoders.py --hubbench build/release/cli/hubbench [fixture ...]

Needs torch and transformers (tools/references/requirements.txt).
"""
import argparse
import json
import math
import subprocess
import sys
import tempfile
from pathlib import Path

import torch
from transformers import AutoModelForCausalLM, AutoTokenizer

ROOT = Path(__file__).resolve().parents[2]
TEXT = (
    "The lighthouse keeper wrote in her log that the fog had arrived before dawn, thick enough to hide the rocks "
    "below the cliff. By noon the ferry from the mainland had turned back twice, and the harbour master posted a "
    "notice asking fishermen to stay in port until the wind changed. Children from the village school walked along "
    "the sea wall anyway, collecting shells and counting the gulls that circled the empty boats.\n"
)


def transformers_ppl(folder):
    tok = AutoTokenizer.from_pretrained(folder)
    model = AutoModelForCausalLM.from_pretrained(folder, torch_dtype=torch.float32).eval()
    ids = tok(TEXT, return_tensors="pt").input_ids
    out = {}
    with torch.no_grad():
        for name, dtype in (("float32", torch.float32), ("bfloat16", torch.bfloat16)):
            out[name] = math.exp(model.to(dtype)(ids, labels=ids).loss.float().item())
    return out


def hubbench_ppl(binary, folder, text_file, dtype):
    proc = subprocess.run([binary, "eval", "-q", "--model", str(folder), "--task", "perplexity", "--dataset", str(text_file),
                           "--max-length", "256", "--stride", "256", "--format", "json", "--dtype", dtype],
                          capture_output=True, text=True, check=True)
    return json.loads(proc.stdout)["metrics"]["token_ppl"]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--hubbench", required=True)
    ap.add_argument("fixtures", nargs="*", default=["tiny-llama", "tiny-gpt2", "tiny-qwen2", "tiny-phi3"])
    args = ap.parse_args()
    ok = True
    with tempfile.TemporaryDirectory() as tmp:
        text_file = Path(tmp) / "text.txt"
        text_file.write_text(TEXT, encoding="utf-8")
        print("| fixture | transformers f32 | transformers bf16 | hubbench f32 | hubbench bf16 | hubbench bf16 vs transformers f32 |")
        print("|---|---:|---:|---:|---:|---:|")
        for name in args.fixtures:
            folder = ROOT / "assets" / "models" / "fixtures" / name
            ref = transformers_ppl(folder)
            f32 = hubbench_ppl(args.hubbench, folder, text_file, "float32")
            bf16 = hubbench_ppl(args.hubbench, folder, text_file, "bfloat16")
            rel = (bf16 - ref["float32"]) / ref["float32"]
            ok &= abs(f32 - ref["float32"]) / ref["float32"] <= 1e-4 and abs(rel) <= 0.01
            print(f"| {name} | {ref['float32']:.4f} | {ref['bfloat16']:.4f} | {f32:.4f} | {bf16:.4f} | {rel * 100:+.3f} % |")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
