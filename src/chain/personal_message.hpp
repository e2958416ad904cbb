#pragma once
/// EIP-191 version 0x45 ("personal_sign") messages: https://eips.ethereum.org/EIPS/eip-191

#include "chain/keys.hpp"
#include "core/bytes.hpp"

namespace sigil::chain {

/// keccak256("\x19Ethereum Signed Message:\n" || decimal(len(message)) || message).
Hash personal_message_hash(BytesView message);

/// Signs `message` as `personal_sign` / `cast wallet sign` do.
Signature sign_personal_message(const PrivateKey& key, BytesView message);

/// The address that signed `message` with `sig`.
Result<Address, KeyError> recover_personal_message(BytesView message, const Signature& sig);

}  // namespace sigil::chain
