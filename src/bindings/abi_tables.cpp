#include "bindings/abi_tables.hpp"

#include <algorithm>
#include <cstdlib>
#include <map>
#include <mutex>

namespace sigil::bindings {

std::optional<ErrorInfo> find_error(BytesView revert_data, std::span<const ErrorInfo> errors) {
    if (revert_data.size() < 4) return std::nullopt;
    for (const auto& e : errors) {
        if (std::equal(e.selector.begin(), e.selector.end(), revert_data.begin())) return e;
    }
    return std::nullopt;
}

std::string revert_name(BytesView revert_data, std::initializer_list<std::span<const ErrorInfo>> tables) {
    if (revert_data.size() < 4) return "empty";
    for (auto table : tables) {
        if (auto e = find_error(revert_data, table)) return std::string(e->name);
    }
    return to_hex(revert_data.subspan(0, 4));
}

const abi::Event& event_abi(const EventInfo& e) {
    static std::mutex mu;
    static std::map<const EventInfo*, abi::Event> parsed;
    std::lock_guard lock(mu);
    auto it = parsed.find(&e);
    if (it != parsed.end()) return it->second;
    auto ev = abi::parse_event(e.declaration);
    if (!ev) std::abort();  // generated from the compiled contract: a failure is a generator bug
    return parsed.emplace(&e, std::move(*ev)).first->second;
}

std::optional<std::vector<abi::Value>> decode_event(const EventInfo& e, std::span<const Hash> topics, BytesView data) {
    if (topics.empty() || !std::equal(e.topic.begin(), e.topic.end(), topics[0].begin())) return std::nullopt;
    auto v = abi::decode_log(event_abi(e), topics, data);
    if (!v) return std::nullopt;
    return std::move(*v);
}

}  // namespace sigil::bindings
