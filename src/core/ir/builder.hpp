#pragma once
/// Builds a Program op by op; shapes of op outputs are inferred (see program.hpp for an example).

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "core/ir/errors.hpp"
#include "core/ir/program.hpp"
#include "core/result.hpp"

namespace sigil::ir {

/// Spatial parameters of conv2d and the pools.
struct Window2d {
    std::array<std::uint32_t, 2> kernel{1, 1};    ///< pools only (conv takes it from the weights)
    std::array<std::uint32_t, 2> stride{1, 1};
    std::array<std::uint32_t, 2> dilation{1, 1};
    std::array<std::uint32_t, 4> pads{0, 0, 0, 0};  ///< top, left, bottom, right
    std::uint32_t groups = 1;                     ///< conv only
};

/// Output clamp of an op (int8 ops: within [-128, 127]).
struct Clamp {
    std::int32_t lo = -128;
    std::int32_t hi = 127;
};

/// Appends tensors and ops. Calls never fail; the first problem (e.g. shapes that do not fit an op)
/// is remembered and returned by finish(), which also runs validate(). Not thread-safe.
class Builder {
public:
    TensorId input(DType dtype, std::vector<std::uint32_t> shape, Quant quant = Quant::none());
    TensorId constant_int8(std::vector<std::uint32_t> shape, std::span<const std::int8_t> values, Quant quant);
    TensorId constant_int32(std::vector<std::uint32_t> shape, std::span<const std::int32_t> values);
    /// A copy of another program's constant tensor, its canonical bytes as they are.
    TensorId constant(const Tensor& t);

    /// requant: 1 (per tensor) or N (per output feature) steps.
    TensorId fully_connected(TensorId x, TensorId w, std::optional<TensorId> bias, std::vector<Requant> requant,
                             Quant out, Clamp clamp = {});
    /// fully_connected with an int32 output (zero point 0) clamped to `clamp`, which may be any
    /// int32 range: logits kept finer than int8 for the sampler (docs/ops.md §2).
    TensorId fully_connected_int32(TensorId x, TensorId w, std::optional<TensorId> bias, std::vector<Requant> requant,
                                   QScale out_scale, Clamp clamp);
    TensorId matmul(TensorId a, TensorId b, Requant requant, Quant out, Clamp clamp = {});
    /// requant: 1 or OC steps.
    TensorId conv2d(TensorId x, TensorId w, std::optional<TensorId> bias, const Window2d& window,
                    std::vector<Requant> requant, Quant out, Clamp clamp = {});
    TensorId add(TensorId a, TensorId b, Requant a_rq, Requant b_rq, Requant out_rq, Quant out, Clamp clamp = {});
    TensorId mul(TensorId a, TensorId b, Requant requant, Quant out, Clamp clamp = {});
    /// ReLU is clip(x, {zero_point, 127}); ReLU6 and Clip pass their quantized bounds.
    TensorId clip(TensorId x, Clamp clamp);
    TensorId max_pool(TensorId x, const Window2d& window);
    TensorId average_pool(TensorId x, const Window2d& window);
    TensorId global_average_pool(TensorId x);
    TensorId reshape(TensorId x, std::vector<std::uint32_t> shape);
    TensorId transpose(TensorId x, std::vector<std::uint32_t> perm);
    TensorId concat(std::vector<TensorId> xs, std::uint32_t axis);
    TensorId gather(TensorId data, TensorId indices, std::uint32_t axis);
    /// to_q14: x - x_max (int8 units) to Q14 reals. Output quant is fixed: scale 1/256, zp -128.
    TensorId softmax(TensorId x, Requant to_q14);
    TensorId gelu(TensorId x, Requant to_q14, Requant from_q14, Quant out, Clamp clamp = {});
    TensorId layer_norm(TensorId x, TensorId gamma, TensorId beta, std::int32_t epsilon, Requant requant, Quant out,
                        Clamp clamp = {});
    TensorId requantize(TensorId x, Requant requant, Quant out, Clamp clamp = {});
    /// softmax of x [.., Q, K] over the keys j <= i + K - Q of query i; masked keys give -128.
    /// With `offset` (int32 [1]), query i sees keys j <= i + offset instead (decoding with a cache).
    TensorId causal_softmax(TensorId x, Requant to_q14, std::optional<TensorId> offset = std::nullopt);
    /// `cache` with its slice at index `pos` (int32 [1], wrapped) along `axis` replaced by `row`.
    TensorId cache_write(TensorId cache, TensorId pos, TensorId row, std::uint32_t axis);
    TensorId rms_norm(TensorId x, TensorId gamma, std::int32_t epsilon, Requant requant, Quant out, Clamp clamp = {});
    TensorId silu(TensorId x, Requant to_q14, Requant from_q14, Quant out, Clamp clamp = {});

    /// Appends any op: infers its output shape (reshape: give `reshape_to`) and adds the output
    /// tensor of `dtype` and `quant`. The op's `output` field is overwritten.
    TensorId add_op(Op op, DType dtype, Quant quant, std::vector<std::uint32_t> reshape_to = {});

    void mark_output(TensorId t);
    /// Read access while building (shapes of earlier tensors).
    const Program& program() const noexcept { return p_; }

    /// The program, validated.
    Result<Program, ProgramError> finish() &&;

private:
    void note(ProgramError e);
    TensorId softmax_like(OpKind kind, std::vector<TensorId> in, Requant to_q14);
    TensorId q14_unary(OpKind kind, TensorId x, Requant to_q14, Requant from_q14, Quant out, Clamp clamp);
    Program p_;
    std::optional<ProgramError> first_error_;
};

}  // namespace sigil::ir
