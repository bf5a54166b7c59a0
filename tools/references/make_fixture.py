#!/usr/bin/env python3
"""Builds a small, real fixture model in Hugging Face Hub layout for one architecture.

    /tmp/venv/bin/python tools/references/make_fixture.py qwen3 assets/models/fixtures/tiny-qwen3
    /tmp/venv/bin/python tools/references/make_fixture.py xlm-roberta assets/models/fixtures/tiny-xlm-roberta

What it does, per architecture (ARCHITECTURES below):
  1. trains a small tokenizer of the family's kind with Hugging Face `tokenizers` on the training
     text (byte-level BPE for the GPT-like families, SentencePiece-style Unigram for XLM-R);
  2. builds the model with transformers' own config and model classes, seeded;
  3. trains it for --minutes on the training text (causal LM or masked LM with 15% masking), so its
     logits are far from uniform;
  4. saves config.json, the weights in the dtype and shard count the row asks for (what varies on
     the Hub: float16/bfloat16 files, sharded files, tied or untied heads), tokenizer.json,
     tokenizer_config.json and a model card with the Hub's YAML front matter.

The training text defaults to WikiText-2 validation (../shared/datasets/wikitext-2/valid.txt, the
split the other fixtures were trained on) plus, for multilingual rows, the KorSTS dev sentences
(../shared/datasets/korsts/sts-dev.tsv; the ko suite evaluates on the test split). References are computed afterwards from the saved folder by
tools/references/model_reference.py.
"""
import argparse
import json
import math
import os
import random
import time
from pathlib import Path

import torch
import transformers
from tokenizers import AddedToken, Regex, Tokenizer, decoders, models, normalizers, pre_tokenizers, processors, trainers

ROOT = Path(__file__).resolve().parents[2]
WIKITEXT_VALID = ROOT.parent / "shared" / "datasets" / "wikitext-2" / "valid.txt"
KORSTS_DEV = ROOT.parent / "shared" / "datasets" / "korsts" / "sts-dev.tsv"

# Qwen2's pre-tokenizer split (tokenizer.json of Qwen/Qwen2.5-0.5B), which Qwen3 keeps.
QWEN_SPLIT = (r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+"
              r"|\s+(?!\S)|\s+")


def byte_level_bpe(texts, vocab_size, specials, split=QWEN_SPLIT):
    """Byte-level BPE after NFC; split by `split` (Qwen2's regex), or by ByteLevel's own GPT-2 regex
    when None (GPT-NeoX-20B's tokenizer.json)."""
    tok = Tokenizer(models.BPE())
    tok.normalizer = normalizers.NFC()
    if split:
        tok.pre_tokenizer = pre_tokenizers.Sequence([
            pre_tokenizers.Split(Regex(split), behavior="isolated", invert=False),
            pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=False),
        ])
    else:
        tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=True)
    tok.decoder = decoders.ByteLevel()
    tok.post_processor = processors.ByteLevel(trim_offsets=False)
    trainer = trainers.BpeTrainer(vocab_size=vocab_size, special_tokens=specials,
                                  initial_alphabet=pre_tokenizers.ByteLevel.alphabet(), show_progress=False)
    tok.train_from_iterator(texts, trainer)
    return tok


def xlmr_unigram(texts, vocab_size):
    """XLM-R's layout: <s>=0 <pad>=1 </s>=2 <unk>=3, pieces, <mask> last with lstrip (as
    xlm-roberta-base's tokenizer.json); NFKC + collapsed spaces, Metaspace always prepending."""
    tok = Tokenizer(models.Unigram())
    tok.normalizer = normalizers.Sequence([normalizers.Nmt(), normalizers.NFKC(), normalizers.Replace(Regex(" {2,}"), " ")])
    tok.pre_tokenizer = pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="always")
    tok.decoder = decoders.Metaspace(replacement="▁", prepend_scheme="always")
    trainer = trainers.UnigramTrainer(vocab_size=vocab_size - 1, special_tokens=["<s>", "<pad>", "</s>", "<unk>"],
                                      unk_token="<unk>", show_progress=False)
    tok.train_from_iterator(texts, trainer)
    tok.add_special_tokens([AddedToken("<mask>", lstrip=True, special=True, normalized=False)])
    tok.post_processor = processors.TemplateProcessing(
        single="<s> $A </s>", pair="<s> $A </s> </s> $B </s>",
        special_tokens=[("<s>", tok.token_to_id("<s>")), ("</s>", tok.token_to_id("</s>"))])
    return tok


def bert_wordpiece(texts, vocab_size):
    """bert-base-uncased's pipeline: BertNormalizer (lower case, accents stripped), BertPreTokenizer,
    WordPiece with ##, [CLS] A [SEP] / [CLS] A [SEP] B [SEP]."""
    tok = Tokenizer(models.WordPiece(unk_token="[UNK]"))
    tok.normalizer = normalizers.BertNormalizer(lowercase=True)
    tok.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    tok.decoder = decoders.WordPiece()
    specials = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
    tok.train_from_iterator(texts, trainers.WordPieceTrainer(vocab_size=vocab_size, special_tokens=specials, show_progress=False))
    cls, sep = tok.token_to_id("[CLS]"), tok.token_to_id("[SEP]")
    tok.post_processor = processors.TemplateProcessing(single="[CLS] $A [SEP]", pair="[CLS] $A [SEP] $B:1 [SEP]:1",
                                                       special_tokens=[("[CLS]", cls), ("[SEP]", sep)])
    return tok


def distilbert(texts, dtype):
    tok = bert_wordpiece(texts, 4096)
    config = transformers.DistilBertConfig(
        vocab_size=tok.get_vocab_size(), dim=128, hidden_dim=512, n_layers=3, n_heads=4, max_position_embeddings=128,
        activation="gelu", pad_token_id=tok.token_to_id("[PAD]"))
    fast = transformers.PreTrainedTokenizerFast(
        tokenizer_object=tok, unk_token="[UNK]", sep_token="[SEP]", pad_token="[PAD]", cls_token="[CLS]",
        mask_token="[MASK]", model_max_length=128, clean_up_tokenization_spaces=False)
    card = dict(pipeline_tag="fill-mask", tags=["distilbert", "masked-lm", "wordpiece", dtype, "test-fixture"],
                language=["en"],
                description="A 3-layer DistilBERT-architecture masked language model (no token types, q_lin/k_lin/"
                            f"v_lin/out_lin attention, vocab_transform head tied to the embeddings), {dtype} weights. "
                            "bert-base-uncased-style WordPiece tokenizer (lower case, accents stripped).")
    return tok, fast, config, transformers.DistilBertForMaskedLM, "mlm", card


def mpnet(texts, dtype):
    # microsoft/mpnet-base's tokenizer: BERT's uncased WordPiece with <s>=0 <pad>=1 </s>=2 and
    # [UNK], <mask> last (lstrip), <s> A </s> / <s> A </s></s> B </s>.
    tok = Tokenizer(models.WordPiece(unk_token="[UNK]"))
    tok.normalizer = normalizers.BertNormalizer(lowercase=True)
    tok.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    tok.decoder = decoders.WordPiece()
    tok.train_from_iterator(texts, trainers.WordPieceTrainer(vocab_size=4095, special_tokens=["<s>", "<pad>", "</s>", "[UNK]"],
                                                             show_progress=False))
    tok.add_special_tokens([AddedToken("<mask>", lstrip=True, special=True, normalized=False)])
    tok.post_processor = processors.TemplateProcessing(
        single="<s> $A </s>", pair="<s> $A </s> </s> $B </s>",
        special_tokens=[("<s>", tok.token_to_id("<s>")), ("</s>", tok.token_to_id("</s>"))])
    config = transformers.MPNetConfig(
        vocab_size=tok.get_vocab_size(), hidden_size=128, intermediate_size=512, num_hidden_layers=3, num_attention_heads=4,
        max_position_embeddings=130, relative_attention_num_buckets=32, layer_norm_eps=1e-5,
        pad_token_id=1, bos_token_id=0, eos_token_id=2)
    fast = transformers.PreTrainedTokenizerFast(
        tokenizer_object=tok, bos_token="<s>", eos_token="</s>", cls_token="<s>", sep_token="</s>", pad_token="<pad>",
        unk_token="[UNK]", mask_token="<mask>", model_max_length=128, clean_up_tokenization_spaces=False)
    card = dict(pipeline_tag="fill-mask", tags=["mpnet", "masked-lm", "wordpiece", dtype, "test-fixture"], language=["en"],
                description="A 3-layer MPNet-architecture masked language model: a learned bias per head and relative-"
                            "position bucket (32 buckets, T5-style) added to every layer's attention scores, positions "
                            f"from padding_idx + 1, tied decoder, {dtype} weights. microsoft/mpnet-base-style tokenizer: "
                            "uncased WordPiece, <s> A </s>.")
    return tok, fast, config, transformers.MPNetForMaskedLM, "mlm", card


def modernbert(texts, dtype):
    # answerdotai/ModernBERT-base's tokenizer: OLMo's byte-level BPE (GPT-2's split, NFC) with
    # <|endoftext|> and <|padding|> first and BERT's specials added at the end, [MASK] with lstrip;
    # [CLS] A [SEP] / [CLS] A [SEP] B [SEP].
    tok = byte_level_bpe(texts, 4091, ["<|endoftext|>", "<|padding|>"], split=None)
    tok.add_special_tokens([AddedToken(t, special=True, normalized=False) for t in ("[UNK]", "[CLS]", "[SEP]", "[PAD]")])
    tok.add_special_tokens([AddedToken("[MASK]", lstrip=True, special=True, normalized=False)])
    cls, sep = tok.token_to_id("[CLS]"), tok.token_to_id("[SEP]")
    tok.post_processor = processors.TemplateProcessing(single="[CLS] $A [SEP]", pair="[CLS] $A [SEP] $B [SEP]",
                                                       special_tokens=[("[CLS]", cls), ("[SEP]", sep)])
    # 4 layers with global attention every 3rd (layers 0 and 3 global, 1 and 2 local) and a local
    # window of 16 (8 each side), so the fixture's short texts cross it.
    config = transformers.ModernBertConfig(
        vocab_size=tok.get_vocab_size(), hidden_size=128, intermediate_size=192, num_hidden_layers=4,
        num_attention_heads=4, max_position_embeddings=512, global_attn_every_n_layers=3, local_attention=16,
        global_rope_theta=160000.0, local_rope_theta=10000.0, norm_eps=1e-5, norm_bias=False,
        hidden_activation="gelu", classifier_activation="gelu", decoder_bias=True, tie_word_embeddings=True,
        pad_token_id=tok.token_to_id("[PAD]"), bos_token_id=cls, eos_token_id=sep, cls_token_id=cls, sep_token_id=sep)
    fast = transformers.PreTrainedTokenizerFast(
        tokenizer_object=tok, unk_token="[UNK]", sep_token="[SEP]", pad_token="[PAD]", cls_token="[CLS]",
        mask_token="[MASK]", model_max_length=512, clean_up_tokenization_spaces=False)
    card = dict(pipeline_tag="fill-mask", tags=["modernbert", "masked-lm", "byte-level-bpe", dtype, "test-fixture"],
                language=["en"],
                description="A 4-layer ModernBERT-architecture masked language model: pre-LN layers without biases, "
                            "fused Wqkv, rotary embeddings (theta 160000 on global layers, 10000 on local ones), global "
                            "attention on layers 0 and 3 and a 16-token local window (8 each side) on layers 1 and 2, "
                            f"GeGLU MLP, tied decoder with a bias, {dtype} weights. ModernBERT-style tokenizer: "
                            "byte-level BPE with BERT's special tokens, [CLS] A [SEP].")
    return tok, fast, config, transformers.ModernBertForMaskedLM, "mlm", card


def deberta_v2(texts, dtype):
    # microsoft/deberta-v3-base's tokenizer: SentencePiece Unigram with [PAD]=0 [CLS]=1 [SEP]=2
    # [UNK]=3, pieces, [MASK] last; Metaspace; [CLS] A [SEP] / [CLS] A [SEP] B [SEP] with type ids.
    tok = Tokenizer(models.Unigram())
    tok.normalizer = normalizers.Sequence([normalizers.Nmt(), normalizers.NFKC(), normalizers.Replace(Regex(" {2,}"), " ")])
    tok.pre_tokenizer = pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="always")
    tok.decoder = decoders.Metaspace(replacement="▁", prepend_scheme="always")
    tok.train_from_iterator(texts, trainers.UnigramTrainer(vocab_size=4095, special_tokens=["[PAD]", "[CLS]", "[SEP]", "[UNK]"],
                                                           unk_token="[UNK]", show_progress=False))
    tok.add_special_tokens([AddedToken("[MASK]", special=True, normalized=False)])
    cls, sep = tok.token_to_id("[CLS]"), tok.token_to_id("[SEP]")
    tok.post_processor = processors.TemplateProcessing(single="[CLS] $A [SEP]", pair="[CLS] $A [SEP] $B:1 [SEP]:1",
                                                       special_tokens=[("[CLS]", cls), ("[SEP]", sep)])
    # DeBERTa-v3's attention: relative only (no absolute positions in the input), c2p and p2c with
    # shared keys, LayerNorm'd relative embeddings; 32 log buckets (v3: 256) so the fixture's
    # 64-token lines cross into the logarithmic ones.
    config = transformers.DebertaV2Config(
        vocab_size=tok.get_vocab_size(), hidden_size=128, intermediate_size=512, num_hidden_layers=3, num_attention_heads=4,
        max_position_embeddings=512, relative_attention=True, position_buckets=32, max_relative_positions=-1,
        pos_att_type=["p2c", "c2p"], share_att_key=True, norm_rel_ebd="layer_norm", position_biased_input=False,
        type_vocab_size=0, layer_norm_eps=1e-7, hidden_act="gelu", pad_token_id=0)
    fast = transformers.PreTrainedTokenizerFast(
        tokenizer_object=tok, unk_token="[UNK]", sep_token="[SEP]", pad_token="[PAD]", cls_token="[CLS]",
        mask_token="[MASK]", model_max_length=512, clean_up_tokenization_spaces=False)
    card = dict(pipeline_tag="fill-mask", tags=["deberta-v2", "deberta-v3", "masked-lm", "unigram", "sentencepiece", dtype,
                                                "test-fixture"],
                language=["en", "ko"],
                description="A 3-layer DeBERTa-v2-architecture masked language model configured as DeBERTa-v3: "
                            "disentangled attention (content-to-position and position-to-content, keys shared with "
                            "the content projections, 32 logarithmic relative-position buckets, LayerNorm'd relative "
                            f"embeddings), no absolute positions, tied legacy MLM head, {dtype} weights. DeBERTa-v3-style "
                            "SentencePiece Unigram tokenizer trained on English and Korean text, [CLS] A [SEP].")
    return tok, fast, config, transformers.DebertaV2ForMaskedLM, "mlm", card


def qwen3(texts, dtype):
    tok = byte_level_bpe(texts, 4096, ["<|endoftext|>", "<|im_start|>", "<|im_end|>"])
    eos = tok.token_to_id("<|endoftext|>")
    config = transformers.Qwen3Config(
        vocab_size=tok.get_vocab_size(), hidden_size=128, intermediate_size=384, num_hidden_layers=3,
        num_attention_heads=4, num_key_value_heads=2, head_dim=64,  # q/k/v width 256 != hidden 128, as real Qwen3
        max_position_embeddings=512, rope_theta=1000000.0, rms_norm_eps=1e-6, tie_word_embeddings=False,
        bos_token_id=None, eos_token_id=eos, pad_token_id=None)
    fast = transformers.PreTrainedTokenizerFast(tokenizer_object=tok, eos_token="<|endoftext|>", pad_token="<|endoftext|>",
                                                model_max_length=512, clean_up_tokenization_spaces=False)
    card = dict(pipeline_tag="text-generation", tags=["qwen3", "causal-lm", "byte-level-bpe", dtype, "sharded", "test-fixture"],
                language=["en"],
                description="A 3-layer Qwen3-architecture causal language model: q/k RMSNorm on every head, "
                            "head_dim 64 with 4 query and 2 key/value heads (so the attention width, 256, is twice the "
                            "hidden size, as in the real Qwen3 models), rope theta 1e6, an untied LM head, "
                            f"{dtype} weights in several shards. Qwen2-style tokenizer: NFC normalizer, regex split "
                            "pre-tokenizer, byte-level BPE, no BOS.")
    return tok, fast, config, transformers.Qwen3ForCausalLM, "clm", card


def gpt_neox(texts, dtype):
    tok = byte_level_bpe(texts, 4096, ["<|endoftext|>", "<|padding|>"], split=None)
    config = transformers.GPTNeoXConfig(
        vocab_size=tok.get_vocab_size(), hidden_size=128, intermediate_size=512, num_hidden_layers=3,
        num_attention_heads=4, max_position_embeddings=512, rotary_pct=0.25, rotary_emb_base=10000,
        use_parallel_residual=True, tie_word_embeddings=False, bos_token_id=0, eos_token_id=0, pad_token_id=1)
    fast = transformers.PreTrainedTokenizerFast(tokenizer_object=tok, bos_token="<|endoftext|>", eos_token="<|endoftext|>",
                                                unk_token="<|endoftext|>", pad_token="<|padding|>", model_max_length=512,
                                                clean_up_tokenization_spaces=False)
    card = dict(pipeline_tag="text-generation", tags=["gpt_neox", "pythia", "causal-lm", "byte-level-bpe", dtype, "test-fixture"],
                language=["en"],
                description="A 3-layer GPT-NeoX-architecture (Pythia) causal language model: parallel attention and MLP "
                            "residuals, fused per-head query_key_value, rotary embeddings on the first quarter of each "
                            f"head (rotary_pct 0.25), an untied head, {dtype} weights. GPT-NeoX-20B-style tokenizer: NFC, "
                            "byte-level BPE with GPT-2's split, <|endoftext|> and <|padding|>, no BOS added.")
    return tok, fast, config, transformers.GPTNeoXForCausalLM, "clm", card


def sentencepiece_bpe(texts, vocab_size, specials=("<pad>", "<eos>", "<bos>", "<unk>"), bos="<bos>"):
    """Gemma's kind (and LLaMA/Phi-3's, with their specials): BPE with byte fallback, spaces
    replaced by ▁ in the normalizer; Gemma: <pad>=0 <eos>=1 <bos>=2 <unk>=3, <bos> prepended."""
    tok = Tokenizer(models.BPE(unk_token="<unk>", byte_fallback=True, fuse_unk=True))
    tok.normalizer = normalizers.Replace(" ", "▁")
    tok.pre_tokenizer = pre_tokenizers.Split(" ", behavior="merged_with_previous")
    tok.decoder = decoders.Sequence([decoders.Replace("▁", " "), decoders.ByteFallback(), decoders.Fuse()])
    alphabet = [f"<0x{b:02X}>" for b in range(256)]
    tok.train_from_iterator(texts, trainers.BpeTrainer(vocab_size=vocab_size, special_tokens=list(specials) + alphabet,
                                                       show_progress=False))
    tok.post_processor = processors.TemplateProcessing(single=f"{bos} $A", pair=f"{bos} $A {bos} $B:1",
                                                       special_tokens=[(bos, tok.token_to_id(bos))])
    return tok


def gemma(texts, dtype, version):
    tok = sentencepiece_bpe(texts, 4096)
    common = dict(vocab_size=tok.get_vocab_size(), hidden_size=128, intermediate_size=384, num_hidden_layers=4,
                  num_attention_heads=4, num_key_value_heads=2, head_dim=48, query_pre_attn_scalar=64,
                  max_position_embeddings=512, sliding_window=16, rms_norm_eps=1e-6,
                  pad_token_id=0, eos_token_id=1, bos_token_id=2, tie_word_embeddings=True)
    if version == 2:
        config = transformers.Gemma2Config(**common, attn_logit_softcapping=50.0, final_logit_softcapping=30.0)
        cls, what = transformers.Gemma2ForCausalLM, ("Gemma 2", "attention scores soft-capped at 50 and logits at 30, "
                                                     "layers 0 and 2 with a 16-token sliding window")
    else:
        config = transformers.Gemma3TextConfig(
            **common, sliding_window_pattern=2,
            rope_parameters={"full_attention": {"rope_type": "linear", "factor": 8.0, "rope_theta": 1000000.0},
                             "sliding_attention": {"rope_type": "default", "rope_theta": 10000.0}})
        cls, what = transformers.Gemma3ForCausalLM, ("Gemma 3 (text)", "q/k RMSNorm, linear-scaled RoPE (theta 1e6, "
                                                     "factor 8) on global layers and theta 1e4 on the 16-token "
                                                     "sliding-window layers 0 and 2")
    fast = transformers.PreTrainedTokenizerFast(tokenizer_object=tok, bos_token="<bos>", eos_token="<eos>",
                                                unk_token="<unk>", pad_token="<pad>", model_max_length=512,
                                                clean_up_tokenization_spaces=False)
    card = dict(pipeline_tag="text-generation", tags=[f"gemma{version}", "causal-lm", "sentencepiece-bpe", dtype, "test-fixture"],
                language=["en"],
                description=f"A 4-layer {what[0]}-architecture causal language model: embeddings scaled by sqrt(hidden), "
                            "(1 + weight) RMSNorm before and after attention and MLP, GeGLU MLP, head_dim 48 with "
                            f"query_pre_attn_scalar 64, {what[1]}, tied embeddings, {dtype} weights. Gemma-style "
                            "tokenizer: BPE with byte fallback, spaces as ▁, <bos> first.")
    return tok, fast, config, cls, "clm", card


def opt(texts, dtype):
    # facebook/opt-*'s tokenizer: GPT-2's byte-level BPE, <s>=0 <pad>=1 </s>=2 <unk>=3, "</s>" first.
    tok = byte_level_bpe(texts, 4096, ["<s>", "<pad>", "</s>", "<unk>"], split=None)
    tok.post_processor = processors.TemplateProcessing(single="</s> $A", pair="</s> $A </s> $B:1",
                                                       special_tokens=[("</s>", tok.token_to_id("</s>"))])
    config = transformers.OPTConfig(
        vocab_size=tok.get_vocab_size(), hidden_size=128, ffn_dim=512, num_hidden_layers=3, num_attention_heads=4,
        max_position_embeddings=512, word_embed_proj_dim=128, do_layer_norm_before=True, activation_function="relu",
        pad_token_id=1, bos_token_id=2, eos_token_id=2, tie_word_embeddings=True)
    fast = transformers.PreTrainedTokenizerFast(tokenizer_object=tok, bos_token="</s>", eos_token="</s>", unk_token="<unk>",
                                                pad_token="<pad>", model_max_length=512, clean_up_tokenization_spaces=False)
    card = dict(pipeline_tag="text-generation", tags=["opt", "causal-lm", "byte-level-bpe", dtype, "test-fixture"],
                language=["en"],
                description="A 3-layer OPT-architecture causal language model: learned positions with OPT's offset of 2, "
                            "pre-LN layers, ReLU MLP, queries scaled before attention, tied embeddings, "
                            f"{dtype} weights. OPT-style tokenizer: GPT-2 byte-level BPE, </s> first.")
    return tok, fast, config, transformers.OPTForCausalLM, "clm", card


def phi3(texts, dtype):
    tok = sentencepiece_bpe(texts, 4096, specials=("<unk>", "<s>", "</s>"), bos="<s>")
    # partial_rotary_factor 0.75 (as Phi-4-mini): 24 of head_dim 32 rotate, 12 frequencies, each with
    # its own short and long divisor; original context 64, so windows longer than 64 use the long ones.
    short = [1.0 + 0.05 * i for i in range(12)]
    long = [1.0 + 0.5 * i for i in range(12)]
    config = transformers.Phi3Config(
        vocab_size=tok.get_vocab_size(), hidden_size=128, intermediate_size=384, num_hidden_layers=3,
        num_attention_heads=4, num_key_value_heads=2, max_position_embeddings=512, original_max_position_embeddings=64,
        partial_rotary_factor=0.75, rms_norm_eps=1e-5, tie_word_embeddings=False, sliding_window=None,
        rope_parameters={"rope_type": "longrope", "rope_theta": 10000.0, "partial_rotary_factor": 0.75,
                         "short_factor": short, "long_factor": long, "original_max_position_embeddings": 64},
        bos_token_id=tok.token_to_id("<s>"), eos_token_id=tok.token_to_id("</s>"), pad_token_id=tok.token_to_id("</s>"))
    fast = transformers.PreTrainedTokenizerFast(tokenizer_object=tok, bos_token="<s>", eos_token="</s>", unk_token="<unk>",
                                                pad_token="</s>", model_max_length=512, clean_up_tokenization_spaces=False)
    card = dict(pipeline_tag="text-generation", tags=["phi3", "causal-lm", "longrope", "sentencepiece-bpe", dtype, "test-fixture"],
                language=["en"],
                description="A 3-layer Phi-3-architecture causal language model: fused qkv_proj and gate_up_proj, "
                            "partial rotary embeddings (0.75 of each 32-dim head) with longrope scaling (short factors up "
                            "to 64 positions, long ones beyond, attention factor from 512 / 64), GQA 4:2, an untied head, "
                            f"{dtype} weights. LLaMA-style tokenizer: BPE with byte fallback, <s> first.")
    return tok, fast, config, transformers.Phi3ForCausalLM, "clm", card


def xlm_roberta(texts, dtype):
    tok = xlmr_unigram(texts, 4096)
    config = transformers.XLMRobertaConfig(
        vocab_size=tok.get_vocab_size(), hidden_size=128, intermediate_size=512, num_hidden_layers=3,
        num_attention_heads=4, max_position_embeddings=130, type_vocab_size=1, layer_norm_eps=1e-5,
        bos_token_id=0, pad_token_id=1, eos_token_id=2)
    fast = transformers.PreTrainedTokenizerFast(
        tokenizer_object=tok, bos_token="<s>", eos_token="</s>", cls_token="<s>", sep_token="</s>", pad_token="<pad>",
        unk_token="<unk>", mask_token="<mask>", model_max_length=128, clean_up_tokenization_spaces=False)
    card = dict(pipeline_tag="fill-mask", tags=["xlm-roberta", "masked-lm", "unigram", "sentencepiece", dtype, "test-fixture"],
                language=["en", "ko"],
                description="A 3-layer XLM-RoBERTa-architecture masked language model (positions from padding_idx + 1, "
                            f"tied decoder), {dtype} weights. SentencePiece-style Unigram tokenizer trained on English "
                            "and Korean text (NMT + NFKC normalizer, collapsed spaces, Metaspace), XLM-R's special "
                            "tokens and <s> A </s></s> B </s> pairs.")
    return tok, fast, config, transformers.XLMRobertaForMaskedLM, "mlm", card


ARCHITECTURES = {
    # name: (builder, default dtype, shards, multilingual training text)
    "qwen3": (qwen3, "bfloat16", 2, False),
    "gpt_neox": (gpt_neox, "float16", 1, False),
    "xlm-roberta": (xlm_roberta, "float32", 1, True),
    "distilbert": (distilbert, "float32", 1, False),
    "gemma2": (lambda texts, dtype: gemma(texts, dtype, 2), "bfloat16", 1, False),
    "phi3": (phi3, "float32", 1, False),
    "opt": (opt, "float16", 1, False),
    "mpnet": (mpnet, "float32", 1, False),
    "gemma3": (lambda texts, dtype: gemma(texts, dtype, 3), "float32", 2, False),
    "modernbert": (modernbert, "float32", 1, False),
    "deberta-v2": (deberta_v2, "float16", 1, True),
}


def training_texts(extra_korean):
    lines = [l.strip() for l in WIKITEXT_VALID.read_text(encoding="utf-8").splitlines()]
    lines = [l for l in lines if l and not l.startswith("=")]
    if extra_korean:
        # The dev split only: the ko suite evaluates on KorSTS test.
        for row in KORSTS_DEV.read_text(encoding="utf-8").splitlines()[1:]:
            lines += [c for c in row.split("\t")[5:7] if c]
    return lines


def batches(ids, seq_len, batch_size, rng):
    starts = list(range(0, len(ids) - seq_len - 1, seq_len))
    while True:
        rng.shuffle(starts)
        for i in range(0, len(starts) - batch_size + 1, batch_size):
            yield torch.tensor([ids[s:s + seq_len] for s in starts[i:i + batch_size]])


def train(model, tok, texts, objective, minutes, seed):
    rng = random.Random(seed)
    torch.manual_seed(seed)
    ids = []
    for line in texts:
        ids += tok.encode(line, add_special_tokens=False).ids
    seq_len = 64 if objective == "mlm" else 128
    opt = torch.optim.AdamW(model.parameters(), lr=3e-3, weight_decay=0.01)
    mask_id = tok.token_to_id("<mask>")
    if mask_id is None:
        mask_id = tok.token_to_id("[MASK]")
    model.train()
    deadline = time.time() + 60 * minutes
    step = 0
    for batch in batches(ids, seq_len, 8, rng):
        if time.time() > deadline:
            break
        if objective == "clm":
            out = model(input_ids=batch, labels=batch)
        else:
            labels = batch.clone()
            chosen = torch.rand(batch.shape) < 0.15
            labels[~chosen] = -100
            inputs = batch.clone()
            inputs[chosen & (torch.rand(batch.shape) < 0.8)] = mask_id
            out = model(input_ids=inputs, labels=labels)
        for g in opt.param_groups:
            g["lr"] = 3e-3 * min(1.0, (step + 1) / 50)
        out.loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        opt.zero_grad()
        if step % 50 == 0:
            print(f"step {step}: loss {out.loss.item():.3f}", flush=True)
        step += 1
    model.eval()
    return step, out.loss.item()


def model_card(name, card, steps, loss, arch):
    front = ["---", "license: cc-by-sa-3.0", "library_name: transformers", f"pipeline_tag: {card['pipeline_tag']}",
             "language:"] + [f"- {l}" for l in card["language"]] + ["tags:"] + [f"- {t}" for t in card["tags"]] + \
            ["datasets:", "- wikitext"] + (["- kor_nlu"] if "ko" in card["language"] else []) + \
            ["---", ""]
    body = [f"# {name}", "", card["description"], "",
            f"Built with transformers {transformers.__version__} by `tools/references/make_fixture.py {arch}` and trained "
            f"for {steps} steps (final training loss {loss:.2f}): it is a small, real model for tests and demos, not a "
            "useful language model. Its reference outputs (token ids, logits, perplexities, embeddings) were computed "
            "with Hugging Face transformers and tokenizers in float64 by `tools/references/model_reference.py` and are "
            "kept in assets/references/.", ""]
    return "\n".join(front + body)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("arch", choices=sorted(ARCHITECTURES))
    ap.add_argument("out", type=Path)
    ap.add_argument("--minutes", type=float, default=3.0)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    torch.set_num_threads(os.cpu_count() or 1)
    builder, dtype, shards, korean = ARCHITECTURES[args.arch]
    texts = training_texts(korean)
    torch.manual_seed(args.seed)
    tok, fast, config, cls, objective, card = builder(texts, dtype)
    model = cls(config)
    steps, loss = train(model, tok, texts, objective, args.minutes, args.seed)
    args.out.mkdir(parents=True, exist_ok=True)
    model = model.to(getattr(torch, dtype))
    total = sum(p.numel() * p.element_size() for p in model.parameters())
    shard_size = math.ceil(total / shards) + 1 if shards > 1 else "8GB"
    model.save_pretrained(args.out, max_shard_size=shard_size)
    fast.save_pretrained(args.out)
    (args.out / "README.md").write_text(model_card(args.out.name, card, steps, loss, args.arch), encoding="utf-8")
    print(json.dumps({"fixture": str(args.out), "steps": steps, "loss": loss,
                      "files": sorted(p.name for p in args.out.iterdir())}))


if __name__ == "__main__":
    main()
