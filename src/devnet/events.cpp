#include "devnet/events.hpp"

#include <algorithm>
#include <map>
#include <string>

#include "devnet/session.hpp"

namespace sigil::devnet {
namespace {

std::string sig_of(std::string_view name) {
    const std::string job = kJobType, claim = kClaimType, terms = kTermsType;
    if (name == "Requested") return "Requested(bytes32 indexed id, address indexed consumer, " + job + " job, bytes input, string inputURI)";
    if (name == "Delivered") return "Delivered(bytes32 indexed id, address indexed operator, bytes32 claimHash, " + claim + " claim)";
    if (name == "Revealed") return "Revealed(bytes32 indexed id, address indexed operator, bytes32 claimHash, " + claim + " claim)";
    if (name == "Committed") return "Committed(bytes32 indexed id, address indexed operator, uint8 seat, bytes32 commitment)";
    if (name == "Answered") return "Answered(bytes32 indexed id, bytes32 claimHash, uint32 finalAt)";
    if (name == "CallbackResult") return "CallbackResult(bytes32 indexed id, bool success)";
    if (name == "Settled") return "Settled(bytes32 indexed id, uint256 nodesPaid, uint256 refund)";
    if (name == "Subscribed") {
        return "Subscribed(uint256 indexed subId, address indexed consumer, " + terms +
               " terms, uint16 intervals, bytes input, string inputURI)";
    }
    if (name == "SubscriptionTriggered") return "SubscriptionTriggered(uint256 indexed subId, bytes32 indexed id, uint16 remaining)";
    if (name == "Classified") return "Classified(uint256 indexed item, bytes32 indexed requestId, uint8 label)";
    // ProofMarket.
    if (name == "BountyPosted") {
        return "BountyPosted(bytes32 indexed id, address indexed consumer, address token, uint96 fee, uint64 pWad, "
               "uint32 verifyWindow)";
    }
    if (name == "BountyArmed") return "BountyArmed(bytes32 indexed id, bytes32 claimHash, uint64 armBlock, uint64 drawBlock)";
    if (name == "BountyDrawn") return "BountyDrawn(bytes32 indexed id, bool selected, address verifier, uint32 deadline)";
    if (name == "BountyAttested") return "BountyAttested(bytes32 indexed id, address indexed verifier)";
    if (name == "BountyClosed") return "BountyClosed(bytes32 indexed id, address indexed paidTo, uint256 fee, bool toVerifier)";
    if (name == "VerifierRegistered") return "VerifierRegistered(address indexed verifier, uint256 bond)";
    throw DevnetError("unknown event " + std::string(name));
}

}  // namespace

const abi::Event& event(std::string_view name) {
    static std::map<std::string, abi::Event, std::less<>> cache;
    auto it = cache.find(name);
    if (it != cache.end()) return it->second;
    auto ev = abi::parse_event(sig_of(name));
    if (!ev) throw DevnetError("bad event signature for " + std::string(name));
    return cache.emplace(std::string(name), *ev).first->second;
}

Hash topic_of(std::string_view name) { return abi::topic0(event(name)); }

std::optional<std::vector<abi::Value>> decode_event(std::string_view name, const chain::Log& log) {
    const auto& ev = event(name);
    if (log.topics.empty() || log.topics[0] != abi::topic0(ev)) return std::nullopt;
    auto v = abi::decode_log(ev, log.topics, log.data, abi::DecodeMode::lenient);
    if (!v) return std::nullopt;
    return *v;
}

std::optional<std::vector<abi::Value>> find_event(std::string_view name, const std::vector<chain::Log>& logs) {
    for (const auto& l : logs) {
        if (auto v = decode_event(name, l)) return v;
    }
    return std::nullopt;
}

Hash as_hash(const abi::Value& v) {
    Hash h{};
    std::copy_n(v.bytes.begin(), std::min<std::size_t>(32, v.bytes.size()), h.begin());
    return h;
}

}  // namespace sigil::devnet
