#include "core/ir/builder.hpp"

#include <cstring>

#include "core/ir/validate.hpp"

namespace sigil::ir {
namespace {

Op make(OpKind kind, std::vector<TensorId> inputs) {
    Op op;
    op.kind = kind;
    op.inputs = std::move(inputs);
    return op;
}

void set_clamp(Op& op, Clamp c) {
    op.attrs.act_min = c.lo;
    op.attrs.act_max = c.hi;
}

void set_window(Op& op, const Window2d& w, bool with_kernel, bool with_groups) {
    if (with_kernel) op.attrs.kernel = w.kernel;
    op.attrs.stride = w.stride;
    op.attrs.dilation = w.dilation;
    op.attrs.pads = w.pads;
    if (with_groups) op.attrs.groups = w.groups;
}

}  // namespace

void Builder::note(ProgramError e) {
    if (!first_error_) first_error_ = e;
}

TensorId Builder::input(DType dtype, std::vector<std::uint32_t> shape, Quant quant) {
    Tensor t;
    t.dtype = dtype;
    t.kind = TensorKind::input;
    t.shape = std::move(shape);
    t.quant = std::move(quant);
    p_.tensors.push_back(std::move(t));
    const auto id = static_cast<TensorId>(p_.tensors.size() - 1);
    p_.inputs.push_back(id);
    return id;
}

TensorId Builder::constant_int8(std::vector<std::uint32_t> shape, std::span<const std::int8_t> values, Quant quant) {
    Tensor t;
    t.dtype = DType::int8;
    t.kind = TensorKind::constant;
    t.shape = std::move(shape);
    t.quant = std::move(quant);
    t.data.resize(values.size());
    for (std::size_t i = 0; i < values.size(); ++i) t.data[i] = static_cast<std::uint8_t>(values[i]);
    p_.tensors.push_back(std::move(t));
    return static_cast<TensorId>(p_.tensors.size() - 1);
}

TensorId Builder::constant(const Tensor& t) {
    if (t.kind != TensorKind::constant) note(ProgramError::bad_tensor_kind);
    p_.tensors.push_back(t);
    return static_cast<TensorId>(p_.tensors.size() - 1);
}

TensorId Builder::constant_int32(std::vector<std::uint32_t> shape, std::span<const std::int32_t> values) {
    Tensor t;
    t.dtype = DType::int32;
    t.kind = TensorKind::constant;
    t.shape = std::move(shape);
    t.data.resize(values.size() * 4);
    for (std::size_t i = 0; i < values.size(); ++i) {
        const auto u = static_cast<std::uint32_t>(values[i]);
        for (std::size_t b = 0; b < 4; ++b) t.data[4 * i + b] = static_cast<std::uint8_t>(u >> (8 * b));
    }
    p_.tensors.push_back(std::move(t));
    return static_cast<TensorId>(p_.tensors.size() - 1);
}

TensorId Builder::add_op(Op op, DType dtype, Quant quant, std::vector<std::uint32_t> reshape_to) {
    Tensor t;
    t.dtype = dtype;
    t.kind = TensorKind::activation;
    t.quant = std::move(quant);
    auto shape = infer_output_shape(p_, op, reshape_to);
    if (shape) {
        t.shape = std::move(*shape);
    } else {
        note(shape.error());
        t.shape = {1};
    }
    p_.tensors.push_back(std::move(t));
    op.output = static_cast<TensorId>(p_.tensors.size() - 1);
    p_.ops.push_back(std::move(op));
    return p_.ops.back().output;
}

TensorId Builder::fully_connected(TensorId x, TensorId w, std::optional<TensorId> bias, std::vector<Requant> requant,
                                  Quant out, Clamp clamp) {
    Op op = make(OpKind::fully_connected, {x, w});
    if (bias) op.inputs.push_back(*bias);
    op.attrs.requant = std::move(requant);
    set_clamp(op, clamp);
    return add_op(std::move(op), DType::int8, std::move(out));
}

TensorId Builder::fully_connected_int32(TensorId x, TensorId w, std::optional<TensorId> bias,
                                        std::vector<Requant> requant, QScale out_scale, Clamp clamp) {
    Op op = make(OpKind::fully_connected, {x, w});
    if (bias) op.inputs.push_back(*bias);
    op.attrs.requant = std::move(requant);
    set_clamp(op, clamp);
    return add_op(std::move(op), DType::int32, Quant::per_tensor(0, out_scale));
}

TensorId Builder::matmul(TensorId a, TensorId b, Requant requant, Quant out, Clamp clamp) {
    Op op = make(OpKind::matmul, {a, b});
    op.attrs.requant = {requant};
    set_clamp(op, clamp);
    return add_op(std::move(op), DType::int8, std::move(out));
}

TensorId Builder::conv2d(TensorId x, TensorId w, std::optional<TensorId> bias, const Window2d& window,
                         std::vector<Requant> requant, Quant out, Clamp clamp) {
    Op op = make(OpKind::conv2d, {x, w});
    if (bias) op.inputs.push_back(*bias);
    set_window(op, window, false, true);
    op.attrs.requant = std::move(requant);
    set_clamp(op, clamp);
    return add_op(std::move(op), DType::int8, std::move(out));
}

TensorId Builder::add(TensorId a, TensorId b, Requant a_rq, Requant b_rq, Requant out_rq, Quant out, Clamp clamp) {
    Op op = make(OpKind::add, {a, b});
    op.attrs.requant = {a_rq, b_rq, out_rq};
    set_clamp(op, clamp);
    return add_op(std::move(op), DType::int8, std::move(out));
}

TensorId Builder::mul(TensorId a, TensorId b, Requant requant, Quant out, Clamp clamp) {
    Op op = make(OpKind::mul, {a, b});
    op.attrs.requant = {requant};
    set_clamp(op, clamp);
    return add_op(std::move(op), DType::int8, std::move(out));
}

TensorId Builder::clip(TensorId x, Clamp clamp) {
    Op op = make(OpKind::clip, {x});
    set_clamp(op, clamp);
    const Quant q = x < p_.tensors.size() ? p_.tensors[x].quant : Quant{};
    return add_op(std::move(op), DType::int8, q);
}

TensorId Builder::max_pool(TensorId x, const Window2d& window) {
    Op op = make(OpKind::max_pool, {x});
    set_window(op, window, true, false);
    const Quant q = x < p_.tensors.size() ? p_.tensors[x].quant : Quant{};
    return add_op(std::move(op), DType::int8, q);
}

TensorId Builder::average_pool(TensorId x, const Window2d& window) {
    Op op = make(OpKind::average_pool, {x});
    set_window(op, window, true, false);
    const Quant q = x < p_.tensors.size() ? p_.tensors[x].quant : Quant{};
    return add_op(std::move(op), DType::int8, q);
}

TensorId Builder::global_average_pool(TensorId x) {
    const Quant q = x < p_.tensors.size() ? p_.tensors[x].quant : Quant{};
    return add_op(make(OpKind::global_average_pool, {x}), DType::int8, q);
}

TensorId Builder::reshape(TensorId x, std::vector<std::uint32_t> shape) {
    const bool ok = x < p_.tensors.size();
    return add_op(make(OpKind::reshape, {x}), ok ? p_.tensors[x].dtype : DType::int8,
                  ok ? p_.tensors[x].quant : Quant{}, std::move(shape));
}

TensorId Builder::transpose(TensorId x, std::vector<std::uint32_t> perm) {
    Op op = make(OpKind::transpose, {x});
    op.attrs.perm = std::move(perm);
    const bool ok = x < p_.tensors.size();
    return add_op(std::move(op), ok ? p_.tensors[x].dtype : DType::int8, ok ? p_.tensors[x].quant : Quant{});
}

TensorId Builder::concat(std::vector<TensorId> xs, std::uint32_t axis) {
    const bool ok = !xs.empty() && xs[0] < p_.tensors.size();
    const DType dt = ok ? p_.tensors[xs[0]].dtype : DType::int8;
    Quant q = ok ? p_.tensors[xs[0]].quant : Quant{};
    Op op = make(OpKind::concat, std::move(xs));
    op.attrs.axis = static_cast<std::int32_t>(axis);
    return add_op(std::move(op), dt, std::move(q));
}

TensorId Builder::gather(TensorId data, TensorId indices, std::uint32_t axis) {
    Op op = make(OpKind::gather, {data, indices});
    op.attrs.axis = static_cast<std::int32_t>(axis);
    const bool ok = data < p_.tensors.size();
    return add_op(std::move(op), ok ? p_.tensors[data].dtype : DType::int8, ok ? p_.tensors[data].quant : Quant{});
}

TensorId Builder::softmax(TensorId x, Requant to_q14) { return softmax_like(OpKind::softmax, {x}, to_q14); }

TensorId Builder::causal_softmax(TensorId x, Requant to_q14, std::optional<TensorId> offset) {
    std::vector<TensorId> in{x};
    if (offset) in.push_back(*offset);
    return softmax_like(OpKind::causal_softmax, std::move(in), to_q14);
}

TensorId Builder::cache_write(TensorId cache, TensorId pos, TensorId row, std::uint32_t axis) {
    Op op = make(OpKind::cache_write, {cache, pos, row});
    op.attrs.axis = static_cast<std::int32_t>(axis);
    const bool ok = cache < p_.tensors.size();
    return add_op(std::move(op), ok ? p_.tensors[cache].dtype : DType::int8, ok ? p_.tensors[cache].quant : Quant{});
}

TensorId Builder::softmax_like(OpKind kind, std::vector<TensorId> in, Requant to_q14) {
    Op op = make(kind, std::move(in));
    op.attrs.requant = {to_q14};
    // Output scale 1/256 = 2^30 * 2^-31 * 2^-7.
    return add_op(std::move(op), DType::int8, Quant::per_tensor(-128, QScale{std::int32_t{1} << 30, 7}));
}

TensorId Builder::gelu(TensorId x, Requant to_q14, Requant from_q14, Quant out, Clamp clamp) {
    return q14_unary(OpKind::gelu, x, to_q14, from_q14, std::move(out), clamp);
}

TensorId Builder::silu(TensorId x, Requant to_q14, Requant from_q14, Quant out, Clamp clamp) {
    return q14_unary(OpKind::silu, x, to_q14, from_q14, std::move(out), clamp);
}

TensorId Builder::q14_unary(OpKind kind, TensorId x, Requant to_q14, Requant from_q14, Quant out, Clamp clamp) {
    Op op = make(kind, {x});
    op.attrs.requant = {to_q14, from_q14};
    set_clamp(op, clamp);
    return add_op(std::move(op), DType::int8, std::move(out));
}

TensorId Builder::rms_norm(TensorId x, TensorId gamma, std::int32_t epsilon, Requant requant, Quant out, Clamp clamp) {
    Op op = make(OpKind::rms_norm, {x, gamma});
    op.attrs.requant = {requant};
    op.attrs.epsilon = epsilon;
    set_clamp(op, clamp);
    return add_op(std::move(op), DType::int8, std::move(out));
}

TensorId Builder::layer_norm(TensorId x, TensorId gamma, TensorId beta, std::int32_t epsilon, Requant requant,
                             Quant out, Clamp clamp) {
    Op op = make(OpKind::layer_norm, {x, gamma, beta});
    op.attrs.requant = {requant};
    op.attrs.epsilon = epsilon;
    set_clamp(op, clamp);
    return add_op(std::move(op), DType::int8, std::move(out));
}

TensorId Builder::requantize(TensorId x, Requant requant, Quant out, Clamp clamp) {
    Op op = make(OpKind::requantize, {x});
    op.attrs.requant = {requant};
    set_clamp(op, clamp);
    return add_op(std::move(op), DType::int8, std::move(out));
}

void Builder::mark_output(TensorId t) { p_.outputs.push_back(t); }

Result<Program, ProgramError> Builder::finish() && {
    if (first_error_) return fail(*first_error_);
    SIGIL_TRY_VOID(validate(p_));
    return std::move(p_);
}

}  // namespace sigil::ir
