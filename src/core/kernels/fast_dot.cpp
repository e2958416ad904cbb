#include "core/kernels/detail/dot.hpp"

#include "core/kernels/fixedpoint.hpp"

#if defined(__x86_64__)
#include <immintrin.h>
#endif

namespace sigil::kernels::detail {
namespace {

std::int32_t dot_scalar(const std::int16_t* a, const std::int8_t* b, std::size_t k) noexcept {
    std::uint32_t acc = 0;  // unsigned: wrapping by definition, so any summation order agrees
    for (std::size_t i = 0; i < k; ++i) acc += static_cast<std::uint32_t>(std::int32_t{a[i]} * b[i]);
    return static_cast<std::int32_t>(acc);
}

#if defined(__x86_64__)
[[gnu::target("avx2")]] inline std::int32_t hsum(__m256i v) noexcept {
    __m128i s = _mm_add_epi32(_mm256_castsi256_si128(v), _mm256_extracti128_si256(v, 1));
    s = _mm_add_epi32(s, _mm_shuffle_epi32(s, 0x4E));
    s = _mm_add_epi32(s, _mm_shuffle_epi32(s, 0xB1));
    return _mm_cvtsi128_si32(s);
}

[[gnu::target("avx2")]] inline __m256i load16(const std::int8_t* p) noexcept {
    return _mm256_cvtepi8_epi16(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p)));  // NOLINT
}

// Products are at most 255 * 128 in magnitude and madd adds two of them, so every 32-bit lane sum
// of one step is exact; the lane accumulators then wrap like the scalar sum (addition mod 2^32).
[[gnu::target("avx2")]] void dot4_avx2(const std::int16_t* a, const std::int8_t* b, std::size_t stride,
                                       std::size_t k, std::int32_t* out) noexcept {
    __m256i acc0 = _mm256_setzero_si256(), acc1 = acc0, acc2 = acc0, acc3 = acc0;
    std::size_t i = 0;
    for (; i + 16 <= k; i += 16) {
        const __m256i av = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(a + i));  // NOLINT
        acc0 = _mm256_add_epi32(acc0, _mm256_madd_epi16(av, load16(b + i)));
        acc1 = _mm256_add_epi32(acc1, _mm256_madd_epi16(av, load16(b + stride + i)));
        acc2 = _mm256_add_epi32(acc2, _mm256_madd_epi16(av, load16(b + 2 * stride + i)));
        acc3 = _mm256_add_epi32(acc3, _mm256_madd_epi16(av, load16(b + 3 * stride + i)));
    }
    const std::size_t rest = k - i;
    out[0] = static_cast<std::int32_t>(static_cast<std::uint32_t>(hsum(acc0)) +
                                       static_cast<std::uint32_t>(dot_scalar(a + i, b + i, rest)));
    out[1] = static_cast<std::int32_t>(static_cast<std::uint32_t>(hsum(acc1)) +
                                       static_cast<std::uint32_t>(dot_scalar(a + i, b + stride + i, rest)));
    out[2] = static_cast<std::int32_t>(static_cast<std::uint32_t>(hsum(acc2)) +
                                       static_cast<std::uint32_t>(dot_scalar(a + i, b + 2 * stride + i, rest)));
    out[3] = static_cast<std::int32_t>(static_cast<std::uint32_t>(hsum(acc3)) +
                                       static_cast<std::uint32_t>(dot_scalar(a + i, b + 3 * stride + i, rest)));
}

[[gnu::target("avx2")]] std::int32_t dot1_avx2(const std::int16_t* a, const std::int8_t* b, std::size_t k) noexcept {
    __m256i acc = _mm256_setzero_si256();
    std::size_t i = 0;
    for (; i + 16 <= k; i += 16) {
        const __m256i av = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(a + i));  // NOLINT
        acc = _mm256_add_epi32(acc, _mm256_madd_epi16(av, load16(b + i)));
    }
    return static_cast<std::int32_t>(static_cast<std::uint32_t>(hsum(acc)) +
                                     static_cast<std::uint32_t>(dot_scalar(a + i, b + i, k - i)));
}

[[gnu::target("avx2")]] void dot_cols_avx2(const std::int8_t* w, const std::int16_t* cols, std::size_t k,
                                           std::size_t n, std::int32_t* out) noexcept {
    std::size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        __m256i acc = _mm256_setzero_si256();
        for (std::size_t j = 0; j < k; ++j) {
            const __m256i c = _mm256_cvtepi16_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i*>(cols + j * n + i)));  // NOLINT
            acc = _mm256_add_epi32(acc, _mm256_mullo_epi32(c, _mm256_set1_epi32(w[j])));
        }
        _mm256_storeu_si256(reinterpret_cast<__m256i*>(out + i), acc);  // NOLINT
    }
    for (; i < n; ++i) {
        std::uint32_t acc = 0;
        for (std::size_t j = 0; j < k; ++j) acc += static_cast<std::uint32_t>(std::int32_t{w[j]} * cols[j * n + i]);
        out[i] = static_cast<std::int32_t>(acc);
    }
}

// SRDHM for M >= 0 (never both INT32_MIN): sign(a) * floor((|a| M + 2^30 - [a < 0]) / 2^31), which
// equals gemmlowp's truncating form; then RDBPOT, zero point and clamp, 8 lanes at a time.
[[gnu::target("avx2")]] void requantize_block_avx2(const std::int32_t* acc, std::size_t n, ir::QScale q,
                                                   std::int32_t zo, std::int32_t lo, std::int32_t hi,
                                                   std::uint8_t* out) noexcept {
    const __m256i m = _mm256_set1_epi64x(q.multiplier);
    const __m256i half = _mm256_set1_epi64x(std::int64_t{1} << 30);
    const __m256i one64 = _mm256_set1_epi64x(1);
    const __m128i shift = _mm_cvtsi32_si128(q.shift);
    const __m256i mask = _mm256_set1_epi32(static_cast<std::int32_t>((std::int64_t{1} << q.shift) - 1));
    const __m256i mask_half = _mm256_srai_epi32(mask, 1);
    const __m256i vzo = _mm256_set1_epi32(zo), vlo = _mm256_set1_epi32(lo), vhi = _mm256_set1_epi32(hi);
    const __m256i zero = _mm256_setzero_si256();
    std::size_t i = 0;
    alignas(32) std::int32_t tmp[8];
    for (; i + 8 <= n; i += 8) {
        const __m256i a = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(acc + i));  // NOLINT
        const __m256i neg = _mm256_cmpgt_epi32(zero, a);  // all ones where a < 0
        const __m256i mag = _mm256_abs_epi32(a);           // |INT32_MIN| = 2^31 as unsigned
        // even lanes (0, 2, 4, 6) and odd lanes, as 64-bit products
        const __m256i neg_even = _mm256_and_si256(neg, _mm256_set1_epi64x(0xFFFFFFFF));
        const __m256i neg_odd = _mm256_srli_epi64(neg, 32);
        __m256i pe = _mm256_mul_epu32(mag, m);
        __m256i po = _mm256_mul_epu32(_mm256_srli_epi64(mag, 32), m);
        pe = _mm256_srli_epi64(_mm256_sub_epi64(_mm256_add_epi64(pe, half), _mm256_and_si256(neg_even, one64)), 31);
        po = _mm256_srli_epi64(_mm256_sub_epi64(_mm256_add_epi64(po, half), _mm256_and_si256(neg_odd, one64)), 31);
        __m256i h = _mm256_or_si256(pe, _mm256_slli_epi64(po, 32));
        h = _mm256_sub_epi32(_mm256_xor_si256(h, neg), neg);  // negate where a < 0
        // RDBPOT(h, shift)
        const __m256i rem = _mm256_and_si256(h, mask);
        const __m256i threshold = _mm256_sub_epi32(mask_half, _mm256_cmpgt_epi32(zero, h));
        __m256i r = _mm256_sra_epi32(h, shift);
        r = _mm256_sub_epi32(r, _mm256_cmpgt_epi32(rem, threshold));
        // + zo with int32 overflow impossible? |r| < 2^31 and |zo| <= 128 can overflow at the edge,
        // so clamp r first to [lo - zo, hi - zo], which is exact for the final clamp.
        r = _mm256_min_epi32(_mm256_max_epi32(r, _mm256_sub_epi32(vlo, vzo)), _mm256_sub_epi32(vhi, vzo));
        r = _mm256_add_epi32(r, vzo);
        _mm256_store_si256(reinterpret_cast<__m256i*>(tmp), r);  // NOLINT
        for (std::size_t k = 0; k < 8; ++k) out[i + k] = static_cast<std::uint8_t>(tmp[k]);
    }
    for (; i < n; ++i) out[i] = static_cast<std::uint8_t>(add_zero_point_clamp(requantize(acc[i], q), zo, lo, hi));
}
#endif

void dot_cols_scalar(const std::int8_t* w, const std::int16_t* cols, std::size_t k, std::size_t n,
                     std::int32_t* out) noexcept {
    for (std::size_t i = 0; i < n; ++i) out[i] = 0;
    for (std::size_t j = 0; j < k; ++j) {
        const std::int32_t wj = w[j];
        const std::int16_t* c = cols + j * n;
        for (std::size_t i = 0; i < n; ++i) {
            out[i] = static_cast<std::int32_t>(static_cast<std::uint32_t>(out[i]) + static_cast<std::uint32_t>(wj * c[i]));
        }
    }
}

}  // namespace

void dot_cols(const std::int8_t* w, const std::int16_t* cols, std::size_t k, std::size_t n, std::int32_t* out,
              Simd simd) noexcept {
#if defined(__x86_64__)
    if (simd == Simd::avx2) return dot_cols_avx2(w, cols, k, n, out);
#endif
    (void)simd;
    dot_cols_scalar(w, cols, k, n, out);
}

void requantize_block(const std::int32_t* acc, std::size_t n, ir::QScale q, std::int32_t zo, std::int32_t lo,
                      std::int32_t hi, std::uint8_t* out, Simd simd) noexcept {
#if defined(__x86_64__)
    if (simd == Simd::avx2 && q.shift >= 0) return requantize_block_avx2(acc, n, q, zo, lo, hi, out);
#endif
    (void)simd;
    for (std::size_t i = 0; i < n; ++i) out[i] = static_cast<std::uint8_t>(add_zero_point_clamp(requantize(acc[i], q), zo, lo, hi));
}

void dot_rows(const std::int16_t* a, const std::int8_t* b, std::size_t stride, std::size_t k, std::size_t rows,
              std::int32_t* out, Simd simd) noexcept {
#if defined(__x86_64__)
    if (simd == Simd::avx2) {
        std::size_t r = 0;
        for (; r + 4 <= rows; r += 4) dot4_avx2(a, b + r * stride, stride, k, out + r);
        for (; r < rows; ++r) out[r] = dot1_avx2(a, b + r * stride, k);
        return;
    }
#endif
    (void)simd;
    for (std::size_t r = 0; r < rows; ++r) out[r] = dot_scalar(a, b + r * stride, k);
}

}  // namespace sigil::kernels::detail
