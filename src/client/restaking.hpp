#pragma once
/// Typed calls into the restaking core and Sigil's registrar: what an operator or a staker does
/// (register, allocate, deposit, delegate, withdraw, claim) and what they read (status). Each
/// call signs with the given Signer and waits for its receipt; failures throw ClientError with
/// the contract's decoded revert.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "client/deployment.hpp"
#include "client/session.hpp"
#include "core/address.hpp"
#include "core/u256.hpp"

namespace sigil::client {

/// 1e18: a full magnitude (all of an operator's stake in a strategy).
inline const u256 kWad = u256(1'000'000'000'000'000'000ULL);

/// What an operator publishes in the OperatorRegistry.
struct OperatorMetadata {
    std::string endpoint;
    std::string region = "local";
    std::uint16_t hardware_class = 0;
    std::uint32_t capacity = 4;
};

/// One (model, token, price) an operator serves.
struct Service {
    Hash model_root{};
    Address token{};
    u256 price = 0;  ///< per call, at most 2^96 - 1
};

/// The registrar data `registerForOperatorSets` passes to the OperatorRegistry.
Bytes registration_data(const OperatorMetadata& meta, const std::vector<Service>& services);

/// DelegationManager.registerAsOperator (no delegation approver).
void register_operator(Signer& op, const Deployment& d, std::uint32_t allocation_delay,
                       const std::string& metadata_uri);
/// AllocationManager.registerForOperatorSets for Sigil's set with the registrar data.
void register_for_sigil(Signer& op, const Deployment& d, const OperatorMetadata& meta,
                        const std::vector<Service>& services);
/// AllocationManager.modifyAllocations: `magnitude` (WAD = 100%) of `strategy` to Sigil's set.
void allocate(Signer& op, const Deployment& d, const Address& strategy, const u256& magnitude);
/// Leaves Sigil's operator set (AllocationManager.deregisterFromOperatorSets, struct form); the
/// operator stays slashable for the core's deallocation delay.
void deregister_from_sigil(Signer& op, const Deployment& d);
/// Approves the strategy's token and deposits `amount`; returns the deposit shares credited.
u256 deposit(Signer& staker, const Deployment& d, const Address& strategy, const u256& amount);
/// DelegationManager.delegateTo (operators without an approver).
void delegate(Signer& staker, const Deployment& d, const Address& operator_address);
/// Undelegates the caller (DelegationManager.undelegate), which queues all its deposit shares as
/// one withdrawal: its root, or nullopt when the staker had nothing deposited.
std::optional<Hash> undelegate(Signer& staker, const Deployment& d);
/// Queues a withdrawal of `deposit_shares` of `strategy`; returns the withdrawal root.
Hash queue_withdrawal(Signer& staker, const Deployment& d, const Address& strategy, const u256& deposit_shares);
/// Completes the queued withdrawal `root` as tokens (or as shares, re-delegated).
void complete_withdrawal(Signer& staker, const Deployment& d, const Hash& root, bool as_tokens);
/// RewardsCoordinator.claim of `token` over `strategies` to `recipient`; returns the amount.
u256 claim_rewards(Signer& account, const Deployment& d, const Address& token, const std::vector<Address>& strategies,
                   const Address& recipient);

/// What `claim` would pay `account` in `token` now.
u256 claimable(Session& s, const Deployment& d, const Address& account, const Address& token,
               const std::vector<Address>& strategies);
/// ERC20 balance.
u256 token_balance(Session& s, const Address& token, const Address& who);
/// A staker's withdrawable shares in `strategy`.
u256 withdrawable_shares(Session& s, const Deployment& d, const Address& staker, const Address& strategy);

/// An operator as the core and the registry see it.
struct OperatorStatus {
    bool is_operator = false;
    Address delegated_to{};
    u256 operator_shares = 0;  ///< delegated to it in the strategy
    u256 max_magnitude = 0;
    u256 allocated_magnitude = 0;  ///< current allocation to Sigil's set
    u256 pending_magnitude_diff = 0;
    bool pending_negative = false;
    std::uint32_t pending_effect_block = 0;
    bool member = false;  ///< registered in Sigil's operator set
    bool active = false;  ///< active in the OperatorRegistry
    std::uint32_t faults = 0;
    std::string endpoint;
    std::vector<Service> services;
    u256 slashable_stake = 0;  ///< in the strategy, for Sigil's set
};
OperatorStatus operator_status(Session& s, const Deployment& d, const Address& op, const Address& strategy);

/// Formats `amount` (18 decimals) as a decimal string ("1.5", "0.000000000000000001").
std::string format_units(const u256& amount);

}  // namespace sigil::client
