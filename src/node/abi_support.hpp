#pragma once
/// Pieces the node's ABI files (coordinator_abi.cpp, dispute_abi.cpp) share: the Job and Claim
/// tuple types of contracts/src/avs/CoordinatorTypes.sol and parsers for the file's constant
/// signatures. Internal to src/node.

#include <algorithm>
#include <cstdlib>
#include <optional>
#include <span>
#include <string>

#include "core/abi/type.hpp"
#include "core/bytes.hpp"
#include "core/keccak.hpp"

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

/// The name (without its parameters) of the custom error in `sigs` whose selector starts the
/// revert data `data`; nullopt when there is none (or `data` is shorter than a selector).
inline std::optional<std::string> error_name(BytesView data, std::span<const char* const> sigs) {
    if (data.size() < 4) return std::nullopt;
    for (const char* sig : sigs) {
        const Hash h = keccak256(as_bytes(sig));
        if (std::equal(h.begin(), h.begin() + 4, data.begin())) {
            const std::string s(sig);
            return s.substr(0, s.find('('));
        }
    }
    return std::nullopt;
}

}  // namespace sigil::node::detail
