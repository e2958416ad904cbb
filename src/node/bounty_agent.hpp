#pragma once
/// The bounty verifier (`[challenger] mode = "bounty"`, docs/node.md, "Verification bounties"),
/// driven by the engine's thread once per round after the dispute agents:
///   - registration: an account that is not in the ProofMarket's verifier pool registers with
///     `verifier.bond` (bond approved first; the transaction's hash is stored before waiting);
///   - the draw: every bounty whose request this node could verify (model served, input known,
///     registered, not seated on it) is armed once the request is answered and drawn once its
///     draw block is past, unless someone else did it first (the chain's state is read just
///     before each send, and the gas estimate refuses a call that lost the race);
///   - duty: a bounty whose drawn verifier is this account is re-executed from the stored job
///     (the dispute agent's trace cache): the same claim hash is attested within the window; a
///     different one is handed to the dispute agent (DisputeAgent::check_drawn), which
///     challenges the seats that posted it and plays the games;
///   - pay: once the fee is ours (attested and final, or refuted by our game) the bounty is
///     resolved, and our credit in the fee's token is withdrawn.
///
/// Exactly-once: each transaction is preceded by its stored intent; while a transaction of ours
/// for a bounty is pending nothing else is sent for it, and every action is decided from a fresh
/// getBounty read, so an action that landed (even before a crash) is never sent again. Bounties
/// are learned from BountyPosted logs read by the engine's watcher, in the same store transaction
/// as its checkpoint.

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "node/catalog.hpp"
#include "node/config.hpp"
#include "node/coordinator_abi.hpp"
#include "node/dispute_agent.hpp"
#include "node/market_abi.hpp"
#include "node/outbox.hpp"
#include "node/store.hpp"

namespace sigil::node {

/// What the verifier does about one bounty in a round.
enum class BountyAction : std::uint8_t {
    none,      ///< nothing to do now (waiting for the answer, the draw block, the outcome)
    wait,      ///< a transaction of ours for this bounty is still pending
    arm,       ///< posted and the request answered: fix the draw block
    draw,      ///< armed and the draw block is past
    verify,    ///< we are the drawn verifier, within the window: re-execute, attest or dispute
    resolve,   ///< the fee is ours to collect (attested and final, or refuted by our game)
    withdraw,  ///< closed, and we hold a credit in the fee's token
    done,      ///< closed with nothing left for us: stop following it
    skip,      ///< nothing for us to do, ever (see the reason)
};
std::string_view to_string(BountyAction a) noexcept;

/// Everything the decision reads, from one round's chain reads and our record.
struct BountyFacts {
    BountyView bounty;
    RequestView request;
    Address self{};
    std::uint64_t head = 0;        ///< latest block number
    std::uint64_t chain_time = 0;  ///< latest block's timestamp
    /// We could verify the claim if drawn: model served, input known, registered and not
    /// exiting, not seated on the request.
    bool can_act = false;
    bool disputing = false;  ///< our record: the claim was handed to the dispute agent
    Address refuted_by{};    ///< DisputeGame.refutedBy(request)
    u256 credit = 0;         ///< ProofMarket.credits(self, bounty token)
    bool pending = false;    ///< a transaction of ours for this bounty is still pending
};

struct BountyDecision {
    BountyAction action = BountyAction::none;
    std::string reason;  ///< for skip / done / none: why
};

/// The decision for one bounty. Pure.
BountyDecision decide_bounty(const BountyFacts& f);

/// Who arms and draws bounty `id` first, so verifiers running this agent do not race each other
/// for one call (the loser's transaction would revert and still cost gas): the verifier at index
/// keccak256("sigil.bounty.caller" || id) mod n of `pool` (ProofMarket.verifiers()) has rank 0,
/// the next ones in the pool's order ranks 1..n-1, an account not in the pool rank n. A verifier
/// of rank r waits r x kCallerStepMs after it first saw the call due, so the call still goes out
/// when the earlier ranks are down. Pure.
std::size_t caller_rank(const Hash& id, const std::vector<Address>& pool, const Address& self);
inline constexpr std::int64_t kCallerStepMs = 5000;

/// The bounty agent's transactions: logged as "bounty transaction", reverts named from the
/// market's errors.
inline const TxChannel kBountyChannel{"bounty transaction", &market_revert_name};

class BountyAgent {
public:
    BountyAgent(const NodeContext& ctx, DisputeAgent& disputes);

    /// Reads the market's bond token and minBond and refuses a `verifier.bond` below minBond.
    /// Errors name the key (RPC failures at startup included).
    Result<void, std::string> start();
    /// A ProofMarket log from the engine's watcher: a BountyPosted log starts following the
    /// bounty (inside the engine's store transaction). Other logs are ignored.
    Result<void, std::string> on_log(const chain::Log& log);
    /// One round: registration, then every followed bounty. Returns whether anything was sent or
    /// changed. RPC failures are logged and retried next round.
    Result<bool, std::string> step(std::uint64_t chain_time);

private:
    Result<bool, std::string> ensure_registered();
    Result<bool, std::string> follow(BountyRecord& b);
    /// Re-executes the claim of a bounty we were drawn for: attest, or hand it to the dispute agent.
    Result<bool, std::string> verify(BountyRecord& b, const BountyView& bv, const RequestView& r);
    /// Hands every seat that posted the bounty's claim to the dispute agent.
    Result<bool, std::string> hand_over(BountyRecord& b, const BountyView& bv, const RequestView& r);
    /// Stores the intent, sends `data` to `to`, stores the hash before waiting, records the outcome.
    Result<bool, std::string> act(BountyRecord& b, const Address& to, const Bytes& data, const char* kind,
                                  const BountyView& bv);
    Result<bool, std::string> finish(BountyRecord& b, BountyTrack t, const std::string& reason);
    Result<void, std::string> save(const BountyRecord& b);
    /// Model served, job and input stored.
    Result<bool, std::string> verifiable(const Hash& id);

    const NodeConfig& cfg_;
    Address self_;
    const Catalog& catalog_;
    Store& store_;
    Outbox& outbox_;
    DisputeAgent& disputes_;
    Address bond_token_{};
    u256 min_bond_ = 0;
    std::uint64_t chain_time_ = 0;
    std::uint64_t head_ = 0;
    /// Whether the arm / draw due on bounty `b` is ours to send now (caller_rank).
    std::optional<bool> our_turn_to_call(const BountyRecord& b, BountyAction a, const BountyView& bv);

    /// ProofMarket.verifiers(), read at most once per round (when an arm or draw is due).
    std::optional<std::vector<Address>> pool_;
    /// Wall-clock ms (the outbox's clock) at which a call (action, bounty state) first showed as due, by bounty.
    std::map<Hash, std::pair<std::string, std::int64_t>> due_since_;
    bool registered_ = false;
    bool exiting_ = false;
    bool warned_balance_ = false;
};

}  // namespace sigil::node
