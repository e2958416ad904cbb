#pragma once
/// Seeded, portable randomness for data handling: SplitMix64, an unbiased bounded draw, a
/// Fisher-Yates shuffle, and train/validation/test splits. Written out here (not std::
/// distributions, whose outputs differ between standard libraries) so that a seed names the same
/// split and the same batch order on every machine.
///
/// Split algorithm (split_indices):
///   1. perm = 0..n-1 shuffled by `shuffle` with SplitMix64(seed);
///   2. validation = perm[0, v), test = perm[v, v+t), train = perm[v+t, n);
///   3. each part is sorted ascending, so a part is a set whose data set root does not depend on
///      the shuffle beyond membership.
/// Shuffle: for i = n-1 down to 1, j = uniform(i+1), swap(a[i], a[j]).
/// uniform(bound): Lemire's multiply-shift with rejection (arXiv:1805.10941), unbiased.

#include <cstdint>
#include <span>
#include <vector>

namespace sigil::data {

/// SplitMix64 (Steele, Lea, Flood 2014; Vigna's reference xoshiro.di.unimi.it/splitmix64.c).
class SplitMix64 {
public:
    explicit SplitMix64(std::uint64_t seed) noexcept : state_(seed) {}
    /// The next 64 random bits.
    std::uint64_t next() noexcept;
    /// A uniform value in [0, bound). Precondition: bound > 0.
    std::uint64_t uniform(std::uint64_t bound) noexcept;

private:
    std::uint64_t state_;
};

/// A seed derived from a base seed and a stream number (e.g. the epoch), for independent streams.
std::uint64_t derive_seed(std::uint64_t seed, std::uint64_t stream) noexcept;

/// Fisher-Yates shuffle of `items` driven by `rng` (algorithm above).
void shuffle(std::span<std::uint32_t> items, SplitMix64& rng) noexcept;

/// 0..n-1 shuffled with SplitMix64(seed).
std::vector<std::uint32_t> permutation(std::uint32_t n, std::uint64_t seed);

/// Index sets of one split. Each part is sorted ascending; together they partition 0..n-1.
struct SplitIndices {
    std::vector<std::uint32_t> train;
    std::vector<std::uint32_t> validation;
    std::vector<std::uint32_t> test;
};

/// Splits 0..n-1 into validation (`validation` items), test (`test` items) and train (the rest).
/// Precondition: validation + test <= n.
SplitIndices split_indices(std::uint32_t n, std::uint32_t validation, std::uint32_t test, std::uint64_t seed);

}  // namespace sigil::data
