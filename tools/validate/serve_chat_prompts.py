"""hubbench serve's chat prompts beside transformers' apply_chat_template, on conversations the
tests do not use: the prompt token count the server reports (usage.prompt_tokens) must equal the
length of transformers' rendering tokenized without special tokens.

    hubbench serve --model DIR --port 18090 &
    /tmp/venv/bin/python tools/validate/serve_chat_prompts.py DIR http://127.0.0.1:18090/v1
"""
import json
import sys
import urllib.request

from transformers import AutoTokenizer

CONVERSATIONS = [
    [{"role": "user", "content": "서울의 겨울은 얼마나 춥나요? 평균 기온을 알려 주세요."}],
    [{"role": "system", "content": "Answer in one line.\n  Be kind."},
     {"role": "user", "content": "What is a KV cache?"},
     {"role": "assistant", "content": "A store of keys and values."},
     {"role": "user", "content": "  And why does it help decoding?  "}],
    [{"role": "user", "content": "Tabs\tand emoji 🚀 — mixed 한국어 text."}],
]


def main() -> int:
    model_dir, base_url = sys.argv[1], sys.argv[2].rstrip("/")
    tok = AutoTokenizer.from_pretrained(model_dir)
    failures = 0
    for messages in CONVERSATIONS:
        text = tok.apply_chat_template(messages, add_generation_prompt=True, tokenize=False)
        expected = len(tok(text, add_special_tokens=False)["input_ids"])
        body = json.dumps({"messages": messages, "max_tokens": 4}).encode()
        request = urllib.request.Request(base_url + "/chat/completions", data=body, headers={"Content-Type": "application/json"})
        got = json.load(urllib.request.urlopen(request))["usage"]["prompt_tokens"]
        failures += got != expected
        print(f"transformers {expected}  hubbench serve {got}  {'equal' if got == expected else 'DIFFER'}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
