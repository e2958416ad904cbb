#pragma once
/// The node's dispute agents (docs/node.md, "Disputes"), driven by the engine's thread once per
/// round:
///   - defender: every DisputeGame game whose defender is this node is played from the trace of
///     the stored job (rebuilt from its input and cached): bisect, revealOutput, descend; and
///     `timeout` when the challenger misses its deadline.
///   - challenger (`[challenger] mode`): every Delivered / Revealed claim of another operator is
///     re-executed (all, or a deterministic per-request sample), and a claim that differs from
///     ours is challenged (bond approved first) and played to the end: choose, pick,
///     proveElement / provePadding, `timeout` when the defender misses its deadline.
///
/// Exactly-once: a move is sent only after its intent (the game position it answers) is stored;
/// a restarted node reads getGame first and sends again only when the game still waits for that
/// move and no transaction of ours for it is pending. Games are found by scanning game ids
/// (`gameCount`, cursor `games_scanned` in the store), claims from the engine's log watcher (in
/// the same store transaction as its checkpoint).

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "chain/eth_client.hpp"
#include "chain/sender.hpp"
#include "node/catalog.hpp"
#include "node/config.hpp"
#include "node/dispute_abi.hpp"
#include "node/dispute_trace.hpp"
#include "node/metrics.hpp"
#include "node/store.hpp"

namespace sigil::node {

class DisputeAgent {
public:
    DisputeAgent(const NodeConfig& cfg, const Address& self, const Catalog& catalog, Store& store,
                 chain::EthClient& eth, chain::Sender& sender, Metrics& metrics);

    /// Reads the game's bond and bond token. Errors are RPC failures at startup.
    Result<void, std::string> start();
    /// A Delivered / Revealed log from the engine's watcher: remembers another operator's claim
    /// for the challenger (inside the engine's store transaction). No-op when the challenger is off.
    Result<void, std::string> on_claim_log(const chain::Log& log);
    /// One round: new games, claims to check, moves due. Returns whether anything was sent or
    /// changed. RPC failures are logged and retried next round.
    Result<bool, std::string> step(std::uint64_t chain_time);

    /// The trace cache (the engine builds a faulty node's lying claim through it).
    TraceCache& traces() { return traces_; }
    /// The trace of the job `id` as this node computes it (its fault applied), from the stored job.
    Result<std::shared_ptr<const RunTrace>, std::string> trace_of(const JobRecord& j);

    /// Whether a challenger with `cfg` checks request `id` (mode all, or the sampled draw
    /// keccak256("sigil.sample" || seed || self || id) below `probability`). Pure.
    static bool sampled(const ChallengerConfig& cfg, const Address& self, const Hash& id);

private:
    Result<bool, std::string> scan_games();
    Result<bool, std::string> check_claims();
    Result<bool, std::string> check_claim(ChallengeRecord& c);
    Result<bool, std::string> play(GameRecord& g);
    /// The move for game `gv` in our role; nothing when it is not ours or we have none to make.
    struct Planned {
        Bytes data;
        const char* kind = "";
    };
    std::optional<Planned> plan(const GameRecord& g, const GameView& gv, const RunTrace& rt, const JobRecord& j);

    std::optional<GameView> game_view(std::uint64_t id);
    std::optional<u256> call_uint(const Address& to, const Bytes& data);
    std::optional<RequestView> request_view(const Hash& id);
    std::optional<Hash> answer_of(const Hash& id);
    bool still_pending(const std::optional<Hash>& tx);
    /// Sends `data` to `to`; stores the transaction hash through `on_sent` before waiting.
    struct Sent {
        bool success = false;
        std::uint64_t gas = 0;
        std::string revert;
    };
    Sent send(const Address& to, const Bytes& data, const char* kind, const std::function<void(const Hash&)>& on_sent);

    const NodeConfig& cfg_;
    Address self_;
    const Catalog& catalog_;
    Store& store_;
    chain::EthClient& eth_;
    chain::Sender& sender_;
    Metrics& metrics_;
    TraceCache traces_;
    Address bond_token_{};
    u256 bond_ = 0;
    std::uint64_t chain_time_ = 0;
};

}  // namespace sigil::node
