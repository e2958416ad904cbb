#include "runtime/quant/int_run.hpp"

#include "core/kernels/operand.hpp"
#include "runtime/quant/qscale.hpp"

namespace sigil::runtime {

namespace {
AffineQ affine_of(const ir::Tensor& d) {
    return AffineQ{d.quant.scales.empty() ? 1.0 : real_from_qscale(d.quant.scales[0]), d.quant.zero_point};
}
}  // namespace

Bytes quantize_input(const Tensor& x, const ir::Tensor& desc) {
    if (desc.dtype == ir::DType::int32) {  // integer ids (tokens): their values, little-endian int32
        Bytes out;
        out.reserve(static_cast<std::size_t>(x.numel()) * 4);
        for (std::size_t i = 0; i < static_cast<std::size_t>(x.numel()); ++i) {
            const auto v = static_cast<std::uint32_t>(static_cast<std::int32_t>(element_as_i64(x, i)));
            for (int k = 0; k < 4; ++k) out.push_back(static_cast<std::uint8_t>(v >> (8 * k)));
        }
        return out;
    }
    const AffineQ q = affine_of(desc);
    Bytes out;
    out.reserve(x.f().size());
    for (float v : x.f()) out.push_back(static_cast<std::uint8_t>(q.quantize(static_cast<double>(v))));
    return out;
}

Tensor dequantize(BytesView data, const ir::Tensor& desc) {
    const AffineQ q = affine_of(desc);
    Shape s(desc.shape.begin(), desc.shape.end());
    Tensor t = Tensor::zeros(DType::F32, s);
    for (std::size_t i = 0; i < t.f().size(); ++i)
        t.f()[i] = static_cast<float>(q.dequantize(kernels::load_element(data, desc.dtype, i)));
    return t;
}

}  // namespace sigil::runtime
