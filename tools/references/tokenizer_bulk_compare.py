#!/usr/bin/env python3
"""Bulk tokenizer comparison: one text of mixed scripts, emoji sequences, odd whitespace, controls,
private-use and unassigned code points (and characters whose Unicode category changed after 8.0),
encoded by Hugging Face `tokenizers` with every tokenizer.json in the repo. Writes the ids to
assets/references/tokenizer-bulk.json, which tests/tokenizer/bulk_reference_test.cpp holds hubbench
to (ids exact), and, given --hubbench BINARY, compares hubbench's `tokenize --json` on the spot.

    /tmp/venv/bin/python tools/references/tokenizer_bulk_compare.py [--hubbench build/dev/cli/hubbench]
"""
import argparse
import json
import subprocess
import sys
from pathlib import Path

import tokenizers
from tokenizers import Tokenizer

REPO = Path(__file__).resolve().parents[2]


def mixed_text():
    lines = [
        "English: The quick brown fox — “quoted”, naïve café, résumé; ½ ¾ ① ⅷ 10,000.50 $5 ¥3 €2",
        "한국어: 안녕하세요, 세계! 한국어 문장입니다. ㄱㄴㄷ ㅏㅑ (자모) 한글 조합형",
        "中文：你好，世界！日本語：こんにちは、カタカナ。漢字と﹖﹗，",
        "Русский: Съешь же ещё этих мягких французских булок. Ελληνικά: Γειά σου Κόσμε.",
        "العربية: مرحبا بالعالم، ١٢٣ ؟ עברית: שלום עולם. हिन्दी: नमस्ते दुनिया। ไทย: สวัสดีชาวโลก",
        "Emoji: 👍🏽 👨‍👩‍👧‍👦 🏳️‍🌈 🇰🇷🇺🇸 ❤️ 🫠 #️⃣ 1️⃣",
        "Combining: e\u0301 a\u0308 n\u0303 \u0915\u094d\u0937 Z\u0351\u0352\u0353",
        "Spaces:\u00a0nbsp\u2009thin\u3000ideographic\u200bzero-width\u2028line\u2029para\ttab  two",
        "Controls: a\u0001b\u007fc\u0085d\u00ade\u200ef\ufeffg\u2066h\u2069",
        "Unassigned and late: t\u0e3d x a \u0e3c b x\u0378y \u08e2 \u0890 \u110cd \u13430 \u2e43\u2e4f \u166d \u111c9 \U000e0001",
        "Private use: \ue000\uf8ff \U000f0000 replacement \ufffd end",
    ]
    return "\n".join(lines)


def tokenizer_files():
    files = sorted((REPO / "assets/tokenizers").glob("*/tokenizer.json"))
    files += sorted((REPO / "assets/models/fixtures").glob("*/tokenizer.json"))
    return files


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--hubbench", help="compare this hubbench binary's tokenize --json too")
    parser.add_argument("--out", default=str(REPO / "assets/references/tokenizer-bulk.json"))
    args = parser.parse_args()
    text = mixed_text()
    result = {"generator": "tools/references/tokenizer_bulk_compare.py", "tokenizers_version": tokenizers.__version__,
              "text": text, "tokenizers": {}}
    mismatches = 0
    for path in tokenizer_files():
        name = str(path.parent.relative_to(REPO))
        tok = Tokenizer.from_file(str(path))
        tok.no_truncation()
        tok.no_padding()
        entry = {}
        for special in (True, False):
            enc = tok.encode(text, add_special_tokens=special)
            entry["ids" if special else "ids_no_special"] = enc.ids
        result["tokenizers"][name] = entry
        if args.hubbench:
            for special, key in ((True, "ids"), (False, "ids_no_special")):
                cmd = [args.hubbench, "tokenize", "--json", "--model", str(path)] + ([] if special else ["--no-special"])
                out = subprocess.run(cmd, input=text.encode(), capture_output=True, check=True)
                ours = json.loads(out.stdout)["ids"]
                same = ours == entry[key]
                mismatches += not same
                first = next((i for i, (a, b) in enumerate(zip(ours, entry[key])) if a != b), min(len(ours), len(entry[key])))
                print(f"{name:45s} {key:15s} {'equal' if same else f'DIFFER at token {first}'} ({len(entry[key])} tokens)")
    Path(args.out).write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return 1 if mismatches else 0


if __name__ == "__main__":
    sys.exit(main())
