#pragma once
/// What the router knows about the registries: operators with their services and stake, and
/// models with their best standing evaluation score. Filled by the chain follower (or by tests
/// and the simulator) and handed to `Matcher::publish`.

#include <cstdint>
#include <string>
#include <vector>

#include "core/address.hpp"
#include "core/bytes.hpp"
#include "core/route/types.hpp"

namespace sigil::router {

using route::Amount;

/// One model served for one payment token (OperatorRegistry.Service).
struct ServiceRecord {
    Hash model{};
    Address token{};
    Amount price = 0;  ///< per call
};

/// One operator (OperatorRegistry.OperatorView plus its slashable stake).
struct OperatorRecord {
    Address address{};
    bool active = false;
    std::uint32_t faults = 0;
    std::string endpoint;
    std::string region;
    std::uint16_t hardware = 0;
    std::uint32_t capacity = 0;
    std::uint8_t proof_modes = route::kProofChallenge | route::kProofRedundant;
    Amount stake = 0;
    std::vector<ServiceRecord> services;
};

/// One model (ModelRegistry): its best evaluation score that has not been refuted (basis points,
/// 0 when none).
struct ModelRecord {
    Hash root{};
    std::uint16_t quality = 0;
};

struct RegistryState {
    std::vector<OperatorRecord> operators;
    std::vector<ModelRecord> models;
    std::uint64_t block = 0;  ///< chain height the state was read at (0 when not from a chain)
};

}  // namespace sigil::router
