#pragma once
/// 256-bit unsigned integers (Boost.Multiprecision), with the big-endian codecs the EVM uses.
/// Arithmetic on `u256` wraps modulo 2^256, as the EVM's does.

#include <boost/multiprecision/cpp_int.hpp>
#include <string>
#include <string_view>

#include "core/bytes.hpp"

namespace sigil {

using u256 = boost::multiprecision::uint256_t;
/// Signed 256-bit two's complement values are carried as `s256` only for parsing and printing.
using s256 = boost::multiprecision::int256_t;
/// Wider integers for intermediate products that must not wrap (mul-div).
using u512 = boost::multiprecision::uint512_t;

enum class IntError {
    empty,         ///< no digits
    bad_digit,     ///< a character that is not a digit of the base
    overflow,      ///< the value does not fit in 256 bits
};
std::string_view to_string(IntError e) noexcept;

/// Parses decimal text, or hex text with a `0x` prefix, into a u256.
Result<u256, IntError> parse_u256(std::string_view text);

/// The 32-byte big-endian encoding of `v`.
Bytes32 to_be32(const u256& v) noexcept;
/// Reads up to 32 big-endian bytes as an unsigned integer.
u256 from_be(BytesView be) noexcept;
/// Minimal big-endian bytes of `v` (empty for zero), as RLP wants integers.
Bytes to_be_minimal(const u256& v);

/// Decimal text of `v`.
std::string to_dec(const u256& v);
/// `0x`-prefixed minimal hex of `v` (`0x0` for zero), as JSON-RPC quantities are written.
std::string to_hex_quantity(const u256& v);

}  // namespace sigil
