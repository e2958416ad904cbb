// Gemm and MatMul (float32/float64; products accumulate in double).
#include "runtime/float/detail/elementwise.hpp"

namespace sigil::runtime::detail {

namespace {

/// C[m,n] = sum_k A[m*sam + k*sak] * B[k*sbk + n*sbn], for m<M, n<N (C row-major, dense).
template <typename T>
void matmul_kernel(const T* a, std::int64_t sam, std::int64_t sak, const T* b, std::int64_t sbk, std::int64_t sbn,
                   T* out, std::int64_t M, std::int64_t K, std::int64_t N) {
    std::vector<double> acc(static_cast<std::size_t>(N));
    for (std::int64_t m = 0; m < M; ++m) {
        std::fill(acc.begin(), acc.end(), 0.0);
        for (std::int64_t k = 0; k < K; ++k) {
            const double av = static_cast<double>(a[m * sam + k * sak]);
            const T* brow = b + k * sbk;
            for (std::int64_t n = 0; n < N; ++n) acc[static_cast<std::size_t>(n)] += av * static_cast<double>(brow[n * sbn]);
        }
        for (std::int64_t n = 0; n < N; ++n) out[m * N + n] = static_cast<T>(acc[static_cast<std::size_t>(n)]);
    }
}

bool float_pair(const Tensor& a, const Tensor& b) { return a.dtype == b.dtype && is_float(a.dtype); }

}  // namespace

// Gemm-13: Y = alpha * A' * B' + beta * C, A' = transA ? A^T : A, C unidirectionally broadcast.
OpResult op_gemm(const OpContext& c) {
    const Tensor* a = SIGIL_TRY(c.in(0));
    const Tensor* b = SIGIL_TRY(c.in(1));
    const Tensor* bias = c.opt(2);
    if (!float_pair(*a, *b) || (bias && bias->dtype != a->dtype))
        return fail(c.err(FloatErrc::unsupported_dtype, "operands must share a float dtype"));
    if (a->rank() != 2 || b->rank() != 2) return fail(c.err(FloatErrc::shape_mismatch, "A and B must be 2-D"));
    const bool ta = c.node.int_or("transA", 0) != 0;
    const bool tb = c.node.int_or("transB", 0) != 0;
    const double alpha = static_cast<double>(c.node.float_or("alpha", 1.0f));
    const double beta = static_cast<double>(c.node.float_or("beta", 1.0f));
    const std::int64_t M = ta ? a->shape[1] : a->shape[0];
    const std::int64_t K = ta ? a->shape[0] : a->shape[1];
    const std::int64_t Kb = tb ? b->shape[1] : b->shape[0];
    const std::int64_t N = tb ? b->shape[0] : b->shape[1];
    if (K != Kb) return fail(c.err(FloatErrc::shape_mismatch, "inner dims " + shape_str(a->shape) + " x " + shape_str(b->shape)));
    Tensor out = Tensor::zeros(a->dtype, {M, N});
    if (bias) {
        Shape bs = SIGIL_TRY(broadcast_shapes(c, bias->shape, out.shape));
        if (bs != out.shape) return fail(c.err(FloatErrc::shape_mismatch, "C " + shape_str(bias->shape) + " not broadcastable to Y"));
    }
    visit_data(out, [&](auto& vo) {
        using T = typename std::decay_t<decltype(vo)>::value_type;
        if constexpr (std::is_floating_point_v<T>) {
            const auto& va = a->vec<T>();
            const auto& vb = b->vec<T>();
            matmul_kernel(va.data(), ta ? 1 : K, ta ? M : 1, vb.data(), tb ? 1 : N, tb ? K : 1, vo.data(), M, K, N);
            for (auto& e : vo) e = static_cast<T>(alpha * static_cast<double>(e));
            if (bias) {
                Tensor scaled_bias = *bias;
                for (auto& e : scaled_bias.vec<T>()) e = static_cast<T>(beta * static_cast<double>(e));
                Tensor sum = Tensor::zeros(out.dtype, out.shape);
                broadcast_binary<T, T>(out, scaled_bias, sum, [](T x, T y) { return x + y; });
                vo = std::move(sum.vec<T>());
            }
        }
    });
    return one(std::move(out));
}

// MatMul-13: numpy.matmul semantics (1-D operands promoted and the added axis removed; batch
// axes broadcast).
OpResult op_matmul(const OpContext& c) {
    const Tensor* a = SIGIL_TRY(c.in(0));
    const Tensor* b = SIGIL_TRY(c.in(1));
    if (!float_pair(*a, *b)) return fail(c.err(FloatErrc::unsupported_dtype, "operands must share a float dtype"));
    if (a->rank() == 0 || b->rank() == 0) return fail(c.err(FloatErrc::shape_mismatch, "scalar operand"));
    Shape sa = a->shape;
    Shape sb = b->shape;
    const bool a1 = sa.size() == 1;
    const bool b1 = sb.size() == 1;
    if (a1) sa.insert(sa.begin(), 1);
    if (b1) sb.push_back(1);
    const std::int64_t M = sa[sa.size() - 2];
    const std::int64_t K = sa[sa.size() - 1];
    const std::int64_t N = sb[sb.size() - 1];
    if (sb[sb.size() - 2] != K) return fail(c.err(FloatErrc::shape_mismatch, shape_str(a->shape) + " x " + shape_str(b->shape)));
    const Shape ba(sa.begin(), sa.end() - 2);
    const Shape bb(sb.begin(), sb.end() - 2);
    const Shape batch = SIGIL_TRY(broadcast_shapes(c, ba, bb));
    Shape os = batch;
    if (!a1) os.push_back(M);
    if (!b1) os.push_back(N);
    Tensor out = Tensor::zeros(a->dtype, os);
    const auto bsa = broadcast_strides(ba, batch);
    const auto bsb = broadcast_strides(bb, batch);
    const std::int64_t nbatch = shape_numel(batch);
    const auto bstr = strides_of(batch);
    visit_data(out, [&](auto& vo) {
        using T = typename std::decay_t<decltype(vo)>::value_type;
        if constexpr (std::is_floating_point_v<T>) {
            for (std::int64_t i = 0; i < nbatch; ++i) {
                std::int64_t oa = 0;
                std::int64_t ob = 0;
                for (std::size_t d = 0; d < batch.size(); ++d) {
                    const std::int64_t id = (i / bstr[d]) % batch[d];
                    oa += id * bsa[d];
                    ob += id * bsb[d];
                }
                matmul_kernel(a->vec<T>().data() + oa * M * K, K, 1, b->vec<T>().data() + ob * K * N, N, 1,
                              vo.data() + i * M * N, M, K, N);
            }
        }
    });
    return one(std::move(out));
}

}  // namespace sigil::runtime::detail
