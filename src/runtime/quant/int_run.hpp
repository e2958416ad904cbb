#pragma once
/// Running a quantized program from float tensors: input quantization, op-by-op execution with
/// the kernels' fast paths (one thread), output dequantization. Used for the quantizer's
/// float-vs-int8 agreement and for `sigil model run` on `.sigil` files.

#include <vector>

#include "core/bytes.hpp"
#include "core/keccak.hpp"
#include "core/ir/program.hpp"
#include "runtime/onnx/tensor.hpp"

namespace sigil::rt {

/// Canonical int8 bytes of a float32 tensor under `desc`'s per-tensor quantization
/// (round(x / s) + zp, clamped). Precondition: x.numel() equals desc's element count.
Bytes quantize_input(const Tensor& x, const ir::Tensor& desc);

/// Float32 values of canonical int8/int32 bytes: s * (q - zp), shaped like desc.
Tensor dequantize(BytesView data, const ir::Tensor& desc);

/// How run_program executes each op.
struct RunOptions {
    unsigned threads = 1;    ///< work items of each op split across this many threads
    bool reference = false;  ///< the scalar reference rule of every element instead of the fast path
};

/// The canonical bytes of every tensor after running `p` (validated) on `inputs` (one per
/// program input, canonical layout). Index = tensor id. Results are identical for every
/// RunOptions (the kernels are bit-exact across paths and work splits).
std::vector<Bytes> run_program(const ir::Program& p, const std::vector<Bytes>& inputs, const RunOptions& opts = {});

/// The execution state after the last op, S_N of DESIGN.md §5: merkle_root over the N+1 leaves
/// [inputRoot, root(out_1), ..., root(out_N)], tensor roots by trace::tensor_root and inputRoot
/// the tensor root of the program inputs' canonical bytes concatenated in input order.
Hash final_state_root(const ir::Program& p, const std::vector<Bytes>& buffers);

}  // namespace sigil::rt
