#pragma once
/// Byte containers and hexadecimal text, the currency of every encoding in Sigil.

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace sigil {

using Bytes = std::vector<std::uint8_t>;
using BytesView = std::span<const std::uint8_t>;

/// A fixed-size byte string (hashes, addresses, selectors). Compared and ordered bytewise.
template <std::size_t N>
using FixedBytes = std::array<std::uint8_t, N>;
using Bytes32 = FixedBytes<32>;
using Hash = Bytes32;

/// Every way hex text can be refused.
enum class HexError {
    odd_length,     ///< an odd number of hex digits
    bad_digit,      ///< a character that is not 0-9, a-f, A-F
    wrong_length,   ///< the text decodes, but not to the fixed size asked for
};
std::string_view to_string(HexError e) noexcept;

/// Lower-case hex of `data`, with a `0x` prefix when `prefix` is true.
std::string to_hex(BytesView data, bool prefix = true);
template <std::size_t N>
std::string to_hex(const FixedBytes<N>& data, bool prefix = true) {
    return to_hex(BytesView(data.data(), N), prefix);
}

/// Decodes hex text with or without a `0x`/`0X` prefix. An empty string (or bare `0x`) is empty bytes.
Result<Bytes, HexError> from_hex(std::string_view text);

/// Decodes hex text that must be exactly N bytes long.
template <std::size_t N>
Result<FixedBytes<N>, HexError> fixed_from_hex(std::string_view text) {
    auto bytes = SIGIL_TRY(from_hex(text));
    if (bytes.size() != N) return fail(HexError::wrong_length);
    FixedBytes<N> out{};
    for (std::size_t i = 0; i < N; ++i) out[i] = bytes[i];
    return out;
}

/// Views over strings and containers as bytes.
inline BytesView as_bytes(std::string_view s) noexcept {
    return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};  // NOLINT
}
template <std::size_t N>
BytesView as_bytes(const FixedBytes<N>& a) noexcept {
    return {a.data(), N};
}

/// Concatenates byte ranges.
Bytes concat(std::initializer_list<BytesView> parts);

}  // namespace sigil
