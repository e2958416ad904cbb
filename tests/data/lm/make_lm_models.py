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

SEED = 20261206
VOCAB, D, HEADS, LAYERS, CTX = 96, 48, 4, 2, 32


class GPT2Config:
    """GPT-2's shape; the defaults are the small test model (bench/make_lm_bench.py makes others)."""

    def __init__(self, vocab=VOCAB, d=D, heads=HEADS, layers=LAYERS, ctx=CTX):
        self.vocab, self.d, self.heads, self.layers, self.ctx = vocab, d, heads, layers, ctx


class GPT2Block(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        d = cfg.d
        self.cfg = cfg
        self.ln_1 = nn.LayerNorm(d)
        self.c_attn = nn.Linear(d, 3 * d)
        self.c_proj = nn.Linear(d, d)
        self.ln_2 = nn.LayerNorm(d)
        self.c_fc = nn.Linear(d, 4 * d)
        self.mlp_proj = nn.Linear(4 * d, d)
        self.register_buffer("bias", torch.tril(torch.ones(cfg.ctx, cfg.ctx)).view(1, 1, cfg.ctx, cfg.ctx))

    def heads(self, x):
        b, t, c = x.shape
        return x.view(b, t, self.cfg.heads, c // self.cfg.heads).transpose(1, 2)

    def forward(self, x):
        b, t, c = x.shape
        q, k, v = (self.heads(y) for y in self.c_attn(self.ln_1(x)).split(c, dim=2))
        att = (q @ k.transpose(-2, -1)) * (1.0 / math.sqrt(self.cfg.d // self.cfg.heads))
        att = att.masked_fill(self.bias[:, :, :t, :t] == 0, float("-inf"))
        att = F.softmax(att, dim=-1)
        y = (att @ v).transpose(1, 2).contiguous().view(b, t, c)
        x = x + self.c_proj(y)
        return x + self.mlp_proj(F.gelu(self.c_fc(self.ln_2(x)), approximate="tanh"))

    def step(self, x, past_k, past_v):
        """One new position x [1, 1, d] after the cached keys and values [1, heads, P, hd]."""
        b, t, c = x.shape
        q, k, v = (self.heads(y) for y in self.c_attn(self.ln_1(x)).split(c, dim=2))
        k, v = torch.cat((past_k, k), dim=2), torch.cat((past_v, v), dim=2)
        att = F.softmax((q @ k.transpose(-2, -1)) * (1.0 / math.sqrt(self.cfg.d // self.cfg.heads)), dim=-1)
        y = (att @ v).transpose(1, 2).contiguous().view(b, t, c)
        x = x + self.c_proj(y)
        return x + self.mlp_proj(F.gelu(self.c_fc(self.ln_2(x)), approximate="tanh")), k, v


class GPT2(nn.Module):
    def __init__(self, cfg=None):
        super().__init__()
        cfg = cfg or GPT2Config()
        self.cfg = cfg
        self.wte = nn.Embedding(cfg.vocab, cfg.d)
        self.wpe = nn.Embedding(cfg.ctx, cfg.d)
        self.h = nn.ModuleList([GPT2Block(cfg) for _ in range(cfg.layers)])
        self.ln_f = nn.LayerNorm(cfg.d)
        self.lm_head = nn.Linear(cfg.d, cfg.vocab, bias=False)
        self.lm_head.weight = self.wte.weight  # tied

    def forward(self, ids):
        t = ids.shape[1]
        pos = torch.arange(0, t, dtype=torch.long, device=ids.device).unsqueeze(0)
        x = self.wte(ids) + self.wpe(pos)
        for block in self.h:
            x = block(x)
        return self.lm_head(self.ln_f(x))


class GPT2Step(nn.Module):
    """The same model one position at a time with a key/value cache, as ONNX Runtime users run
    decoding: ids [1, 1], past keys and values [layers, 1, heads, P, hd] in; logits [1, 1, vocab]
    and the caches grown to P + 1 out."""

    def __init__(self, model):
        super().__init__()
        self.m = model

    def forward(self, ids, past_k, past_v):
        p = past_k.shape[3]
        pos = torch.arange(p, p + 1, dtype=torch.long, device=ids.device).unsqueeze(0)
        x = self.m.wte(ids) + self.m.wpe(pos)
        ks, vs = [], []
        for i, block in enumerate(self.m.h):
            x, k, v = block.step(x, past_k[i], past_v[i])
            ks.append(k)
            vs.append(v)
        return self.m.lm_head(self.m.ln_f(x)), torch.stack(ks), torch.stack(vs)


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
    for name, cls in (("gpt2", GPT2), ("llama", Llama)):
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
