// keccak-256 of 4 64-byte messages per permutation with AVX2 (one message per 64-bit lane).
// Compiled with -mavx2 (src/core/CMakeLists.txt); everything but the entry point has internal
// linkage so no AVX2 code can stand in for a portable function (see keccak_f1600.hpp).
#include "core/keccak_simd.hpp"

#if defined(__x86_64__)
#include <immintrin.h>

#include "core/keccak_f1600.hpp"

namespace sigil::keccak_detail {
namespace {

struct Avx2 {
    static __m256i xor2(__m256i a, __m256i b) noexcept { return _mm256_xor_si256(a, b); }
    static __m256i xor3(__m256i a, __m256i b, __m256i c) noexcept { return _mm256_xor_si256(_mm256_xor_si256(a, b), c); }
    static __m256i chi(__m256i a, __m256i b, __m256i c) noexcept { return _mm256_xor_si256(a, _mm256_andnot_si256(b, c)); }
    template <int N>
    static __m256i rol(__m256i v) noexcept {
        if constexpr (N == 0) {
            return v;
        } else {
            return _mm256_or_si256(_mm256_slli_epi64(v, N), _mm256_srli_epi64(v, 64 - N));
        }
    }
    static __m256i xor_const(__m256i v, std::uint64_t k) noexcept {
        return _mm256_xor_si256(v, _mm256_set1_epi64x(static_cast<long long>(k)));
    }
};

/// 4x4 transpose of 64-bit elements: r[i][j] becomes r[j][i].
void transpose4(__m256i* r) noexcept {
    const __m256i t0 = _mm256_unpacklo_epi64(r[0], r[1]);  // r00 r10 r02 r12
    const __m256i t1 = _mm256_unpackhi_epi64(r[0], r[1]);  // r01 r11 r03 r13
    const __m256i t2 = _mm256_unpacklo_epi64(r[2], r[3]);  // r20 r30 r22 r32
    const __m256i t3 = _mm256_unpackhi_epi64(r[2], r[3]);  // r21 r31 r23 r33
    r[0] = _mm256_permute2x128_si256(t0, t2, 0x20);
    r[1] = _mm256_permute2x128_si256(t1, t3, 0x20);
    r[2] = _mm256_permute2x128_si256(t0, t2, 0x31);
    r[3] = _mm256_permute2x128_si256(t1, t3, 0x31);
}

__m256i load(const std::uint8_t* p) noexcept { return _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p)); }

}  // namespace

void keccak256_64_x4_avx2(const std::uint8_t* in, std::uint8_t* out, std::size_t groups) noexcept {
    for (std::size_t g = 0; g < groups; ++g, in += 4 * 64, out += 4 * 32) {
        __m256i a[25];
        __m256i* lo = a;      // message words 0..3, lane l = message l
        __m256i* hi = a + 4;  // message words 4..7
        for (std::size_t l = 0; l < 4; ++l) {
            lo[l] = load(in + 64 * l);
            hi[l] = load(in + 64 * l + 32);
        }
        transpose4(lo);
        transpose4(hi);
        for (std::size_t i = 8; i < 25; ++i) a[i] = _mm256_setzero_si256();
        // Padding of a 64-byte message in a 136-byte block: 0x01 at byte 64, 0x80 at byte 135.
        a[8] = _mm256_set1_epi64x(1);
        a[kRateLanes - 1] = _mm256_set1_epi64x(static_cast<long long>(0x8000000000000000ULL));
        permute<Avx2>(a);
        transpose4(a);  // a[l] = the 32-byte digest of message l
        for (std::size_t l = 0; l < 4; ++l) _mm256_storeu_si256(reinterpret_cast<__m256i*>(out + 32 * l), a[l]);
    }
}

}  // namespace sigil::keccak_detail
#endif
