#pragma once
/// EIP-712 typed structured data: hashing and signing (https://eips.ethereum.org/EIPS/eip-712).
///
/// Input is the standard JSON document `{types, primaryType, domain, message}` that
/// `eth_signTypedData_v4` and `cast wallet sign --data` take. When `types` has no
/// `EIP712Domain`, it is inferred from the domain's fields in the EIP's order (name, version,
/// chainId, verifyingContract, salt), as cast and ethers do.

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "chain/keys.hpp"
#include "core/bytes.hpp"
#include "core/result.hpp"

namespace sigil::chain {

/// Every way a typed-data document can be refused.
enum class TypedDataError {
    invalid_json,       ///< not JSON, or `types`/`primaryType`/`domain`/`message` missing or mistyped
    unknown_type,       ///< a type name that is neither atomic, dynamic, nor defined in `types`
    bad_type_string,    ///< a malformed type such as `uint7`, `bytes33` or `T[x]`
    missing_field,      ///< a struct value lacks one of its type's fields
    bad_value,          ///< a value of the wrong JSON kind or unparsable (address, hex, number)
    out_of_range,       ///< an integer outside its type's range, or a bytesN of the wrong size
    wrong_array_length, ///< a fixed-size array value with another number of elements
    too_deep,           ///< nesting beyond the supported depth (64)
};
std::string_view to_string(TypedDataError e) noexcept;

/// A parsed EIP-712 document, ready to hash.
class TypedData {
public:
    /// Parses the standard JSON text. Types are checked lazily by the hash functions.
    static Result<TypedData, TypedDataError> parse(std::string_view json_text);

    /// encodeType(primaryType): the primary type then its dependencies sorted by name.
    Result<std::string, TypedDataError> encode_type(const std::string& type) const;
    /// hashStruct(EIP712Domain, domain).
    Result<Hash, TypedDataError> domain_separator() const;
    /// hashStruct(primaryType, message).
    Result<Hash, TypedDataError> message_hash() const;
    /// keccak256(0x19 0x01 || domainSeparator || hashStruct(message)): the digest to sign.
    Result<Hash, TypedDataError> signing_hash() const;

    struct Field {
        std::string name;
        std::string type;
    };

private:
    std::map<std::string, std::vector<Field>> types_;
    std::string primary_type_;
    std::string domain_json_;
    std::string message_json_;
};

/// Signs a typed-data document (the signature `cast wallet sign --data` prints).
Result<Signature, TypedDataError> sign_typed_data(const PrivateKey& key, const TypedData& data);

}  // namespace sigil::chain
