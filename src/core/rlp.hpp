#pragma once
/// Recursive Length Prefix (RLP) encoding, Ethereum Yellow Paper appendix B, with a strict decoder
/// that accepts only the canonical encoding of each item.
///
/// Invariants the decoder guarantees (tested in rlp_test.cpp and fuzz/rlp_fuzz.cpp):
///  - an accepted input is consumed exactly and `encode(decode(x)) == x` byte for byte;
///  - no allocation larger than the input is made, whatever the declared lengths;
///  - nesting deeper than `kMaxDepth` is refused instead of exhausting the stack.

#include <cstddef>
#include <string_view>
#include <vector>

#include "core/bytes.hpp"
#include "core/result.hpp"
#include "core/u256.hpp"

namespace sigil::rlp {

/// Deepest list nesting `decode` accepts (the outermost list is depth 1).
inline constexpr std::size_t kMaxDepth = 512;

/// An RLP item: a byte string, or a list of items.
struct Item {
    bool is_list = false;
    Bytes bytes;              ///< the payload of a string item (empty for lists)
    std::vector<Item> list;   ///< the elements of a list item (empty for strings)

    /// A string item holding `b`.
    static Item string(BytesView b) { return Item{false, Bytes(b.begin(), b.end()), {}}; }
    /// A string item holding the minimal big-endian bytes of `v` (empty for zero).
    static Item uint(const u256& v) { return Item{false, to_be_minimal(v), {}}; }
    /// A list item of `items`.
    static Item list_of(std::vector<Item> items) { return Item{true, {}, std::move(items)}; }

    friend bool operator==(const Item&, const Item&) = default;
};

/// Every way an RLP input can be refused.
enum class RlpError {
    empty_input,               ///< no bytes where an item was expected
    truncated,                 ///< the declared length runs past the end of the input
    trailing_bytes,            ///< bytes left over after the top-level item
    non_canonical_single_byte, ///< a single byte < 0x80 written as a one-byte string (0x81 xx)
    non_canonical_length,      ///< a long-form length (>= 0xb8 / 0xf8) for a payload under 56 bytes
    leading_zero_in_length,    ///< a long-form length whose first byte is zero
    length_overflow,           ///< a length that does not fit in the address space
    too_deep,                  ///< lists nested deeper than kMaxDepth
    expected_string,           ///< a list where a string (e.g. an integer) was expected
    uint_leading_zero,         ///< an integer with a leading zero byte (zero is the empty string)
    uint_too_long,             ///< an integer of more than 32 bytes
};
/// A stable name for `e` (the enumerator's identifier).
std::string_view to_string(RlpError e) noexcept;

/// The canonical encoding of `item`.
Bytes encode(const Item& item);
/// The encoding of the byte string `b`.
Bytes encode_bytes(BytesView b);
/// The encoding of `v` as a minimal big-endian string (zero is the empty string, 0x80).
Bytes encode_uint(const u256& v);
/// Wraps `payload` (the concatenation of already-encoded items) in a list header.
Bytes encode_list_payload(BytesView payload);

/// Decodes exactly one canonical item that spans all of `in`.
Result<Item, RlpError> decode(BytesView in);
/// Reads a string item as a canonical unsigned integer (no leading zeros, at most 32 bytes).
Result<u256, RlpError> decode_uint(const Item& item);

/// The header of one item at the start of an input: whether it is a list, where its payload starts
/// and how long it is. Checked for canonical form and for fitting inside the input.
struct Header {
    bool is_list = false;
    std::size_t header_size = 0;
    std::size_t payload_size = 0;
};
/// Reads the header of the first item of `in` (the item may be followed by other bytes).
Result<Header, RlpError> decode_header(BytesView in);

}  // namespace sigil::rlp
