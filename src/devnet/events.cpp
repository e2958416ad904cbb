#include "devnet/events.hpp"

#include <algorithm>
#include <span>
#include <string>

#include "bindings/coordinator.hpp"
#include "bindings/fashion_classifier.hpp"
#include "bindings/proof_market.hpp"
#include "devnet/client.hpp"

namespace sigil::devnet {
namespace {

/// Event `name` of the Coordinator, the ProofMarket or the FashionClassifier, from the generated
/// bindings.
const bindings::EventInfo& info_of(std::string_view name) {
    for (const auto table : {std::span<const bindings::EventInfo>(bindings::coordinator::kEvents),
                             std::span<const bindings::EventInfo>(bindings::proof_market::kEvents),
                             std::span<const bindings::EventInfo>(bindings::fashion_classifier::kEvents)}) {
        for (const auto& e : table) {
            if (e.name == name) return e;
        }
    }
    throw DevnetError("unknown event " + std::string(name));
}

}  // namespace

const abi::Event& event(std::string_view name) { return bindings::event_abi(info_of(name)); }

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
