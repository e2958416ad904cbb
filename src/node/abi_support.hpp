#pragma once
/// Pieces the node's ABI files (coordinator_abi.cpp, dispute_abi.cpp) share: the Job and Claim
/// tuple types of contracts/src/avs/CoordinatorTypes.sol and parsers for the file's constant
/// signatures. Internal to src/node.

#include <cstdlib>
#include <string>

#include "bindings/coordinator.hpp"
#include "core/abi/type.hpp"
#include "core/bytes.hpp"

namespace sigil::node::detail {

/// CoordinatorTypes.Job (as emitted in Coordinator.Requested) and Claim, generated from the
/// compiled contract (src/bindings).
inline constexpr const char* kJobType = bindings::coordinator::type::Job;
inline constexpr const char* kClaimType = bindings::coordinator::type::Claim;

/// Parses a type written in our source: a failure is a bug, never input.
inline abi::Type must_type(const std::string& t) {
    auto r = abi::parse_type(t);
    if (!r) std::abort();
    return *r;
}

/// Parses a function signature written in our source: a failure is a bug, never input.
inline abi::Function must_fn(std::string_view sig) {
    auto r = abi::parse_function(sig);
    if (!r) std::abort();
    return *r;
}

}  // namespace sigil::node::detail
