#pragma once
/// The people of a devnet: operators (self-staked, fully allocated to Sigil's set, registered
/// with a service per model), their delegators, a model creator and a consumer; each a
/// deterministic key funded with ETH and test tokens. Also the node configuration files.

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "chain/keys.hpp"
#include "devnet/client.hpp"
#include "devnet/models.hpp"

namespace sigil::devnet {

/// keccak256("sigil-devnet/" + label) as a private key: the same accounts on every devnet.
chain::PrivateKey devnet_key(std::string_view label);

/// anvil_setBalance.
void fund_eth(Session& s, const Address& who, const u256& wei);

struct Actor {
    std::string label;
    Bytes32 secret{};  ///< the private key
    Address address{};
    u256 stake = 0;  ///< tokens deposited into the strategy
    chain::PrivateKey key() const;
};

struct OperatorInfo {
    Actor self;
    std::vector<Actor> delegators;
    int api_port = 0;
    std::string endpoint;
};

struct WorldParams {
    unsigned operators = 3;
    unsigned delegators_per_operator = 2;
    u256 operator_stake = u256(100) * u256(1'000'000'000'000'000'000ULL);
    u256 delegator_stake = u256(20) * u256(1'000'000'000'000'000'000ULL);  ///< delegator j gets (j + 1) x this
    u256 price = u256(10'000'000'000'000'000ULL);   ///< per call and node: 0.01 PAY
    u256 royalty = u256(1'000'000'000'000'000ULL);  ///< per call: 0.001 PAY
};

struct World {
    std::vector<OperatorInfo> operators;
    Actor creator;
    Actor consumer;
    std::vector<ModelFile> models;
    WorldParams params;
};

/// Funds, stakes, delegates, allocates and registers everyone; registers `models` with the
/// creator (royalty in the payment token). `owner` mints the test tokens.
World build_world(Signer& owner, const Deployment& d, const WorldParams& params, std::vector<ModelFile> models);

/// `node_dir`/data, emptied: every devnet run deploys new contracts (often on a new chain), so a
/// node store left by an earlier run belongs to another deployment and is never reused.
std::filesystem::path fresh_data_dir(const std::filesystem::path& node_dir);

/// The TOML configuration of operator `op`'s node (format of docs/node.md).
std::string node_config(const Deployment& d, const World& w, const OperatorInfo& op,
                        const std::filesystem::path& data_dir);

}  // namespace sigil::devnet
