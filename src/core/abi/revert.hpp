#pragma once
/// Decoding of revert data: `Error(string)`, `Panic(uint256)` and custom errors
/// (https://docs.soliditylang.org/en/latest/control-structures.html#panic-via-assert-and-error-via-require).

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/abi/codec.hpp"
#include "core/abi/error.hpp"
#include "core/abi/type.hpp"
#include "core/abi/value.hpp"

namespace sigil::abi {

/// Parses a custom error signature, `InsufficientBalance(uint256 available, uint256 required)`,
/// optionally prefixed by `error`.
Result<Function, AbiError> parse_error(std::string_view text);

enum class RevertKind {
    error_string,  ///< Error(string), selector 0x08c379a0
    panic,         ///< Panic(uint256), selector 0x4e487b71
    custom,        ///< one of the custom error signatures given
};

/// Decoded revert data.
struct Revert {
    RevertKind kind = RevertKind::custom;
    Function error;             ///< the matched error's signature
    std::vector<Value> args;    ///< its decoded arguments
    std::string_view panic_reason;  ///< for panics with a known code, what it means (else empty)
};

/// Decodes revert data against the built-in errors and then `custom_error_sigs` (each parsed by
/// `parse_error`). `empty_revert` for data shorter than a selector, `unknown_error` when no
/// signature has the data's selector.
Result<Revert, AbiError> decode_revert(BytesView data, std::span<const std::string> custom_error_sigs,
                                       DecodeMode mode = DecodeMode::strict);

/// The meaning of a Solidity panic code (0x01 assert, 0x11 overflow, ...), or empty if unknown.
std::string_view panic_reason(const u256& code) noexcept;

/// One line: `Error("boom")`, `Panic(0x11): arithmetic underflow or overflow`,
/// `InsufficientBalance(1, 2)`.
std::string describe(const Revert& r);

}  // namespace sigil::abi
