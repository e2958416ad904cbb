#pragma once
/// Keeps the engine's registry view current by following the chain: on every new block it reads
/// the OperatorRegistry (operators, metadata, services, faults), each operator's minimum slashable
/// stake over the registry's stake strategies from the AllocationManager, and the ModelRegistry
/// (models and their evaluation records: quality = best score not refuted), then publishes one
/// snapshot. Reads are eth_calls pinned to one block, so a snapshot is consistent.

#include <cstdint>
#include <string>

#include "chain/eth_client.hpp"
#include "core/result.hpp"
#include "router/engine.hpp"
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
};

class ChainFollower {
public:
    ChainFollower(chain::EthClient& eth, FollowerConfig config) : eth_(eth), config_(config) {}

    /// Reads both registries at `block`.
    Result<RegistryState, FollowError> read(std::uint64_t block);

    /// Publishes a new snapshot into `engine` when the chain has advanced since the last one;
    /// returns whether it did.
    Result<bool, FollowError> poll(Engine& engine);

    std::uint64_t last_block() const { return last_block_; }

private:
    chain::EthClient& eth_;
    FollowerConfig config_;
    std::uint64_t last_block_ = 0;
    bool published_ = false;
};

}  // namespace sigil::router
