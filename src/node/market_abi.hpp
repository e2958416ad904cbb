#pragma once
/// ProofMarket's ABI as the node's bounty verifier uses it (contracts/src/avs/dispute/ProofMarket.sol):
/// the bounty and verifier views, the calls of the draw, of a verifier and of a consumer, the
/// BountyPosted log the verifier learns bounties from, the other bounty logs (tests and tools
/// read them) and decoding of the market's named reverts.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "chain/eth_types.hpp"
#include "core/abi/value.hpp"
#include "core/address.hpp"
#include "core/bytes.hpp"
#include "core/u256.hpp"

namespace sigil::node {

/// ProofMarket.DRAW_DELAY: blocks between arming and the block whose hash decides the draw.
inline constexpr std::uint64_t kDrawDelay = 96;

/// ProofMarket.State.
enum class BountyPhase : std::uint8_t { none, posted, armed, assigned, attested, closed };
std::string_view to_string(BountyPhase p) noexcept;

/// ProofMarket.getBounty(id).
struct BountyView {
    Address consumer{};
    u256 fee = 0;
    Address token{};
    std::uint64_t p_wad = 0;
    std::uint32_t verify_window = 0;
    Address verifier{};
    std::uint64_t arm_block = 0;
    std::uint32_t deadline = 0;  ///< chain time (s) by which the verifier attests or disputes
    BountyPhase phase = BountyPhase::none;
    bool selected = false;
    Hash claim_hash{};

    /// The block whose hash decides an armed bounty's draw (`draw` is accepted after it).
    [[nodiscard]] std::uint64_t draw_block() const { return arm_block + kDrawDelay; }
};

/// ProofMarket.getVerifier(account).
struct VerifierView {
    u256 weight = 0;
    std::uint64_t since = 0;
    std::uint64_t exit_at = 0;  ///< 0: active
    u256 bond = 0;
    std::uint32_t open = 0;
    bool registered = false;
};

Bytes get_bounty_call(const Hash& id);
std::optional<BountyView> decode_bounty_view(BytesView ret);
Bytes get_verifier_call(const Address& account);
std::optional<VerifierView> decode_verifier_view(BytesView ret);
/// minBond() and credits(account, token) (both return one uint256; decode with decode_uint).
Bytes min_bond_call();
Bytes credits_call(const Address& account, const Address& token);
/// verifiers(): the registry's verifier addresses, in registration order.
Bytes verifiers_call();
std::optional<std::vector<Address>> decode_address_list(BytesView ret);
/// The draw (anyone may call): arm(id) and draw(id).
Bytes arm_call(const Hash& id);
Bytes draw_call(const Hash& id);
/// The chosen verifier: attest(id). Anyone: resolve(id).
Bytes attest_call(const Hash& id);
Bytes resolve_bounty_call(const Hash& id);
/// Verifiers: register(bond) (bond < 2^96), exit(), withdrawBond(); everyone: withdraw(token).
Bytes register_verifier_call(const u256& bond);
Bytes exit_verifier_call();
Bytes withdraw_bond_call();
Bytes withdraw_credit_call(const Address& token);
/// A consumer: post(id, job, pWad, fee, verifyWindow) (`job` is the request's Job tuple).
Bytes post_bounty_call(const Hash& id, const abi::Value& job, std::uint64_t p_wad, const u256& fee,
                       std::uint32_t verify_window);

/// topic0 of `BountyPosted(bytes32 indexed id, address indexed consumer, address token, uint96 fee,
/// uint64 pWad, uint32 verifyWindow)`.
const Hash& bounty_posted_topic();
/// topic0 of `BountyDrawn(bytes32 indexed id, bool selected, address verifier, uint32 deadline)`.
const Hash& bounty_drawn_topic();
/// topic0 of `BountyClosed(bytes32 indexed id, address indexed paidTo, uint256 fee, bool toVerifier)`.
const Hash& bounty_closed_topic();

struct BountyPosted {
    Hash id{};
    Address consumer{};
    Address token{};
    u256 fee = 0;
    std::uint64_t p_wad = 0;
    std::uint32_t verify_window = 0;
};
std::optional<BountyPosted> decode_bounty_posted(const chain::Log& log);

struct BountyDrawn {
    Hash id{};
    bool selected = false;
    Address verifier{};
    std::uint32_t deadline = 0;
};
std::optional<BountyDrawn> decode_bounty_drawn(const chain::Log& log);

struct BountyClosed {
    Hash id{};
    Address paid_to{};
    u256 fee = 0;
    bool to_verifier = false;
};
std::optional<BountyClosed> decode_bounty_closed(const chain::Log& log);

/// The name of a ProofMarket custom error in revert data, or the selector in hex when unknown.
std::string market_revert_name(BytesView data);

}  // namespace sigil::node
