#pragma once
/// Keccak-256 of many 64-byte messages at once: the parents of a Merkle level (core/merkle.hpp),
/// which is where commitments spend their time. The same digests as keccak256() (core/keccak.hpp)
/// on every path; the paths differ only in speed:
///   - scalar: one message at a time, portable C++;
///   - avx2:   4 messages per permutation (one per 64-bit lane of a 256-bit register);
///   - avx512: 8 messages per permutation (AVX-512F, 512-bit registers, native lane rotates).
/// The SIMD paths are compiled for their instruction sets in their own translation units and only
/// called when the running CPU has them (__builtin_cpu_supports), so the binary runs anywhere.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/bytes.hpp"

namespace sigil {

enum class KeccakPath : std::uint8_t {
    scalar = 0,
    avx2 = 1,    ///< x86-64 with AVX2
    avx512 = 2,  ///< x86-64 with AVX-512F
};

/// "scalar", "avx2" or "avx512".
std::string_view keccak_path_name(KeccakPath path) noexcept;

/// True when this CPU can run `path` (scalar: always).
bool keccak_path_supported(KeccakPath path) noexcept;

/// The fastest supported path (decided once per process).
KeccakPath keccak_best_path() noexcept;

/// Messages one permutation of `path` hashes side by side: 1, 4 or 8. Batches of a multiple of
/// this leave no lane idle.
std::size_t keccak_path_lanes(KeccakPath path) noexcept;

/// keccak256 of the 64 bytes at `msg` (a Merkle parent of two 32-byte nodes).
Hash keccak256_64(const std::uint8_t* msg) noexcept;

/// For i < n: the 32 bytes at out + 32 i become keccak256 of the 64 bytes at in + 64 i.
/// `out == in` is allowed (folding a Merkle level onto its own first half); other overlaps are
/// not. Precondition: keccak_path_supported(path).
void keccak256_64_batch(const std::uint8_t* in, std::uint8_t* out, std::size_t n, KeccakPath path) noexcept;

/// As above on keccak_best_path().
void keccak256_64_batch(const std::uint8_t* in, std::uint8_t* out, std::size_t n) noexcept;

}  // namespace sigil
