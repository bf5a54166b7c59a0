#!/usr/bin/env python3
"""Builds a sentence-transformers fixture with a Dense module from an existing fixture, and its
reference embeddings computed by sentence-transformers itself in float64:

    /tmp/venv/bin/python tools/references/make_sentence_fixture.py
    -> assets/models/fixtures/tiny-distilbert-sentence/ (the tiny-distilbert transformer, then
       1_Pooling mean, 2_Dense 128 -> 64 tanh, as sentence-transformers/distiluse-base-multilingual-cased
       stacks them), and assets/references/tiny-distilbert-sentence.{json,safetensors}

The Dense layer is nn.Linear's seeded initialisation, then fitted for a few hundred steps so the
projection keeps the cosine similarities of the mean-pooled vectors of WikiText-2 lines (a small,
real projection rather than noise). The references use the embedding sentences of every other
fixture (assets/references/tiny-llama.json) and are written in the format of
tiny-bert-sentence.json: `sentences`, `cosine_matrix`, and the tensor `embeddings` (8, 64), F32.
"""
import json
import shutil
from pathlib import Path

import numpy as np
import sentence_transformers
import torch
import transformers
from safetensors.numpy import save_file
from sentence_transformers import SentenceTransformer, models

ROOT = Path(__file__).resolve().parents[2]
SOURCE = ROOT / "assets" / "models" / "fixtures" / "tiny-distilbert"
OUT = ROOT / "assets" / "models" / "fixtures" / "tiny-distilbert-sentence"
REFS = ROOT / "assets" / "references"
SENTENCES = json.loads((REFS / "tiny-llama.json").read_text(encoding="utf-8"))["embedding_sentences"]
WIKI = ROOT / "assets" / "datasets" / "wikitext-2-raw" / "wiki.test.raw"

CARD = """---
license: cc-by-sa-3.0
library_name: sentence-transformers
pipeline_tag: sentence-similarity
language:
- en
tags:
- sentence-transformers
- distilbert
- dense
- test-fixture
datasets:
- wikitext
---

# tiny-distilbert-sentence

A sentence-transformers model laid out as sentence-transformers/distiluse-base-multilingual-cased
is: the tiny-distilbert transformer, mean pooling, then a Dense module (128 -> 64, tanh, with a
bias). Built by `tools/references/make_sentence_fixture.py` with sentence-transformers {st}; the
Dense layer was fitted for {steps} steps to keep the cosine similarities of the pooled vectors. A
small, real model for tests, not a useful embedder. Its reference embeddings were computed with
sentence-transformers in float64 and are kept in assets/references/.
"""


def fit_dense(model, steps=300):
    """Fits the Dense layer so cosines after it match the cosines before it, on WikiText-2 lines."""
    lines = [l.strip() for l in WIKI.read_text(encoding="utf-8").splitlines()]
    lines = [l for l in lines if l and not l.startswith("=")][:512]
    transformer, pooling, dense = model[0], model[1], model[2]
    with torch.no_grad():
        features = model.tokenize(lines)
        pooled = pooling(transformer(features))["sentence_embedding"]
    target = torch.nn.functional.normalize(pooled, dim=1)
    target = target @ target.T
    opt = torch.optim.Adam(dense.parameters(), lr=1e-2)
    for _ in range(steps):
        out = torch.nn.functional.normalize(dense({"sentence_embedding": pooled})["sentence_embedding"], dim=1)
        loss = ((out @ out.T - target) ** 2).mean()
        opt.zero_grad()
        loss.backward()
        opt.step()
    return steps, loss.item()


def main():
    torch.manual_seed(0)
    if OUT.exists():
        shutil.rmtree(OUT)
    transformer = models.Transformer(str(SOURCE), max_seq_length=128)
    pooling = models.Pooling(transformer.get_word_embedding_dimension(), pooling_mode="mean")
    dense = models.Dense(in_features=pooling.get_sentence_embedding_dimension(), out_features=64,
                         activation_function=torch.nn.Tanh())
    model = SentenceTransformer(modules=[transformer, pooling, dense], device="cpu")
    steps, loss = fit_dense(model)
    print(f"dense fitted: {steps} steps, loss {loss:.5f}")
    model.save(str(OUT), safe_serialization=True)
    (OUT / "README.md").write_text(CARD.format(st=sentence_transformers.__version__, steps=steps), encoding="utf-8")

    # Reference: the saved folder reloaded as a user would, in float64.
    reloaded = SentenceTransformer(str(OUT), device="cpu").to(torch.float64)
    with torch.no_grad():
        emb = reloaded.encode(SENTENCES, convert_to_numpy=True, normalize_embeddings=True, batch_size=8)
    emb = emb.astype(np.float64)
    save_file({"embeddings": emb.astype(np.float32)}, str(REFS / "tiny-distilbert-sentence.safetensors"))
    (REFS / "tiny-distilbert-sentence.json").write_text(json.dumps({
        "model": "tiny-distilbert-sentence",
        "sentences": SENTENCES,
        "note": "sentence-transformers encode(), normalised; modules Transformer, Pooling (mean), Dense (128->64, tanh)",
        "cosine_matrix": (emb @ emb.T).tolist(),
        "computed_with": {"sentence_transformers": sentence_transformers.__version__,
                          "transformers": transformers.__version__, "torch": torch.__version__, "dtype": "float64",
                          "script": "tools/references/make_sentence_fixture.py"},
    }, indent=1) + "\n", encoding="utf-8")
    print(json.dumps({"fixture": str(OUT), "files": sorted(str(p.relative_to(OUT)) for p in OUT.rglob("*") if p.is_file())}))


if __name__ == "__main__":
    main()
