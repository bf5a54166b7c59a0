#!/usr/bin/env python3
"""hubbench's engine next to llama.cpp on the same model, machine and thread count (not CI).

Converts a hubbench bench model (a LLaMA-architecture Hugging Face folder written by
hubbench-make-bench-model) to GGUF with the `gguf` package (F32, BF16, Q8_0), then times
llama.cpp through llama-cpp-python the way llama-bench does: pp512 (one 512-token batch) and
tg128 (128 single-token steps after it), best of REPEATS, each format in a fresh process whose
peak RSS (VmHWM) is reported. hubbench's own figures come from hubbench-bench
(BM_engine_prefill_logits*, BM_engine_decode*); bench/peers/llama_cpp_side_by_side.sh runs both
and prints the table for the README.

  python llama_cpp_side_by_side.py MODEL_DIR OUT_DIR [--formats F32,BF16,Q8_0] [--threads 2]
      [--pp 512] [--tg 128] [--repeats 2] [--convert-only]

Prints one JSON line per format: {"format","file_bytes","pp_tokens_per_s","tg_tokens_per_s",
"peak_rss_mib","threads"}.

The GGUF is written as llama.cpp's convert_hf_to_gguf.py writes LLaMA checkpoints: tensor names
blk.N.attn_q..., and q_proj/k_proj rows permuted from Hugging Face's rotate-half layout to
GGML's interleaved rotary layout (LlamaModel.permute there). The tokenizer metadata is the
SentencePiece-style vocabulary of tokenizer.json with zero scores: the benchmark feeds token ids,
so only the vocabulary size matters.
"""
import argparse
import json
import os
import subprocess
import sys
import time

import numpy as np


def permute(w, n_head, n_head_kv=None):
    # convert_hf_to_gguf.py LlamaModel.permute: HF rotate-half rows -> GGML interleaved pairs.
    if n_head_kv is not None and n_head != n_head_kv:
        n_head = n_head_kv
    return w.reshape(n_head, 2, w.shape[0] // n_head // 2, *w.shape[1:]).swapaxes(1, 2).reshape(w.shape)


def load_tensors(model_dir):
    """Yields (name, shape, read) per tensor, in file order; read() returns it as float32.

    Lazy, so that the GGUF can be written one tensor at a time: a 7B model does not fit in
    memory twice on a 24 GB machine."""
    index = os.path.join(model_dir, "model.safetensors.index.json")
    files = sorted(set(json.load(open(index))["weight_map"].values())) if os.path.exists(index) else ["model.safetensors"]
    for f in files:
        yield from read_safetensors(os.path.join(model_dir, f))


def read_safetensors(path):
    with open(path, "rb") as fh:
        n = int.from_bytes(fh.read(8), "little")
        header = json.loads(fh.read(n))
        base = 8 + n
    data = np.memmap(path, dtype=np.uint8, mode="r")
    for name, info in header.items():
        if name == "__metadata__":
            continue
        if info["dtype"] not in ("F32", "BF16"):
            raise SystemExit(f"{path}: {name}: dtype {info['dtype']} not handled")

        def read(info=info):
            begin, end = info["data_offsets"]
            raw = data[base + begin : base + end]
            if info["dtype"] == "F32":
                return np.array(raw.view(np.float32).reshape(info["shape"]))
            # bfloat16 has no numpy dtype: safetensors.numpy refuses it, so widen the raw bits.
            return (raw.view(np.uint16).astype(np.uint32) << 16).view(np.float32).reshape(info["shape"])

        yield name, tuple(info["shape"]), read


GGUF_NAMES = {
    "model.embed_tokens.weight": "token_embd.weight",
    "model.norm.weight": "output_norm.weight",
    "lm_head.weight": "output.weight",
}
LAYER_NAMES = {
    "input_layernorm.weight": "attn_norm.weight",
    "self_attn.q_proj.weight": "attn_q.weight",
    "self_attn.k_proj.weight": "attn_k.weight",
    "self_attn.v_proj.weight": "attn_v.weight",
    "self_attn.o_proj.weight": "attn_output.weight",
    "post_attention_layernorm.weight": "ffn_norm.weight",
    "mlp.gate_proj.weight": "ffn_gate.weight",
    "mlp.up_proj.weight": "ffn_up.weight",
    "mlp.down_proj.weight": "ffn_down.weight",
}


def gguf_name(name):
    if name in GGUF_NAMES:
        return GGUF_NAMES[name]
    parts = name.split(".")  # model.layers.N.rest
    return f"blk.{parts[2]}." + LAYER_NAMES[".".join(parts[3:])]


def convert(model_dir, out_path, fmt):
    import gguf

    config = json.load(open(os.path.join(model_dir, "config.json")))
    vocab = json.load(open(os.path.join(model_dir, "tokenizer.json")))["model"]["vocab"]
    tokens = [t for t, _ in sorted(vocab.items(), key=lambda kv: kv[1])]
    assert len(tokens) == config["vocab_size"], "tokenizer.json and config.json disagree on the vocabulary"
    writer = gguf.GGUFWriter(out_path, "llama")
    heads, kv_heads = config["num_attention_heads"], config["num_key_value_heads"]
    writer.add_context_length(config["max_position_embeddings"])
    writer.add_embedding_length(config["hidden_size"])
    writer.add_block_count(config["num_hidden_layers"])
    writer.add_feed_forward_length(config["intermediate_size"])
    writer.add_head_count(heads)
    writer.add_head_count_kv(kv_heads)
    writer.add_rope_dimension_count(config["hidden_size"] // heads)
    writer.add_rope_freq_base(config["rope_parameters"]["rope_theta"])
    writer.add_layer_norm_rms_eps(config["rms_norm_eps"])
    writer.add_vocab_size(len(tokens))
    file_type = {"F32": gguf.LlamaFileType.ALL_F32, "BF16": gguf.LlamaFileType.MOSTLY_BF16,
                 "Q8_0": gguf.LlamaFileType.MOSTLY_Q8_0}[fmt]
    writer.add_file_type(file_type)
    writer.add_tokenizer_model("llama")
    writer.add_token_list(tokens)
    writer.add_token_scores([0.0] * len(tokens))
    writer.add_token_types([gguf.TokenType.CONTROL if i < 3 else gguf.TokenType.NORMAL for i in range(len(tokens))])
    writer.add_bos_token_id(config.get("bos_token_id", 1))
    writer.add_eos_token_id(config.get("eos_token_id", 2))
    qtype = {"F32": gguf.GGMLQuantizationType.F32, "BF16": gguf.GGMLQuantizationType.BF16,
             "Q8_0": gguf.GGMLQuantizationType.Q8_0}[fmt]
    # As convert_hf_to_gguf.py: 1-D tensors (norms) stay F32.
    def gguf_type(shape):
        return qtype if len(shape) == 2 else gguf.GGMLQuantizationType.F32

    # Two passes, so no more than one tensor is in memory: the tensor infos first (the header
    # needs every offset), then each tensor's data as it is converted.
    for name, shape, _ in load_tensors(model_dir):
        t = gguf_type(shape)
        if t == gguf.GGMLQuantizationType.F32:
            writer.add_tensor_info(gguf_name(name), shape, np.dtype(np.float32), 4 * int(np.prod(shape)))
        else:
            byte_shape = gguf.quants.quant_shape_to_byte_shape(shape, t)
            writer.add_tensor_info(gguf_name(name), byte_shape, np.dtype(np.uint8), int(np.prod(byte_shape)), raw_dtype=t)
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_ti_data_to_file()
    for name, shape, read in load_tensors(model_dir):
        w = read()
        if name.endswith("q_proj.weight"):
            w = permute(w, heads)
        elif name.endswith("k_proj.weight"):
            w = permute(w, heads, kv_heads)
        writer.write_tensor_data(np.ascontiguousarray(gguf.quants.quantize(w, gguf_type(shape))))
    writer.close()


def vm_hwm_mib():
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024.0
    return 0.0


def measure(gguf_path, threads, pp, tg, repeats):
    """Runs in a child process: one model load, pp and tg timed as llama-bench does."""
    import llama_cpp

    llm = llama_cpp.Llama(model_path=gguf_path, n_ctx=pp + tg + 8, n_batch=pp, n_ubatch=pp, n_threads=threads,
                          n_threads_batch=threads, logits_all=False, verbose=False)
    rng = np.random.default_rng(1)
    prompt = [int(x) for x in rng.integers(3, llm.n_vocab(), pp)]
    best_pp = best_tg = float("inf")
    for _ in range(repeats):
        llm.reset()
        llm._ctx.kv_cache_clear() if hasattr(llm._ctx, "kv_cache_clear") else None
        t0 = time.perf_counter()
        llm.eval(prompt)
        best_pp = min(best_pp, time.perf_counter() - t0)
        # tg: single tokens from an empty context, as llama-bench's tg128.
        llm.reset()
        llm._ctx.kv_cache_clear() if hasattr(llm._ctx, "kv_cache_clear") else None
        t0 = time.perf_counter()
        for i in range(tg):
            llm.eval([prompt[i]])
        best_tg = min(best_tg, time.perf_counter() - t0)
    return {"pp_tokens_per_s": pp / best_pp, "tg_tokens_per_s": tg / best_tg, "peak_rss_mib": vm_hwm_mib(),
            "llama_cpp_python": llama_cpp.__version__}


def main():
    p = argparse.ArgumentParser()
    p.add_argument("model_dir")
    p.add_argument("out_dir")
    p.add_argument("--formats", default="F32,BF16,Q8_0")
    p.add_argument("--threads", type=int, default=os.cpu_count())
    p.add_argument("--pp", type=int, default=512)
    p.add_argument("--tg", type=int, default=128)
    p.add_argument("--repeats", type=int, default=2)
    p.add_argument("--convert-only", action="store_true", help="write the GGUF files, time nothing")
    p.add_argument("--child", help=argparse.SUPPRESS)
    a = p.parse_args()
    if a.child:
        print(json.dumps(measure(a.child, a.threads, a.pp, a.tg, a.repeats)))
        return
    os.makedirs(a.out_dir, exist_ok=True)
    for fmt in a.formats.split(","):
        path = os.path.join(a.out_dir, f"{os.path.basename(os.path.normpath(a.model_dir))}-{fmt}.gguf")
        if not os.path.exists(path):
            convert(a.model_dir, path + ".part", fmt)
            os.rename(path + ".part", path)
        if a.convert_only:
            continue
        out = subprocess.run([sys.executable, __file__, a.model_dir, a.out_dir, "--child", path, "--threads", str(a.threads),
                              "--pp", str(a.pp), "--tg", str(a.tg), "--repeats", str(a.repeats)],
                             check=True, capture_output=True, text=True).stdout
        row = json.loads(out.strip().splitlines()[-1])
        row.update({"format": fmt, "file_bytes": os.path.getsize(path), "threads": a.threads, "pp": a.pp, "tg": a.tg})
        print(json.dumps(row), flush=True)


if __name__ == "__main__":
    main()
