#!/usr/bin/env python3
"""Independent transcription of the integer rules of docs/ops.md, used to produce the expected
values of docs_examples_test.cpp. Run: /usr/bin/python3 src/core/kernels/docs_examples.py"""
import math


def srdhm(a, b):
    if a == b == -2**31:
        return 2**31 - 1
    v = a * b + (2**30 if a * b >= 0 else 1 - 2**30)
    q = abs(v) // 2**31
    return q if v >= 0 else -q  # C++ division truncates toward zero


def rdbpot(x, e):
    mask = (1 << e) - 1
    return (x >> e) + (1 if (x & mask) > (mask >> 1) + (1 if x < 0 else 0) else 0)


def requant(x, m, s):
    if s < 0:
        return srdhm(max(-2**31, min(2**31 - 1, x * 2**(-s))), m)
    return rdbpot(srdhm(x, m), s)


def clamp(v, lo=-128, hi=127):
    return max(lo, min(hi, v))


def wrap(v):
    v &= 0xFFFFFFFF
    return v - 2**32 if v >= 2**31 else v


def round_away(a, b):
    return (a + b // 2) // b if a >= 0 else -((-a + b // 2) // b)


def iexp(q):
    z = (-q) // 11356
    if z >= 31:
        return 0
    p = q + z * 11356
    return ((p + 22167) ** 2 + 257578233) >> z


def ierf(s):
    if s == 0:
        return 0
    t = min(abs(s), 28983) - 28983
    l = ((((t * t) >> 14) * -4732) >> 14) + 16384
    return -l if s < 0 else l


def igelu(q):
    return (q * (16384 + ierf((q * 46341) >> 16))) >> 15


X = [[1, 2, 3], [4, 5, 6], [7, 8, 9]]
W = [[1, -1], [2, 0]]


def conv(oh, ow):
    acc = 10
    for i in range(2):
        for j in range(2):
            ih, iw = oh - 1 + i, ow - 1 + j
            if 0 <= ih < 3 and 0 <= iw < 3:
                acc += (X[ih][iw] - 1) * W[i][j]
    return clamp(requant(acc, 1 << 30, 0))


print("requant", requant(1000, 1610612736, 3), requant(-1000, 1610612736, 3))
print("fully_connected", clamp(requant(100 + 8 * 1 + (-22) * 2 + 28 * 3, 1610612736, 3) + 5))
print("conv2d", [conv(oh, ow) for oh in range(3) for ow in range(3)])
sa, sb = requant(40 * 2**20, 1 << 30, 1), requant(-20 * 2**20, 1 << 30, 2)
print("add", clamp(requant(wrap(sa + sb), 1 << 30, 18) + 3))
print("mul", clamp(requant(40 * -20, 1 << 30, 5) + 1))
print("average_pool", [round_away(s, 3) + 2 for s in (1 - 6 + 6, 1 - 6 + 4, 0 - 3 + 0)])
xs = [10, 5, -3]
e = [iexp(requant(x - max(xs), 1717986918, -11)) for x in xs]
print("softmax", [min(127, (v * 256 + sum(e) // 2) // sum(e) - 128) for v in e])
print("gelu", [clamp(requant(igelu(requant(x, 1717986918, -10)), 1342177280, 9)) for x in (20, -20, 0, 60)])
xs, beta = [10, 20, 30, 40], [0, 0, 0, 100]
s = sum(xs)
ys = [4 * x - s for x in xs]
sigma = max(math.isqrt(sum(y * y for y in ys) // 4), 1)
print("layer_norm", [clamp(requant(wrap(64 * round_away(y * 16384, sigma) + b), 1 << 30, 14)) for y, b in zip(ys, beta)])
xs = [10, 5, -3]
e = [iexp(requant(x - max(xs[:2]), 1717986918, -11)) for x in xs[:2]]
print("causal_softmax query 0", [min(127, (v * 256 + sum(e) // 2) // sum(e) - 128) for v in e] + [-128])
xs = [10, 20, 30, 40]
ys = [4 * x for x in xs]
sigma = max(math.isqrt(sum(y * y for y in ys) // 4), 1)
print("rms_norm", [clamp(requant(wrap(64 * round_away(y * 16384, sigma)), 1 << 30, 14)) for y in ys])


def isilu(q):
    e = iexp(-abs(q))
    n = q * (748954122 if q >= 0 else e)
    return -(-n // (748954122 + e)) if n < 0 else n // (748954122 + e)


print("silu", [clamp(requant(isilu(requant(x, 1717986918, -10)), 1342177280, 9)) for x in (20, -20, 0, 60)])
xs = [10, 5, -3]
e = [iexp(requant(x - max(xs[:1]), 1717986918, -11)) for x in xs[:1]]
print("causal_softmax offset 0, query 0", [min(127, (v * 256 + sum(e) // 2) // sum(e) - 128) for v in e] + [-128, -128])
cache, row, pos = [[1, 2], [3, 4], [5, 6]], [7, 8], -2
cache[((pos % 3) + 3) % 3] = row
print("cache_write", cache)
