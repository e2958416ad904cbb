#pragma once
/// Solidity ABI types and human-readable signatures
/// (https://docs.soliditylang.org/en/latest/abi-spec.html).

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/abi/error.hpp"
#include "core/bytes.hpp"
#include "core/result.hpp"

namespace sigil::abi {

/// Deepest nesting of arrays and tuples a type may have; bounds recursion in every codec.
inline constexpr std::size_t kMaxTypeDepth = 32;

/// The kind of an ABI type.
enum class Kind : std::uint8_t {
    uint_n,       ///< uintN, N in 8..256 step 8 (`size` = N bits)
    int_n,        ///< intN, two's complement (`size` = N bits)
    address,      ///< 20-byte address
    boolean,      ///< bool
    bytes_n,      ///< bytesN, N in 1..32 (`size` = N bytes)
    bytes,        ///< dynamic bytes
    string,       ///< dynamic UTF-8 string
    array,        ///< T[] (`components[0]` = T)
    fixed_array,  ///< T[k] (`components[0]` = T, `size` = k)
    tuple,        ///< (T1,...,Tn) (`components` = members)
};

/// An ABI type. Built by `parse_type` or the named constructors; always well-formed (sizes in
/// range, arrays with exactly one component, depth within kMaxTypeDepth).
struct Type {
    Kind kind = Kind::uint_n;
    std::size_t size = 256;
    std::vector<Type> components;

    static Type uint(std::size_t bits = 256) { return {Kind::uint_n, bits, {}}; }
    static Type int_(std::size_t bits = 256) { return {Kind::int_n, bits, {}}; }
    static Type address() { return {Kind::address, 0, {}}; }
    static Type boolean() { return {Kind::boolean, 0, {}}; }
    static Type bytes_n(std::size_t n) { return {Kind::bytes_n, n, {}}; }
    static Type bytes() { return {Kind::bytes, 0, {}}; }
    static Type string() { return {Kind::string, 0, {}}; }
    static Type array(Type elem) { return {Kind::array, 0, {std::move(elem)}}; }
    static Type fixed_array(Type elem, std::size_t k) { return {Kind::fixed_array, k, {std::move(elem)}}; }
    static Type tuple(std::vector<Type> members) { return {Kind::tuple, 0, std::move(members)}; }

    /// The canonical spelling used in signatures: `uint256`, `(uint8,bytes)[]`, `bytes32[2]`.
    std::string canonical() const;
    /// Whether the encoding is dynamic (bytes, string, T[], or containing one).
    bool is_dynamic() const;
    /// Bytes this type takes in the head of an enclosing tuple: 32 for dynamic types, the full
    /// static encoding otherwise. At least 32 for every well-formed type.
    std::size_t head_size() const;

    friend bool operator==(const Type&, const Type&) = default;
};

/// Parses a type: elementary names (`uint` = `uint256`, `int` = `int256`), `T[]`, `T[k]`,
/// tuples `(T1,T2)` or `tuple(T1,T2)`, with optional member names inside tuples.
Result<Type, AbiError> parse_type(std::string_view text);

/// A parameter of a function, event or error.
struct Param {
    Type type;
    std::string name;       ///< may be empty
    bool indexed = false;   ///< events only

    friend bool operator==(const Param&, const Param&) = default;
};

/// A function (or custom error) signature with optional outputs.
struct Function {
    std::string name;
    std::vector<Param> inputs;
    std::vector<Param> outputs;

    /// `name(canonical input types)`, the text hashed into the selector.
    std::string signature() const;
    /// keccak256(signature())[0..4].
    FixedBytes<4> selector() const;
    std::vector<Type> input_types() const;
    std::vector<Type> output_types() const;
};

/// Parses a human-readable signature as cast accepts it: `transfer(address,uint256)`,
/// `transfer(address to, uint256 amount)`, `balanceOf(address)(uint256)`,
/// `function f(uint256) external view returns (bool)`.
Result<Function, AbiError> parse_function(std::string_view text);

/// Types of a parameter list.
std::vector<Type> types_of(const std::vector<Param>& params);

namespace detail {
/// Parses `[keyword] name(params) tail...`; `keyword` ("function", "event", "error") is optional.
/// With `allow_indexed`, parameters may carry `indexed`. Returns the parts for the callers above.
struct ParsedSignature {
    std::string name;
    std::vector<Param> inputs;
    std::vector<Param> outputs;
    bool anonymous = false;
};
Result<ParsedSignature, AbiError> parse_signature(std::string_view text, std::string_view keyword,
                                                  bool allow_indexed);
}  // namespace detail

}  // namespace sigil::abi
