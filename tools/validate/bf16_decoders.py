#!/usr/bin/env python3
"""hubbench `--dtype bfloat16` and `--dtype int8` beside transformers on text the tests do not use (not CI).

For each decoder fixture: the token perplexity of one new paragraph (TEXT below, 121-128 tokens,
one window) from transformers in float32 and in bfloat16 (model.to(torch.bfloat16): weights and
activations), and from `hubbench eval --task perplexity` with --dtype float32, bfloat16 and int8
(weights only; activations and sums stay float32).

int8's reference is transformers in float32 with its weights put through the same 8-bit round trip
(llama.cpp's Q8_0 rule, written out below from ggml-quants.c quantize_row_q8_0_ref: blocks of 32
along each row, d = max|w| / 127, q = round(w / d) half away from zero, w' = q * d): every 2-D
weight hubbench quantizes (projections, token embeddings, LM head; not position embeddings) whose
rows are whole blocks. Both then multiply the same float32 weights, so they must agree as float32
does.

Prints a table; exits 1 when hubbench's float32 differs from transformers' float32 by more than
1e-4 relative, its bfloat16 by more than 1 %, or its int8 from the int8 reference by more than
1e-4 (docs/references.md).

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


def q8_round_trip(w):
    """w (float32, rows of whole 32-blocks) through Q8_0: q = round(w * (1 / d)) half away from zero, back as q * d."""
    blocks = w.reshape(-1, 32)
    d = blocks.abs().amax(dim=1, keepdim=True) / 127.0
    inv = torch.where(d != 0, 1.0 / d, torch.zeros_like(d))
    x = blocks * inv
    q = torch.sign(x) * torch.floor(x.abs() + 0.5)
    return (q * d).reshape(w.shape)


def transformers_q8_ppl(folder):
    tok = AutoTokenizer.from_pretrained(folder)
    model = AutoModelForCausalLM.from_pretrained(folder, torch_dtype=torch.float32).eval()
    ids = tok(TEXT, return_tensors="pt").input_ids
    with torch.no_grad():
        for name, param in model.named_parameters():  # tied weights appear once
            if param.dim() == 2 and param.shape[-1] % 32 == 0 and not name.endswith("wpe.weight"):
                param.copy_(q8_round_trip(param))
        return math.exp(model(ids, labels=ids).loss.item())


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
        print("| fixture | transformers f32 | transformers bf16 | hubbench f32 | hubbench bf16 | hubbench bf16 vs transformers f32 "
              "| transformers f32, Q8_0 weights | hubbench int8 | hubbench int8 vs transformers f32 |")
        print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
        for name in args.fixtures:
            folder = ROOT / "assets" / "models" / "fixtures" / name
            ref = transformers_ppl(folder)
            ref_q8 = transformers_q8_ppl(folder)
            f32 = hubbench_ppl(args.hubbench, folder, text_file, "float32")
            bf16 = hubbench_ppl(args.hubbench, folder, text_file, "bfloat16")
            int8 = hubbench_ppl(args.hubbench, folder, text_file, "int8")
            rel = (bf16 - ref["float32"]) / ref["float32"]
            rel8 = (int8 - ref["float32"]) / ref["float32"]
            ok &= abs(f32 - ref["float32"]) / ref["float32"] <= 1e-4 and abs(rel) <= 0.01
            ok &= abs(int8 - ref_q8) / ref_q8 <= 1e-4
            print(f"| {name} | {ref['float32']:.4f} | {ref['bfloat16']:.4f} | {f32:.4f} | {bf16:.4f} | {rel * 100:+.3f} % "
                  f"| {ref_q8:.4f} | {int8:.4f} | {rel8 * 100:+.3f} % |")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
