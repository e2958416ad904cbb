#include "client/deployment.hpp"

#include <fstream>
#include <sstream>
#include <utility>
#include <vector>

#include "chain/rpc_client.hpp"
#include "client/session.hpp"

namespace sigil::client {
namespace {

using chain::Json;

/// The address fields, by JSON name (one list for both directions).
std::vector<std::pair<const char*, Address Deployment::*>> address_fields() {
    return {{"owner", &Deployment::owner},
            {"treasury", &Deployment::treasury},
            {"stakeToken", &Deployment::stake_token},
            {"payToken", &Deployment::pay_token},
            {"strategy", &Deployment::strategy},
            {"strategyManager", &Deployment::strategy_manager},
            {"delegationManager", &Deployment::delegation_manager},
            {"allocationManager", &Deployment::allocation_manager},
            {"rewardsCoordinator", &Deployment::rewards_coordinator},
            {"modelRegistry", &Deployment::model_registry},
            {"operatorRegistry", &Deployment::operator_registry},
            {"coordinator", &Deployment::coordinator}};
}

/// Address fields that older deployment files do not have (zero when absent).
std::vector<std::pair<const char*, Address Deployment::*>> optional_address_fields() {
    return {{"bondToken", &Deployment::bond_token},
            {"oneStepVerifier", &Deployment::verifier},
            {"disputeGame", &Deployment::dispute_game},
            {"proofMarket", &Deployment::proof_market},
            {"generationGame", &Deployment::generation_game}};
}

}  // namespace

std::string Deployment::to_json() const {
    Json j = Json::object();
    j["rpcUrl"] = rpc_url;
    j["chainId"] = chain_id;
    j["deployBlock"] = deploy_block;
    j["operatorSetId"] = operator_set_id;
    for (const auto& [name, field] : address_fields()) j[name] = to_hex(this->*field);
    for (const auto& [name, field] : optional_address_fields()) j[name] = to_hex(this->*field);
    return j.dump(2);
}

Deployment Deployment::from_json(const std::string& text) {
    const Json j = Json::parse(text, nullptr, false);
    if (j.is_discarded() || !j.is_object()) throw ClientError("deployment: not a JSON object");
    Deployment d;
    auto uint_field = [&](const char* name) -> std::uint64_t {
        if (!j.contains(name) || !j[name].is_number_unsigned())
            throw ClientError(std::string("deployment: missing or bad '") + name + "'");
        return j[name].get<std::uint64_t>();
    };
    d.rpc_url = j.value("rpcUrl", "");
    d.chain_id = uint_field("chainId");
    d.deploy_block = uint_field("deployBlock");
    const std::uint64_t set = uint_field("operatorSetId");
    if (set > 0xffffffffULL) throw ClientError("deployment: 'operatorSetId' out of range");
    d.operator_set_id = static_cast<std::uint32_t>(set);
    for (const auto& [name, field] : address_fields()) {
        if (!j.contains(name) || !j[name].is_string())
            throw ClientError(std::string("deployment: missing '") + name + "'");
        d.*field = parse_address_arg(j[name].get<std::string>(), std::string("deployment '") + name + "'");
    }
    for (const auto& [name, field] : optional_address_fields()) {
        if (!j.contains(name)) continue;
        if (!j[name].is_string()) throw ClientError(std::string("deployment: bad '") + name + "'");
        d.*field = parse_address_arg(j[name].get<std::string>(), std::string("deployment '") + name + "'");
    }
    return d;
}

void Deployment::save(const std::filesystem::path& path) const {
    std::ofstream out(path);
    out << to_json() << '\n';
    if (!out) throw ClientError("cannot write " + path.string());
}

Deployment Deployment::load(const std::filesystem::path& path) {
    std::ifstream in(path);
    if (!in) throw ClientError("cannot read deployment file " + path.string());
    std::stringstream text;
    text << in.rdbuf();
    return from_json(text.str());
}

}  // namespace sigil::client
