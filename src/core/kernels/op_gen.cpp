#include "core/kernels/op_gen.hpp"

#include <algorithm>
#include <cstdlib>
#include <numeric>

#include "core/ir/builder.hpp"

namespace sigil::kernels::gen {
namespace {

using ir::Builder;
using ir::DType;
using ir::Quant;
using ir::TensorId;
using Shape = std::vector<std::uint32_t>;

struct Gen {
    const ChoiceSource& pick;
    Builder b;
    std::vector<Bytes> inputs;

    std::uint32_t u(std::int64_t lo, std::int64_t hi) { return static_cast<std::uint32_t>(pick(lo, hi)); }
    std::int32_t i(std::int64_t lo, std::int64_t hi) { return static_cast<std::int32_t>(pick(lo, hi)); }

    ir::QScale scale() {
        const auto kind = u(0, 9);
        if (kind == 0) return {0, 0};
        if (kind == 1) return ir::QScale::identity();
        return {i(std::int64_t{1} << 29, INT32_MAX), i(kind == 2 ? -31 : -3, kind == 3 ? 31 : 12)};
    }
    Quant quant8() { return Quant::per_tensor(i(-128, 127), scale()); }
    ir::Clamp clamp() {
        if (u(0, 2) != 0) return {};
        const auto lo = i(-128, 127);
        return {lo, i(lo, 127)};
    }
    Bytes bytes(std::uint64_t n) {
        Bytes d(static_cast<std::size_t>(n));
        const auto mode = u(0, 3);  // extremes are where rounding and saturation bite
        for (auto& v : d) v = static_cast<std::uint8_t>(mode == 0 ? (u(0, 1) ? 0x7F : 0x80) : u(0, 255));
        return d;
    }
    /// An int32 input holding `value` everywhere.
    TensorId int32_input(Shape s, std::int64_t value) {
        const auto n = ir::element_count(s);
        const auto id = b.input(DType::int32, std::move(s));
        Bytes raw;
        for (std::uint64_t k = 0; k < n; ++k)
            for (int byte = 0; byte < 4; ++byte)
                raw.push_back(static_cast<std::uint8_t>(static_cast<std::uint32_t>(value) >> (8 * byte)));
        inputs.push_back(raw);
        return id;
    }
    TensorId input8(Shape s) {
        const auto n = ir::element_count(s);
        const auto id = b.input(DType::int8, std::move(s), quant8());
        inputs.push_back(bytes(n));
        return id;
    }
    TensorId weight8(Shape s, bool per_channel) {
        const auto n = ir::element_count(s);
        const Bytes d = bytes(n);
        std::vector<std::int8_t> v(d.size());
        std::transform(d.begin(), d.end(), v.begin(), [](std::uint8_t x) { return static_cast<std::int8_t>(x); });
        Quant q = quant8();
        if (per_channel) {
            q.scales.assign(s[0], scale());
            for (auto& sc : q.scales) sc = scale();
        }
        return b.constant_int8(std::move(s), v, q);
    }
    TensorId bias(std::uint32_t n) {
        std::vector<std::int32_t> v(n);
        for (auto& x : v) x = u(0, 3) == 0 ? i(INT32_MIN, INT32_MAX) : i(-100000, 100000);
        return b.constant_int32({n}, v);
    }
    std::vector<ir::Requant> requants(std::uint32_t channels) {
        std::vector<ir::Requant> r(u(0, 1) ? channels : 1);
        for (auto& x : r) x = scale();
        return r;
    }
    Shape shape(std::size_t rank_lo, std::size_t rank_hi, std::uint32_t dim_hi) {
        Shape s(u(static_cast<std::int64_t>(rank_lo), static_cast<std::int64_t>(rank_hi)));
        for (auto& d : s) d = u(1, dim_hi);
        return s;
    }
    ir::Window2d window(bool pool, bool dilate) {
        ir::Window2d w;
        w.kernel = {u(1, 3), u(1, 3)};
        w.stride = {u(1, 3), u(1, 3)};
        if (dilate) w.dilation = {u(1, 2), u(1, 2)};
        w.pads = {u(0, 2), u(0, 2), u(0, 2), u(0, 2)};
        if (pool) {
            for (std::size_t k = 0; k < 4; ++k) w.pads[k] = std::min(w.pads[k], w.kernel[k % 2] - 1);
        }
        return w;
    }
};

/// Input height/width large enough for `extent` after padding.
std::uint32_t fit(Gen& g, std::uint32_t extent, std::uint32_t pad_a, std::uint32_t pad_b) {
    const std::uint32_t need = extent > pad_a + pad_b ? extent - pad_a - pad_b : 1;
    return std::max<std::uint32_t>(1, need) + g.u(0, 5);
}

TensorId build(Gen& g, ir::OpKind kind) {
    using K = ir::OpKind;
    auto& b = g.b;
    switch (kind) {
        case K::fully_connected: {
            const auto m = g.u(1, 4), k = g.u(1, 40), n = g.u(1, 20);
            const auto x = g.input8({m, k});
            const auto w = g.weight8({n, k}, g.u(0, 1) != 0);
            std::optional<TensorId> bi;
            if (g.u(0, 1)) bi = g.bias(n);
            if (g.u(0, 3) == 0) {  // int32 output (wide logits): any int32 clamp
                const auto mode = g.u(0, 2);
                ir::Clamp c{INT32_MIN, INT32_MAX};
                if (mode == 1) c = {-32767, 32767};
                if (mode == 2) c.lo = g.i(INT32_MIN, 1000), c.hi = g.i(c.lo, INT32_MAX);
                return b.fully_connected_int32(x, w, bi, g.requants(n), g.scale(), c);
            }
            return b.fully_connected(x, w, bi, g.requants(n), g.quant8(), g.clamp());
        }
        case K::matmul: {
            Shape lead = g.shape(0, 1, 3);
            const auto m = g.u(1, 5), k = g.u(1, 20), n = g.u(1, 6);
            Shape sa = lead, sb = lead;
            sa.insert(sa.end(), {m, k});
            sb.insert(sb.end(), {k, n});
            const auto a = g.input8(sa);
            const auto c = g.input8(sb);
            return b.matmul(a, c, g.scale(), g.quant8(), g.clamp());
        }
        case K::conv2d: {
            auto w = g.window(false, true);
            const bool depthwise = g.u(0, 2) == 0;
            const auto groups = depthwise ? g.u(1, 4) : g.u(1, 2);
            w.groups = groups;
            const auto cg = depthwise ? 1 : (g.u(0, 3) == 0 ? g.u(4, 12) : g.u(1, 3));
            const auto ocg = g.u(1, 3);
            const auto kh = g.u(1, 3), kw = g.u(1, 3);
            const auto h = fit(g, w.dilation[0] * (kh - 1) + 1, w.pads[0], w.pads[2]);
            const auto wd = fit(g, w.dilation[1] * (kw - 1) + 1, w.pads[1], w.pads[3]) + (g.u(0, 2) == 0 ? g.u(0, 40) : 0);
            const auto x = g.input8({g.u(1, 2), groups * cg, h, wd});
            const auto wt = g.weight8({groups * ocg, cg, kh, kw}, g.u(0, 1) != 0);
            std::optional<TensorId> bi;
            if (g.u(0, 1)) bi = g.bias(groups * ocg);
            return b.conv2d(x, wt, bi, w, g.requants(groups * ocg), g.quant8(), g.clamp());
        }
        case K::add:
        case K::mul: {
            const Shape out = g.shape(1, 4, 4);
            Shape sb(out.begin() + g.u(0, static_cast<std::int64_t>(out.size()) - 1), out.end());
            for (auto& d : sb) d = g.u(0, 2) == 0 ? 1 : d;
            Shape sa = out;
            if (g.u(0, 1)) std::swap(sa, sb);
            const auto x = g.input8(sa), y = g.input8(sb);
            if (kind == K::add) return b.add(x, y, g.scale(), g.scale(), g.scale(), g.quant8(), g.clamp());
            return b.mul(x, y, g.scale(), g.quant8(), g.clamp());
        }
        case K::clip: return b.clip(g.input8(g.shape(1, 3, 6)), g.clamp());
        case K::max_pool:
        case K::average_pool: {
            const auto w = g.window(true, kind == K::max_pool);
            const auto h = fit(g, w.dilation[0] * (w.kernel[0] - 1) + 1, w.pads[0], w.pads[2]);
            const auto wd = fit(g, w.dilation[1] * (w.kernel[1] - 1) + 1, w.pads[1], w.pads[3]);
            const auto x = g.input8({g.u(1, 2), g.u(1, 3), h, wd});
            return kind == K::max_pool ? b.max_pool(x, w) : b.average_pool(x, w);
        }
        case K::global_average_pool: return b.global_average_pool(g.input8({g.u(1, 2), g.u(1, 3), g.u(1, 9), g.u(1, 9)}));
        case K::reshape: {
            const Shape s = g.shape(1, 4, 5);
            const auto n = static_cast<std::uint32_t>(ir::element_count(s));
            const auto a = g.u(1, n);
            return b.reshape(g.input8(s), n % a == 0 ? Shape{a, n / a} : Shape{n});
        }
        case K::transpose: {
            const Shape s = g.shape(1, 5, 4);
            std::vector<std::uint32_t> perm(s.size());
            std::iota(perm.begin(), perm.end(), 0U);
            for (std::size_t k = perm.size(); k > 1; --k) std::swap(perm[k - 1], perm[g.u(0, static_cast<std::int64_t>(k) - 1)]);
            return b.transpose(g.input8(s), perm);
        }
        case K::concat: {
            const Shape s = g.shape(1, 4, 4);
            const auto axis = g.u(0, static_cast<std::int64_t>(s.size()) - 1);
            const ir::Quant q = g.quant8();
            std::vector<TensorId> xs;
            for (auto k = g.u(1, 3); k > 0; --k) {
                Shape sk = s;
                sk[axis] = g.u(1, 4);
                xs.push_back(b.input(DType::int8, sk, q));
                g.inputs.push_back(g.bytes(ir::element_count(sk)));
            }
            return b.concat(xs, axis);
        }
        case K::gather: {
            const Shape ds = g.shape(1, 3, 6);
            const auto axis = g.u(0, static_cast<std::int64_t>(ds.size()) - 1);
            std::vector<std::int8_t> data(static_cast<std::size_t>(ir::element_count(ds)));
            for (auto& v : data) v = static_cast<std::int8_t>(g.i(-128, 127));
            const auto d = g.u(0, 1) ? b.constant_int8(ds, data, g.quant8()) : g.input8(ds);
            const Shape is = g.shape(1, 2, 4);
            const auto idx = b.input(DType::int32, is);
            Bytes raw(static_cast<std::size_t>(ir::element_count(is)) * 4);
            for (std::size_t k = 0; k < raw.size(); k += 4) {
                const auto v = static_cast<std::uint32_t>(g.u(0, 3) == 0 ? g.i(INT32_MIN, INT32_MAX) : g.i(-8, 8));
                for (std::size_t byte = 0; byte < 4; ++byte) raw[k + byte] = static_cast<std::uint8_t>(v >> (8 * byte));
            }
            g.inputs.push_back(raw);
            return b.gather(d, idx, axis);
        }
        case K::softmax: return b.softmax(g.input8(g.shape(1, 3, 12)), g.scale());
        case K::gelu: return b.gelu(g.input8(g.shape(1, 3, 8)), g.scale(), g.scale(), g.quant8(), g.clamp());
        case K::layer_norm: {
            const Shape s = g.shape(1, 3, 10);
            const auto x = g.input8(s);
            const auto gamma = g.weight8({s.back()}, false);
            const auto beta = g.bias(s.back());
            return b.layer_norm(x, gamma, beta, g.i(0, 1000), g.scale(), g.quant8(), g.clamp());
        }
        case K::requantize: return b.requantize(g.input8(g.shape(1, 3, 8)), g.scale(), g.quant8(), g.clamp());
        case K::causal_softmax: {
            Shape s = g.shape(2, 4, 9);
            s[s.size() - 2] = g.u(1, s.back());  // Q <= K
            const auto x = g.input8(s);
            if (g.u(0, 1) == 0) return b.causal_softmax(x, g.scale());
            // Decoding with a cache: any offset is valid (visible keys are clamped into [1, K]).
            const auto offset = g.int32_input({1}, g.u(0, 3) == 0 ? g.i(INT32_MIN, INT32_MAX) : g.i(-3, 11));
            return b.causal_softmax(x, g.scale(), offset);
        }
        case K::cache_write: {
            const Shape s = g.shape(1, 4, 6);
            const auto axis = g.u(0, static_cast<std::int64_t>(s.size()) - 1);
            const ir::Quant q = g.quant8();
            const auto cache = b.input(DType::int8, s, q);
            g.inputs.push_back(g.bytes(ir::element_count(s)));
            const auto pos = g.int32_input({1}, g.u(0, 3) == 0 ? g.i(INT32_MIN, INT32_MAX) : g.i(-8, 8));
            Shape rs = s;
            rs[axis] = 1;
            const auto row = b.input(DType::int8, rs, q);
            g.inputs.push_back(g.bytes(ir::element_count(rs)));
            return b.cache_write(cache, pos, row, axis);
        }
        case K::rms_norm: {
            const Shape s = g.shape(1, 3, 10);
            const auto x = g.input8(s);
            const auto gamma = g.weight8({s.back()}, false);
            return b.rms_norm(x, gamma, g.i(0, 1000), g.scale(), g.quant8(), g.clamp());
        }
        case K::silu:
            return b.silu(g.input8(g.shape(1, 3, 8)), g.scale(), g.scale(), g.quant8(), g.clamp());
    }
    return 0;
}

}  // namespace

OpCase random_op(ir::OpKind kind, const ChoiceSource& pick) {
    Gen g{pick, {}, {}};
    g.b.mark_output(build(g, kind));
    auto p = std::move(g.b).finish();
    if (!p) std::abort();  // the generator only builds valid ops; anything else is a bug here
    return {std::move(p).value(), std::move(g.inputs)};
}

OpCase random_op(const ChoiceSource& pick) {
    return random_op(static_cast<ir::OpKind>(pick(1, ir::kMaxOpKind)), pick);
}

void append_clip_concat(ir::Program& p) {
    const ir::TensorId y = p.ops[0].output;
    ir::Tensor t = p.tensors[y];
    if (t.dtype != ir::DType::int8 || t.quant.scales.size() > 1) return;
    p.tensors.push_back(t);
    const auto clipped = static_cast<ir::TensorId>(p.tensors.size() - 1);
    ir::Op clip;
    clip.kind = ir::OpKind::clip;
    clip.inputs = {y};
    clip.output = clipped;
    clip.attrs.act_min = -100;
    clip.attrs.act_max = 90;
    p.ops.push_back(clip);
    t.shape[0] *= 2;
    p.tensors.push_back(t);
    ir::Op cat;
    cat.kind = ir::OpKind::concat;
    cat.inputs = {y, clipped};
    cat.output = static_cast<ir::TensorId>(p.tensors.size() - 1);
    p.ops.push_back(cat);
    p.outputs = {cat.output};
}

}  // namespace sigil::kernels::gen
