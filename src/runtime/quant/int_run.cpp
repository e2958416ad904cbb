#include "runtime/quant/int_run.hpp"

#include <algorithm>
#include <thread>

#include "core/kernels/fast.hpp"
#include "core/kernels/operand.hpp"
#include "core/kernels/reference.hpp"
#include "core/merkle.hpp"
#include "core/trace/chunks.hpp"
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

namespace {

void run_fast(const kernels::OpIO& io, unsigned threads, kernels::Simd simd) {
    const std::uint64_t items = kernels::work_items(io);
    const std::uint64_t t = std::min<std::uint64_t>(std::max(threads, 1U), items);
    if (t <= 1) {
        kernels::run_items(io, 0, items, simd);
        return;
    }
    std::vector<std::thread> pool;
    for (std::uint64_t i = 1; i < t; ++i)
        pool.emplace_back([&io, i, t, items, simd] { kernels::run_items(io, items * i / t, items * (i + 1) / t, simd); });
    kernels::run_items(io, 0, items / t, simd);
    for (auto& th : pool) th.join();
}

}  // namespace

std::vector<Bytes> run_program(const ir::Program& p, const std::vector<Bytes>& inputs, const RunOptions& opts) {
    std::vector<Bytes> buf(p.tensors.size());
    for (std::size_t i = 0; i < p.tensors.size(); ++i)
        if (p.tensors[i].kind == ir::TensorKind::constant) buf[i] = p.tensors[i].data;
    for (std::size_t i = 0; i < p.inputs.size() && i < inputs.size(); ++i) buf[p.inputs[i]] = inputs[i];
    const auto simd = kernels::simd_compiled(kernels::Simd::avx2) && __builtin_cpu_supports("avx2") ? kernels::Simd::avx2
                                                                                                   : kernels::Simd::scalar;
    for (const auto& op : p.ops) {
        const ir::Tensor& out = p.tensors[op.output];
        if (opts.reference) {
            std::vector<kernels::Operand> operands;
            for (auto id : op.inputs) operands.emplace_back(p.tensors[id], buf[id]);
            buf[op.output] = kernels::reference_run(op, operands, out);
            continue;
        }
        kernels::OpIO io;
        io.op = &op;
        for (auto id : op.inputs) {
            io.in_desc.push_back(&p.tensors[id]);
            io.in.push_back(buf[id]);
        }
        io.out_desc = &out;
        buf[op.output].assign(static_cast<std::size_t>(ir::byte_size(out)), 0);
        io.out = buf[op.output];
        run_fast(io, opts.threads, simd);
    }
    return buf;
}

Hash final_state_root(const ir::Program& p, const std::vector<Bytes>& buffers) {
    Bytes inputs;
    for (auto id : p.inputs) inputs.insert(inputs.end(), buffers[id].begin(), buffers[id].end());
    std::vector<Hash> leaves{trace::tensor_root(inputs)};
    for (const auto& op : p.ops) leaves.push_back(trace::tensor_root(buffers[op.output]));
    return merkle_root(leaves);
}

}  // namespace sigil::rt
