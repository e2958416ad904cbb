#include "core/kernels/reference.hpp"

#include "core/kernels/detail/rules.hpp"

namespace sigil::kernels {

std::int32_t reference_element(const ir::Op& op, std::span<const Operand> in, const ir::Tensor& out,
                               std::uint64_t index) {
    using K = ir::OpKind;
    switch (op.kind) {
        case K::fully_connected: return detail::fully_connected_element(op, in, out, index);
        case K::matmul: return detail::matmul_element(op, in, out, index);
        case K::conv2d: return detail::conv2d_element(op, in, out, index);
        case K::add: return detail::add_element(op, in, out, index);
        case K::mul: return detail::mul_element(op, in, out, index);
        case K::clip: return detail::clip_element(op, in, out, index);
        case K::max_pool: return detail::max_pool_element(op, in, out, index);
        case K::average_pool: return detail::average_pool_element(op, in, out, index);
        case K::global_average_pool: return detail::global_average_pool_element(op, in, out, index);
        case K::reshape: return detail::reshape_element(op, in, out, index);
        case K::transpose: return detail::transpose_element(op, in, out, index);
        case K::concat: return detail::concat_element(op, in, out, index);
        case K::gather: return detail::gather_element(op, in, out, index);
        case K::softmax: return detail::softmax_element(op, in, out, index);
        case K::gelu: return detail::gelu_element(op, in, out, index);
        case K::layer_norm: return detail::layer_norm_element(op, in, out, index);
        case K::requantize: return detail::requantize_element(op, in, out, index);
        case K::causal_softmax:
            return detail::causal_softmax_element(op, in, out, index);
        case K::rms_norm:
            return detail::rms_norm_element(op, in, out, index);
        case K::silu:
            return detail::silu_element(op, in, out, index);
        case K::cache_write:
            return detail::cache_write_element(op, in, out, index);
    }
    return 0;
}

Bytes reference_run(const ir::Op& op, std::span<const Operand> in, const ir::Tensor& out) {
    Bytes data(static_cast<std::size_t>(ir::byte_size(out)));
    const auto n = ir::element_count(out.shape);
    for (std::uint64_t i = 0; i < n; ++i) store_element(data, out.dtype, i, reference_element(op, in, out, i));
    return data;
}

}  // namespace sigil::kernels
