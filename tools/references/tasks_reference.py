#!/usr/bin/env python3
"""Reference outputs for hubbench's choice-scoring and classification tasks, computed by Hugging Face
transformers (and sentence-transformers / scikit-learn for the embedding probe) in float64.

    /tmp/venv/bin/python tools/references/tasks_reference.py            # all six fixtures
    /tmp/venv/bin/python tools/references/tasks_reference.py tiny-gpt2  # some of them

writes assets/references/tasks/<fixture>.json (and tiny-bert-sentence.safetensors). The files and
every field are described in tools/references/README.md; the scoring conventions follow
lm-evaluation-harness's HF backend (lm_eval/api/model.py TemplateLM._encode_pair / loglikelihood,
lm_eval/models/huggingface.py HFLM.tok_encode / _loglikelihood_tokens), re-implemented here line by
line so that every intermediate (token ids, truncation) can be recorded, and checked against
lm-eval itself by bench/peers/lm_eval_side_by_side.sh.

Deterministic: no sampling, one CPU thread, float64 weights and activations.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import sys
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

import numpy as np  # noqa: E402
import torch  # noqa: E402
from transformers import AutoModelForCausalLM, AutoModelForMaskedLM, AutoTokenizer  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from mt19937_64 import MT19937_64, check as mt_check  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "assets" / "models" / "fixtures"
OUT = REPO / "assets" / "references" / "tasks"
DECODERS = ["tiny-gpt2", "tiny-llama", "tiny-qwen2"]
MASKED = ["tiny-bert", "tiny-roberta"]
EMBEDDERS = ["tiny-bert-sentence"]

# lm-eval's commonsense_qa task (lm_eval/tasks/commonsense_qa/default.yaml, lm-eval 0.4.13).
CSQA_DOC_TO_TEXT = (
    "Question: {{ question.strip() }}\nA. {{choices['text'][0]}}\nB. {{choices['text'][1]}}\n"
    "C. {{choices['text'][2]}}\nD. {{choices['text'][3]}}\nE. {{choices['text'][4]}}\nAnswer:"
)
CSQA_CHOICES = ["A", "B", "C", "D", "E"]
TARGET_DELIMITER = " "  # lm_eval/config/task.py TaskConfig.target_delimiter default
FEWSHOT_DELIMITER = "\n\n"  # lm_eval/config/task.py TaskConfig.fewshot_delimiter default

N_MC = 40
N_PLL = 20
N_CLS = 40
SHOT_INDICES = [100, 101]
LIKELIHOOD_TEMPLATE = "Review: {text}\nSentiment:"
LIKELIHOOD_VERBALIZERS = {"0": " negative", "1": " positive"}
CLOZE_TEMPLATE = "{text} It was {mask}."
# "single": one token each in both masked fixtures; "multi": " boring" is two tokens for both
# tiny-bert (bor ##ing) and tiny-roberta (Ġb oring), " great" one; "long": both multi-token and of
# different lengths (tiny-bert 2 and 3, tiny-roberta 3 and 4).
CLOZE_SETS = [
    ("single", {"0": " bad", "1": " good"}),
    ("multi", {"0": " boring", "1": " great"}),
    ("long", {"0": " terrible", "1": " wonderful"}),
]
N_PROBE = 200
N_PAIRS = 100
K_FOLDS = 5
SEED = 0
KNN_K = 10


# ----------------------------------------------------------------------------------------------
# data


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


class Data:
    def __init__(self, root: Path):
        self.root = root
        self.csqa_path = root / "commonsenseqa" / "dev_rand_split.jsonl"
        self.sst2_path = root / "sst2" / "dev.tsv"
        self.kornli_path = root / "kornli" / "xnli.test.ko.tsv"

    def describe(self, *names: str) -> dict:
        paths = {"commonsenseqa": self.csqa_path, "sst2": self.sst2_path, "kornli": self.kornli_path}
        return {
            n: {"file": str(paths[n].relative_to(self.root)), "sha256": sha256(paths[n])} for n in names
        }

    def csqa(self, n: int) -> list[dict]:
        items = []
        with open(self.csqa_path, encoding="utf-8") as f:
            for line in f:
                if not line.strip():
                    continue
                items.append(json.loads(line))
                if len(items) == n:
                    break
        return items

    def sst2(self) -> list[tuple[str, str]]:
        """(sentence, label) rows in file order, the header skipped; cells verbatim (every SST-2
        sentence ends with a space, which is kept)."""
        rows = []
        with open(self.sst2_path, encoding="utf-8", newline="") as f:
            lines = f.read().split("\n")
        header = lines[0].rstrip("\r").split("\t")
        assert header == ["sentence", "label"], header
        for line in lines[1:]:
            line = line.rstrip("\r")
            if not line:
                continue
            cells = line.split("\t")
            rows.append((cells[0], cells[1]))
        return rows

    def kornli(self, n: int) -> list[tuple[str, str, str]]:
        rows = []
        with open(self.kornli_path, encoding="utf-8", newline="") as f:
            lines = f.read().split("\n")
        header = lines[0].rstrip("\r").split("\t")
        assert header == ["sentence1", "sentence2", "gold_label"], header
        for line in lines[1:]:
            line = line.rstrip("\r")
            if not line:
                continue
            cells = line.split("\t")
            rows.append((cells[0], cells[1], cells[2]))
            if len(rows) == n:
                break
        return rows


def csqa_hf_layout(item: dict) -> dict:
    """The original CommonsenseQA jsonl record in the layout of the Hub's tau/commonsense_qa
    (what lm-eval's task reads): question (the stem), choices {label, text}, answerKey."""
    q = item["question"]
    return {
        "id": item["id"],
        "question": q["stem"],
        "question_concept": q.get("question_concept", ""),
        "choices": {"label": [c["label"] for c in q["choices"]], "text": [c["text"] for c in q["choices"]]},
        "answerKey": item["answerKey"],
    }


def csqa_lm_eval_context(hf: dict) -> str:
    """lm-eval's commonsense_qa doc_to_text rendered (the Jinja template above, by hand; the side-by-side
    check compares this string with the one lm-eval logs)."""
    t = hf["choices"]["text"]
    return (
        f"Question: {hf['question'].strip()}\nA. {t[0]}\nB. {t[1]}\nC. {t[2]}\nD. {t[3]}\nE. {t[4]}\nAnswer:"
    )


def versions() -> dict:
    import importlib.metadata as md

    out = {"python": platform.python_version()}
    for name in ["torch", "transformers", "tokenizers", "safetensors", "sentence-transformers",
                 "scikit-learn", "numpy", "lm_eval"]:
        try:
            out[name] = md.version(name)
        except md.PackageNotFoundError:
            out[name] = None
    return out


def header(fixture: str, data: Data, *datasets: str) -> dict:
    return {
        "fixture": fixture,
        "model_dir": f"assets/models/fixtures/{fixture}",
        "generator": "tools/references/tasks_reference.py",
        "versions": versions(),
        "dtype": "float64",
        "device": "cpu",
        "datasets": data.describe(*datasets),
    }


def first_argmax(values) -> int:
    best = 0
    for i, v in enumerate(values):
        if v > values[best]:
            best = i
    return best


# ----------------------------------------------------------------------------------------------
# decoders: lm-eval's loglikelihood, step by step


def lm_eval_max_length(model, tok) -> int:
    """HFLM.max_length without max_length=: resolve_max_length (lm_eval/models/utils.py): config
    n_positions, max_position_embeddings, n_ctx, then tokenizer.model_max_length, then 2048."""
    cfg = getattr(model.config, "text_config", None) or model.config
    for attr in ("n_positions", "max_position_embeddings", "n_ctx"):
        v = getattr(cfg, attr, None)
        if v is not None:
            return int(v)
    mml = getattr(tok, "model_max_length", None)
    if mml is not None and mml != int(1e30):
        return int(mml)
    return 2048


class Decoder:
    def __init__(self, fixture: str):
        path = FIXTURES / fixture
        self.tok = AutoTokenizer.from_pretrained(path)
        self.model = AutoModelForCausalLM.from_pretrained(path, dtype=torch.float64)
        self.model.to(torch.float64).eval()
        self.max_length = lm_eval_max_length(self.model, self.tok)
        # HFLM.prefix_token_id: BOS, else EOS
        self.prefix_token_id = self.tok.bos_token_id if self.tok.bos_token_id is not None else self.tok.eos_token_id
        self.prefix_text = self.tok.decode(self.prefix_token_id)

    def tok_encode(self, s: str, add_special_tokens: bool | None = None) -> list[int]:
        """HFLM.tok_encode with add_bos_token unset: the tokenizer's default, except that a string
        starting with the text of the prefix token gets no special tokens."""
        kwargs = {}
        if add_special_tokens is not None:
            kwargs["add_special_tokens"] = add_special_tokens
        elif s.startswith(self.prefix_text):
            kwargs["add_special_tokens"] = False
        return self.tok.encode(s, **kwargs)

    def encode_pair(self, context: str, continuation: str) -> dict:
        """TemplateLM.loglikelihood + _encode_pair for a causal model."""
        if context == "":
            cont = self.tok_encode(continuation, add_special_tokens=False)
            if self.prefix_token_id != cont[0]:
                ctx = [self.prefix_token_id]
            else:
                ctx, cont = cont[:1], cont[1:]
            return {"context_ids": ctx, "ids": cont, "moved": "", "whole_prefix_matches": True}
        n_spaces = len(context) - len(context.rstrip())
        moved = ""
        if n_spaces > 0:
            moved = context[-n_spaces:]
            continuation = moved + continuation
            context = context[:-n_spaces]
        whole = self.tok_encode(context + continuation)
        ctx = self.tok_encode(context)
        return {
            "context_ids": ctx,
            "ids": whole[len(ctx):],
            "moved": moved,
            "whole_prefix_matches": whole[: len(ctx)] == ctx,
        }

    @torch.no_grad()
    def score(self, context: str, continuation: str) -> dict:
        """HFLM._loglikelihood_tokens for one request (batch size 1, so no padding)."""
        enc = self.encode_pair(context, continuation)
        ctx, cont = enc["context_ids"], enc["ids"]
        assert len(ctx) > 0 and len(cont) > 0 and len(cont) <= self.max_length
        full = ctx + cont
        window = full[-(self.max_length + 1):]
        inp = window[:-1]
        logits = self.model(torch.tensor([inp], dtype=torch.long)).logits[0]
        logp = torch.log_softmax(logits, dim=-1)
        sel = logp[len(inp) - len(cont): len(inp)]
        target = torch.tensor(cont, dtype=torch.long)
        token_lp = sel.gather(1, target[:, None])[:, 0]
        greedy = bool((sel.argmax(dim=-1) == target).all())
        return {
            "context_ids": ctx,
            "ids": cont,
            "token_logprobs": [float(x) for x in token_lp],
            "loglik": float(token_lp.sum()),
            "is_greedy": greedy,
            "n_tokens": len(cont),
            "truncated_tokens": len(full) - len(window),
            "moved": enc["moved"],
            "whole_prefix_matches": enc["whole_prefix_matches"],
        }


def choice_entry(s: dict, continuation: str, chars: int) -> dict:
    e = {
        "continuation": continuation,
        "ids": s["ids"],
        "token_logprobs": s["token_logprobs"],
        "loglik": s["loglik"],
        "is_greedy": s["is_greedy"],
        "n_tokens": s["n_tokens"],
        "chars": chars,
        "truncated_tokens": s["truncated_tokens"],
        "whole_prefix_matches": s["whole_prefix_matches"],
    }
    return e


def decoder_multiple_choice(dec: Decoder, items: list[dict], prompt: str) -> dict:
    out_items = []
    correct = correct_norm = 0
    for index, item in enumerate(items):
        hf = csqa_hf_layout(item)
        if prompt == "lm_eval":
            context = csqa_lm_eval_context(hf)
            choices = list(CSQA_CHOICES)
        else:
            context = hf["question"]
            choices = list(hf["choices"]["text"])
        gold = hf["choices"]["label"].index(hf["answerKey"])
        scores = []
        context_ids = None
        for choice in choices:
            cont = TARGET_DELIMITER + choice
            s = dec.score(context, cont)
            if context_ids is None:
                context_ids = s["context_ids"]
            assert context_ids == s["context_ids"]
            # lm-eval's completion_len: len(choice) in characters, the delimiter not counted
            scores.append(choice_entry(s, cont, len(choice)))
        lls = [c["loglik"] for c in scores]
        pred = first_argmax(lls)
        pred_norm = first_argmax([c["loglik"] / c["chars"] for c in scores])
        assert pred == int(np.argmax(lls)) and pred_norm == int(np.argmax(np.array(lls) / np.array([c["chars"] for c in scores])))
        correct += pred == gold
        correct_norm += pred_norm == gold
        out_items.append({
            "index": index,
            "id": hf["id"],
            "gold": gold,
            "context": context,
            "choices": choices,
            "context_ids": context_ids,
            "scores": scores,
            "prediction": pred,
            "prediction_norm": pred_norm,
        })
    return {
        "n_items": len(items),
        "target_delimiter": TARGET_DELIMITER,
        "accuracy": correct / len(items),
        "accuracy_norm": correct_norm / len(items),
        "items": out_items,
    }


def format_shot(text: str, label: str) -> str:
    return LIKELIHOOD_TEMPLATE.format(text=text) + LIKELIHOOD_VERBALIZERS[label]


def decoder_likelihood(dec: Decoder, rows: list[tuple[str, str]], shots: list[int]) -> dict:
    labels = sorted(LIKELIHOOD_VERBALIZERS)
    shot_rows = [{"index": i, "text": rows[i][0], "label": rows[i][1], "formatted": format_shot(*rows[i])} for i in shots]
    prefix = "".join(s["formatted"] + FEWSHOT_DELIMITER for s in shot_rows)
    out_items = []
    correct = correct_norm = 0
    for index in range(N_CLS):
        text, gold = rows[index]
        context = prefix + LIKELIHOOD_TEMPLATE.format(text=text)
        scores = []
        context_ids = None
        for label in labels:
            v = LIKELIHOOD_VERBALIZERS[label]
            s = dec.score(context, v)
            if context_ids is None:
                context_ids = s["context_ids"]
            e = choice_entry(s, v, len(v))  # the verbalizer as given, its leading space counted
            e = {"label": label, **e}
            scores.append(e)
        lls = [c["loglik"] for c in scores]
        pred = labels[first_argmax(lls)]
        pred_norm = labels[first_argmax([c["loglik"] / c["chars"] for c in scores])]
        correct += pred == gold
        correct_norm += pred_norm == gold
        out_items.append({
            "index": index,
            "text": text,
            "gold": gold,
            "context": context,
            "context_ids": context_ids,
            "scores": scores,
            "prediction": pred,
            "prediction_norm": pred_norm,
        })
    return {
        "template": LIKELIHOOD_TEMPLATE,
        "verbalizers": LIKELIHOOD_VERBALIZERS,
        "labels": labels,
        "shots": shot_rows,
        "fewshot_delimiter": FEWSHOT_DELIMITER,
        "n_items": N_CLS,
        "accuracy": correct / N_CLS,
        "accuracy_norm": correct_norm / N_CLS,
        "items": out_items,
    }


def decoder_edge_cases(dec: Decoder, rows: list[tuple[str, str]]) -> list[dict]:
    cases = [
        ("empty context: the prefix token (BOS, else EOS) is the context, the continuation is "
         "encoded without special tokens", "", " negative"),
        ("trailing spaces of the context move onto the continuation",
         "Review: a great film\nSentiment:  ", "positive"),
        ("trailing whitespace of any kind (str.rstrip()) moves, here a newline",
         "Question: is it good?\nAnswer:\n", "yes"),
        ("the context starts with the text of the prefix token: no special tokens are added",
         dec.prefix_text + "Review: a great film\nSentiment:", " positive"),
    ]
    # a context longer than the model: (context + continuation)[-(max_length+1):][:-1] is the input
    long_context = ""
    i = 0
    while len(dec.tok_encode(long_context)) <= dec.max_length + 10:
        long_context += LIKELIHOOD_TEMPLATE.format(text=rows[i][0]) + LIKELIHOOD_VERBALIZERS[rows[i][1]] + FEWSHOT_DELIMITER
        i += 1
    long_context += LIKELIHOOD_TEMPLATE.format(text=rows[i][0])
    cases.append(("left truncation: the model sees the last max_length tokens of context + continuation "
                  "minus the continuation's last token", long_context, " positive"))
    out = []
    for what, context, continuation in cases:
        s = dec.score(context, continuation)
        out.append({
            "what": what,
            "context": context,
            "continuation": continuation,
            "moved": s["moved"],
            "context_ids": s["context_ids"],
            "ids": s["ids"],
            "token_logprobs": s["token_logprobs"],
            "loglik": s["loglik"],
            "is_greedy": s["is_greedy"],
            "truncated_tokens": s["truncated_tokens"],
        })
    return out


def run_decoder(fixture: str, data: Data) -> dict:
    dec = Decoder(fixture)
    csqa = data.csqa(N_MC)
    rows = data.sst2()
    out = header(fixture, data, "commonsenseqa", "sst2")
    out["tokenizer"] = {
        "prefix_token_id": dec.prefix_token_id,
        "prefix_token_text": dec.prefix_text,
        "default_special_ids_of_empty_string": dec.tok.encode(""),
        "max_length": dec.max_length,
    }
    out["multiple_choice"] = {"prompt": "lm_eval", "doc_to_text": CSQA_DOC_TO_TEXT, "doc_to_choice": CSQA_CHOICES,
                              **decoder_multiple_choice(dec, csqa, "lm_eval")}
    out["multiple_choice_stem"] = {"prompt": "stem", "doc_to_text": "{{question.stem}}",
                                   "doc_to_choice": "{{question.choices[*].text}}",
                                   **decoder_multiple_choice(dec, csqa, "stem")}
    out["likelihood"] = decoder_likelihood(dec, rows, [])
    out["likelihood_2shot"] = decoder_likelihood(dec, rows, SHOT_INDICES)
    out["edge_cases"] = decoder_edge_cases(dec, rows)
    return out


# ----------------------------------------------------------------------------------------------
# masked LMs


class Masked:
    def __init__(self, fixture: str):
        path = FIXTURES / fixture
        self.tok = AutoTokenizer.from_pretrained(path)
        self.model = AutoModelForMaskedLM.from_pretrained(path, dtype=torch.float64)
        self.model.to(torch.float64).eval()
        self.mask_id = self.tok.mask_token_id
        self.mask_text = self.tok.mask_token
        self.max_length = self.tok.model_max_length

    @torch.no_grad()
    def logprobs(self, batch: list[list[int]]) -> torch.Tensor:
        logits = self.model(torch.tensor(batch, dtype=torch.long)).logits
        return torch.log_softmax(logits, dim=-1)


def cloze(m: Masked, text: str, verbalizers: dict) -> dict:
    labels = sorted(verbalizers)
    before, after = CLOZE_TEMPLATE.split("{mask}")
    before = before.format(text=text)
    scores = []
    for label in labels:
        v = verbalizers[label]
        toks = m.tok.encode(v, add_special_tokens=False)
        filled = before + m.mask_text * len(toks) + after
        ids = m.tok.encode(filled)  # with special tokens, the tokenizer's default
        assert len(ids) <= m.max_length
        positions = [i for i, t in enumerate(ids) if t == m.mask_id]
        assert len(positions) == len(toks), (filled, ids)
        lp = m.logprobs([ids])[0]
        token_lp = [float(lp[p, t]) for p, t in zip(positions, toks)]
        scores.append({
            "label": label,
            "verbalizer": v,
            "input_ids": ids,
            "mask_positions": positions,
            "token_ids": toks,
            "token_logprobs": token_lp,
            "score": sum(token_lp) / len(token_lp),
        })
    pred = labels[first_argmax([s["score"] for s in scores])]
    return {"scores": scores, "prediction": pred}


def pll(m: Masked, text: str) -> dict:
    enc = m.tok(text, return_special_tokens_mask=True)
    ids, special = enc["input_ids"], enc["special_tokens_mask"]
    assert len(ids) <= m.max_length
    positions = [i for i, s in enumerate(special) if not s]
    batch = []
    for p in positions:
        x = list(ids)
        x[p] = m.mask_id
        batch.append(x)
    lp = m.logprobs(batch)
    token_lp = [float(lp[b, p, ids[p]]) for b, p in enumerate(positions)]
    return {"text": text, "ids": ids, "special_mask": special, "token_logprobs": token_lp,
            "pll": sum(token_lp), "n_scored": len(positions)}


def run_masked(fixture: str, data: Data) -> dict:
    m = Masked(fixture)
    rows = data.sst2()
    out = header(fixture, data, "commonsenseqa", "sst2")
    out["tokenizer"] = {"mask_token": m.mask_text, "mask_token_id": m.mask_id, "max_length": m.max_length}
    sets = []
    for name, verbalizers in CLOZE_SETS:
        sets.append({
            "name": name,
            "verbalizers": verbalizers,
            "token_ids": {k: m.tok.encode(v, add_special_tokens=False) for k, v in sorted(verbalizers.items())},
        })
    assert all(len(v) == 1 for v in sets[0]["token_ids"].values())
    assert sorted(len(v) for v in sets[1]["token_ids"].values()) == [1, 2], sets[1]
    items = []
    correct = {name: 0 for name, _ in CLOZE_SETS}
    for index in range(N_CLS):
        text, gold = rows[index]
        per_set = []
        for name, verbalizers in CLOZE_SETS:
            r = cloze(m, text, verbalizers)
            correct[name] += r["prediction"] == gold
            per_set.append({"name": name, **r})
        items.append({"index": index, "text": text, "gold": gold, "sets": per_set})
    out["cloze"] = {
        "template": CLOZE_TEMPLATE,
        "labels": sorted(LIKELIHOOD_VERBALIZERS),
        "verbalizer_sets": sets,
        "n_items": N_CLS,
        "accuracy": {k: v / N_CLS for k, v in correct.items()},
        "items": items,
    }
    mc_items = []
    correct_pll = 0
    for index, item in enumerate(data.csqa(N_PLL)):
        hf = csqa_hf_layout(item)
        context = hf["question"]
        choices = hf["choices"]["text"]
        gold = hf["choices"]["label"].index(hf["answerKey"])
        scores = [pll(m, context + " " + c) for c in choices]
        pred = first_argmax([s["pll"] for s in scores])
        correct_pll += pred == gold
        mc_items.append({"index": index, "id": hf["id"], "gold": gold, "context": context, "choices": choices,
                         "scores": scores, "prediction": pred})
    out["multiple_choice_pll"] = {"n_items": N_PLL, "accuracy_pseudo": correct_pll / N_PLL, "items": mc_items}
    return out


# ----------------------------------------------------------------------------------------------
# embedding probe and kNN


def stratified_folds(labels: list[str], k: int, seed: int) -> tuple[list[int], dict]:
    """The C++ fold assignment: std::mt19937_64(seed); classes in sorted order; each class's indices
    (file order) shuffled by Fisher-Yates from the last index down with j = gen() % (i + 1), one
    generator for all classes; then dealt round-robin over folds 0..k-1, class after class, the
    position carrying over from one class to the next."""
    gen = MT19937_64(seed)
    classes = sorted(set(labels))
    shuffled = {}
    for c in classes:
        a = [i for i, y in enumerate(labels) if y == c]
        for i in range(len(a) - 1, 0, -1):
            j = gen() % (i + 1)
            a[i], a[j] = a[j], a[i]
        shuffled[c] = a
    folds = [-1] * len(labels)
    pos = 0
    for c in classes:
        for i in shuffled[c]:
            folds[i] = pos % k
            pos += 1
    return folds, shuffled


def probe(features: np.ndarray, labels: list[str], folds: list[int], k: int) -> dict:
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import f1_score
    from sklearn.multiclass import OneVsRestClassifier

    classes = sorted(set(labels))
    y = np.array(labels)
    folds_a = np.array(folds)
    predictions = [None] * len(labels)
    decision = [None] * len(labels)
    per_fold = []
    for f in range(k):
        train, test = folds_a != f, folds_a == f
        lr = LogisticRegression(solver="liblinear", C=1.0, tol=1e-4)
        clf = lr if len(classes) == 2 else OneVsRestClassifier(lr)
        clf.fit(features[train], y[train])
        assert list(clf.classes_) == classes
        d = clf.decision_function(features[test])
        p = clf.predict(features[test])
        if len(classes) == 2:
            mine = [classes[1] if v > 0 else classes[0] for v in d]
            coef = [clf.coef_[0].tolist()]
            intercept = clf.intercept_.tolist()
        else:
            mine = [classes[first_argmax(list(row))] for row in d]
            coef = [e.coef_[0].tolist() for e in clf.estimators_]
            intercept = [float(e.intercept_[0]) for e in clf.estimators_]
        assert list(p) == mine, (list(p), mine)
        for i, pi, di in zip(np.nonzero(test)[0], p, d):
            predictions[i] = str(pi)
            decision[i] = float(di) if len(classes) == 2 else [float(x) for x in di]
        per_fold.append({
            "fold": f,
            "n_train": int(train.sum()),
            "n_test": int(test.sum()),
            "accuracy": float(np.mean(p == y[test])),
            "intercept": intercept,
            "coef_l2_norm": [float(np.linalg.norm(c)) for c in coef],
        })
    acc = float(np.mean(np.array(predictions) == y))
    f1 = float(f1_score(y, np.array(predictions), average="macro"))
    return {"predictions": predictions, "decision": decision, "accuracy": acc, "macro_f1": f1, "per_fold": per_fold}


def knn(features: np.ndarray, labels: list[str], folds: list[int], k_folds: int, k: int) -> dict:
    from sklearn.metrics import f1_score

    classes = sorted(set(labels))
    norms = np.linalg.norm(features, axis=1)
    predictions, neighbors, all_votes, gaps = [], [], [], []
    for i in range(len(labels)):
        cands = [j for j in range(len(labels)) if folds[j] != folds[i]]
        cos = [float(features[i] @ features[j] / (norms[i] * norms[j])) for j in cands]
        ranked = sorted(range(len(cands)), key=lambda t: (-cos[t], cands[t]))
        order = ranked[:k]
        # how far the k-th neighbour is ahead of the (k+1)-th: 0.0 means an exact tie, settled by index
        gaps.append(cos[ranked[k - 1]] - cos[ranked[k]] if len(ranked) > k else None)
        votes = [0] * len(classes)
        sums = [0.0] * len(classes)
        for t in order:
            c = classes.index(labels[cands[t]])
            votes[c] += 1
            sums[c] += cos[t]
        best = 0
        for c in range(1, len(classes)):
            if votes[c] > votes[best] or (votes[c] == votes[best] and sums[c] > sums[best]):
                best = c
        predictions.append(classes[best])
        neighbors.append([cands[t] for t in order])
        all_votes.append(votes)
    y = np.array(labels)
    return {
        "k": k,
        "predictions": predictions,
        "neighbors": neighbors,
        "votes": all_votes,
        "boundary_gap": gaps,
        "accuracy": float(np.mean(np.array(predictions) == y)),
        "macro_f1": float(f1_score(y, np.array(predictions), average="macro")),
    }


def run_embedder(fixture: str, data: Data) -> tuple[dict, dict]:
    from sentence_transformers import SentenceTransformer

    path = FIXTURES / fixture
    st = SentenceTransformer(str(path), device="cpu")
    st.to(torch.float64)
    st.eval()
    modules = json.loads((path / "modules.json").read_text())

    def embed(texts: list[str]) -> np.ndarray:
        e = st.encode(texts, batch_size=32, convert_to_numpy=True, show_progress_bar=False)
        assert e.dtype == np.float64
        return e.astype(np.float32)  # what a float32 engine holds; the probe fits on these

    def n_tokens(texts):
        return [len(st.tokenizer(t)["input_ids"]) for t in texts]

    rows = data.sst2()[:N_PROBE]
    texts = [r[0] for r in rows]
    labels = [r[1] for r in rows]
    emb = embed(texts)
    x = emb.astype(np.float64)
    folds, shuffled = stratified_folds(labels, K_FOLDS, SEED)

    pairs = data.kornli(N_PAIRS)
    u = embed([p[0] for p in pairs])
    v = embed([p[1] for p in pairs])
    u64, v64 = u.astype(np.float64), v.astype(np.float64)
    pair_x = np.concatenate([u64, v64, np.abs(u64 - v64), u64 * v64], axis=1)
    pair_labels = [p[2] for p in pairs]
    pair_folds, pair_shuffled = stratified_folds(pair_labels, K_FOLDS, SEED)
    prem_tokens = n_tokens([p[0] for p in pairs])
    hyp_tokens = n_tokens([p[1] for p in pairs])

    g = MT19937_64(SEED)
    out = header(fixture, data, "sst2", "kornli")
    out["embedding"] = {
        "how": "SentenceTransformer(model_dir).to(float64).encode(texts, batch_size=32), rounded to float32",
        "modules": [m["type"] for m in modules],
        "pooling": json.loads((path / "1_Pooling" / "config.json").read_text()),
        "max_seq_length": st.max_seq_length,
        "tensors": "tiny-bert-sentence.safetensors: sst2_embeddings [200,128], kornli_u [100,128], kornli_v [100,128], F32",
    }
    out["mt19937_64"] = {"default_seed_10000th": mt_check(), "seed0_first3": [g(), g(), g()]}
    out["folds_algorithm"] = stratified_folds.__doc__.replace("\n    ", " ").strip()
    probe_desc = ("sklearn LogisticRegression(solver='liblinear', C=1.0, tol=1e-4) (fit_intercept, "
                  "intercept_scaling=1: LIBLINEAR -s 0 -c 1 -e 1e-4 -B 1); more than two classes: "
                  "OneVsRestClassifier of it, prediction the first argmax of the decision values; "
                  "features float64 of the float32 vectors")
    out["sst2"] = {
        "n": len(rows),
        "k_folds": K_FOLDS,
        "seed": SEED,
        "classes": sorted(set(labels)),
        "texts": texts,
        "labels": labels,
        "n_tokens": n_tokens(texts),
        "shuffled": shuffled,
        "folds": folds,
        "probe": {"model": probe_desc, **probe(x, labels, folds, K_FOLDS)},
        "knn": knn(x, labels, folds, K_FOLDS, KNN_K),
    }
    out["kornli"] = {
        "n": len(pairs),
        "k_folds": K_FOLDS,
        "seed": SEED,
        "features": "[u, v, |u-v|, u*v] in float64 from the float32 vectors of sentence1 (u) and sentence2 (v)",
        "classes": sorted(set(pair_labels)),
        "pairs": [{"sentence1": p[0], "sentence2": p[1]} for p in pairs],
        "labels": pair_labels,
        "n_tokens_sentence1": prem_tokens,
        "n_tokens_sentence2": hyp_tokens,
        "shuffled": pair_shuffled,
        "folds": pair_folds,
        "probe": {"model": probe_desc, **probe(pair_x, pair_labels, pair_folds, K_FOLDS)},
        "knn": knn(pair_x, pair_labels, pair_folds, K_FOLDS, KNN_K),
    }
    tensors = {"sst2_embeddings": emb, "kornli_u": u, "kornli_v": v}
    return out, tensors


# ----------------------------------------------------------------------------------------------


def dumps(obj, indent: int = 0) -> str:
    """JSON with objects and lists of objects one entry a line, lists of scalars on one line."""
    pad, inner = " " * indent, " " * (indent + 1)
    if isinstance(obj, dict):
        if not obj:
            return "{}"
        body = ",\n".join(f"{inner}{json.dumps(str(k), ensure_ascii=False)}: {dumps(v, indent + 1)}" for k, v in obj.items())
        return "{\n" + body + "\n" + pad + "}"
    if isinstance(obj, (list, tuple)):
        if all(not isinstance(x, (dict, list, tuple)) for x in obj):
            return json.dumps(list(obj), ensure_ascii=False, allow_nan=False, separators=(", ", ": "))
        return "[\n" + ",\n".join(inner + dumps(x, indent + 1) for x in obj) + "\n" + pad + "]"
    return json.dumps(obj, ensure_ascii=False, allow_nan=False)


def shown(path: Path) -> str:
    path = path.resolve()
    return str(path.relative_to(REPO)) if path.is_relative_to(REPO) else str(path)


def write_json(path: Path, obj: dict) -> None:
    text = dumps(obj)
    assert json.loads(text) == json.loads(json.dumps(obj))
    path.write_text(text + "\n", encoding="utf-8")
    print(f"wrote {shown(path)} ({len(text.encode()) // 1024} KB)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("fixtures", nargs="*", default=DECODERS + MASKED + EMBEDDERS)
    ap.add_argument("--datasets", type=Path, default=None,
                    help="folder with commonsenseqa/, sst2/, kornli/ (default: assets/datasets if it has "
                         "them, else /work/shared/datasets)")
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args()
    root = args.datasets
    if root is None:
        root = REPO / "assets" / "datasets"
        if not (root / "commonsenseqa" / "dev_rand_split.jsonl").exists():
            root = Path("/work/shared/datasets")
    data = Data(root)
    torch.set_num_threads(1)
    torch.manual_seed(0)
    torch.use_deterministic_algorithms(True)
    args.out.mkdir(parents=True, exist_ok=True)
    for fixture in args.fixtures:
        if fixture in DECODERS:
            write_json(args.out / f"{fixture}.json", run_decoder(fixture, data))
        elif fixture in MASKED:
            write_json(args.out / f"{fixture}.json", run_masked(fixture, data))
        elif fixture in EMBEDDERS:
            from safetensors.numpy import save_file

            obj, tensors = run_embedder(fixture, data)
            write_json(args.out / f"{fixture}.json", obj)
            save_file(tensors, str(args.out / f"{fixture}.safetensors"), metadata={"generator": "tools/references/tasks_reference.py"})
            print(f"wrote {shown(args.out / f'{fixture}.safetensors')}")
        else:
            raise SystemExit(f"unknown fixture {fixture}")


if __name__ == "__main__":
    main()
