#pragma once
/// Text of decoded values exactly as cast 1.7.1 prints them (`cast abi-decode`,
/// `cast calldata-decode`, `cast decode-error`), and as its `--json` output.

#include <string>
#include <vector>

#include "core/abi/value.hpp"

namespace sigil::abi {

/// One value as cast prints it: integers in decimal with a `[1.234e9]` hint from 10000 up,
/// checksummed addresses, `0x` hex bytes, strings quoted and escaped like Rust's `{:?}`
/// (invalid UTF-8 replaced by U+FFFD), arrays `[a, b]`, tuples `(a, b)`.
std::string format(const Value& v);

/// The values as cast's `--json` prints them: a pretty JSON array (2-space indent); integers
/// that fit 64 bits as numbers, larger ones as decimal strings; bytes as `0x` hex strings.
/// (cast also re-parses strings that hold a JSON object into objects; this does not.)
std::string format_json(const std::vector<Value>& values);

/// Rust's `{:?}` of a string: quoted, with `\t \r \n \\ \" \0` and non-printable characters
/// escaped as `\u{hex}`. Invalid UTF-8 is replaced by U+FFFD first.
std::string debug_quote(const std::string& utf8);

}  // namespace sigil::abi
