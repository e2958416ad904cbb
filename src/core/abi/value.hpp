#pragma once
/// ABI values: a self-describing tree that mirrors `Type`.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "core/abi/type.hpp"
#include "core/address.hpp"
#include "core/bytes.hpp"
#include "core/u256.hpp"

namespace sigil::abi {

/// A value of some ABI type. `kind` and `size` repeat the type's (for arrays `size` is unused);
/// the payload lives in the member that fits the kind:
///  - uint_n: `num`; int_n: `num` as 256-bit two's complement (sign-extended); boolean: `num` 0/1
///  - address: `bytes` (20); bytes_n: `bytes` (N); bytes, string: `bytes` (strings as raw UTF-8)
///  - array, fixed_array, tuple: `elems`
struct Value {
    Kind kind = Kind::uint_n;
    std::size_t size = 256;
    u256 num = 0;
    Bytes bytes;
    std::vector<Value> elems;

    static Value uint(const u256& v, std::size_t bits = 256) { return {Kind::uint_n, bits, v, {}, {}}; }
    /// A signed value; `v` must fit in `bits` (checked by `conforms`).
    static Value int_(const s256& v, std::size_t bits = 256);
    static Value address(const Address& a) { return {Kind::address, 0, 0, Bytes(a.begin(), a.end()), {}}; }
    static Value boolean(bool b) { return {Kind::boolean, 0, b ? 1 : 0, {}, {}}; }
    static Value bytes_n(BytesView b) { return {Kind::bytes_n, b.size(), 0, Bytes(b.begin(), b.end()), {}}; }
    static Value dyn_bytes(BytesView b) { return {Kind::bytes, 0, 0, Bytes(b.begin(), b.end()), {}}; }
    static Value string(std::string_view s) {
        const BytesView b = as_bytes(s);
        return {Kind::string, 0, 0, Bytes(b.begin(), b.end()), {}};
    }
    static Value array(std::vector<Value> elems) { return {Kind::array, 0, 0, {}, std::move(elems)}; }
    static Value fixed_array(std::vector<Value> elems) {
        const std::size_t n = elems.size();
        return {Kind::fixed_array, n, 0, {}, std::move(elems)};
    }
    static Value tuple(std::vector<Value> elems) { return {Kind::tuple, 0, 0, {}, std::move(elems)}; }

    /// The signed value of an int_n.
    s256 as_int() const;
    /// The text of a string value (raw bytes, possibly not valid UTF-8).
    std::string as_string() const { return std::string(bytes.begin(), bytes.end()); }
    /// The address of an address value.
    Address as_address() const;

    friend bool operator==(const Value&, const Value&) = default;
};

/// Whether `v` is a well-formed value of type `t`: same shape, integers within N bits, exact
/// byte lengths for address and bytesN, bool 0 or 1.
bool conforms(const Type& t, const Value& v);
/// `conforms` over parallel lists (false when the lengths differ).
bool conforms(const std::vector<Type>& types, const std::vector<Value>& values);

}  // namespace sigil::abi
