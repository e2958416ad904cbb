#include "bindings/abi_tables.hpp"

#include <algorithm>

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

}  // namespace sigil::bindings
