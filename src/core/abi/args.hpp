#pragma once
/// Parsing of argument text into ABI values, with the syntax cast accepts:
///  - bool: `true` | `false`
///  - uintN: decimal, `0x` hex, `0o` octal, `0b` binary, optional fraction and exponent and a
///    unit (`1.5 ether`, `2gwei`, `1e18`); intN: the same with an optional `+`/`-` sign
///  - address, bytesN, bytes: hex with optional `0x` (bytes may be `0x` for empty)
///  - string: the text as is (trailing whitespace trimmed), or within `"..."` / `'...'`
///  - T[] / T[k]: `[a, b, ...]` (a trailing comma is allowed); tuples: `(a, b, ...)`
/// Unlike cast, intN bounds are enforced for negative values too (`-129` is not an int8).

#include <string>
#include <string_view>
#include <vector>

#include "core/abi/error.hpp"
#include "core/abi/type.hpp"
#include "core/abi/value.hpp"
#include "core/result.hpp"

namespace sigil::abi {

/// Parses `text` as a value of type `t`. The result always conforms to `t`.
Result<Value, AbiError> parse_arg(const Type& t, std::string_view text);

/// Parses one argument per type; `arg_count_mismatch` when the counts differ.
Result<std::vector<Value>, AbiError> parse_args(const std::vector<Type>& types,
                                                const std::vector<std::string>& args);

}  // namespace sigil::abi
