#pragma once
/// ABI encoding and strict decoding of values (Solidity ABI spec, "Formal Specification of the
/// Encoding").
///
/// Invariants the decoder guarantees (tested in codec_test.cpp and fuzz/abi_fuzz.cpp):
///  - every read, offset and length is bounds-checked against the data; nothing is allocated in
///    proportion to a declared length before the data is known to hold that many elements;
///  - the total of words read never exceeds the data size, so aliased offsets cannot blow a small
///    input up into a huge value (`data_reused`);
///  - in strict mode an accepted input is exactly `encode` of the decoded values.

#include <vector>

#include "core/abi/error.hpp"
#include "core/abi/type.hpp"
#include "core/abi/value.hpp"
#include "core/bytes.hpp"
#include "core/result.hpp"

namespace sigil::abi {

/// How much of the canonical form `decode` insists on. Both modes reject out-of-range offsets and
/// lengths and dirty high bits of address/uintN/intN/bool/bytesN.
enum class DecodeMode {
    strict,   ///< also: offsets exactly where the encoder puts them, zero padding, no trailing bytes
    lenient,  ///< any in-range offsets, trailing bytes ignored (as cast abi-decode accepts)
};

/// The ABI encoding of `values` as the tuple `types`. Precondition: `conforms(types, values)`
/// (violations abort: they are a bug of the caller, which should use `try_encode` for values
/// of unknown origin).
Bytes encode(const std::vector<Type>& types, const std::vector<Value>& values);
/// `encode`, or `value_mismatch` when the values do not conform to the types.
Result<Bytes, AbiError> try_encode(const std::vector<Type>& types, const std::vector<Value>& values);

/// Decodes `data` as the tuple `types`.
Result<std::vector<Value>, AbiError> decode(const std::vector<Type>& types, BytesView data,
                                            DecodeMode mode = DecodeMode::strict);

/// selector || encode(inputs, args). Precondition: `conforms(fn.input_types(), args)`.
Bytes encode_call(const Function& fn, const std::vector<Value>& args);
/// Decodes calldata of `fn`: checks the selector, then decodes the inputs.
Result<std::vector<Value>, AbiError> decode_call(const Function& fn, BytesView calldata,
                                                 DecodeMode mode = DecodeMode::strict);

}  // namespace sigil::abi
