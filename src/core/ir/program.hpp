#pragma once
/// The Sigil program IR: a topologically ordered list of integer ops over typed tensors
/// (docs/commitments.md). The exact rule of every op is in docs/ops.md.
///
/// How to build a Program
/// ----------------------
///   sigil::ir::Builder b;                                        // core/ir/builder.hpp
///   auto x  = b.input(DType::int8, {1, 784}, Quant::per_tensor(zx, x_scale));
///   auto w  = b.constant_int8({1024, 784}, w_values /* span<const int8_t> */,
///                             Quant::per_channel(0, w_scales /* 1024 QScales */, 0));
///   auto bi = b.constant_int32({1024}, bias_values /* span<const int32_t> */);
///   auto y  = b.fully_connected(x, w, bi, {requant} /* 1 or 1024 */, Quant::per_tensor(zy, y_scale),
///                               Clamp{zy, 127} /* fused ReLU */);
///   b.mark_output(y);
///   Result<Program, ProgramError> p = std::move(b).finish();   // runs validate()
///
/// - Every op has exactly one output tensor, created by the builder; op i of N is step i+1 of the
///   execution trace (S_{i+1}).
/// - Tensors are row-major; image tensors are NCHW, conv weights OIHW, fully-connected weights
///   [N, K] (one row per output feature, i.e. ONNX Gemm with transB = 1).
/// - int8 activations and weights carry a zero point; `Quant::scales` (Q31 multiplier and right
///   shift, see QScale) describe the real scale for import and inspection only. The integer rule of
///   an op never reads tensor scales: it reads the op's own `OpAttrs::requant` (Requant), which the
///   quantizer computes, e.g. requant = s_in * s_w[n] / s_out for a fully-connected layer.
/// - A Requant {multiplier, shift} applies x -> RoundingDivideByPOT(
///   SaturatingRoundingDoublingHighMul(x, multiplier), shift) (gemmlowp); shift < 0 is a
///   saturating left shift of x by -shift first. `Requant::identity()` is exact.
/// - `load_program`/`save_program` (core/ir/codec.hpp) read and write the canonical `.sigil` bytes;
///   `model_root` (core/ir/model_root.hpp) is the on-chain commitment.

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "core/bytes.hpp"

namespace sigil::ir {

/// Index of a tensor in Program::tensors.
using TensorId = std::uint32_t;

/// Element types. The canonical layout of a tensor is its elements in row-major order, each in
/// little-endian two's complement of this width.
enum class DType : std::uint8_t {
    int8 = 1,   ///< activations, weights
    int32 = 2,  ///< biases, gather indices
};
/// Bytes per element of `t`.
std::uint32_t dtype_size(DType t) noexcept;
std::string_view to_string(DType t) noexcept;

/// Where a tensor's value comes from.
enum class TensorKind : std::uint8_t {
    input = 0,       ///< supplied at run time, in Program::inputs order
    constant = 1,    ///< a weight, stored in the program (committed in modelRoot)
    activation = 2,  ///< the output of exactly one op
};
std::string_view to_string(TensorKind k) noexcept;

/// A fixed-point positive real number: multiplier * 2^-31 * 2^-shift, multiplier in [0, 2^31 - 1],
/// shift in [-31, 31]. Also the requantization step of an op (see the header comment).
struct QScale {
    std::int32_t multiplier = 0;
    std::int32_t shift = 0;
    /// Exactly x -> x: SRDHM(2x, 2^30) = x.
    static constexpr QScale identity() noexcept { return {std::int32_t{1} << 30, -1}; }
    friend bool operator==(const QScale&, const QScale&) = default;
};
using Requant = QScale;

/// Quantization of a tensor: a zero point and zero, one (per tensor) or shape[axis] (per channel)
/// scales. int32 tensors have zero point 0.
struct Quant {
    std::int32_t zero_point = 0;
    std::vector<QScale> scales;
    std::uint32_t axis = 0;  ///< channel axis when scales.size() > 1, else 0

    static Quant none() { return {}; }
    static Quant per_tensor(std::int32_t zp, QScale s) { return {zp, {s}, 0}; }
    static Quant per_channel(std::int32_t zp, std::vector<QScale> s, std::uint32_t axis) {
        return {zp, std::move(s), axis};
    }
    friend bool operator==(const Quant&, const Quant&) = default;
};

/// One tensor of a program. `data` holds the canonical layout of a constant and is empty otherwise.
struct Tensor {
    DType dtype = DType::int8;
    TensorKind kind = TensorKind::activation;
    std::vector<std::uint32_t> shape;  ///< 1..kMaxRank dims, each >= 1
    Quant quant;
    Bytes data;
    friend bool operator==(const Tensor&, const Tensor&) = default;
};

/// Op kinds. Wire values are stable (the .sigil format and the on-chain verifier use them).
enum class OpKind : std::uint8_t {
    fully_connected = 1,      ///< in: x int8 [M,K], w int8 const [N,K], bias int32 const [N] opt.; out int8/int32
    matmul = 2,               ///< in: a int8 [..,M,K], b int8 [..,K,N] (both activations allowed)
    conv2d = 3,               ///< in: x int8 [N,C,H,W], w int8 const [OC,C/groups,KH,KW], bias int32 [OC] opt.
    add = 4,                  ///< in: a, b int8 (numpy broadcasting); requant = {a, b, out}
    mul = 5,                  ///< in: a, b int8 (numpy broadcasting); requant = {out}
    clip = 6,                 ///< in: x int8; clamp to [act_min, act_max] (ReLU, ReLU6, Clip)
    max_pool = 7,             ///< in: x int8 [N,C,H,W]; kernel, stride, dilation, pads
    average_pool = 8,         ///< in: x int8 [N,C,H,W]; padding excluded from the count
    global_average_pool = 9,  ///< in: x int8 [N,C,H,W]; out [N,C,1,1]
    reshape = 10,             ///< in: x; out shape = the output tensor's shape (Reshape, Flatten)
    transpose = 11,           ///< in: x; attrs.perm
    concat = 12,              ///< in: 1.. tensors of one dtype and quant; attrs.axis
    gather = 13,              ///< in: data (int8), indices (int32); attrs.axis
    softmax = 14,             ///< in: x int8; last axis; requant = {in->Q14}; out scale 1/256 zp -128
    gelu = 15,                ///< in: x int8; requant = {in->Q14, Q14->out}
    layer_norm = 16,          ///< in: x int8, gamma int8 const [D], beta int32 const [D]; last axis
    requantize = 17,          ///< in: x int8; out = clamp(rq(x - zx) + zo)
    causal_softmax = 18,      ///< in: x int8 [.., Q, K] (Q <= K), offset int32 [1] opt.; keys j <= i + offset
    rms_norm = 19,            ///< in: x int8, gamma int8 const [D]; last axis, no mean subtracted
    silu = 20,                ///< in: x int8; x * sigmoid(x); requant = {in->Q14, Q14->out}
    cache_write = 21,         ///< in: cache, pos int32 [1], row (cache's shape, 1 at axis); attrs.axis
};
inline constexpr std::uint8_t kMaxOpKind = 21;
std::string_view to_string(OpKind k) noexcept;

/// Attributes of an op. Every field is serialized; fields an op kind does not use must keep their
/// default value (validate() checks it), so that one program has exactly one encoding.
struct OpAttrs {
    std::array<std::uint32_t, 2> kernel{0, 0};    ///< pools: (KH, KW); conv takes it from w
    std::array<std::uint32_t, 2> stride{1, 1};    ///< conv, pools: (SH, SW)
    std::array<std::uint32_t, 2> dilation{1, 1};  ///< conv, max_pool: (DH, DW)
    std::array<std::uint32_t, 4> pads{0, 0, 0, 0};  ///< conv, pools: (top, left, bottom, right)
    std::uint32_t groups = 1;                     ///< conv
    std::int32_t axis = 0;                        ///< concat, gather, cache_write (non-negative)
    std::vector<std::uint32_t> perm;              ///< transpose
    std::vector<Requant> requant;                 ///< meaning per kind, see docs/ops.md
    std::int32_t act_min = -128;                  ///< output clamp (int8 range except int32 fully_connected)
    std::int32_t act_max = 127;
    std::int32_t epsilon = 0;                     ///< layer_norm: added to the integer variance
    friend bool operator==(const OpAttrs&, const OpAttrs&) = default;
};

/// One op: its kind, input tensor ids, its single output tensor id and attributes.
struct Op {
    OpKind kind = OpKind::reshape;
    std::vector<TensorId> inputs;
    TensorId output = 0;
    OpAttrs attrs;
    friend bool operator==(const Op&, const Op&) = default;
};

/// A whole program. Invariants after validate(): ops are in topological order, every activation
/// is the output of exactly one op, inputs lists every input tensor once in id order.
struct Program {
    std::vector<Tensor> tensors;
    std::vector<Op> ops;
    std::vector<TensorId> inputs;   ///< the input tensors, increasing ids
    std::vector<TensorId> outputs;  ///< any non-constant tensors, in the order the caller wants
    friend bool operator==(const Program&, const Program&) = default;
};

inline constexpr std::size_t kMaxRank = 6;
inline constexpr std::uint64_t kMaxElements = std::uint64_t{1} << 30;  ///< per tensor
inline constexpr std::uint32_t kMaxTensors = 1U << 20;
inline constexpr std::uint32_t kMaxOps = 1U << 20;
inline constexpr std::uint32_t kMaxOpInputs = 64;
/// Longest layer_norm or rms_norm row (keeps the integer variance inside int64).
inline constexpr std::uint32_t kMaxNormRow = 1U << 14;
/// Fixed-point fraction bits of the nonlinear ops' internal domain (softmax, gelu, silu, norms).
inline constexpr int kNonlinearFracBits = 14;

/// Number of elements of `shape` (product of dims; 1 for rank 0). No overflow check: validated
/// shapes have at most kMaxElements elements.
std::uint64_t element_count(const std::vector<std::uint32_t>& shape) noexcept;
/// Size in bytes of a tensor's canonical layout.
std::uint64_t byte_size(const Tensor& t) noexcept;

}  // namespace sigil::ir
