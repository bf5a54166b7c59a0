#!/usr/bin/env python3
"""Builds the task datasets bundled under assets/datasets/ from the shared data folder.

    python3 tools/datasets/make_task_datasets.py --shared ../shared --out assets/datasets

Standard library only. Every source file is checked against the sha256 pinned below, every
output is written byte for byte the same on every run (run it twice and compare), and the sha256
of each output is printed, with the folder hash hubbench's load_dataset computes for the two
BEIR folders (suites/dataset.hpp: sha256 of the lines "<sha256>  <relative path>\\n" of the
folder's files in path order). assets/datasets/README.md documents each file.
"""

import argparse
import csv
import hashlib
import io
import json
import os
import shutil
import sys

# Source files under <shared>/datasets and their sha256: a changed source stops the script.
SOURCES = {
    "sst2/dev.tsv":
        "54a9c12c77e402fc14d6a66a506f24d999f596b0176eb777c972cccc2f9cc4b0",
    "trec/TREC.test":
        "033f22c028c2bbba9ca682f68ffe204dc1aa6e1cf35dd6207f2d4ca67f0d0e8e",
    "agnews/test.tsv":
        "e4217edd939f618f24a42b0988c56ec3cddf656d8dc279b9afa443dd1ab6a1c1",
    "commonsenseqa/dev_rand_split.jsonl":
        "3210497fdaae614ac085d9eb873dd7f4d49b6f965a93adadc803e1229fd8a02a",
    "kornli/xnli.test.ko.tsv":
        "0db53cf8e182283a0d0404ec3fe1b15d1e29236d23d22082dc20d43067254b3e",
    "kornli/LICENSE":
        "73c55d92eee00d4b03241b6f57a607ce5dc9ab1127bd0ce21a99e4b134b11397",
    "korsts/sts-test.tsv":
        "13f83a3440d9db52d134eb40303ce021b03264aa338fbf2871c8786ce04d2105",
    "korsts/LICENSE":
        "73c55d92eee00d4b03241b6f57a607ce5dc9ab1127bd0ce21a99e4b134b11397",
    "stsbenchmark/sts-test.csv":
        "affe45928a66ee5a708531233c95b7dacbbdc57f974f002a3d32ea0180cf816a",
}

TREC_COARSE = {"ABBR", "DESC", "ENTY", "HUM", "LOC", "NUM"}
AGNEWS_LABELS = {"World", "Sports", "Business", "Sci/Tech"}
PARAPHRASE_MIN_SCORE = 4.0   # a pair whose gold score is at least this is a paraphrase


def sha256(data):
    return hashlib.sha256(data).hexdigest()


def fail(message):
    sys.exit("make_task_datasets: " + message)


def read_source(shared, relative):
    path = os.path.join(shared, "datasets", relative)
    with open(path, "rb") as f:
        data = f.read()
    expected = SOURCES[relative]
    if expected and sha256(data) != expected:
        fail(f"{path} has sha256 {sha256(data)}, expected {expected} (a different source file)")
    return data


def lines_of(text):
    """The lines of text without their LF; a final LF does not start an empty line."""
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return lines


# ---- copied files -------------------------------------------------------------------------------

def check_sst2(data):
    lines = lines_of(data.decode("utf-8"))
    if lines[0] != "sentence\tlabel":
        fail("sst2/dev.tsv: unexpected header " + repr(lines[0]))
    for n, line in enumerate(lines[1:], 2):
        fields = line.split("\t")
        if len(fields) != 2 or fields[1] not in ("0", "1"):
            fail(f"sst2/dev.tsv line {n}: expected sentence<TAB>0|1")
    return len(lines) - 1


def check_commonsenseqa(data):
    lines = lines_of(data.decode("utf-8"))
    for n, line in enumerate(lines, 1):
        item = json.loads(line)
        labels = [c["label"] for c in item["question"]["choices"]]
        if not item["question"]["stem"] or len(labels) != 5 or item["answerKey"] not in labels:
            fail(f"commonsenseqa line {n}: not a five-choice question with its answerKey")
    return len(lines)


def check_kornli(data):
    lines = lines_of(data.decode("utf-8"))
    if lines[0] != "sentence1\tsentence2\tgold_label":
        fail("kornli: unexpected header " + repr(lines[0]))
    for n, line in enumerate(lines[1:], 2):
        fields = line.split("\t")
        if len(fields) != 3 or fields[2] not in ("entailment", "neutral", "contradiction"):
            fail(f"kornli line {n}: expected sentence1<TAB>sentence2<TAB>label")
    return len(lines) - 1


# ---- derived files ------------------------------------------------------------------------------

def make_trec(data):
    """TREC.test lines "COARSE:fine question" -> text<TAB>coarse<TAB>fine (fine keeps its prefix)."""
    text = data.decode("utf-8")   # the test file is pure ASCII; a non-UTF-8 byte would stop here
    out = ["text\tcoarse\tfine"]
    for n, line in enumerate(lines_of(text), 1):
        label, _, question = line.partition(" ")
        coarse, _, fine = label.partition(":")
        if coarse not in TREC_COARSE or not fine or not question.strip() or "\t" in question:
            fail(f"TREC.test line {n}: expected 'COARSE:fine question'")
        out.append(f"{question}\t{coarse}\t{coarse}:{fine}")
    return ("\n".join(out) + "\n").encode("utf-8"), len(out) - 1


def make_agnews(data):
    """text<TAB>label with a header; CSV-quoted text fields (the source's writer quoted every text
    holding a double quote, doubling the quotes inside) unquoted, so the file needs no quoting."""
    text = data.decode("utf-8")
    out = ["text\tlabel"]
    unquoted = 0
    for n, line in enumerate(lines_of(text), 1):
        fields = line.split("\t")
        if len(fields) != 2 or fields[1] not in AGNEWS_LABELS:
            fail(f"agnews line {n}: expected text<TAB>label")
        body = fields[0]
        if body.startswith('"'):
            (parsed,) = list(csv.reader(io.StringIO(line), delimiter="\t"))
            if len(parsed) != 2 or parsed[1] != fields[1] or f'"{parsed[0].replace(chr(34), chr(34) * 2)}"' != body:
                fail(f"agnews line {n}: a quoted text that is not one well-formed CSV field")
            body = parsed[0]
            unquoted += 1
        elif '"' in body:
            fail(f"agnews line {n}: a double quote in an unquoted text")
        if "\t" in body or "\n" in body or "\r" in body:
            fail(f"agnews line {n}: a tab or line break inside the text")
        out.append(f"{body}\t{fields[1]}")
    return ("\n".join(out) + "\n").encode("utf-8"), len(out) - 1, unquoted


def sts_pairs(data, header):
    """(score, sentence1, sentence2) of an STS-B-layout file: tab-separated, score in column 5,
    sentences in 6 and 7, extra columns ignored, no quoting; `header` skips the first line."""
    lines = lines_of(data.decode("utf-8"))
    if header:
        lines = lines[1:]
    pairs = []
    for line in lines:
        if not line.strip():
            continue
        fields = line.split("\t")
        if len(fields) < 7:
            fail("an STS line with fewer than 7 columns: " + line[:80])
        pairs.append((float(fields[4]), fields[5], fields[6]))
    return pairs


def make_paraphrase_retrieval(pairs):
    """BEIR files for paraphrase retrieval over STS pairs (see assets/datasets/README.md)."""
    doc_ids = {}        # document text -> id, in order of first appearance
    relevant = {}       # query text -> its relevant document ids, in order of first appearance
    stripped = 0        # sentences with whitespace at either end, which is removed
    for score, first, second in pairs:
        stripped += (first != first.strip()) + (second != second.strip())
        first, second = first.strip(), second.strip()
        doc = doc_ids.setdefault(second, f"d{len(doc_ids)}")
        rel = relevant.setdefault(first, [])
        if score >= PARAPHRASE_MIN_SCORE and doc not in rel:
            rel.append(doc)
    kept = [(text, rel) for text, rel in relevant.items() if rel]
    corpus = "".join(json.dumps({"_id": i, "title": "", "text": t}, ensure_ascii=False) + "\n"
                     for t, i in doc_ids.items())
    queries = "".join(json.dumps({"_id": f"q{n}", "text": t}, ensure_ascii=False) + "\n"
                      for n, (t, _) in enumerate(kept))
    doc_order = {i: n for n, i in enumerate(doc_ids.values())}
    qrels = "query-id\tcorpus-id\tscore\n" + "".join(
        f"q{n}\t{d}\t1\n" for n, (_, rel) in enumerate(kept) for d in sorted(rel, key=doc_order.get))
    counts = {
        "pairs": len(pairs),
        "sentences_stripped": stripped,
        "paraphrase_pairs": sum(1 for s, _, _ in pairs if s >= PARAPHRASE_MIN_SCORE),
        "documents": len(doc_ids),
        "distinct_first_sentences": len(relevant),
        "queries": len(kept),
        "queries_dropped_no_relevant": len(relevant) - len(kept),
        "judgments": sum(len(rel) for _, rel in kept),
        "queries_with_several_relevant": sum(1 for _, rel in kept if len(rel) > 1),
        "queries_also_documents": sum(1 for t, _ in kept if t in doc_ids),
        "queries_identical_to_a_relevant_document": sum(
            1 for t, rel in kept if t in doc_ids and doc_ids[t] in rel),
    }
    files = {
        "corpus.jsonl": corpus.encode("utf-8"),
        "queries.jsonl": queries.encode("utf-8"),
        "qrels/test.tsv": qrels.encode("utf-8"),
    }
    return files, counts


# ---- output -------------------------------------------------------------------------------------

def write(out, relative, data, written):
    path = os.path.join(out, relative)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    if len(data) >= 8 * 1024 * 1024:
        fail(f"{relative} is {len(data)} bytes, over the 8 MiB limit")
    with open(path, "wb") as f:
        f.write(data)
    written[relative] = data


def folder_sha256(written, folder):
    """hubbench's folder dataset hash: sha256 of "<sha256>  <path>\\n" per file, in path order."""
    manifest = "".join(f"{sha256(data)}  {rel[len(folder) + 1:]}\n"
                       for rel, data in sorted(written.items(), key=lambda kv: kv[0].encode("utf-8"))
                       if rel.startswith(folder + "/"))
    return sha256(manifest.encode("utf-8"))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--shared", required=True, help="the shared data folder (with datasets/)")
    parser.add_argument("--out", required=True, help="where to write (assets/datasets)")
    args = parser.parse_args()
    src = {rel: read_source(args.shared, rel) for rel in SOURCES}
    written = {}
    report = []

    report.append(f"sst2/dev.tsv: {check_sst2(src['sst2/dev.tsv'])} rows (copied)")
    write(args.out, "sst2/dev.tsv", src["sst2/dev.tsv"], written)

    trec, n = make_trec(src["trec/TREC.test"])
    write(args.out, "trec/test.tsv", trec, written)
    report.append(f"trec/test.tsv: {n} rows")

    agnews, n, unquoted = make_agnews(src["agnews/test.tsv"])
    write(args.out, "agnews/test.tsv", agnews, written)
    report.append(f"agnews/test.tsv: {n} rows, {unquoted} CSV-quoted texts unquoted")

    report.append(f"commonsenseqa/dev.jsonl: {check_commonsenseqa(src['commonsenseqa/dev_rand_split.jsonl'])} "
                  "questions (copied)")
    write(args.out, "commonsenseqa/dev.jsonl", src["commonsenseqa/dev_rand_split.jsonl"], written)

    report.append(f"kornli/test.tsv: {check_kornli(src['kornli/xnli.test.ko.tsv'])} rows (copied)")
    write(args.out, "kornli/test.tsv", src["kornli/xnli.test.ko.tsv"], written)
    write(args.out, "kornli/LICENSE", src["kornli/LICENSE"], written)

    korsts = sts_pairs(src["korsts/sts-test.tsv"], header=True)
    report.append(f"korsts/sts-test.tsv: {len(korsts)} pairs (copied)")
    write(args.out, "korsts/sts-test.tsv", src["korsts/sts-test.tsv"], written)
    write(args.out, "korsts/LICENSE", src["korsts/LICENSE"], written)

    stsb = sts_pairs(src["stsbenchmark/sts-test.csv"], header=False)
    for name, pairs in (("stsb-paraphrase", stsb), ("korsts-paraphrase", korsts)):
        files, counts = make_paraphrase_retrieval(pairs)
        for rel, data in files.items():
            write(args.out, f"retrieval/{name}/{rel}", data, written)
        report.append(f"retrieval/{name}: " + ", ".join(f"{k} {v}" for k, v in counts.items()))

    for line in report:
        print(line)
    print()
    for rel, data in sorted(written.items()):
        print(f"{sha256(data)}  {rel}  ({len(data)} bytes)")
    for folder in ("retrieval/stsb-paraphrase", "retrieval/korsts-paraphrase"):
        print(f"{folder_sha256(written, folder)}  {folder}/  (folder, as load_dataset hashes it)")


if __name__ == "__main__":
    main()
