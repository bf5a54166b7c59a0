#!/usr/bin/env python3
"""Computes a fixture's references with transformers itself, in float64 on the CPU, in the format
of the references the project started from (docs/references.md):

    /tmp/venv/bin/python tools/references/model_reference.py assets/models/fixtures/tiny-qwen3
    -> assets/references/tiny-qwen3.json and tiny-qwen3.safetensors

json: `tokenize` (the 12 strings every fixture is held to: ids with and without special tokens,
tokens, character offsets, decoded text), `embedding_sentences`, and by kind
  decoders: `eval` (the whole of wiki.test.raw tokenized once), `rolling` (max_length 256 at
            strides 128 and 256), `greedy` (16 argmax tokens, the full sequence re-run each step)
  encoders: `pppl` (first 120 non-heading lines, 64 tokens), `cosine_matrix`,
            `padded_batch_max_abs_diff`
safetensors: `logits_text0` (every position of tokenize[0]), `mean_pooled_embeddings` (mean over
every token of the base model's last hidden state, L2-normalised), encoders also `cls_hidden`.

The model is reloaded from the folder (as a user would) and cast to float64; TF32 is off.
"""
import argparse
import json
import math
from pathlib import Path

import numpy as np
import torch
import transformers
from safetensors.numpy import save_file

ROOT = Path(__file__).resolve().parents[2]
WIKI = ROOT / "assets" / "datasets" / "wikitext-2-raw" / "wiki.test.raw"
# The strings, sentences and prompts of the first references (tiny-llama.json), so every fixture
# is held to the same inputs.
CANON = json.loads((ROOT / "assets" / "references" / "tiny-llama.json").read_text(encoding="utf-8"))
TEXTS = [t["text"] for t in CANON["tokenize"]]
SENTENCES = CANON["embedding_sentences"]
PROMPTS = [g["prompt"] for g in CANON["greedy"]]


def tokenize_rows(tok):
    rows = []
    for text in TEXTS:
        enc = tok(text, return_offsets_mapping=True)
        ids = enc["input_ids"]
        rows.append({
            # The pieces as the tokenizer produced them (Encoding.tokens: an unknown Unigram piece keeps
            # its text), not convert_ids_to_tokens(ids), which would turn it into "<unk>".
            "text": text, "ids": ids, "tokens": enc.tokens(),
            "offsets": [list(o) for o in enc["offset_mapping"]],
            "ids_no_special": tok(text, add_special_tokens=False)["input_ids"],
            "decoded": tok.decode(ids, skip_special_tokens=True),
            "decoded_keep_special": tok.decode(ids, skip_special_tokens=False),
        })
    return rows


def base_model(model):
    return model.base_model if model.base_model is not model else model


@torch.no_grad()
def last_hidden(model, ids):
    return base_model(model)(input_ids=torch.tensor([ids])).last_hidden_state[0]


@torch.no_grad()
def embeddings(model, tok, kind):
    pooled, cls = [], []
    for s in SENTENCES:
        h = last_hidden(model, tok(s)["input_ids"])
        m = h.mean(0)
        pooled.append((m / m.norm()).numpy())
        cls.append(h[0].numpy())
    # The same sentences as one padded batch with an attention mask and a masked mean (encoders
    # only: see rolling() on padding and sliding windows).
    if kind != "encoder":
        return np.stack(pooled), np.stack(cls), None
    enc = tok(SENTENCES, padding=True, return_tensors="pt")
    h = base_model(model)(input_ids=enc["input_ids"], attention_mask=enc["attention_mask"]).last_hidden_state
    mask = enc["attention_mask"].unsqueeze(-1).to(h.dtype)
    m = (h * mask).sum(1) / mask.sum(1)
    padded = (m / m.norm(dim=1, keepdim=True)).numpy()
    pooled = np.stack(pooled)
    return pooled, np.stack(cls), float(np.abs(padded - pooled).max())


@torch.no_grad()
def rolling(model, ids, max_length, stride, batch_size=16):
    n = len(ids)
    windows, prev_end, b = [], 0, 0
    while True:
        e = min(b + max_length, n)
        windows.append((b, e, max(b + 1, prev_end)))
        prev_end = e
        if e == n:
            break
        b += stride
    nll_sum, scored, per_window = 0.0, 0, []
    # Batches of windows of one length, never padded: with a sliding window, a padded row's fully
    # masked positions turn to NaN and reach the real ones through 0 * NaN (Gemma 2, eager attention).
    groups = []
    for w in windows:
        if groups and len(groups[-1]) < batch_size and groups[-1][0][1] - groups[-1][0][0] == w[1] - w[0]:
            groups[-1].append(w)
        else:
            groups.append([w])
    for group in groups:
        batch = torch.tensor([ids[b:e] for b, e, _ in group])
        logp = torch.log_softmax(model(input_ids=batch).logits, dim=-1)
        for j, (b, e, first) in enumerate(group):
            pos = torch.arange(first, e)
            targets = torch.tensor(ids[first:e])
            nll = -logp[j, pos - b - 1, targets].sum().item()
            nll_sum += nll
            scored += e - first
            per_window.append([b, e, first, nll])
    return nll_sum, scored, per_window


def decoder_references(model, tok, out):
    text = WIKI.read_text(encoding="utf-8")
    ids = tok(text)["input_ids"]
    n_bytes, n_words, n_chars = len(text.encode("utf-8")), len(text.split()), len(text)
    out["eval"] = {"n_tokens": len(ids), "n_bytes": n_bytes, "n_words": n_words, "n_chars": n_chars,
                   "first_ids": ids[:16], "last_ids": ids[-16:]}
    out["rolling"] = []
    for stride in (128, 256):
        nll_sum, scored, windows = rolling(model, ids, 256, stride)
        out["rolling"].append({
            "max_length": 256, "stride": stride, "nll_sum": nll_sum, "n_scored": scored,
            "token_ppl": math.exp(nll_sum / scored), "word_ppl": math.exp(nll_sum / n_words),
            "byte_ppl": math.exp(nll_sum / n_bytes), "bits_per_byte": nll_sum / (n_bytes * math.log(2)),
            "n_windows": len(windows), "first_windows": windows[:3]})
        print(f"rolling stride {stride}: token ppl {out['rolling'][-1]['token_ppl']:.4f}", flush=True)
    out["greedy"] = []
    for prompt in PROMPTS:
        prompt_ids = tok(prompt)["input_ids"]
        seq = list(prompt_ids)
        with torch.no_grad():
            for _ in range(16):
                seq.append(int(model(input_ids=torch.tensor([seq])).logits[0, -1].argmax()))
        new = seq[len(prompt_ids):]
        out["greedy"].append({"prompt": prompt, "prompt_ids": prompt_ids, "new_ids": new,
                              "text": tok.decode(new, skip_special_tokens=True)})


@torch.no_grad()
def encoder_references(model, tok, out):
    lines = [l.strip() for l in WIKI.read_text(encoding="utf-8").split("\n")]
    lines = [l for l in lines if l and not l.startswith("=")][:120]
    pll_sum, scored, first = 0.0, 0, []
    for line in lines:
        enc = tok(line, truncation=True, max_length=64, return_special_tokens_mask=True)
        ids, special = enc["input_ids"], enc["special_tokens_mask"]
        positions = [i for i, s in enumerate(special) if not s]
        batch = torch.tensor([ids] * len(positions))
        for row, p in enumerate(positions):
            batch[row, p] = tok.mask_token_id
        logp = torch.log_softmax(model(input_ids=batch).logits, dim=-1)
        pll = sum(logp[row, p, ids[p]].item() for row, p in enumerate(positions))
        pll_sum += pll
        scored += len(positions)
        if len(first) < 5:
            first.append({"pll": pll, "n": len(positions)})
    out["pppl"] = {"n_lines": len(lines), "max_length": 64, "pll_sum": pll_sum, "n_scored": scored,
                   "pppl": math.exp(-pll_sum / scored), "first_lines": first}
    print(f"pppl {out['pppl']['pppl']:.4f}", flush=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("fixture", type=Path)
    ap.add_argument("--out", type=Path, default=ROOT / "assets" / "references")
    args = ap.parse_args()
    torch.backends.cuda.matmul.allow_tf32 = False
    torch.backends.cudnn.allow_tf32 = False
    name = args.fixture.name
    tok = transformers.AutoTokenizer.from_pretrained(args.fixture)
    config = transformers.AutoConfig.from_pretrained(args.fixture)
    decoder = any(a.endswith("ForCausalLM") for a in config.architectures or [])
    cls = transformers.AutoModelForCausalLM if decoder else transformers.AutoModelForMaskedLM
    model = cls.from_pretrained(args.fixture, dtype=torch.float64, attn_implementation="eager").eval()

    out = {"model": name, "tokenize": tokenize_rows(tok)}
    tensors = {}
    with torch.no_grad():
        logits = model(input_ids=torch.tensor([out["tokenize"][0]["ids"]])).logits[0]
    tensors["logits_text0"] = logits.numpy().astype(np.float32)
    pooled, cls_hidden, padded_diff = embeddings(model, tok, "decoder" if decoder else "encoder")
    tensors["mean_pooled_embeddings"] = pooled.astype(np.float32)
    if decoder:
        decoder_references(model, tok, out)
    else:
        tensors["cls_hidden"] = cls_hidden.astype(np.float32)
        out["cosine_matrix"] = (pooled @ pooled.T).tolist()
        out["padded_batch_max_abs_diff"] = padded_diff
        encoder_references(model, tok, out)
    out["embedding_sentences"] = SENTENCES
    out["computed_with"] = {"transformers": transformers.__version__, "torch": torch.__version__, "dtype": "float64",
                            "script": "tools/references/model_reference.py"}
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / f"{name}.json").write_text(json.dumps(out, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    save_file(tensors, str(args.out / f"{name}.safetensors"))
    print(f"wrote {args.out / name}.json and .safetensors")


if __name__ == "__main__":
    main()
