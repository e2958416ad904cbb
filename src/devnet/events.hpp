#pragma once
/// The contracts' events the devnet reads back, decoded with the ABI library.

#include <optional>
#include <vector>

#include "chain/eth_types.hpp"
#include "core/abi.hpp"

namespace sigil::devnet {

/// Solidity tuple types of the Coordinator's structs (CoordinatorTypes.sol).
inline constexpr const char* kParamsType =
    "(bytes32,bytes32,address,uint96,uint8,bool,uint32,uint32,uint32,address)";
inline constexpr const char* kJobType =
    "(address,(bytes32,bytes32,address,uint96,uint8,bool,uint32,uint32,uint32,address),bytes32,address,uint96,"
    "uint16,uint32,uint32,uint256)";
inline constexpr const char* kClaimType = "(bytes,bytes32,bytes32,uint64,bytes32)";
inline constexpr const char* kTermsType =
    "((bytes32,bytes32,address,uint96,uint8,bool,uint32,uint32,uint32,address),bytes32,address,uint96,uint16,"
    "uint32)";

/// The events, by name: Requested, Delivered, Revealed, Committed, Answered, CallbackResult,
/// Settled, Subscribed, SubscriptionTriggered, Classified (FashionClassifier), and the
/// ProofMarket's BountyPosted, BountyArmed, BountyDrawn, BountyAttested, BountyClosed and
/// VerifierRegistered.
const abi::Event& event(std::string_view name);
Hash topic_of(std::string_view name);

/// Decodes `log` as event `name`; nothing when topic0 differs or the data does not decode.
std::optional<std::vector<abi::Value>> decode_event(std::string_view name, const chain::Log& log);

/// The first log in `logs` that decodes as `name`.
std::optional<std::vector<abi::Value>> find_event(std::string_view name, const std::vector<chain::Log>& logs);

Hash as_hash(const abi::Value& v);

}  // namespace sigil::devnet
