#!/usr/bin/python3
"""GPT-2-architecture language models with seeded random weights for bench/lm_vs_ort.sh.

  /usr/bin/python3 bench/make_lm_bench.py OUT_DIR SIZE CONTEXT [RUN_DIR]

SIZE is "test" (the 2-layer test model of tests/data/lm, d = 48, vocabulary 96), "gpt2-small"
(12 layers, d = 768, 12 heads, vocabulary 50,257) or "wordnet-lm" (the trained weights of the
`sigil lm train` run in RUN_DIR, e.g. build/zoo/wordnet-lm; CONTEXT is then the model's own).
Writes into OUT_DIR/SIZE:
  full.onnx    the model over a sequence (ids int64 [1, T], dynamic T), for `sigil model import`
  step.onnx    one position with a key/value cache, as ONNX Runtime decodes: ids [1, 1],
               past_k and past_v float32 [layers, 1, heads, P, hd] (dynamic P) in; logits
               [1, 1, vocab], present_k and present_v (P + 1) out
  calib.npy    token-id calibration prompts int64 [N, 1, CONTEXT]
  config.txt   "layers heads hd vocab"
The two exports share the weights; step.onnx, stepped through a sequence, gives full.onnx's logits
(checked here to 1e-3).
"""
import json
import os
import sys

import numpy as np
import torch

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(here, "..", "tests", "data", "lm"))
sys.path.insert(0, os.path.join(here, "..", "src", "train", "tools"))
import make_lm_models as lm  # noqa: E402
from export_lm import read_safetensors  # noqa: E402

SIZES = {"test": dict(vocab=96, d=48, heads=4, layers=2), "gpt2-small": dict(vocab=50257, d=768, heads=12, layers=12)}


def main():
    trained = len(sys.argv) == 5 and sys.argv[2] == "wordnet-lm"
    if not trained and (len(sys.argv) != 4 or sys.argv[2] not in SIZES):
        sys.exit(__doc__)
    out = os.path.join(sys.argv[1], sys.argv[2])
    ctx = int(sys.argv[3])
    os.makedirs(out, exist_ok=True)
    torch.manual_seed(lm.SEED)
    if trained:
        run = sys.argv[4]
        with open(os.path.join(run, "lm.config.json")) as f:
            c = json.load(f)
        if ctx != c["context"]:
            sys.exit(f"make_lm_bench.py: {run} has a context of {c['context']}, not {ctx}")
        cfg = lm.GPT2Config(c["vocab"], c["d"], c["heads"], c["layers"], ctx)
        model = lm.GPT2(cfg).eval()
        model.load_state_dict(read_safetensors(os.path.join(run, "lm.safetensors")), strict=False)
        calib = torch.from_numpy(np.load(os.path.join(run, "calibration.npy")))
    else:
        cfg = lm.GPT2Config(ctx=ctx, **SIZES[sys.argv[2]])
        model = lm.GPT2(cfg).eval()
        with torch.no_grad():
            for p in model.parameters():
                p.normal_(0.0, 0.02)
        gen = torch.Generator().manual_seed(lm.SEED + 2)
        calib = torch.randint(0, cfg.vocab, (4, 1, ctx), generator=gen)
    hd = cfg.d // cfg.heads
    step = lm.GPT2Step(model).eval()
    np.save(os.path.join(out, "calib.npy"), calib.numpy().astype(np.int64))
    ids = calib[0]
    with torch.no_grad():
        full = model(ids)
        pk = torch.zeros(cfg.layers, 1, cfg.heads, 0, hd)
        pv = torch.zeros(cfg.layers, 1, cfg.heads, 0, hd)
        for t in range(8):
            logits, pk, pv = step(ids[:, t : t + 1], pk, pv)
            worst = (logits[0, 0] - full[0, t]).abs().max().item()
            assert worst < 1e-3, f"step {t}: {worst}"
        torch.onnx.export(model, (ids,), os.path.join(out, "full.onnx"), opset_version=17, input_names=["ids"],
                          output_names=["logits"], dynamic_axes={"ids": {1: "seq"}, "logits": {1: "seq"}})
        torch.onnx.export(step, (ids[:, :1], pk, pv), os.path.join(out, "step.onnx"), opset_version=17,
                          input_names=["ids", "past_k", "past_v"], output_names=["logits", "present_k", "present_v"],
                          dynamic_axes={"past_k": {3: "past"}, "past_v": {3: "past"}, "present_k": {3: "next"},
                                        "present_v": {3: "next"}})
    with open(os.path.join(out, "config.txt"), "w") as f:
        f.write(f"{cfg.layers} {cfg.heads} {hd} {cfg.vocab}\n")


if __name__ == "__main__":
    main()
