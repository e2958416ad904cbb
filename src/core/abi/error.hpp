#pragma once
/// Every way the ABI layer refuses a signature, an argument or encoded data.

#include <string_view>

namespace sigil::abi {

enum class AbiError {
    // Signatures and types.
    bad_signature,          ///< not `name(types...)` (optionally followed by `(outputs)`)
    bad_type,               ///< an unknown type name
    bad_int_size,           ///< intN/uintN with N not a multiple of 8 in 8..256
    bad_bytes_size,         ///< bytesN with N outside 1..32
    bad_array_size,         ///< `T[k]` with k not a positive decimal number
    zero_size_type,         ///< `T[0]` or `()`: types that occupy no bytes are refused
    type_too_deep,          ///< nesting deeper than kMaxTypeDepth
    bad_indexed,            ///< `indexed` outside an event, or more than 3 (4 if anonymous)
    // Argument text.
    arg_count_mismatch,     ///< a different number of arguments than parameters
    bad_bool,               ///< not `true` or `false`
    bad_number,             ///< not a decimal / 0x / 0o / 0b number with optional units
    number_out_of_range,    ///< the number does not fit the intN/uintN bounds
    fraction_not_allowed,   ///< decimals that the unit cannot absorb (`1.5`, `0.1 wei`)
    negative_units,         ///< a negative exponent left after the units (`1e-1`)
    bad_hex,                ///< bytes/bytesN/address text that is not hex
    bad_length,             ///< hex of the wrong length for bytesN or address
    bad_string,             ///< an unterminated or empty quoted/unquoted string
    bad_list,               ///< malformed `[...]` or `(...)` text
    array_length_mismatch,  ///< `T[k]` text with a number of elements other than k
    value_mismatch,         ///< a Value that does not conform to its Type
    trailing_text,          ///< text left over after a complete argument value
    // Encoded data.
    data_too_short,         ///< a read past the end of the data
    offset_out_of_range,    ///< an offset pointing outside the data
    length_out_of_range,    ///< a length larger than the data could hold
    non_canonical_offset,   ///< (strict mode) an offset other than where the encoder puts it
    dirty_padding,          ///< (strict mode) non-zero bytes in padding
    trailing_data,          ///< (strict mode) bytes after the encoded values
    dirty_address,          ///< an address word with non-zero high 12 bytes
    dirty_uint,             ///< a uintN word with bits above N set
    dirty_int,              ///< an intN word that is not the sign extension of N bits
    dirty_bool,             ///< a bool word other than 0 or 1
    dirty_bytes,            ///< a bytesN word with non-zero bytes after the first N
    data_reused,            ///< (lenient mode) offsets that alias one another beyond the data size
    // Calls, logs and reverts.
    selector_mismatch,      ///< calldata or revert data whose selector is not the expected one
    topic_count_mismatch,   ///< a log whose topic count does not match the event
    topic0_mismatch,        ///< a log whose first topic is not the event's topic0
    unknown_error,          ///< revert data whose selector matches no known error
    empty_revert,           ///< revert data shorter than a selector
};
/// A stable name for `e` (the enumerator's identifier).
std::string_view to_string(AbiError e) noexcept;

}  // namespace sigil::abi
