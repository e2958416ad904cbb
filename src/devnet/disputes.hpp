#pragma once
/// The devnet's faulty scenario (`sigil devnet --faulty N`, docs/devnet.md): after the workload,
/// two more operators join — one whose node lies on every request (`[fault] probability = 1`)
/// and one whose node only checks others' claims (`[challenger] mode = "all"`, `serve = false`).
/// The consumer sends N requests priced below the honest operators' floor, so only the liar
/// answers them; each lie is challenged, played to the one-step proof and slashed. The report
/// is read back from the chain: per game its step k, moves and their gas, the winner, the stake
/// slashed, the consumer's refund and the request's final status.

#include <chrono>
#include <filesystem>
#include <iosfwd>
#include <string>
#include <vector>

#include "chain/rpc_client.hpp"
#include "devnet/client.hpp"
#include "devnet/world.hpp"

namespace sigil::devnet {

struct DisputeRecord {
    Hash request{};
    std::uint64_t game = 0;
    std::uint64_t steps = 0;
    std::uint64_t k = 0;             ///< the step the bisection ended on
    std::uint64_t lie_step = 0;      ///< where the liar lied (from its trace; equals k when caught)
    std::uint64_t transactions = 0;  ///< challenge + every move, as DisputeGame logged them
    std::vector<std::pair<std::string, std::uint64_t>> moves;  ///< (event, gas of its transaction)
    std::uint64_t gas_total = 0;
    bool defender_won = false;
    std::string reason;        ///< Resolved reason
    u256 slashed_shares = 0;   ///< drop of the liar's operator shares
    u256 consumer_refund = 0;  ///< the consumer's credit in the payment token
    bool refuted = false;      ///< request status Refuted (never settled)
    double wall_ms = 0;        ///< request sent -> Refuted seen
};

struct DisputeSummary {
    std::vector<DisputeRecord> disputes;
    bool all_caught() const;
    std::string to_text() const;
    chain::Json to_json() const;
};

/// An operator joining after the workload (key `label`, self-staked and allocated like the
/// devnet's), registered for every model of `w` at `price`.
Actor join(Signer& owner, const Deployment& d, const World& w, const std::string& label, const u256& price);
/// The node configuration of a joining operator: the devnet's, with its own price floor, the
/// block `start_block` as the start and the `extra` tables appended.
std::string config_for(const Deployment& d, const World& w, const Actor& a, const std::filesystem::path& data,
                       const u256& floor, std::uint64_t start_block, const std::string& extra);

/// The operator shares of `op` in the devnet's strategy, and `who`'s credit at the Coordinator in
/// the payment token.
u256 shares_of(Session& s, const Deployment& d, const Address& op);
u256 credit_of(Session& s, const Deployment& d, const Address& who);

/// Runs the scenario with `count` lies; `sigil` runs the two extra nodes (logs and configs in
/// `dir`/node-liar and `dir`/node-challenger). Throws DevnetError when a dispute does not end
/// within `timeout` each.
DisputeSummary run_disputes(Signer& owner, const Deployment& d, const World& w, unsigned count,
                            const std::filesystem::path& dir, const std::filesystem::path& sigil, std::ostream& out,
                            std::chrono::seconds timeout = std::chrono::seconds(120));

}  // namespace sigil::devnet
