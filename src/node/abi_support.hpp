#pragma once
/// Pieces the node's ABI files (coordinator_abi.cpp, dispute_abi.cpp) share: the Job and Claim
/// tuple types of contracts/src/avs/CoordinatorTypes.sol and parsers for the file's constant
/// signatures. Internal to src/node.

#include <cstdlib>
#include <string>

#include "core/abi/type.hpp"

namespace sigil::node::detail {

/// CoordinatorTypes.Job, as emitted in Coordinator.Requested.
inline constexpr const char* kJobType =
    "(address,(bytes32,bytes32,address,uint96,uint8,bool,uint32,uint32,uint32,address),bytes32,address,uint96,"
    "uint16,uint32,uint32,uint256)";
/// CoordinatorTypes.Claim.
inline constexpr const char* kClaimType = "(bytes,bytes32,bytes32,uint64,bytes32)";

/// Parses a type written in our source: a failure is a bug, never input.
inline abi::Type must_type(const std::string& t) {
    auto r = abi::parse_type(t);
    if (!r) std::abort();
    return *r;
}

/// Parses a function signature written in our source: a failure is a bug, never input.
inline abi::Function must_fn(const std::string& sig) {
    auto r = abi::parse_function(sig);
    if (!r) std::abort();
    return *r;
}

}  // namespace sigil::node::detail
