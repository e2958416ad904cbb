#pragma once
/// Internal to core/keccak*: the keccak-f[1600] permutation written once over a "lane vector"
/// type, so the scalar path (one message) and the SIMD paths (4 or 8 messages side by side, one
/// message per vector lane) share the same round code. Not for use outside core/keccak*.cpp.
///
/// Reference: "The Keccak reference", version 3.0, §1.2 (theta, rho, pi, chi, iota) and §1.2.2
/// (round constants); state lane A[x, y] is a[x + 5 * y].
///
/// The SIMD translation units include this header with their own Ops type in an anonymous
/// namespace, so every instantiation has internal linkage and no code compiled for AVX2/AVX-512
/// can be picked by the linker for a caller on a CPU without them.

#include <cstddef>
#include <cstdint>
#include <utility>

namespace sigil::keccak_detail {

// The tables are plain arrays, not std::array: indexing them must not instantiate a shared inline
// function inside the SIMD translation units.

/// Round constants RC[0..23] (iota).
inline constexpr std::uint64_t kRoundConstants[24] = {
    0x0000000000000001ULL, 0x0000000000008082ULL, 0x800000000000808AULL, 0x8000000080008000ULL,
    0x000000000000808BULL, 0x0000000080000001ULL, 0x8000000080008081ULL, 0x8000000000008009ULL,
    0x000000000000008AULL, 0x0000000000000088ULL, 0x0000000080008009ULL, 0x000000008000000AULL,
    0x000000008000808BULL, 0x800000000000008BULL, 0x8000000000008089ULL, 0x8000000000008003ULL,
    0x8000000000008002ULL, 0x8000000000000080ULL, 0x000000000000800AULL, 0x800000008000000AULL,
    0x8000000080008081ULL, 0x8000000000008080ULL, 0x0000000080000001ULL, 0x8000000080008008ULL};

/// Rotation offsets r[x, y] of rho, indexed x + 5 * y.
inline constexpr int kRho[25] = {0,  1,  62, 28, 27,  //
                                 36, 44, 6,  55, 20,  //
                                 3,  10, 43, 25, 39,  //
                                 41, 45, 15, 21, 8,   //
                                 18, 2,  61, 56, 14};

/// pi moves lane (x, y) to (y, 2x + 3y mod 5); kPi[x + 5 * y] is the destination index.
inline constexpr std::size_t kPi[25] = {0, 10, 20, 5, 15,  //
                                        16, 1, 11, 21, 6,  //
                                        7, 17, 2, 12, 22,  //
                                        23, 8, 18, 3, 13,  //
                                        14, 24, 9, 19, 4};

constexpr bool pi_table_matches_rule() {
    for (std::size_t x = 0; x < 5; ++x) {
        for (std::size_t y = 0; y < 5; ++y) {
            if (kPi[x + 5 * y] != y + 5 * ((2 * x + 3 * y) % 5)) return false;
        }
    }
    return true;
}
static_assert(pi_table_matches_rule());

/// Keccak-256 (Ethereum's, original padding 0x01 ... 0x80): rate 136 bytes = 17 lanes.
inline constexpr std::size_t kRateLanes = 17;

// Ops must provide, for its lane vector type V:
//   V xor2(V, V); V xor3(V, V, V); V chi(V a, V b, V c) = a ^ (~b & c);
//   template <int N> V rol(V)  (rotate each 64-bit lane left by N, 0 <= N < 64);
//   V xor_const(V, std::uint64_t)  (xor the same constant into every lane).

template <class Ops, class V, std::size_t... I>
inline void rho_pi(const V* a, const V* d, V* b, std::index_sequence<I...> /*unused*/) {
    ((b[kPi[I]] = Ops::template rol<kRho[I]>(Ops::xor2(a[I], d[I % 5]))), ...);
}

template <class Ops, class V, std::size_t... Y>
inline void chi_rows(V* a, const V* b, std::index_sequence<Y...> /*unused*/) {
    ((a[5 * Y + 0] = Ops::chi(b[5 * Y + 0], b[5 * Y + 1], b[5 * Y + 2]),
      a[5 * Y + 1] = Ops::chi(b[5 * Y + 1], b[5 * Y + 2], b[5 * Y + 3]),
      a[5 * Y + 2] = Ops::chi(b[5 * Y + 2], b[5 * Y + 3], b[5 * Y + 4]),
      a[5 * Y + 3] = Ops::chi(b[5 * Y + 3], b[5 * Y + 4], b[5 * Y + 0]),
      a[5 * Y + 4] = Ops::chi(b[5 * Y + 4], b[5 * Y + 0], b[5 * Y + 1])),
     ...);
}

template <class Ops, class V, std::size_t... X>
inline void theta(const V* a, V* d, std::index_sequence<X...> /*unused*/) {
    V c[5];
    ((c[X] = Ops::xor3(Ops::xor3(a[X], a[X + 5], a[X + 10]), a[X + 15], a[X + 20])), ...);
    ((d[X] = Ops::xor2(c[(X + 4) % 5], Ops::template rol<1>(c[(X + 1) % 5]))), ...);
}

/// keccak-f[1600] on the state `a` (25 lanes), all 24 rounds. Every lane index is a compile-time
/// constant so the compiler keeps the state in registers.
template <class Ops, class V>
inline void permute(V* a) {
    for (std::size_t round = 0; round < 24; ++round) {
        V d[5];
        theta<Ops>(a, d, std::make_index_sequence<5>{});
        V b[25];
        rho_pi<Ops>(a, d, b, std::make_index_sequence<25>{});  // theta's column xor folded in
        chi_rows<Ops>(a, b, std::make_index_sequence<5>{});
        a[0] = Ops::xor_const(a[0], kRoundConstants[round]);
    }
}

}  // namespace sigil::keccak_detail
