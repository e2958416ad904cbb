// Per-op operand checks and output shape inference (docs/ops.md states the same preconditions).
#include <algorithm>

#include "core/ir/validate.hpp"

namespace sigil::ir {
namespace {

using Shape = std::vector<std::uint32_t>;
using ShapeResult = Result<Shape, ProgramError>;

constexpr std::uint32_t kMaxPad = 1U << 16;
constexpr std::uint32_t kMaxStride = 1U << 16;

struct Ctx {
    const Program& p;
    const Op& op;
    const Tensor& in(std::size_t i) const { return p.tensors[op.inputs[i]]; }
};

bool valid_scale(const QScale& s) { return s.multiplier >= 0 && s.shift >= -31 && s.shift <= 31; }

Result<void, ProgramError> check_requant(const Op& op, std::size_t want_a, std::size_t want_b = 0) {
    const auto n = op.attrs.requant.size();
    if (n != want_a && (want_b == 0 || n != want_b)) return fail(ProgramError::bad_requant_count);
    for (const auto& r : op.attrs.requant) {
        if (!valid_scale(r)) return fail(ProgramError::bad_scale);
    }
    return {};
}

Result<void, ProgramError> check_clamp(const OpAttrs& a) {
    if (a.act_min < -128 || a.act_max > 127 || a.act_min > a.act_max) return fail(ProgramError::bad_attribute);
    return {};
}

Result<void, ProgramError> need_int8(const Tensor& t) {
    if (t.dtype != DType::int8) return fail(ProgramError::dtype_mismatch);
    return {};
}

Result<void, ProgramError> need_const(const Tensor& t) {
    if (t.kind != TensorKind::constant) return fail(ProgramError::weight_not_constant);
    return {};
}

Result<void, ProgramError> need_arity(const Op& op, std::size_t lo, std::size_t hi) {
    if (op.inputs.size() < lo || op.inputs.size() > hi) return fail(ProgramError::bad_arity);
    return {};
}

/// Resets the attributes `kind` uses; anything left differing from the defaults is an error.
Result<void, ProgramError> check_unused(const Op& op) {
    OpAttrs a = op.attrs;
    const OpAttrs d{};
    a.requant = d.requant;  // counts checked per kind
    switch (op.kind) {
        case OpKind::conv2d:
            a.stride = d.stride, a.dilation = d.dilation, a.pads = d.pads, a.groups = d.groups;
            a.act_min = d.act_min, a.act_max = d.act_max;
            break;
        case OpKind::max_pool:
        case OpKind::average_pool:
            a.kernel = d.kernel, a.stride = d.stride, a.dilation = d.dilation, a.pads = d.pads;
            a.act_min = d.act_min, a.act_max = d.act_max;
            break;
        case OpKind::fully_connected:
        case OpKind::matmul:
        case OpKind::add:
        case OpKind::mul:
        case OpKind::clip:
        case OpKind::global_average_pool:
        case OpKind::gelu:
        case OpKind::silu:
        case OpKind::requantize:
            a.act_min = d.act_min, a.act_max = d.act_max;
            break;
        case OpKind::layer_norm:
        case OpKind::rms_norm:
            a.act_min = d.act_min, a.act_max = d.act_max, a.epsilon = d.epsilon;
            break;
        case OpKind::transpose: a.perm = d.perm; break;
        case OpKind::concat:
        case OpKind::gather:
        case OpKind::cache_write:
            a.axis = d.axis;
            break;
        case OpKind::reshape:
        case OpKind::softmax:
        case OpKind::causal_softmax:
            break;
    }
    if (!(a == d)) return fail(ProgramError::unused_attribute_set);
    return {};
}

/// Output size of a strided window: floor((in + pads - extent) / stride) + 1.
Result<std::uint32_t, ProgramError> window_out(std::uint32_t in, std::uint32_t k, std::uint32_t stride,
                                               std::uint32_t dil, std::uint32_t pad_a, std::uint32_t pad_b) {
    if (k == 0 || stride == 0 || dil == 0 || stride > kMaxStride || dil > kMaxStride || pad_a > kMaxPad ||
        pad_b > kMaxPad) {
        return fail(ProgramError::bad_attribute);
    }
    const std::uint64_t extent = std::uint64_t{dil} * (k - 1) + 1;
    const std::uint64_t padded = std::uint64_t{in} + pad_a + pad_b;
    if (padded < extent) return fail(ProgramError::shape_mismatch);
    return static_cast<std::uint32_t>((padded - extent) / stride + 1);
}

ShapeResult fully_connected(const Ctx& c) {
    SIGIL_TRY_VOID(need_arity(c.op, 2, 3));
    const auto &x = c.in(0), &w = c.in(1);
    SIGIL_TRY_VOID(need_int8(x));
    SIGIL_TRY_VOID(need_int8(w));
    SIGIL_TRY_VOID(need_const(w));
    if (x.shape.size() != 2 || w.shape.size() != 2 || x.shape[1] != w.shape[1]) return fail(ProgramError::shape_mismatch);
    const std::uint32_t n = w.shape[0];
    if (c.op.inputs.size() == 3) {
        const auto& b = c.in(2);
        SIGIL_TRY_VOID(need_const(b));
        if (b.dtype != DType::int32) return fail(ProgramError::dtype_mismatch);
        if (b.shape != Shape{n}) return fail(ProgramError::shape_mismatch);
    }
    SIGIL_TRY_VOID(check_requant(c.op, 1, n));
    // An int32 output (wide logits) may clamp anywhere in int32; validate_op_types holds an int8
    // output to the int8 range.
    if (c.op.attrs.act_min > c.op.attrs.act_max) return fail(ProgramError::bad_attribute);
    return Shape{x.shape[0], n};
}

ShapeResult matmul(const Ctx& c) {
    SIGIL_TRY_VOID(need_arity(c.op, 2, 2));
    const auto &a = c.in(0), &b = c.in(1);
    SIGIL_TRY_VOID(need_int8(a));
    SIGIL_TRY_VOID(need_int8(b));
    const auto r = a.shape.size();
    if (r < 2 || b.shape.size() != r || a.shape[r - 1] != b.shape[r - 2]) return fail(ProgramError::shape_mismatch);
    if (!std::equal(a.shape.begin(), a.shape.end() - 2, b.shape.begin())) return fail(ProgramError::shape_mismatch);
    SIGIL_TRY_VOID(check_requant(c.op, 1));
    SIGIL_TRY_VOID(check_clamp(c.op.attrs));
    Shape out = a.shape;
    out[r - 1] = b.shape[r - 1];
    return out;
}

ShapeResult conv2d(const Ctx& c) {
    SIGIL_TRY_VOID(need_arity(c.op, 2, 3));
    const auto &x = c.in(0), &w = c.in(1);
    const auto& at = c.op.attrs;
    SIGIL_TRY_VOID(need_int8(x));
    SIGIL_TRY_VOID(need_int8(w));
    SIGIL_TRY_VOID(need_const(w));
    if (x.shape.size() != 4 || w.shape.size() != 4) return fail(ProgramError::shape_mismatch);
    const std::uint32_t g = at.groups, oc = w.shape[0];
    if (g == 0 || x.shape[1] % g != 0 || oc % g != 0) return fail(ProgramError::bad_attribute);
    if (w.shape[1] != x.shape[1] / g) return fail(ProgramError::shape_mismatch);
    if (c.op.inputs.size() == 3) {
        const auto& b = c.in(2);
        SIGIL_TRY_VOID(need_const(b));
        if (b.dtype != DType::int32) return fail(ProgramError::dtype_mismatch);
        if (b.shape != Shape{oc}) return fail(ProgramError::shape_mismatch);
    }
    const auto oh = SIGIL_TRY(window_out(x.shape[2], w.shape[2], at.stride[0], at.dilation[0], at.pads[0], at.pads[2]));
    const auto ow = SIGIL_TRY(window_out(x.shape[3], w.shape[3], at.stride[1], at.dilation[1], at.pads[1], at.pads[3]));
    SIGIL_TRY_VOID(check_requant(c.op, 1, oc));
    SIGIL_TRY_VOID(check_clamp(at));
    return Shape{x.shape[0], oc, oh, ow};
}

ShapeResult broadcast(const Ctx& c, std::size_t requant_count) {
    SIGIL_TRY_VOID(need_arity(c.op, 2, 2));
    const auto &a = c.in(0), &b = c.in(1);
    SIGIL_TRY_VOID(need_int8(a));
    SIGIL_TRY_VOID(need_int8(b));
    SIGIL_TRY_VOID(check_requant(c.op, requant_count));
    SIGIL_TRY_VOID(check_clamp(c.op.attrs));
    const std::size_t r = std::max(a.shape.size(), b.shape.size());
    Shape out(r, 1);
    for (std::size_t i = 0; i < r; ++i) {
        const std::uint32_t da = i < r - a.shape.size() ? 1 : a.shape[i - (r - a.shape.size())];
        const std::uint32_t db = i < r - b.shape.size() ? 1 : b.shape[i - (r - b.shape.size())];
        if (da != db && da != 1 && db != 1) return fail(ProgramError::shape_mismatch);
        out[i] = std::max(da, db);
    }
    return out;
}

ShapeResult same_quant_unary(const Ctx& c) {
    SIGIL_TRY_VOID(need_arity(c.op, 1, 1));
    SIGIL_TRY_VOID(need_int8(c.in(0)));
    SIGIL_TRY_VOID(check_requant(c.op, 0));
    SIGIL_TRY_VOID(check_clamp(c.op.attrs));
    return c.in(0).shape;
}

ShapeResult pool(const Ctx& c) {
    SIGIL_TRY_VOID(same_quant_unary(c));
    const auto& x = c.in(0);
    const auto& at = c.op.attrs;
    if (x.shape.size() != 4) return fail(ProgramError::shape_mismatch);
    if (c.op.kind == OpKind::average_pool && at.dilation != std::array<std::uint32_t, 2>{1, 1}) {
        return fail(ProgramError::bad_attribute);
    }
    const auto oh = SIGIL_TRY(window_out(x.shape[2], at.kernel[0], at.stride[0], at.dilation[0], at.pads[0], at.pads[2]));
    const auto ow = SIGIL_TRY(window_out(x.shape[3], at.kernel[1], at.stride[1], at.dilation[1], at.pads[1], at.pads[3]));
    return Shape{x.shape[0], x.shape[1], oh, ow};
}

ShapeResult global_pool(const Ctx& c) {
    SIGIL_TRY_VOID(same_quant_unary(c));
    const auto& x = c.in(0);
    if (x.shape.size() != 4) return fail(ProgramError::shape_mismatch);
    return Shape{x.shape[0], x.shape[1], 1, 1};
}

ShapeResult reshape(const Ctx& c, const Shape& to) {
    SIGIL_TRY_VOID(need_arity(c.op, 1, 1));
    if (to.empty() || element_count(to) != element_count(c.in(0).shape)) return fail(ProgramError::shape_mismatch);
    return to;
}

ShapeResult transpose(const Ctx& c) {
    SIGIL_TRY_VOID(need_arity(c.op, 1, 1));
    const auto& x = c.in(0);
    const auto& perm = c.op.attrs.perm;
    if (perm.size() != x.shape.size()) return fail(ProgramError::bad_attribute);
    std::vector<bool> seen(perm.size(), false);
    Shape out(perm.size());
    for (std::size_t i = 0; i < perm.size(); ++i) {
        if (perm[i] >= perm.size() || seen[perm[i]]) return fail(ProgramError::bad_attribute);
        seen[perm[i]] = true;
        out[i] = x.shape[perm[i]];
    }
    return out;
}

ShapeResult concat(const Ctx& c) {
    SIGIL_TRY_VOID(need_arity(c.op, 1, kMaxOpInputs));
    const auto& first = c.in(0);
    const auto axis = c.op.attrs.axis;
    if (axis < 0 || static_cast<std::size_t>(axis) >= first.shape.size()) return fail(ProgramError::bad_attribute);
    const auto ax = static_cast<std::size_t>(axis);
    Shape out = first.shape;
    out[ax] = 0;
    for (std::size_t i = 0; i < c.op.inputs.size(); ++i) {
        const auto& t = c.in(i);
        if (t.dtype != first.dtype) return fail(ProgramError::dtype_mismatch);
        if (!(t.quant == first.quant)) return fail(ProgramError::quant_mismatch);
        if (t.shape.size() != first.shape.size()) return fail(ProgramError::shape_mismatch);
        for (std::size_t d = 0; d < t.shape.size(); ++d) {
            if (d != ax && t.shape[d] != first.shape[d]) return fail(ProgramError::shape_mismatch);
        }
        out[ax] += t.shape[ax];  // bounded: each <= kMaxElements, at most kMaxOpInputs of them
        if (element_count(out) > kMaxElements) return fail(ProgramError::too_many_elements);
    }
    return out;
}

ShapeResult gather(const Ctx& c) {
    SIGIL_TRY_VOID(need_arity(c.op, 2, 2));
    const auto &data = c.in(0), &idx = c.in(1);
    if (idx.dtype != DType::int32) return fail(ProgramError::dtype_mismatch);
    const auto axis = c.op.attrs.axis;
    if (axis < 0 || static_cast<std::size_t>(axis) >= data.shape.size()) return fail(ProgramError::bad_attribute);
    const auto ax = static_cast<std::size_t>(axis);
    Shape out(data.shape.begin(), data.shape.begin() + static_cast<std::ptrdiff_t>(ax));
    out.insert(out.end(), idx.shape.begin(), idx.shape.end());
    out.insert(out.end(), data.shape.begin() + static_cast<std::ptrdiff_t>(ax) + 1, data.shape.end());
    if (out.size() > kMaxRank) return fail(ProgramError::bad_rank);
    std::uint64_t n = 1;
    for (auto d : out) {
        n *= d;
        if (n > kMaxElements) return fail(ProgramError::too_many_elements);
    }
    return out;
}

/// layer_norm (x, gamma, beta) or rms_norm (x, gamma): int8 gamma and int32 beta constants of
/// the last dim, at most kMaxNormRow long.
ShapeResult norm(const Ctx& c, bool with_beta) {
    const std::size_t n = with_beta ? 3 : 2;
    SIGIL_TRY_VOID(need_arity(c.op, n, n));
    const auto &x = c.in(0), &g = c.in(1);
    SIGIL_TRY_VOID(need_int8(x));
    SIGIL_TRY_VOID(need_int8(g));
    SIGIL_TRY_VOID(need_const(g));
    const Shape d{x.shape.back()};
    if (d[0] > kMaxNormRow || g.shape != d) return fail(ProgramError::shape_mismatch);
    if (with_beta) {
        const auto& b = c.in(2);
        SIGIL_TRY_VOID(need_const(b));
        if (b.dtype != DType::int32) return fail(ProgramError::dtype_mismatch);
        if (b.shape != d) return fail(ProgramError::shape_mismatch);
    }
    if (c.op.attrs.epsilon < 0) return fail(ProgramError::bad_attribute);
    SIGIL_TRY_VOID(check_requant(c.op, 1));
    SIGIL_TRY_VOID(check_clamp(c.op.attrs));
    return x.shape;
}

/// x [.., Q, K] with Q <= K, and optionally the offset: an int32 [1] (decoding with a cache).
ShapeResult causal_softmax(const Ctx& c) {
    SIGIL_TRY_VOID(need_arity(c.op, 1, 2));
    const auto& x = c.in(0);
    SIGIL_TRY_VOID(need_int8(x));
    if (x.shape.size() < 2 || x.shape[x.shape.size() - 2] > x.shape.back()) return fail(ProgramError::shape_mismatch);
    if (c.op.inputs.size() == 2) {
        if (c.in(1).dtype != DType::int32) return fail(ProgramError::dtype_mismatch);
        if (c.in(1).shape != Shape{1}) return fail(ProgramError::shape_mismatch);
    }
    SIGIL_TRY_VOID(check_requant(c.op, 1));
    SIGIL_TRY_VOID(check_clamp(c.op.attrs));
    return x.shape;
}

/// cache [..], pos int32 [1], row: the cache's shape with 1 at `axis`, the cache's dtype and quant.
ShapeResult cache_write(const Ctx& c) {
    SIGIL_TRY_VOID(need_arity(c.op, 3, 3));
    const auto &cache = c.in(0), &pos = c.in(1), &row = c.in(2);
    const auto axis = c.op.attrs.axis;
    if (axis < 0 || static_cast<std::size_t>(axis) >= cache.shape.size()) return fail(ProgramError::bad_attribute);
    if (pos.dtype != DType::int32 || row.dtype != cache.dtype) return fail(ProgramError::dtype_mismatch);
    Shape want = cache.shape;
    want[static_cast<std::size_t>(axis)] = 1;
    if (pos.shape != Shape{1} || row.shape != want) return fail(ProgramError::shape_mismatch);
    if (!(row.quant == cache.quant)) return fail(ProgramError::quant_mismatch);
    return cache.shape;
}

ShapeResult unary_requant(const Ctx& c, std::size_t requant_count) {
    SIGIL_TRY_VOID(need_arity(c.op, 1, 1));
    SIGIL_TRY_VOID(need_int8(c.in(0)));
    SIGIL_TRY_VOID(check_requant(c.op, requant_count));
    SIGIL_TRY_VOID(check_clamp(c.op.attrs));
    return c.in(0).shape;
}

ShapeResult dispatch(const Ctx& c, const Shape& reshape_to) {
    switch (c.op.kind) {
        case OpKind::fully_connected: return fully_connected(c);
        case OpKind::matmul: return matmul(c);
        case OpKind::conv2d: return conv2d(c);
        case OpKind::add: return broadcast(c, 3);
        case OpKind::mul: return broadcast(c, 1);
        case OpKind::clip: return same_quant_unary(c);
        case OpKind::max_pool:
        case OpKind::average_pool: return pool(c);
        case OpKind::global_average_pool: return global_pool(c);
        case OpKind::reshape: return reshape(c, reshape_to);
        case OpKind::transpose: return transpose(c);
        case OpKind::concat: return concat(c);
        case OpKind::gather: return gather(c);
        case OpKind::softmax: return unary_requant(c, 1);
        case OpKind::gelu: return unary_requant(c, 2);
        case OpKind::layer_norm:
            return norm(c, true);
        case OpKind::requantize: return unary_requant(c, 1);
        case OpKind::causal_softmax:
            return causal_softmax(c);
        case OpKind::cache_write:
            return cache_write(c);
        case OpKind::rms_norm:
            return norm(c, false);
        case OpKind::silu:
            return unary_requant(c, 2);
    }
    return fail(ProgramError::bad_op_kind);
}

}  // namespace

Result<std::vector<std::uint32_t>, ProgramError> infer_output_shape(const Program& p, const Op& op,
                                                                    const std::vector<std::uint32_t>& reshape_to) {
    if (static_cast<std::uint8_t>(op.kind) == 0 || static_cast<std::uint8_t>(op.kind) > kMaxOpKind) {
        return fail(ProgramError::bad_op_kind);
    }
    if (op.inputs.empty() || op.inputs.size() > kMaxOpInputs) return fail(ProgramError::bad_arity);
    for (auto id : op.inputs) {
        if (id >= p.tensors.size()) return fail(ProgramError::tensor_id_out_of_range);
    }
    SIGIL_TRY_VOID(check_unused(op));
    return dispatch(Ctx{p, op}, reshape_to);
}

}  // namespace sigil::ir
