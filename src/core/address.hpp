#pragma once
/// Ethereum addresses and their EIP-55 mixed-case checksum.

#include <string>
#include <string_view>

#include "core/bytes.hpp"

namespace sigil {

using Address = FixedBytes<20>;

enum class AddressError {
    bad_hex,        ///< not 40 hex digits (with or without 0x)
    bad_checksum,   ///< mixed-case text whose case does not match EIP-55
};
std::string_view to_string(AddressError e) noexcept;

/// EIP-55 checksummed text (`0x` + 40 mixed-case hex digits).
std::string to_checksum(const Address& a);

/// Parses an address. All-lower or all-upper hex is accepted as is; mixed case must be a valid
/// EIP-55 checksum (https://eips.ethereum.org/EIPS/eip-55).
Result<Address, AddressError> parse_address(std::string_view text);

/// The address of a 32-byte word's low 20 bytes (ABI-decoded addresses, keccak of a public key).
Address address_from_word(const Bytes32& word) noexcept;

}  // namespace sigil
