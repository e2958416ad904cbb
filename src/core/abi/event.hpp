#pragma once
/// Event signatures, topics and log decoding (Solidity ABI spec, "Events").

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/abi/codec.hpp"
#include "core/abi/error.hpp"
#include "core/abi/type.hpp"
#include "core/abi/value.hpp"
#include "core/bytes.hpp"

namespace sigil::abi {

/// An event: parameters with `indexed` flags, and whether it is anonymous (no topic0).
struct Event {
    std::string name;
    std::vector<Param> inputs;
    bool anonymous = false;

    /// `name(canonical input types)`, the text hashed into topic0.
    std::string signature() const;
};

/// Parses `Transfer(address indexed from, address indexed to, uint256 value)`, optionally
/// prefixed by `event` and followed by `anonymous`. At most 3 indexed parameters (4 when
/// anonymous), else `bad_indexed`.
Result<Event, AbiError> parse_event(std::string_view text);

/// keccak256(signature()).
Hash topic0(const Event& ev);

/// Decodes a log of `ev` into values in declaration order. Indexed value types (uintN, intN,
/// address, bool, bytesN) are decoded from their topic; indexed dynamic or composite types
/// (string, bytes, arrays, tuples) come back as `bytes32` values holding the topic (the keccak
/// hash of their encoding). Non-indexed parameters are decoded from `data` as a tuple.
/// Checks topic0 unless the event is anonymous.
Result<std::vector<Value>, AbiError> decode_log(const Event& ev, std::span<const Hash> topics, BytesView data,
                                                DecodeMode mode = DecodeMode::strict);

/// Whether a parameter of type `t` is stored directly in its topic when indexed.
bool is_topic_value_type(const Type& t);

}  // namespace sigil::abi
