#pragma once
/// Keccak-256 as Ethereum uses it (the original Keccak padding, not NIST SHA3-256).

#include "core/bytes.hpp"

namespace sigil {

/// keccak256(data).
Hash keccak256(BytesView data) noexcept;
inline Hash keccak256(std::string_view text) noexcept { return keccak256(as_bytes(text)); }

/// keccak256(a || b) without building the concatenation (Merkle nodes).
Hash keccak256_pair(const Hash& a, const Hash& b) noexcept;

}  // namespace sigil
