#pragma once
/// What the bounty verifier stores about each ProofMarket bounty it follows (docs/node.md,
/// "Verification bounties"). The bounty's state is always read from the chain (getBounty); the
/// record keeps only what the chain cannot tell: the intent of our last transaction and whether
/// we handed the claim to the dispute agent.

#include <cstdint>
#include <optional>
#include <string>

#include "core/address.hpp"
#include "core/bytes.hpp"
#include "core/u256.hpp"

namespace sigil::node {

/// Our side of one bounty.
enum class BountyTrack : std::uint8_t {
    watching,   ///< followed each round: arm, draw, verify, resolve, withdraw as the chain allows
    disputing,  ///< we are its verifier and our re-execution differs: the dispute agent plays the game
    closed,     ///< closed on chain and our credit (if any) withdrawn (see reason)
    skipped,    ///< nothing for us to do (see reason: not_served, drawn_for_other, not_selected, ...)
};
std::string_view to_string(BountyTrack t) noexcept;
std::optional<BountyTrack> bounty_track_from_string(std::string_view s) noexcept;

struct BountyRecord {
    Hash request_id{};
    BountyTrack track = BountyTrack::watching;
    std::string reason;
    Address token{};  ///< the fee's token (the request's payment token)
    u256 fee = 0;
    std::string intent;           ///< "<action>:<bounty state>" of our last transaction
    std::optional<Hash> tx_hash;  ///< the transaction sent for `intent`
    int attempts = 0;             ///< refused sends of the current intent
    std::uint64_t gas_used = 0;   ///< total over our transactions for this bounty
};

}  // namespace sigil::node
