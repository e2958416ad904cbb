#pragma once
/// Keeps the engine's registry view current by following the chain. A full read takes the
/// OperatorRegistry (operators, metadata, services, faults), each operator's minimum slashable
/// stake over the registry's stake strategies from the AllocationManager, and the ModelRegistry
/// (models and their evaluation records: quality = best score not refuted). Reads are eth_calls
/// pinned to one block, so a snapshot is consistent.
///
/// Between full reads the follower follows events: for the new blocks it fetches the logs of the
/// three contracts; none means nothing to re-read; logs of the OperatorRegistry that name one
/// operator (registration, metadata, services, faults) re-read only those operators; any other
/// log (models, evaluations, allocations, registry settings) triggers a full read. A full read
/// also happens every `resync_blocks` blocks (stake also moves with delegations and with
/// allocations taking effect, which emit no event here) and whenever the hash of the last
/// followed block changed (a reorg) or the head went backwards.

#include <cstdint>
#include <string>

#include "chain/eth_client.hpp"
#include "core/result.hpp"
#include "router/matcher.hpp"
#include "router/registry_state.hpp"

namespace sigil::router {

struct FollowError {
    enum class Kind { rpc, decode } kind = Kind::rpc;
    std::string message;
};

struct FollowerConfig {
    Address operator_registry{};
    Address model_registry{};
    std::uint32_t page = 50;  ///< operators per getOperators call
    std::uint32_t max_operators = 100'000;
    std::uint32_t max_models = 10'000;
    std::uint64_t resync_blocks = 100;  ///< full read at least this often; 0: every block
};

/// What the follower did so far (for tests and metrics).
struct FollowStats {
    std::uint64_t full_reads = 0;
    std::uint64_t incremental_updates = 0;  ///< snapshots from re-reading named operators only
    std::uint64_t quiet_blocks = 0;         ///< polls that found new blocks but no registry logs
    std::uint64_t reorgs = 0;               ///< full reads caused by a changed block hash
};

class ChainFollower {
public:
    ChainFollower(chain::EthClient& eth, FollowerConfig config) : eth_(eth), config_(config) {}

    /// Reads both registries at `block`.
    Result<RegistryState, FollowError> read(std::uint64_t block);

    /// Follows the chain up to its head and publishes a new snapshot into `engine` when the
    /// registries changed (or a full read was due); returns whether it published. Single writer:
    /// not thread-safe.
    Result<bool, FollowError> poll(Matcher& engine);

    std::uint64_t last_block() const { return last_block_; }
    const FollowStats& stats() const { return stats_; }

private:
    Result<bool, FollowError> full_read(Matcher& engine, std::uint64_t head, const Hash& head_hash);
    Result<void, FollowError> read_stake(std::vector<OperatorRecord*>& ops, std::uint64_t block);

    chain::EthClient& eth_;
    FollowerConfig config_;
    std::uint64_t last_block_ = 0;
    std::uint64_t last_full_ = 0;
    Hash last_hash_{};
    Address allocation_manager_{};  ///< learned at the first full read
    bool published_ = false;
    RegistryState state_;  ///< the last published state
    FollowStats stats_;
};

}  // namespace sigil::router
