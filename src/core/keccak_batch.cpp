#include "core/keccak_batch.hpp"

#include <bit>
#include <cstring>

#include "core/keccak_f1600.hpp"
#include "core/keccak_simd.hpp"

namespace sigil {
namespace {

struct Scalar {
    static std::uint64_t xor2(std::uint64_t a, std::uint64_t b) noexcept { return a ^ b; }
    static std::uint64_t xor3(std::uint64_t a, std::uint64_t b, std::uint64_t c) noexcept { return a ^ b ^ c; }
    static std::uint64_t chi(std::uint64_t a, std::uint64_t b, std::uint64_t c) noexcept { return a ^ (~b & c); }
    template <int N>
    static std::uint64_t rol(std::uint64_t v) noexcept {
        return std::rotl(v, N);
    }
    static std::uint64_t xor_const(std::uint64_t v, std::uint64_t k) noexcept { return v ^ k; }
};

/// Keccak lanes are little-endian 64-bit words of the message (compilers turn these loops into a
/// plain load and store on little-endian machines).
std::uint64_t load_le64(const std::uint8_t* p) noexcept {
    std::uint64_t v = 0;
    for (unsigned i = 0; i < 8; ++i) v |= std::uint64_t{p[i]} << (8 * i);
    return v;
}

void store_le64(std::uint8_t* p, std::uint64_t v) noexcept {
    for (unsigned i = 0; i < 8; ++i) p[i] = static_cast<std::uint8_t>(v >> (8 * i));
}

/// One 64-byte message: a single block, padding 0x01 at byte 64 and 0x80 at byte 135. Reads the
/// whole message before writing, so `out` may alias `in`.
void hash64_scalar(const std::uint8_t* in, std::uint8_t* out) noexcept {
    std::uint64_t a[25] = {};
    for (std::size_t i = 0; i < 8; ++i) a[i] = load_le64(in + 8 * i);
    a[8] = 0x01;
    a[keccak_detail::kRateLanes - 1] = 0x8000000000000000ULL;
    keccak_detail::permute<Scalar>(a);
    for (std::size_t i = 0; i < 4; ++i) store_le64(out + 8 * i, a[i]);
}

void batch_scalar(const std::uint8_t* in, std::uint8_t* out, std::size_t n) noexcept {
    for (std::size_t i = 0; i < n; ++i) hash64_scalar(in + 64 * i, out + 32 * i);
}

#if defined(__x86_64__)
using GroupFn = void (*)(const std::uint8_t*, std::uint8_t*, std::size_t) noexcept;

/// Whole groups of `width` messages through `fn`, a remainder through one more group padded in a
/// local buffer (a padded SIMD permutation costs about as much as one scalar permutation).
void batch_groups(const std::uint8_t* in, std::uint8_t* out, std::size_t n, std::size_t width, GroupFn fn) noexcept {
    const std::size_t groups = n / width;
    fn(in, out, groups);
    const std::size_t done = groups * width;
    const std::size_t rest = n - done;
    if (rest > 0) {
        alignas(64) std::uint8_t msgs[8 * 64] = {};
        alignas(64) std::uint8_t digests[8 * 32];
        std::memcpy(msgs, in + 64 * done, 64 * rest);
        fn(msgs, digests, 1);
        std::memcpy(out + 32 * done, digests, 32 * rest);
    }
}
#endif

KeccakPath detect() noexcept {
#if defined(__x86_64__)
    if (__builtin_cpu_supports("avx512f")) return KeccakPath::avx512;
    if (__builtin_cpu_supports("avx2")) return KeccakPath::avx2;
#endif
    return KeccakPath::scalar;
}

}  // namespace

std::string_view keccak_path_name(KeccakPath path) noexcept {
    switch (path) {
        case KeccakPath::scalar: return "scalar";
        case KeccakPath::avx2: return "avx2";
        case KeccakPath::avx512: return "avx512";
    }
    return "unknown";
}

bool keccak_path_supported(KeccakPath path) noexcept {
    switch (path) {
        case KeccakPath::scalar: return true;
#if defined(__x86_64__)
        case KeccakPath::avx2: return __builtin_cpu_supports("avx2");
        case KeccakPath::avx512: return __builtin_cpu_supports("avx512f");
#else
        case KeccakPath::avx2:
        case KeccakPath::avx512: return false;
#endif
    }
    return false;
}

KeccakPath keccak_best_path() noexcept {
    static const KeccakPath best = detect();
    return best;
}

std::size_t keccak_path_lanes(KeccakPath path) noexcept {
    switch (path) {
        case KeccakPath::scalar: return 1;
        case KeccakPath::avx2: return 4;
        case KeccakPath::avx512: return 8;
    }
    return 1;
}

Hash keccak256_64(const std::uint8_t* msg) noexcept {
    Hash h;
    hash64_scalar(msg, h.data());
    return h;
}

void keccak256_64_batch(const std::uint8_t* in, std::uint8_t* out, std::size_t n, KeccakPath path) noexcept {
    switch (path) {
        case KeccakPath::scalar: break;
#if defined(__x86_64__)
        case KeccakPath::avx2: return batch_groups(in, out, n, 4, keccak_detail::keccak256_64_x4_avx2);
        case KeccakPath::avx512: return batch_groups(in, out, n, 8, keccak_detail::keccak256_64_x8_avx512);
#else
        case KeccakPath::avx2:
        case KeccakPath::avx512: break;
#endif
    }
    batch_scalar(in, out, n);
}

void keccak256_64_batch(const std::uint8_t* in, std::uint8_t* out, std::size_t n) noexcept {
    keccak256_64_batch(in, out, n, keccak_best_path());
}

}  // namespace sigil
