#include "runtime/quant/int_run.hpp"

#include "core/kernels/fast.hpp"
#include "core/kernels/operand.hpp"
#include "runtime/quant/qscale.hpp"

namespace sigil::rt {

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

std::vector<Bytes> run_program(const ir::Program& p, const std::vector<Bytes>& inputs) {
    std::vector<Bytes> buf(p.tensors.size());
    for (std::size_t i = 0; i < p.tensors.size(); ++i)
        if (p.tensors[i].kind == ir::TensorKind::constant) buf[i] = p.tensors[i].data;
    for (std::size_t i = 0; i < p.inputs.size() && i < inputs.size(); ++i) buf[p.inputs[i]] = inputs[i];
    const auto simd = kernels::simd_compiled(kernels::Simd::avx2) && __builtin_cpu_supports("avx2") ? kernels::Simd::avx2
                                                                                                   : kernels::Simd::scalar;
    for (const auto& op : p.ops) {
        kernels::OpIO io;
        io.op = &op;
        for (auto id : op.inputs) {
            io.in_desc.push_back(&p.tensors[id]);
            io.in.push_back(buf[id]);
        }
        io.out_desc = &p.tensors[op.output];
        buf[op.output].assign(static_cast<std::size_t>(ir::byte_size(p.tensors[op.output])), 0);
        io.out = buf[op.output];
        kernels::run_items(io, 0, kernels::work_items(io), simd);
    }
    return buf;
}

}  // namespace sigil::rt
