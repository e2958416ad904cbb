#pragma once
/// The contracts' events the devnet reads back, decoded with the ABI library.

#include <optional>
#include <vector>

#include "chain/eth_types.hpp"
#include "bindings/coordinator.hpp"
#include "core/abi.hpp"

namespace sigil::devnet {

/// Solidity tuple types of the Coordinator's structs (CoordinatorTypes.sol), generated from the
/// compiled contract (src/bindings): a struct change there changes them here.
inline constexpr const char* kParamsType = bindings::coordinator::type::RequestParams;
inline constexpr const char* kJobType = bindings::coordinator::type::Job;
inline constexpr const char* kClaimType = bindings::coordinator::type::Claim;
inline constexpr const char* kTermsType = bindings::coordinator::type::SubscriptionTerms;

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
