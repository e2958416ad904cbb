#include "core/kernels/fast.hpp"

#include "core/kernels/detail/fast_ops.hpp"

namespace sigil::kernels {

std::string_view to_string(Simd s) noexcept {
    switch (s) {
        case Simd::scalar: return "scalar";
        case Simd::avx2: return "avx2";
    }
    return "unknown";
}

bool simd_compiled(Simd s) noexcept {
#if defined(__x86_64__)
    return s == Simd::scalar || s == Simd::avx2;
#else
    return s == Simd::scalar;
#endif
}

std::uint64_t work_items(const OpIO& io) {
    using K = ir::OpKind;
    switch (io.op->kind) {
        case K::fully_connected: return detail::fully_connected_items(io);
        case K::conv2d: return detail::conv2d_items(io);
        case K::matmul: return detail::matmul_items(io);
        case K::add:
        case K::mul:
        case K::clip:
        case K::requantize:
        case K::gelu:
        case K::silu:
            return detail::elementwise_items(io);
        case K::max_pool:
        case K::average_pool:
        case K::global_average_pool: return detail::pool_items(io);
        case K::reshape:
        case K::transpose:
        case K::concat:
        case K::gather:
        case K::cache_write:
            return detail::shape_items(io);
        case K::softmax:
        case K::causal_softmax:
        case K::layer_norm:
        case K::rms_norm:
            return detail::row_items(io);
    }
    return 0;
}

void run_items(const OpIO& io, std::uint64_t begin, std::uint64_t end, Simd simd) {
    using K = ir::OpKind;
    if (begin >= end) return;
    switch (io.op->kind) {
        case K::fully_connected: return detail::fully_connected_run(io, begin, end, simd);
        case K::conv2d: return detail::conv2d_run(io, begin, end, simd);
        case K::matmul: return detail::matmul_run(io, begin, end);
        case K::add:
        case K::mul:
        case K::clip:
        case K::requantize:
        case K::gelu:
        case K::silu:
            return detail::elementwise_run(io, begin, end);
        case K::max_pool:
        case K::average_pool:
        case K::global_average_pool: return detail::pool_run(io, begin, end);
        case K::reshape:
        case K::transpose:
        case K::concat:
        case K::gather:
        case K::cache_write:
            return detail::shape_run(io, begin, end);
        case K::softmax:
        case K::causal_softmax:
        case K::layer_norm:
        case K::rms_norm:
            return detail::row_run(io, begin, end);
    }
}

}  // namespace sigil::kernels
