#pragma once
/// Randomness as an injected dependency, like `Clock`: components that draw secrets (commitment
/// salts, keys) take a `RandomSource&`, so tests can replay a draw exactly.

#include <cstdint>
#include <span>

#include "core/bytes.hpp"

namespace sigil::chain {

/// A source of uniformly random bytes.
class RandomSource {
public:
    virtual ~RandomSource() = default;
    /// Fills `out`; false when no randomness is available (the caller must not use `out`).
    [[nodiscard]] virtual bool fill(std::span<std::uint8_t> out) = 0;
};

/// The operating system's CSPRNG (getrandom(2)); thread-safe.
class SystemRandom final : public RandomSource {
public:
    [[nodiscard]] bool fill(std::span<std::uint8_t> out) override;
};

/// The process-wide CSPRNG.
RandomSource& system_random();

}  // namespace sigil::chain
