#pragma once
/// Ether amounts as users type them: decimal or 0x-hex integers, optionally with a unit suffix
/// (`wei`, `gwei`, `ether`), e.g. `1ether`, `1.5gwei`, `21000`. The value must be a whole number
/// of wei.

#include <string_view>

#include "core/result.hpp"
#include "core/u256.hpp"

namespace sigil::chain {

enum class AmountError {
    empty,          ///< no digits
    bad_number,     ///< not a decimal or hex number
    unknown_unit,   ///< a suffix other than wei/gwei/ether
    fractional_wei, ///< more decimals than the unit allows (not a whole number of wei)
    overflow,       ///< above 2^256 - 1 wei
};
std::string_view to_string(AmountError e) noexcept;

/// Parses an amount in wei.
Result<u256, AmountError> parse_amount(std::string_view text);

}  // namespace sigil::chain
