#!/usr/bin/env python3
"""Side by side: the system LIBLINEAR (what hubbench links, Debian liblinear4) vs the scikit-learn
probe of assets/references/tasks/tiny-bert-sentence.json, on the very vectors of the reference
(tiny-bert-sentence.safetensors).

    /tmp/venv/bin/python bench/peers/liblinear_side_by_side.py [--lib liblinear.so.4]

LIBLINEAR is trained per fold with -s 0 (L2R_LR, primal), -c 1, -e 1e-4, -B 1 (a bias feature of
value 1, regularised like the weights: sklearn's fit_intercept with intercept_scaling=1), labels
given in the reference's class order; more than two classes are LIBLINEAR's own one-vs-rest. The
script prints how many predictions differ and the largest difference of decision values (sklearn's
sign convention: positive = the second class).
"""

from __future__ import annotations

import argparse
import ctypes as C
import json
import sys
from pathlib import Path

import numpy as np
from safetensors.numpy import load_file

REPO = Path(__file__).resolve().parents[2]
REFS = REPO / "assets" / "references" / "tasks"


class FeatureNode(C.Structure):
    _fields_ = [("index", C.c_int), ("value", C.c_double)]


class Problem(C.Structure):
    _fields_ = [("l", C.c_int), ("n", C.c_int), ("y", C.POINTER(C.c_double)),
                ("x", C.POINTER(C.POINTER(FeatureNode))), ("bias", C.c_double)]


class Parameter(C.Structure):
    _fields_ = [("solver_type", C.c_int), ("eps", C.c_double), ("C", C.c_double), ("nr_weight", C.c_int),
                ("weight_label", C.POINTER(C.c_int)), ("weight", C.POINTER(C.c_double)), ("p", C.c_double),
                ("init_sol", C.POINTER(C.c_double))]


class Model(C.Structure):
    _fields_ = [("param", Parameter), ("nr_class", C.c_int), ("nr_feature", C.c_int),
                ("w", C.POINTER(C.c_double)), ("label", C.POINTER(C.c_int)), ("bias", C.c_double)]


def rows(x: np.ndarray, bias: float):
    """Dense rows as LIBLINEAR feature_node arrays: 1-based indices, the bias node, the -1 end."""
    out = []
    n = x.shape[1]
    for r in x:
        nodes = (FeatureNode * (n + 2))()
        for j, v in enumerate(r):
            nodes[j].index, nodes[j].value = j + 1, float(v)
        nodes[n].index, nodes[n].value = n + 1, bias
        nodes[n + 1].index, nodes[n + 1].value = -1, 0.0
        out.append(nodes)
    return out


def run(lib, features: np.ndarray, labels: list[str], folds: list[int], classes: list[str]):
    n = features.shape[1]
    folds_a = np.array(folds)
    predictions = [None] * len(labels)
    decision = [None] * len(labels)
    for f in sorted(set(folds)):
        train = np.nonzero(folds_a != f)[0]
        test = np.nonzero(folds_a == f)[0]
        x = rows(features[train], 1.0)
        xp = (C.POINTER(FeatureNode) * len(x))(*[C.cast(r, C.POINTER(FeatureNode)) for r in x])
        y = (C.c_double * len(train))(*[float(classes.index(labels[i])) for i in train])
        prob = Problem(l=len(train), n=n + 1, y=y, x=xp, bias=1.0)
        param = Parameter(solver_type=0, eps=1e-4, C=1.0, nr_weight=0, weight_label=None, weight=None, p=0.1,
                          init_sol=None)
        err = lib.check_parameter(C.byref(prob), C.byref(param))
        if err:
            raise SystemExit(err.decode())
        model = lib.train(C.byref(prob), C.byref(param))
        m = model.contents
        order = [m.label[i] for i in range(m.nr_class)]
        for i, r in zip(test, rows(features[test], 1.0)):
            dec = (C.c_double * m.nr_class)()
            pred = lib.predict_values(model, r, dec)
            predictions[i] = classes[int(pred)]
            if len(classes) == 2:
                # one decision value, for order[0]; sklearn's is for classes[1]
                decision[i] = dec[0] if order[0] == 1 else -dec[0]
            else:
                per_class = [0.0] * len(classes)
                for k, lab in enumerate(order):
                    per_class[lab] = dec[k]
                decision[i] = per_class
        lib.free_and_destroy_model(C.byref(model))
    return predictions, decision


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--lib", default="liblinear.so.4")
    ap.add_argument("--refs", type=Path, default=REFS)
    args = ap.parse_args()
    lib = C.CDLL(args.lib)
    lib.train.restype = C.POINTER(Model)
    lib.train.argtypes = [C.POINTER(Problem), C.POINTER(Parameter)]
    lib.check_parameter.restype = C.c_char_p
    lib.check_parameter.argtypes = [C.POINTER(Problem), C.POINTER(Parameter)]
    lib.predict_values.restype = C.c_double
    lib.predict_values.argtypes = [C.POINTER(Model), C.POINTER(FeatureNode), C.POINTER(C.c_double)]
    lib.free_and_destroy_model.argtypes = [C.POINTER(C.POINTER(Model))]
    quiet = C.CFUNCTYPE(None, C.c_char_p)(lambda s: None)
    lib.set_print_string_function(quiet)
    print(f"LIBLINEAR {C.c_int.in_dll(lib, 'liblinear_version').value} ({args.lib})")

    ref = json.loads((args.refs / "tiny-bert-sentence.json").read_text(encoding="utf-8"))
    t = load_file(str(args.refs / "tiny-bert-sentence.safetensors"))
    u, v = t["kornli_u"].astype(np.float64), t["kornli_v"].astype(np.float64)
    sets = {
        "sst2": t["sst2_embeddings"].astype(np.float64),
        "kornli": np.concatenate([u, v, np.abs(u - v), u * v], axis=1),
    }
    bad = False
    for name, x in sets.items():
        r = ref[name]
        preds, dec = run(lib, x, r["labels"], r["folds"], r["classes"])
        ref_dec = np.array(r["probe"]["decision"], dtype=np.float64)
        diff = float(np.max(np.abs(np.array(dec, dtype=np.float64) - ref_dec)))
        n_diff = sum(a != b for a, b in zip(preds, r["probe"]["predictions"]))
        acc = float(np.mean(np.array(preds) == np.array(r["labels"])))
        print(f"{name:7s} {len(preds)} items: {n_diff} predictions differ from sklearn, max |decision diff| = "
              f"{diff:.3e}, accuracy {acc} (sklearn {r['probe']['accuracy']})")
        bad |= n_diff > 0
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
