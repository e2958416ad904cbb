#pragma once
/// Compiled contracts from the Foundry project: creation code and declared custom errors, read
/// from `contracts/out/<Name>.sol/<Name>.json` (run `forge build` in contracts/ first).

#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/address.hpp"
#include "core/bytes.hpp"

namespace sigil::devnet {

/// The Foundry project: $SIGIL_CONTRACTS_DIR, else this source tree's contracts/.
std::filesystem::path contracts_dir();

/// Creation bytecode of contract `name` (throws DevnetError when the artifact is missing).
Bytes creation_code(std::string_view name);

/// Creation bytecode of `name` with its library references (the artifact's `linkReferences`)
/// filled in from `libraries` (library name -> deployed address). Throws DevnetError naming a
/// library the code needs and `libraries` lacks.
Bytes linked_creation_code(std::string_view name, const std::vector<std::pair<std::string, Address>>& libraries);
/// The library names `name`'s creation code links against (empty when it links none).
std::vector<std::string> linked_libraries(std::string_view name);
/// Deploys every library `name` links that `libraries` lacks, each after the libraries it links
/// itself (an external library may call another), and adds them to `libraries`. `deploy` sends
/// creation code and returns the new contract's address.
void deploy_libraries(std::string_view name, const std::function<Address(const Bytes&)>& deploy,
                      std::vector<std::pair<std::string, Address>>& libraries);

}  // namespace sigil::devnet
