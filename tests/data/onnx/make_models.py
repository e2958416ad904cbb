#!/usr/bin/python3
"""Writes the benchmark/test models and inputs with seeded weights (numpy + onnx, opset 13).

  /usr/bin/python3 tests/data/onnx/make_models.py OUT_DIR [--samples N]

OUT_DIR/mlp.onnx     784-1024-1024-10 MLP (Gemm+Relu, Gemm+Relu, Gemm), input [1, 784]
OUT_DIR/cnn.onnx     28x28x1 CNN: Conv 8 3x3 pad 1, Relu, MaxPool 2, Conv 16 3x3 pad 1, Relu,
                     MaxPool 2, Flatten, Gemm 784-10; input [1, 1, 28, 28]
OUT_DIR/{mlp,cnn}_calib.npy  N float32 samples in [0, 1] along axis 0 (Fashion-MNIST t10k
                     images when /usr/share/datasets/fashion-mnist is present, else seeded noise)
OUT_DIR/{mlp,cnn}_input.npy  one sample (the first held-out image)
"""
import gzip
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

SEED = 20261122
FASHION = "/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz"


def init(name, arr):
    return numpy_helper.from_array(arr.astype(np.float32), name)


def he(rng, shape, fan_in):
    return rng.normal(0.0, np.sqrt(2.0 / fan_in), size=shape)


def mlp(rng):
    dims = [784, 1024, 1024, 10]
    inits, nodes, x = [], [], "x"
    for i in range(3):
        w, b = f"w{i}", f"b{i}"
        inits += [init(w, he(rng, (dims[i + 1], dims[i]), dims[i])), init(b, rng.normal(0, 0.01, dims[i + 1]))]
        y = f"h{i}" if i < 2 else "logits"
        nodes.append(helper.make_node("Gemm", [x, w, b], [y], transB=1))
        if i < 2:
            nodes.append(helper.make_node("Relu", [y], [y + "_relu"]))
            y += "_relu"
        x = y
    graph = helper.make_graph(nodes, "mlp", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 784])],
                              [helper.make_tensor_value_info("logits", TensorProto.FLOAT, [1, 10])], inits)
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)], producer_name="sigil-make-models")


def cnn(rng):
    inits = [init("c1w", he(rng, (8, 1, 3, 3), 9)), init("c1b", rng.normal(0, 0.01, 8)),
             init("c2w", he(rng, (16, 8, 3, 3), 72)), init("c2b", rng.normal(0, 0.01, 16)),
             init("fw", he(rng, (10, 784), 784)), init("fb", rng.normal(0, 0.01, 10))]
    nodes = [
        helper.make_node("Conv", ["x", "c1w", "c1b"], ["c1"], pads=[1, 1, 1, 1]),
        helper.make_node("Relu", ["c1"], ["r1"]),
        helper.make_node("MaxPool", ["r1"], ["p1"], kernel_shape=[2, 2], strides=[2, 2]),
        helper.make_node("Conv", ["p1", "c2w", "c2b"], ["c2"], pads=[1, 1, 1, 1]),
        helper.make_node("Relu", ["c2"], ["r2"]),
        helper.make_node("MaxPool", ["r2"], ["p2"], kernel_shape=[2, 2], strides=[2, 2]),
        helper.make_node("Flatten", ["p2"], ["f"]),
        helper.make_node("Gemm", ["f", "fw", "fb"], ["logits"], transB=1),
    ]
    graph = helper.make_graph(nodes, "cnn", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 1, 28, 28])],
                              [helper.make_tensor_value_info("logits", TensorProto.FLOAT, [1, 10])], inits)
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)], producer_name="sigil-make-models")


def images(n, rng):
    if os.path.exists(FASHION):
        with gzip.open(FASHION, "rb") as f:
            data = np.frombuffer(f.read(), dtype=np.uint8, offset=16).reshape(-1, 28, 28)
        return (data[:n].astype(np.float32) / 255.0)
    return rng.random((n, 28, 28), dtype=np.float32)


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    out = sys.argv[1]
    n = int(sys.argv[sys.argv.index("--samples") + 1]) if "--samples" in sys.argv else 200
    os.makedirs(out, exist_ok=True)
    rng = np.random.default_rng(SEED)
    for name, model in (("mlp", mlp(rng)), ("cnn", cnn(rng))):
        onnx.checker.check_model(model)
        onnx.save(model, os.path.join(out, name + ".onnx"))
    imgs = images(n + 1, rng)
    np.save(os.path.join(out, "mlp_calib.npy"), imgs[:n].reshape(n, 784))
    np.save(os.path.join(out, "cnn_calib.npy"), imgs[:n].reshape(n, 1, 28, 28))
    np.save(os.path.join(out, "mlp_input.npy"), imgs[n:].reshape(1, 784))
    np.save(os.path.join(out, "cnn_input.npy"), imgs[n:].reshape(1, 1, 28, 28))


if __name__ == "__main__":
    main()
