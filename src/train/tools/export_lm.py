#!/usr/bin/python3
"""Exports the language model of `sigil lm train` to ONNX the way a PyTorch user would: the
weights (lm.safetensors) are loaded by name into the PyTorch module of the same architecture
(gpt2.py) and written with torch.onnx.export, input "ids" int64 [1, T] with a dynamic sequence
axis, output "logits" float32 [1, T, vocab].

  /usr/bin/python3 src/train/tools/export_lm.py RUN_DIR OUT.onnx [--opset N]

Before writing, the module's logits for the probe in lm.config.json must equal libtorch's (the
trainer's) to 1e-4 of their range: a mismatch in architecture or weight layout stops the export.
"""
import argparse
import json
import os
import struct
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gpt2 import GPT2, GPT2Config  # noqa: E402


def fail(message):
    sys.exit(f"export_lm.py: {message}")


def read_safetensors(path):
    """name -> float32 tensor, from the file's JSON header and little-endian data."""
    with open(path, "rb") as f:
        blob = f.read()
    if len(blob) < 8:
        fail(f"{path}: too short for a safetensors file")
    (n,) = struct.unpack("<Q", blob[:8])
    if 8 + n > len(blob):
        fail(f"{path}: header length {n} runs past the end")
    try:
        header = json.loads(blob[8 : 8 + n])
    except ValueError:
        fail(f"{path}: header is not JSON")
    data = blob[8 + n :]
    tensors = {}
    for name, meta in header.items():
        if name == "__metadata__":
            continue
        if meta.get("dtype") != "F32":
            fail(f"{path}: {name} is {meta.get('dtype')}, expected F32")
        begin, end = meta["data_offsets"]
        shape = meta["shape"]
        if not (0 <= begin <= end <= len(data)) or end - begin != 4 * int(np.prod(shape, dtype=np.int64)):
            fail(f"{path}: {name} has a bad byte range")
        tensors[name] = torch.from_numpy(np.frombuffer(data[begin:end], dtype="<f4").reshape(shape).copy())
    return tensors


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("run_dir")
    ap.add_argument("out")
    ap.add_argument("--opset", type=int, default=17)
    a = ap.parse_args()
    try:
        with open(os.path.join(a.run_dir, "lm.config.json")) as f:
            config = json.load(f)
    except (OSError, ValueError) as e:
        fail(f"{a.run_dir}/lm.config.json: {e}")
    if config.get("kind") != "sigil.lm.config.v1" or config.get("arch") != "gpt2":
        fail(f"{a.run_dir}/lm.config.json: not a sigil GPT-2 config")
    cfg = GPT2Config(config["vocab"], config["d"], config["heads"], config["layers"], config["context"])
    torch.manual_seed(0)
    model = GPT2(cfg).eval()
    weights = read_safetensors(os.path.join(a.run_dir, "lm.safetensors"))
    missing, unexpected = model.load_state_dict(weights, strict=False)
    # The tied head and the causal-mask buffers are not stored.
    unstored = {"lm_head.weight"} | {f"h.{i}.bias" for i in range(cfg.layers)}
    missing = [k for k in missing if k not in unstored]
    if missing or unexpected:
        fail(f"weights do not match the architecture: missing {missing}, unexpected {unexpected}")
    ids = torch.tensor([config["probe"]["ids"]], dtype=torch.long)
    want = np.asarray(config["probe"]["lastLogits"], dtype=np.float32)
    with torch.no_grad():
        got = model(ids)[0, -1].numpy()
    worst = float(np.max(np.abs(got - want)))
    scale = float(np.max(np.abs(want)))
    if not worst <= 1e-4 * max(scale, 1.0):
        fail(f"the PyTorch module's probe logits differ from the trainer's by {worst} (range {scale})")
    torch.onnx.export(model, (ids,), a.out, opset_version=a.opset, input_names=["ids"], output_names=["logits"],
                      dynamic_axes={"ids": {1: "seq"}, "logits": {1: "seq"}})
    print(json.dumps({"onnx": a.out, "opset": a.opset, "probeMaxAbsError": worst, "probeRange": scale}))


if __name__ == "__main__":
    main()
