#include "chain/personal_message.hpp"

#include <string>

#include "core/keccak.hpp"

namespace sigil::chain {

Hash personal_message_hash(BytesView message) {
    const std::string prefix = "\x19" "Ethereum Signed Message:\n" + std::to_string(message.size());
    return keccak256(concat({as_bytes(prefix), message}));
}

Signature sign_personal_message(const PrivateKey& key, BytesView message) {
    return key.sign(personal_message_hash(message));
}

Result<Address, KeyError> recover_personal_message(BytesView message, const Signature& sig) {
    return recover_address(personal_message_hash(message), sig);
}

}  // namespace sigil::chain
