#include "core/kernels/detail/dot.hpp"

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
#endif

}  // namespace

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
