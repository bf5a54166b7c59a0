#!/usr/bin/env python3
"""Side by side: lm-evaluation-harness itself vs tools/references/tasks_reference.py.

    prepare --work DIR --datasets DIR   write the local data (jsonl) and task YAMLs lm-eval reads
    compare --work DIR FIXTURE...       read lm-eval's logged samples (DIR/out/FIXTURE) and compare
                                        them with assets/references/tasks/FIXTURE.json; also run
                                        the reference's edge cases through lm-eval's HFLM directly

Driven by bench/peers/lm_eval_side_by_side.sh. Exit status 1 when anything differs by more than
--tolerance (absolute, on log-likelihoods) or a context / continuation / prediction differs.
"""

from __future__ import annotations

import argparse
import glob
import json
import os
import re
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
TASKS = {
    # lm-eval task name -> section of the reference json
    "hubbench_csqa_lm_eval": "multiple_choice",
    "hubbench_csqa_stem": "multiple_choice_stem",
    "hubbench_sst2_likelihood": "likelihood",
    "hubbench_sst2_likelihood_2shot": "likelihood_2shot",
}
N_MC = 40
N_CLS = 40
SHOTS = [100, 101]


def prepare(work: Path, datasets: Path) -> None:
    data = work / "data"
    tasks = work / "tasks"
    data.mkdir(parents=True, exist_ok=True)
    tasks.mkdir(parents=True, exist_ok=True)
    with open(datasets / "commonsenseqa" / "dev_rand_split.jsonl", encoding="utf-8") as f, \
            open(data / "csqa40.jsonl", "w", encoding="utf-8") as out:
        n = 0
        for line in f:
            if not line.strip():
                continue
            item = json.loads(line)
            q = item["question"]
            hf = {  # the Hub's tau/commonsense_qa layout
                "id": item["id"],
                "question": q["stem"],
                "question_concept": q.get("question_concept", ""),
                "choices": {"label": [c["label"] for c in q["choices"]], "text": [c["text"] for c in q["choices"]]},
                "answerKey": item["answerKey"],
            }
            out.write(json.dumps(hf, ensure_ascii=False) + "\n")
            n += 1
            if n == N_MC:
                break
    with open(datasets / "sst2" / "dev.tsv", encoding="utf-8", newline="") as f:
        lines = [line.rstrip("\r") for line in f.read().split("\n")[1:] if line.rstrip("\r")]
    rows = [line.split("\t") for line in lines]

    def write(path: Path, picked):
        with open(path, "w", encoding="utf-8") as out:
            for text, label in picked:
                out.write(json.dumps({"sentence": text, "label": int(label)}, ensure_ascii=False) + "\n")

    write(data / "sst2_40.jsonl", rows[:N_CLS])
    write(data / "sst2_shots.jsonl", [rows[i] for i in SHOTS])
    for template in sorted((HERE / "lm_eval_tasks").glob("*.yaml")):
        text = template.read_text(encoding="utf-8").replace("@DATA@", str(data))
        (tasks / template.name).write_text(text, encoding="utf-8")
    print(f"prepared {data} and {tasks}")


def latest_samples(out_dir: Path, task: str) -> Path:
    pattern = re.compile(rf"samples_{re.escape(task)}_\d{{4}}-.*\.jsonl$")  # not samples_<task>_2shot_...
    found = sorted((p for p in glob.glob(str(out_dir / "**" / "samples_*.jsonl"), recursive=True)
                    if pattern.match(os.path.basename(p))), key=os.path.getmtime)
    if not found:
        raise SystemExit(f"no lm-eval samples for {task} under {out_dir}")
    return Path(found[-1])


def compare_task(fixture: str, task: str, section: dict, samples_path: Path, tol: float) -> tuple[float, list[str]]:
    problems = []
    max_diff = 0.0
    samples = [json.loads(line) for line in samples_path.read_text(encoding="utf-8").splitlines() if line.strip()]
    samples.sort(key=lambda s: s["doc_id"])
    items = section["items"]
    if len(samples) != len(items):
        problems.append(f"{task}: lm-eval logged {len(samples)} docs, the reference has {len(items)}")
    for s, item in zip(samples, items):
        # arguments: {"gen_args_<i>": {"arg_0": context, "arg_1": continuation}}; resps: per choice
        # [[ll, is_greedy]] (repeats = 1), logged as strings
        arguments = s["arguments"]
        if isinstance(arguments, dict):
            arguments = [arguments[f"gen_args_{i}"] for i in range(len(arguments))]
        args = [(a["arg_0"], a["arg_1"]) for a in arguments]
        resps = [(float(r[0][0]), str(r[0][1]) == "True") for r in s["resps"]]
        if any(ctx != item["context"] for ctx, _ in args):
            problems.append(f"{task} doc {s['doc_id']}: context differs: lm-eval {args[0][0]!r} vs {item['context']!r}")
        for c, ((_, cont), (ll, greedy), ref) in enumerate(zip(args, resps, item["scores"])):
            if cont != ref["continuation"]:
                problems.append(f"{task} doc {s['doc_id']} choice {c}: continuation {cont!r} vs {ref['continuation']!r}")
            d = abs(float(ll) - ref["loglik"])
            max_diff = max(max_diff, d)
            if d > tol:
                problems.append(f"{task} doc {s['doc_id']} choice {c}: loglik {ll} vs {ref['loglik']} (diff {d:.3g})")
            if bool(greedy) != ref["is_greedy"]:
                problems.append(f"{task} doc {s['doc_id']} choice {c}: is_greedy {greedy} vs {ref['is_greedy']}")
        gold = item["gold"] if isinstance(item["gold"], int) else section["labels"].index(item["gold"])
        pred = item["prediction"] if isinstance(item["prediction"], int) else section["labels"].index(item["prediction"])
        if float(s["acc"]) != float(pred == gold):
            problems.append(f"{task} doc {s['doc_id']}: lm-eval acc {s['acc']}, reference prediction {pred} gold {gold}")
        if "acc_norm" in s:
            pn = item["prediction_norm"]
            pn = pn if isinstance(pn, int) else section["labels"].index(pn)
            if float(s["acc_norm"]) != float(pn == gold):
                problems.append(f"{task} doc {s['doc_id']}: lm-eval acc_norm {s['acc_norm']}, reference prediction_norm {pn} gold {gold}")
    return max_diff, problems


def edge_cases(fixture: str, ref: dict, tol: float) -> tuple[float, list[str]]:
    from lm_eval.api.instance import Instance
    from lm_eval.models.huggingface import HFLM

    lm = HFLM(pretrained=str(REPO / "assets" / "models" / "fixtures" / fixture), dtype="float64", device="cpu", batch_size=1)
    cases = ref["edge_cases"]
    reqs = [Instance(request_type="loglikelihood", doc={}, arguments=(c["context"], c["continuation"]), idx=i)
            for i, c in enumerate(cases)]
    # the token ids lm-eval builds (TemplateLM.loglikelihood before _loglikelihood_tokens)
    problems = []
    for c in cases:
        if c["context"] == "":
            cont = lm.tok_encode(c["continuation"], add_special_tokens=False)
            ctx, cont = ([lm.prefix_token_id], cont) if lm.prefix_token_id != cont[0] else (cont[:1], cont[1:])
        else:
            ctx, cont = lm._encode_pair(c["context"], c["continuation"])
        if ctx != c["context_ids"] or cont != c["ids"]:
            problems.append(f"edge case {c['what']!r}: lm-eval ids {ctx[-8:]}|{cont} vs reference {c['context_ids'][-8:]}|{c['ids']}")
    results = lm.loglikelihood(reqs, disable_tqdm=True)
    max_diff = 0.0
    for c, (ll, greedy) in zip(cases, results):
        d = abs(ll - c["loglik"])
        max_diff = max(max_diff, d)
        if d > tol or bool(greedy) != c["is_greedy"]:
            problems.append(f"edge case {c['what']!r}: lm-eval {ll} {greedy} vs reference {c['loglik']} {c['is_greedy']}")
    return max_diff, problems


def compare(work: Path, fixtures: list[str], tol: float, refs: Path) -> int:
    failed = False
    for fixture in fixtures:
        ref = json.loads((refs / f"{fixture}.json").read_text(encoding="utf-8"))
        for task, key in TASKS.items():
            path = latest_samples(work / "out" / fixture, task)
            d, problems = compare_task(fixture, task, ref[key], path, tol)
            n = sum(len(i["scores"]) for i in ref[key]["items"])
            print(f"{fixture} {task:32s} {n:4d} logliks  max |lm-eval - reference| = {d:.3e}"
                  f"  {'OK' if not problems else f'{len(problems)} PROBLEMS'}")
            for p in problems[:10]:
                print("   ", p)
            failed |= bool(problems)
        d, problems = edge_cases(fixture, ref, tol)
        print(f"{fixture} {'edge cases (HFLM.loglikelihood)':32s} {len(ref['edge_cases']):4d} logliks  "
              f"max |lm-eval - reference| = {d:.3e}  {'OK' if not problems else f'{len(problems)} PROBLEMS'}")
        for p in problems:
            print("   ", p)
        failed |= bool(problems)
    return 1 if failed else 0


def main() -> None:
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("prepare")
    p.add_argument("--work", type=Path, required=True)
    p.add_argument("--datasets", type=Path, required=True)
    c = sub.add_parser("compare")
    c.add_argument("--work", type=Path, required=True)
    c.add_argument("--tolerance", type=float, default=1e-9)
    c.add_argument("--refs", type=Path, default=REPO / "assets" / "references" / "tasks")
    c.add_argument("fixtures", nargs="+")
    args = ap.parse_args()
    if args.cmd == "prepare":
        prepare(args.work, args.datasets)
    else:
        sys.exit(compare(args.work, args.fixtures, args.tolerance, args.refs))


if __name__ == "__main__":
    main()
