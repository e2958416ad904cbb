#pragma once
/// Fast paths of every op: blocked loops, lookup tables built from the reference rule, and
/// SIMD dot products. Bit-exact with reference.hpp for every Simd level (checked by
/// fast_test.cpp and fuzz/kernel_diff_fuzz.cpp). Pure: callers (runtime/exec) pick the Simd level
/// from the CPU and split work items across threads.

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "core/bytes.hpp"
#include "core/ir/program.hpp"

namespace sigil::kernels {

/// Instruction-set level of the dot-product kernels.
enum class Simd : std::uint8_t {
    scalar = 0,  ///< portable C++ (the compiler may still vectorize for the baseline ISA)
    avx2 = 1,    ///< x86-64 AVX2 intrinsics; only valid where the CPU has AVX2
};
std::string_view to_string(Simd s) noexcept;
/// True when this build contains code for `s` (AVX2 only on x86-64).
bool simd_compiled(Simd s) noexcept;

/// One op with its operands' descriptors and bytes, and the output buffer to fill.
struct OpIO {
    const ir::Op* op = nullptr;
    std::vector<const ir::Tensor*> in_desc;
    std::vector<BytesView> in;
    const ir::Tensor* out_desc = nullptr;
    std::span<std::uint8_t> out;  ///< byte_size(*out_desc) bytes
};

/// Number of independent work items of the op; each writes a disjoint part of the output.
std::uint64_t work_items(const OpIO& io);

/// Computes work items [begin, end). Calls on disjoint ranges may run concurrently.
/// Preconditions: the op validated against the descriptors; end <= work_items(io).
void run_items(const OpIO& io, std::uint64_t begin, std::uint64_t end, Simd simd);

}  // namespace sigil::kernels
