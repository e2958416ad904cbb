// Gemm, MatMul and Conv to fully_connected / matmul / conv2d: per-output-channel symmetric int8
// weights (scale max|w|/127, zero point 0), int32 bias = round(b / (s_x * s_w[c])), requant
// s_x * s_w[c] / s_out as a Q31 multiplier and shift.
#include <algorithm>
#include <cmath>

#include "runtime/quant/detail/lower.hpp"

namespace sigil::runtime::detail {

namespace {

struct QWeights {
    std::vector<std::int8_t> q;
    std::vector<double> scales;
};

/// Symmetric per-row quantization of a row-major [rows, cols] matrix.
QWeights quantize_rows(const std::vector<float>& w, std::size_t rows) {
    const std::size_t cols = rows ? w.size() / rows : 0;
    QWeights out{std::vector<std::int8_t>(w.size()), std::vector<double>(rows)};
    for (std::size_t r = 0; r < rows; ++r) {
        double mx = 0;
        for (std::size_t c = 0; c < cols; ++c) mx = std::max(mx, std::fabs(static_cast<double>(w[r * cols + c])));
        const double s = mx > 0 ? mx / 127.0 : 1.0;
        out.scales[r] = s;
        for (std::size_t c = 0; c < cols; ++c) {
            const double v = std::round(static_cast<double>(w[r * cols + c]) / s);
            out.q[r * cols + c] = static_cast<std::int8_t>(std::clamp(v, -127.0, 127.0));
        }
    }
    return out;
}

Result<ir::Quant, QuantError> weight_quant(const QWeights& w) {
    std::vector<ir::QScale> s;
    for (double x : w.scales) s.push_back(SIGIL_TRY(Lowerer::qs(x, "weight scale")));
    if (s.size() == 1) return ir::Quant::per_tensor(0, s[0]);
    return ir::Quant::per_channel(0, std::move(s), 0);
}

/// int32 bias and per-channel requant for an accumulator in units of s_x * s_w[c].
struct Folded {
    std::vector<std::int32_t> bias;
    std::vector<ir::Requant> requant;
};

Result<Folded, QuantError> fold(const QWeights& w, double s_x, const std::vector<double>* bias, double s_out) {
    Folded f;
    for (std::size_t c = 0; c < w.scales.size(); ++c) {
        const double acc_scale = s_x * w.scales[c];
        if (bias) {
            const double v = std::round((*bias)[c] / acc_scale);
            f.bias.push_back(static_cast<std::int32_t>(std::clamp(v, -2147483648.0, 2147483647.0)));
        }
        f.requant.push_back(SIGIL_TRY(Lowerer::qs(acc_scale / s_out, "requant s_x*s_w/s_out")));
    }
    return f;
}

/// int32 logits: 2^15 steps to the larger end of the calibrated range, clamped at 2^20 steps.
constexpr std::int32_t kInt32LogitSteps = 1 << 15;
constexpr std::int32_t kInt32LogitClamp = 1 << 20;

AffineQ int32_logit_q(const Lowerer& L, const std::string& name) {
    const ValueRange* v = L.range(name);
    const double m = v ? std::max(std::fabs(v->lo), std::fabs(v->hi)) : 0.0;
    return AffineQ{m > 0 ? m / kInt32LogitSteps : 1.0, 0};
}

/// Emits fully_connected(x [M,K], w [N,K] float, bias [N] or none) writing node idx's output.
/// An x of rank > 2 ([..., K], a linear layer over a sequence) is reshaped to [M, K] around it.
Result<void, QuantError> emit_fc(Lowerer& L, std::size_t idx, const QValue& x_in, const std::vector<float>& w,
                                 std::size_t n_out, const std::vector<double>* bias, const std::string& out_name) {
    const OnnxNode& n = L.model().nodes[idx];
    const std::size_t k = w.size() / n_out;
    if (x_in.shape.size() < 2 || static_cast<std::size_t>(x_in.shape.back()) != k)
        return fail(qerr(
            QuantErrc::unsupported_shape, n,
            "x " + shape_str(x_in.shape) + " for weights [" + std::to_string(n_out) + "," + std::to_string(k) + "]"));
    QValue x = x_in;
    Shape lead(x_in.shape.begin(), x_in.shape.end() - 1);
    if (x_in.shape.size() > 2) {
        std::int64_t m = 1;
        for (auto d : lead) m *= d;
        x.shape = {m, static_cast<std::int64_t>(k)};
        x.id = L.b.reshape(x_in.id, SIGIL_TRY(ir_shape(x.shape, n)));
    }
    const QWeights qw = quantize_rows(w, n_out);
    OutSpec spec = SIGIL_TRY(L.out_spec(idx, out_name));
    const bool wide = L.int32_logits && L.unread_output(spec.name);
    if (wide) spec.q = int32_logit_q(L, spec.name);
    const Folded f = SIGIL_TRY(fold(qw, x.q.scale, bias, spec.q.scale));
    const auto wid = L.b.constant_int8({static_cast<std::uint32_t>(n_out), static_cast<std::uint32_t>(k)}, qw.q,
                                       SIGIL_TRY(weight_quant(qw)));
    std::optional<ir::TensorId> bid;
    if (bias) bid = L.b.constant_int32({static_cast<std::uint32_t>(n_out)}, f.bias);
    ir::TensorId y = 0;
    if (wide) {
        const ir::QScale s = SIGIL_TRY(Lowerer::qs(spec.q.scale, "int32 logit scale"));
        y = L.b.fully_connected_int32(x.id, wid, bid, f.requant, s, {-kInt32LogitClamp, kInt32LogitClamp});
    } else {
        y = L.b.fully_connected(x.id, wid, bid, f.requant, SIGIL_TRY(Lowerer::act_quant(spec.q)), spec.clamp);
    }
    if (x_in.shape.size() > 2) {
        Shape out = lead;
        out.push_back(static_cast<std::int64_t>(n_out));
        y = L.b.reshape(y, SIGIL_TRY(ir_shape(out, n)));
    }
    L.define(spec, y);
    return {};
}

std::vector<float> transpose2(const std::vector<float>& a, std::size_t rows, std::size_t cols) {
    std::vector<float> t(a.size());
    for (std::size_t r = 0; r < rows; ++r)
        for (std::size_t c = 0; c < cols; ++c) t[c * rows + r] = a[r * cols + c];
    return t;
}

}  // namespace

Result<void, QuantError> lower_gemm(Lowerer& L, std::size_t idx) {
    const OnnxNode& n = L.model().nodes[idx];
    const QValue x = SIGIL_TRY(L.act(n.inputs[0], n));
    const Tensor* b = L.constant(n.inputs[1]);
    if (!b || b->rank() != 2) return fail(qerr(QuantErrc::weight_not_constant, n, "B must be a 2-D initializer"));
    if (n.int_or("transA", 0) != 0) return fail(qerr(QuantErrc::unsupported_attribute, n, "transA=1"));
    const bool tb = n.int_or("transB", 0) != 0;
    const auto rows = static_cast<std::size_t>(b->shape[0]), cols = static_cast<std::size_t>(b->shape[1]);
    std::vector<float> w = tb ? b->f() : transpose2(b->f(), rows, cols);  // [N, K]
    const std::size_t n_out = tb ? rows : cols;
    const auto alpha = n.float_or("alpha", 1.0f);
    for (auto& v : w) v *= alpha;
    std::vector<double> bias;
    if (n.has_input(2)) {
        const Tensor* c = L.constant(n.inputs[2]);
        if (!c || static_cast<std::size_t>(c->numel()) != n_out)
            return fail(qerr(QuantErrc::weight_not_constant, n, "C must be an initializer of N elements"));
        const auto beta = static_cast<double>(n.float_or("beta", 1.0f));
        for (float v : c->f()) bias.push_back(beta * static_cast<double>(v));
    }
    return emit_fc(L, idx, x, w, n_out, n.has_input(2) ? &bias : nullptr, n.outputs[0]);
}

Result<void, QuantError> lower_matmul(Lowerer& L, std::size_t idx) {
    const OnnxNode& n = L.model().nodes[idx];
    const QValue a = SIGIL_TRY(L.act(n.inputs[0], n));
    if (const Tensor* b = L.constant(n.inputs[1])) {
        if (b->rank() != 2) return fail(qerr(QuantErrc::unsupported_shape, n, "constant B must be 2-D"));
        const auto k = static_cast<std::size_t>(b->shape[0]), n_out = static_cast<std::size_t>(b->shape[1]);
        // torch exports a Linear over a sequence as MatMul then Add(bias): the Add becomes the
        // fully_connected's int32 bias (exact, and one op fewer).
        if (const auto add = sole_user_of(L, n.outputs[0], "Add")) {
            const OnnxNode& an = L.model().nodes[*add];
            const Tensor* c = L.constant(other_input(an, n.outputs[0]));
            if (c && static_cast<std::size_t>(c->numel()) == n_out && c->shape.size() <= 1) {
                std::vector<double> bias(c->f().begin(), c->f().end());
                L.mark_fused(*add);
                return emit_fc(L, *add, a, transpose2(b->f(), k, n_out), n_out, &bias, an.outputs[0]);
            }
        }
        return emit_fc(L, idx, a, transpose2(b->f(), k, n_out), n_out, nullptr, n.outputs[0]);
    }
    const QValue b = SIGIL_TRY(L.act(n.inputs[1], n));
    const OutSpec spec = SIGIL_TRY(L.out_spec(idx, n.outputs[0]));
    const ir::Requant rq = SIGIL_TRY(Lowerer::qs(a.q.scale * b.q.scale / spec.q.scale, "requant s_a*s_b/s_out"));
    const ir::Quant oq = SIGIL_TRY(Lowerer::act_quant(spec.q));
    L.define(spec, L.b.matmul(a.id, b.id, rq, oq, spec.clamp));
    return {};
}

namespace {

/// Pads (top, left, bottom, right) of a 2-D window from auto_pad / pads.
Result<std::array<std::uint32_t, 4>, QuantError> pads_2d(const OnnxNode& n, const Shape& in_hw, const Shape& k,
                                                          const std::vector<std::int64_t>& s, const std::vector<std::int64_t>& d) {
    const std::string ap = n.string_or("auto_pad", "NOTSET");
    std::array<std::uint32_t, 4> p{0, 0, 0, 0};
    if (ap == "NOTSET") {
        const auto v = n.ints_or("pads", {0, 0, 0, 0});
        if (v.size() != 4) return fail(qerr(QuantErrc::unsupported_attribute, n, "pads must have 4 values"));
        for (std::size_t i = 0; i < 4; ++i) p[i] = static_cast<std::uint32_t>(std::max<std::int64_t>(v[i], 0));
    } else if (ap == "SAME_UPPER" || ap == "SAME_LOWER") {
        for (std::size_t i = 0; i < 2; ++i) {
            const std::int64_t out = (in_hw[i] + s[i] - 1) / s[i];
            const std::int64_t total = std::max<std::int64_t>(0, (out - 1) * s[i] + (k[i] - 1) * d[i] + 1 - in_hw[i]);
            const std::int64_t small = total / 2;
            p[i] = static_cast<std::uint32_t>(ap == "SAME_UPPER" ? small : total - small);
            p[i + 2] = static_cast<std::uint32_t>(total) - p[i];
        }
    } else if (ap != "VALID") {
        return fail(qerr(QuantErrc::unsupported_attribute, n, "auto_pad=" + ap));
    }
    return p;
}

}  // namespace

Result<ir::Window2d, QuantError> window_2d(const OnnxNode& n, const Shape& x_shape, const Shape& kernel) {
    if (x_shape.size() != 4 || kernel.size() != 2) return fail(qerr(QuantErrc::unsupported_shape, n, "only 2-D NCHW windows"));
    const auto s = n.ints_or("strides", {1, 1});
    const auto d = n.ints_or("dilations", {1, 1});
    if (s.size() != 2 || d.size() != 2) return fail(qerr(QuantErrc::unsupported_attribute, n, "strides/dilations"));
    ir::Window2d w;
    w.kernel = {static_cast<std::uint32_t>(kernel[0]), static_cast<std::uint32_t>(kernel[1])};
    w.stride = {static_cast<std::uint32_t>(s[0]), static_cast<std::uint32_t>(s[1])};
    w.dilation = {static_cast<std::uint32_t>(d[0]), static_cast<std::uint32_t>(d[1])};
    w.pads = SIGIL_TRY(pads_2d(n, {x_shape[2], x_shape[3]}, kernel, s, d));
    return w;
}

Result<void, QuantError> lower_conv(Lowerer& L, std::size_t idx) {
    const OnnxNode& n = L.model().nodes[idx];
    const QValue x = SIGIL_TRY(L.act(n.inputs[0], n));
    const Tensor* w = L.constant(n.inputs[1]);
    if (!w || w->rank() != 4) return fail(qerr(QuantErrc::weight_not_constant, n, "W must be a 4-D initializer"));
    ir::Window2d win = SIGIL_TRY(window_2d(n, x.shape, {w->shape[2], w->shape[3]}));
    win.kernel = {1, 1};  // conv takes the kernel from its weights
    win.groups = static_cast<std::uint32_t>(n.int_or("group", 1));
    const auto oc = static_cast<std::size_t>(w->shape[0]);
    std::vector<double> bias;
    if (n.has_input(2)) {
        const Tensor* b = L.constant(n.inputs[2]);
        if (!b || static_cast<std::size_t>(b->numel()) != oc) return fail(qerr(QuantErrc::weight_not_constant, n, "B"));
        for (float v : b->f()) bias.push_back(static_cast<double>(v));
    }
    const QWeights qw = quantize_rows(w->f(), oc);
    const OutSpec spec = SIGIL_TRY(L.out_spec(idx, n.outputs[0]));
    const Folded f = SIGIL_TRY(fold(qw, x.q.scale, n.has_input(2) ? &bias : nullptr, spec.q.scale));
    std::vector<std::uint32_t> wdims;
    for (auto dim : w->shape) wdims.push_back(static_cast<std::uint32_t>(dim));
    const auto wid = L.b.constant_int8(wdims, qw.q, SIGIL_TRY(weight_quant(qw)));
    std::optional<ir::TensorId> bid;
    if (n.has_input(2)) bid = L.b.constant_int32({static_cast<std::uint32_t>(oc)}, f.bias);
    const ir::Quant oq = SIGIL_TRY(Lowerer::act_quant(spec.q));
    L.define(spec, L.b.conv2d(x.id, wid, bid, win, f.requant, oq, spec.clamp));
    return {};
}

}  // namespace sigil::runtime::detail
