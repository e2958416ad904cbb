#pragma once
/// Addresses of one deployment of the Sigil stack, saved as JSON (`deployment.json` in the devnet
/// directory) so the `sigil operator|stake|rewards` commands and the nodes can find the contracts.

#include <cstdint>
#include <filesystem>
#include <string>

#include "core/address.hpp"

namespace sigil::client {

struct Deployment {
    std::string rpc_url;
    std::uint64_t chain_id = 0;
    std::uint64_t deploy_block = 0;  ///< block of the first deployment transaction
    Address owner{};                 ///< owner of every owned contract
    Address treasury{};
    // tokens and the restaking core
    Address stake_token{};  ///< the staked ERC20 (mintable test token)
    Address pay_token{};    ///< the payment ERC20 (mintable test token)
    Address strategy{};     ///< Strategy over stake_token (the reward strategy of Sigil's set)
    Address strategy_manager{};
    Address delegation_manager{};
    Address allocation_manager{};
    Address rewards_coordinator{};
    // Sigil
    Address model_registry{};
    Address operator_registry{};
    Address coordinator{};  ///< also Sigil's AVS address
    std::uint32_t operator_set_id = 0;
    // The proof market (zero in deployment files written before it was deployed).
    Address bond_token{};    ///< the challengers' bond ERC20 (mintable test token)
    Address verifier{};      ///< OneStepVerifier
    Address dispute_game{};  ///< DisputeGame, the Coordinator's proof market
    Address proof_market{};  ///< ProofMarket: verification bounties (verifiers bond in bond_token)
    Address generation_game{};  ///< GenerationGame: disputes of generation claims

    std::string to_json() const;
    /// Throws ClientError naming the missing or malformed field.
    static Deployment from_json(const std::string& text);
    void save(const std::filesystem::path& path) const;
    static Deployment load(const std::filesystem::path& path);
};

}  // namespace sigil::client
