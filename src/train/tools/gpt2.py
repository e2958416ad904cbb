"""GPT-2's architecture as PyTorch users write it: learned token and position embeddings,
pre-LayerNorm blocks, fused QKV split three ways, heads by view/transpose, a causal mask from a
registered lower-triangular buffer applied with masked_fill, tanh GELU, tied LM head.

Used by export_lm.py (Sigil's own model), tests/data/lm/make_lm_models.py (the importer's test
models) and bench/make_lm_bench.py (the GPT-2-small-shaped benchmark model). The parameter names
are the ones `sigil lm train` writes into lm.safetensors.
"""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F


class GPT2Config:
    """GPT-2's shape."""

    def __init__(self, vocab, d, heads, layers, ctx):
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
    def __init__(self, cfg):
        super().__init__()
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
