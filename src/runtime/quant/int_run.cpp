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
