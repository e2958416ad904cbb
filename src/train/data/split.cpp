#include "train/data/split.hpp"

#include <algorithm>
#include <cassert>
#include <numeric>

namespace sigil::data {

__extension__ typedef unsigned __int128 U128;  // GCC/Clang 128-bit product for Lemire's method

std::uint64_t SplitMix64::next() noexcept {
    std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

std::uint64_t SplitMix64::uniform(std::uint64_t bound) noexcept {
    assert(bound > 0);
    U128 m = static_cast<U128>(next()) * bound;
    auto low = static_cast<std::uint64_t>(m);
    if (low < bound) {
        const std::uint64_t threshold = (0 - bound) % bound;
        while (low < threshold) {
            m = static_cast<U128>(next()) * bound;
            low = static_cast<std::uint64_t>(m);
        }
    }
    return static_cast<std::uint64_t>(m >> 64);
}

std::uint64_t derive_seed(std::uint64_t seed, std::uint64_t stream) noexcept {
    SplitMix64 a(seed);
    SplitMix64 b(a.next() ^ stream);
    return b.next();
}

void shuffle(std::span<std::uint32_t> items, SplitMix64& rng) noexcept {
    for (std::size_t i = items.size(); i > 1; --i) {
        const auto j = static_cast<std::size_t>(rng.uniform(i));
        std::swap(items[i - 1], items[j]);
    }
}

std::vector<std::uint32_t> permutation(std::uint32_t n, std::uint64_t seed) {
    std::vector<std::uint32_t> perm(n);
    std::iota(perm.begin(), perm.end(), 0U);
    SplitMix64 rng(seed);
    shuffle(perm, rng);
    return perm;
}

SplitIndices split_indices(std::uint32_t n, std::uint32_t validation, std::uint32_t test, std::uint64_t seed) {
    assert(std::uint64_t{validation} + test <= n);
    const std::vector<std::uint32_t> perm = permutation(n, seed);
    SplitIndices out;
    const auto v_end = perm.begin() + validation;
    const auto t_end = v_end + test;
    out.validation.assign(perm.begin(), v_end);
    out.test.assign(v_end, t_end);
    out.train.assign(t_end, perm.end());
    std::sort(out.validation.begin(), out.validation.end());
    std::sort(out.test.begin(), out.test.end());
    std::sort(out.train.begin(), out.train.end());
    return out;
}

}  // namespace sigil::data
