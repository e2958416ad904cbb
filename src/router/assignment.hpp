#pragma once
/// Signed assignments: a registered router's EIP-712 statement "request `paramsHash` by
/// `consumer` at `coordinator` goes to `node`", which the Coordinator honours through the
/// RouterRegistry (contracts/src/avs/RouterRegistry.sol) by giving `node` an exclusive window.
///
/// Typed data (must match RouterRegistry.ASSIGNMENT_TYPEHASH):
///   Assignment(address consumer,bytes32 paramsHash,address node,address coordinator,uint256 nonce,uint256 deadline)
/// Domain: name "SigilRouterRegistry", version "1", chainId, verifyingContract = the registry.
/// `paramsHash` = keccak256(abi.encode(RequestParams)) with `assigned` = node, so the signature
/// covers the model, input, token, price, redundancy, windows and the node; the nonce is
/// consumed on use (no replay) and the deadline bounds its life.

#include <cstdint>
#include <string>

#include "chain/keys.hpp"
#include "core/address.hpp"
#include "core/bytes.hpp"
#include "core/result.hpp"
#include "core/u256.hpp"

namespace sigil::router {

/// CoordinatorTypes.sol RequestParams.
struct RequestParams {
    Hash model_root{};
    Hash input_root{};
    Address token{};
    u256 price = 0;  ///< uint96
    std::uint8_t redundancy = 1;
    bool after_window = false;
    std::uint32_t callback_gas_limit = 0;
    std::uint32_t ttl = 0;
    std::uint32_t commit_window = 0;
    Address assigned{};
};

/// keccak256(abi.encode(p)) (a static tuple: ten 32-byte words).
Hash params_hash(const RequestParams& p);

struct AssignmentDomain {
    std::uint64_t chain_id = 0;
    Address registry{};  ///< RouterRegistry (the EIP-712 verifying contract)
    Address coordinator{};
};

struct Assignment {
    Address consumer{};
    Hash params_hash{};
    Address node{};
    Address coordinator{};
    u256 nonce = 0;
    u256 deadline = 0;
};

/// The EIP-712 typed-data JSON of `a` (what `cast wallet sign --data` and the CLI accept).
std::string assignment_typed_data(const Assignment& a, const AssignmentDomain& d);

/// The digest to sign: keccak256(0x1901 || domainSeparator || hashStruct(a)).
Hash assignment_digest(const Assignment& a, const AssignmentDomain& d);

/// Signs `a`; the signature is r || s || v (65 bytes) as RouterRegistry expects.
Bytes sign_assignment(const chain::PrivateKey& key, const Assignment& a, const AssignmentDomain& d);

}  // namespace sigil::router
