#pragma once
/// Internal to core/keccak*.cpp: the SIMD kernels behind keccak256_64_batch. Each processes
/// `groups` groups of W consecutive 64-byte messages (W = 4 for AVX2, 8 for AVX-512); for group g
/// it reads in[64 W g, 64 W (g + 1)) completely before writing out[32 W g, 32 W (g + 1)), so
/// out == in folds a level in place. Call only when the CPU has the instruction set.

#include <cstddef>
#include <cstdint>

namespace sigil::keccak_detail {

#if defined(__x86_64__)
void keccak256_64_x4_avx2(const std::uint8_t* in, std::uint8_t* out, std::size_t groups) noexcept;
void keccak256_64_x8_avx512(const std::uint8_t* in, std::uint8_t* out, std::size_t groups) noexcept;
#endif

}  // namespace sigil::keccak_detail
