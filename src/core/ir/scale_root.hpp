#pragma once
/// Scale lists committed by their root in op records (docs/commitments.md §op record): a list of
/// more than kInlineScales (multiplier, shift) entries, such as the per-channel requantization of
/// a language model's head (one entry per vocabulary token), is written as its entry count and
/// the Merkle root of its canonical bytes, so a one-step proof carries 32 bytes instead of the
/// list and opens the one entry it needs.

#include <cstdint>
#include <span>

#include "core/bytes.hpp"
#include "core/ir/program.hpp"

namespace sigil::ir {

/// Lists longer than this are committed by their root in op records.
inline constexpr std::uint32_t kInlineScales = 4;

/// The canonical bytes of a scale list: each entry as multiplier i32 and shift i32, little-endian
/// (8 bytes; entry i lives in 32-byte chunk i / 4 at byte 8 * (i % 4)).
Bytes scale_list_bytes(std::span<const QScale> list);

/// merkle_root of the 32-byte chunks of scale_list_bytes(list), the last padded with zeros: the
/// tensorRoot of the list read as an int32 [count, 2] tensor.
Hash scale_list_root(std::span<const QScale> list);

/// A list committed by its root.
struct ScaleRoot {
    std::uint32_t count = 0;
    Hash root{};
    friend bool operator==(const ScaleRoot&, const ScaleRoot&) = default;
};

}  // namespace sigil::ir
