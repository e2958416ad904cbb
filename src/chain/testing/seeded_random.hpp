#pragma once
/// A deterministic `RandomSource` for tests: byte i of the stream is byte (i mod 32) of
/// keccak256(seed || be64(i / 32)). Two sources with one seed draw the same bytes. Thread-safe.

#include <mutex>

#include "chain/random.hpp"
#include "core/keccak.hpp"

namespace sigil::chain::testing {

class SeededRandom final : public RandomSource {
public:
    explicit SeededRandom(std::uint64_t seed) : seed_(seed) {}

    [[nodiscard]] bool fill(std::span<std::uint8_t> out) override {
        std::lock_guard lock(mu_);
        for (auto& b : out) {
            if (pos_ % 32 == 0) block_ = next_block(pos_ / 32);
            b = block_[pos_ % 32];
            ++pos_;
        }
        ++draws_;
        return true;
    }
    /// How many fill calls were made.
    std::size_t draws() const {
        std::lock_guard lock(mu_);
        return draws_;
    }

private:
    Hash next_block(std::uint64_t n) const {
        Bytes in;
        for (int i = 7; i >= 0; --i) in.push_back(static_cast<std::uint8_t>(seed_ >> (8 * i)));
        for (int i = 7; i >= 0; --i) in.push_back(static_cast<std::uint8_t>(n >> (8 * i)));
        return keccak256(in);
    }

    mutable std::mutex mu_;
    std::uint64_t seed_;
    std::uint64_t pos_ = 0;
    std::size_t draws_ = 0;
    Hash block_{};
};

}  // namespace sigil::chain::testing
