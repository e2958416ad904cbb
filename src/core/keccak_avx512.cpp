// keccak-256 of 8 64-byte messages per permutation with AVX-512F (one message per 64-bit lane;
// vprolq rotates, vpternlogq for chi and the three-way xors). Compiled with -mavx512f
// (src/core/CMakeLists.txt); everything but the entry point has internal linkage (see
// keccak_f1600.hpp).
#include "core/keccak_simd.hpp"

#if defined(__x86_64__)
// GCC 12's AVX-512 intrinsics start from _mm512_undefined_epi32() (`__m512i __Y = __Y;`), which
// -Wuninitialized reports inside the intrinsic headers (GCC bug 105593); the warning is about
// the compiler's own headers, not this code.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wuninitialized"
#if !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
#include <immintrin.h>

#include "core/keccak_f1600.hpp"

namespace sigil::keccak_detail {
namespace {

struct Avx512 {
    static __m512i xor2(__m512i a, __m512i b) noexcept { return _mm512_xor_si512(a, b); }
    // Truth tables over (a, b, c) as vpternlogq's bit index 4a + 2b + c.
    static __m512i xor3(__m512i a, __m512i b, __m512i c) noexcept { return _mm512_ternarylogic_epi64(a, b, c, 0x96); }
    static __m512i chi(__m512i a, __m512i b, __m512i c) noexcept { return _mm512_ternarylogic_epi64(a, b, c, 0xD2); }
    template <int N>
    static __m512i rol(__m512i v) noexcept {
        if constexpr (N == 0) {
            return v;
        } else {
            return _mm512_rol_epi64(v, N);
        }
    }
    static __m512i xor_const(__m512i v, std::uint64_t k) noexcept {
        return _mm512_xor_si512(v, _mm512_set1_epi64(static_cast<long long>(k)));
    }
};

/// 4x4 transpose of 64-bit elements: r[i][j] becomes r[j][i].
void transpose4(__m256i* r) noexcept {
    const __m256i t0 = _mm256_unpacklo_epi64(r[0], r[1]);
    const __m256i t1 = _mm256_unpackhi_epi64(r[0], r[1]);
    const __m256i t2 = _mm256_unpacklo_epi64(r[2], r[3]);
    const __m256i t3 = _mm256_unpackhi_epi64(r[2], r[3]);
    r[0] = _mm256_permute2x128_si256(t0, t2, 0x20);
    r[1] = _mm256_permute2x128_si256(t1, t3, 0x20);
    r[2] = _mm256_permute2x128_si256(t0, t2, 0x31);
    r[3] = _mm256_permute2x128_si256(t1, t3, 0x31);
}

__m256i load(const std::uint8_t* p) noexcept { return _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p)); }

/// Words [4 half, 4 half + 4) of messages 0..7 as 4 vectors, lane l = message l.
void load_words(const std::uint8_t* in, std::size_t half, __m512i* dst) noexcept {
    __m256i a[4];
    __m256i b[4];
    for (std::size_t l = 0; l < 4; ++l) {
        a[l] = load(in + 64 * l + 32 * half);
        b[l] = load(in + 64 * (l + 4) + 32 * half);
    }
    transpose4(a);
    transpose4(b);
    for (std::size_t j = 0; j < 4; ++j) dst[j] = _mm512_inserti64x4(_mm512_castsi256_si512(a[j]), b[j], 1);
}

}  // namespace

void keccak256_64_x8_avx512(const std::uint8_t* in, std::uint8_t* out, std::size_t groups) noexcept {
    for (std::size_t g = 0; g < groups; ++g, in += 8 * 64, out += 8 * 32) {
        __m512i a[25];
        load_words(in, 0, a);
        load_words(in, 1, a + 4);
        for (std::size_t i = 8; i < 25; ++i) a[i] = _mm512_setzero_si512();
        // Padding of a 64-byte message in a 136-byte block: 0x01 at byte 64, 0x80 at byte 135.
        a[8] = _mm512_set1_epi64(1);
        a[kRateLanes - 1] = _mm512_set1_epi64(static_cast<long long>(0x8000000000000000ULL));
        permute<Avx512>(a);
        __m256i lo[4];  // digests of messages 0..3
        __m256i hi[4];  // digests of messages 4..7
        for (std::size_t j = 0; j < 4; ++j) {
            lo[j] = _mm512_castsi512_si256(a[j]);
            hi[j] = _mm512_extracti64x4_epi64(a[j], 1);
        }
        transpose4(lo);
        transpose4(hi);
        for (std::size_t l = 0; l < 4; ++l) {
            _mm256_storeu_si256(reinterpret_cast<__m256i*>(out + 32 * l), lo[l]);
            _mm256_storeu_si256(reinterpret_cast<__m256i*>(out + 32 * (l + 4)), hi[l]);
        }
    }
}

}  // namespace sigil::keccak_detail
#pragma GCC diagnostic pop
#endif
