#!/usr/bin/python3
"""Writes small decoder-only language models as PyTorch users export them, with seeded random
weights, and torch's own logits for one prompt (the reference the importer is checked against).

  /usr/bin/python3 tests/data/lm/make_lm_models.py OUT_DIR

For each ARCH in {gpt2, llama} and OPSET in {14, 17}:
  OUT_DIR/ARCH_opOPSET.onnx   torch.onnx.export of the model, input "ids" int64 [1, T] with a
                              dynamic sequence axis, output "logits" float32 [1, T, V]
OUT_DIR/ARCH_ids.npy          one prompt of token ids, int64 [1, 7]
OUT_DIR/ARCH_logits.npy       torch's float32 logits for that prompt

gpt2: learned token and position embeddings, pre-LayerNorm blocks, fused QKV split three ways,
heads by view/transpose, a causal mask from a registered lower-triangular buffer applied with
masked_fill, tanh GELU, tied LM head (opset 14 decomposes LayerNorm; 17 keeps
LayerNormalization).
llama: RMSNorm, rotary position embeddings from precomputed cos/sin buffers (rotate_half),
grouped-query attention (k/v heads repeated), SwiGLU MLP, untied LM head, no biases.
"""
import math
import os
import sys

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "src", "train", "tools"))
from gpt2 import GPT2, GPT2Config, GPT2Step  # noqa: E402,F401  (bench/make_lm_bench.py takes them from here)

SEED = 20261206
VOCAB, D, HEADS, LAYERS, CTX = 96, 48, 4, 2, 32


class RMSNorm(nn.Module):
    def __init__(self, eps=1e-5):
        super().__init__()
        self.eps = eps
        self.weight = nn.Parameter(torch.ones(D))

    def forward(self, x):
        return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + self.eps) * self.weight


def rotate_half(x):
    x1, x2 = x[..., : x.shape[-1] // 2], x[..., x.shape[-1] // 2 :]
    return torch.cat((-x2, x1), dim=-1)


class LlamaBlock(nn.Module):
    KV_HEADS = 2

    def __init__(self):
        super().__init__()
        hd = D // HEADS
        self.input_layernorm = RMSNorm()
        self.q_proj = nn.Linear(D, HEADS * hd, bias=False)
        self.k_proj = nn.Linear(D, self.KV_HEADS * hd, bias=False)
        self.v_proj = nn.Linear(D, self.KV_HEADS * hd, bias=False)
        self.o_proj = nn.Linear(HEADS * hd, D, bias=False)
        self.post_attention_layernorm = RMSNorm()
        self.gate_proj = nn.Linear(D, 2 * D, bias=False)
        self.up_proj = nn.Linear(D, 2 * D, bias=False)
        self.down_proj = nn.Linear(2 * D, D, bias=False)

    def forward(self, x, cos, sin, mask):
        b, t, _ = x.shape
        hd = D // HEADS
        h = self.input_layernorm(x)
        q = self.q_proj(h).view(b, t, HEADS, hd).transpose(1, 2)
        k = self.k_proj(h).view(b, t, self.KV_HEADS, hd).transpose(1, 2)
        v = self.v_proj(h).view(b, t, self.KV_HEADS, hd).transpose(1, 2)
        q = q * cos + rotate_half(q) * sin
        k = k * cos + rotate_half(k) * sin
        rep = HEADS // self.KV_HEADS
        k = k[:, :, None, :, :].expand(b, self.KV_HEADS, rep, t, hd).reshape(b, HEADS, t, hd)
        v = v[:, :, None, :, :].expand(b, self.KV_HEADS, rep, t, hd).reshape(b, HEADS, t, hd)
        att = (q @ k.transpose(2, 3)) / math.sqrt(hd) + mask
        att = F.softmax(att, dim=-1)
        y = (att @ v).transpose(1, 2).reshape(b, t, D)
        x = x + self.o_proj(y)
        h = self.post_attention_layernorm(x)
        return x + self.down_proj(F.silu(self.gate_proj(h)) * self.up_proj(h))


class Llama(nn.Module):
    def __init__(self):
        super().__init__()
        hd = D // HEADS
        self.embed_tokens = nn.Embedding(VOCAB, D)
        self.layers = nn.ModuleList([LlamaBlock() for _ in range(LAYERS)])
        self.norm = RMSNorm()
        self.lm_head = nn.Linear(D, VOCAB, bias=False)
        inv_freq = 1.0 / (10000 ** (torch.arange(0, hd, 2).float() / hd))
        freqs = torch.outer(torch.arange(CTX).float(), inv_freq)
        emb = torch.cat((freqs, freqs), dim=-1)
        self.register_buffer("cos_cached", emb.cos()[None, None, :, :])
        self.register_buffer("sin_cached", emb.sin()[None, None, :, :])
        self.register_buffer("mask_cached", torch.full((CTX, CTX), float("-inf")).triu(1)[None, None, :, :])

    def forward(self, ids):
        t = ids.shape[1]
        x = self.embed_tokens(ids)
        cos, sin = self.cos_cached[:, :, :t, :], self.sin_cached[:, :, :t, :]
        mask = self.mask_cached[:, :, :t, :t]
        for layer in self.layers:
            x = layer(x, cos, sin, mask)
        return self.lm_head(self.norm(x))


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    for name, cls in (("gpt2", lambda: GPT2(GPT2Config(VOCAB, D, HEADS, LAYERS, CTX))), ("llama", Llama)):
        torch.manual_seed(SEED)
        model = cls().eval()
        with torch.no_grad():
            for p in model.parameters():  # larger than the default init, so every op matters
                p.add_(torch.randn_like(p) * 0.05)
        gen = torch.Generator().manual_seed(SEED + 1)
        ids = torch.randint(0, VOCAB, (1, 7), generator=gen)
        with torch.no_grad():
            logits = model(ids)
        np.save(os.path.join(out, f"{name}_ids.npy"), ids.numpy().astype(np.int64))
        np.save(os.path.join(out, f"{name}_logits.npy"), logits.numpy().astype(np.float32))
        for opset in (14, 17):
            torch.onnx.export(model, (ids,), os.path.join(out, f"{name}_op{opset}.onnx"), opset_version=opset,
                              input_names=["ids"], output_names=["logits"],
                              dynamic_axes={"ids": {1: "seq"}, "logits": {1: "seq"}})


if __name__ == "__main__":
    main()
